import CDRModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads any ``MappedFormat``: the vendor formats cdrscan knows (Cisco UCM, BroadWorks, Twilio, Genesys Cloud,
/// FreeSWITCH through ``FreeSWITCHReader``) and the custom mappings users write.
///
/// Per row: times (in the format's zone rule), end from `end` or start + duration, answer from `answer`, or end −
/// talk, or an answered flag; direction by the format's rule; disposition from answered, the disposition word, or
/// the Q.850 cause; numbers cleaned of `tel:`/`sip:` and `@host`; the trunk; the legs of one call merged
/// (``IngestState/emit(_:file:line:raw:)``).
public struct MappedReader: FormatReader, MappedRecordReader {
    /// Mapped formats carry their own names (`format.name`).
    public static let formatName = "mapped"
    /// The format, held in a class: it is a large value, and reading its fields through `self` copied all of it
    /// once per row.
    private final class Spec: Sendable {
        let format: MappedFormat
        init(_ format: MappedFormat) { self.format = format }
    }
    private let spec: Spec
    public var format: MappedFormat { spec.format }
    public var csvOptions: CSVOptions { format.csv }
    let siteName: String
    /// Up to three candidate field indices for a role (−1: none), a plain value so reading it costs no reference
    /// counting on the per-row path.
    struct Candidates {
        var a: Int32 = -1
        var b: Int32 = -1
        var c: Int32 = -1

        init(_ list: [Int] = []) {
            if list.count > 0 { a = Int32(list[0]) }
            if list.count > 1 { b = Int32(list[1]) }
            if list.count > 2 { c = Int32(list[2]) }
        }

        var isEmpty: Bool { a < 0 }
    }

    /// Candidate field indices per role slot (``MappedFormat/Role/slot``), in plain memory: read a dozen times a
    /// row, an array in the reader cost a bounds check and its buffer's load each time.
    private final class Slots {
        let table: UnsafeMutablePointer<Candidates>
        init() {
            table = .allocate(capacity: MappedFormat.Role.allCases.count)
            table.initialize(repeating: Candidates(), count: MappedFormat.Role.allCases.count)
        }
        deinit { table.deallocate() }
    }
    /// Replaced, never changed, when a header resolves the columns: copies of a reader keep their own.
    private var slots = Slots()
    /// `slots.table`, kept beside it so that a lookup loads no class reference first.
    private var index: UnsafeMutablePointer<Candidates>
    private var legKeyIndex: [Int] = []
    /// The one leg-key column when there is exactly one (−1 otherwise): read without iterating the array, which
    /// in this mutating reader cost a retain and a release of it every row.
    private var singleLegKey = -1
    /// How a row tells that it is its call's originating leg (``MappedFormat/originRule``).
    private var originRule = MappedFormat.OriginRule.earliest
    /// Durations are whole seconds (`durationUnitMs` 1000): read as they parse, without a division by a value
    /// the compiler cannot see (an `idiv`, two a row).
    private var durationInSeconds = true
    private var legPeerIndex = -1
    /// The participant-side column (``MappedFormat/OriginRule/purpose``), -1 when there is none.
    private var purposeIndex = -1
    private var legParentIndex = -1
    private var recordsSeen = 0
    private var ready = false
    private var directionWords = WordCache<Direction>()
    private var dispositionWords = WordCache<Disposition>()
    private var causeWords = WordCache<Disposition>()
    private var latestStart = Int64.min
    private var callTypes: [[UInt8]] = []
    private var legSeed: UInt64 = 0
    /// Trunk names of the inventory as bytes, per site context (for devices that are trunks).
    private var trunkBytes: [Int: [[UInt8]]] = [:]
    /// The declared site's id in the run's store (interned on the first row that has no site column value).
    private var defaultSiteId: UInt16?
    /// Times are epoch seconds (a time 0 is none), read as ``TimeFormat/parse(_:)`` would.
    private var epochSeconds = false
    /// Times may be plain wall clocks (`YYYY-MM-DD HH:MM:SS`, ISO or the automatic choice): read through
    /// ``minutes`` when they are.
    private var wallClockTimes = false
    /// Times are compact wall clocks (`yyyymmddhhmmss[.fff]`, BroadWorks's): read through ``minutes`` too.
    private var compactTimes = false
    /// Times may be RFC 2822 times (Twilio's): read through ``minutes`` when they have a numeric offset.
    private var rfc2822Times = false
    /// The time pattern's bytes (a custom mapping's `time_format` with `%`), parsed without converting the string
    /// each time; empty for other formats.
    private var patternBytes: [UInt8] = []
    /// The pattern's fixed-width layout, when it has one: its times are read through ``minutes``.
    private var patternLayout: MinuteMemo.PatternLayout?
    /// The minutes of recent plain wall-clock times (``MinuteMemo``). A reader reads one file, on one thread.
    private let minutes = MinuteMemo()
    /// The header line, to tell it when it comes again (files joined with `cat`), and the line it last came at.
    private var header = HeaderEcho()
    private var headerEchoLine = -1

    /// Records a rejected row, as the header line again (or the line of column types after it) when it is one.
    private mutating func reject<S: MappedRowSink>(
        _ s: inout S,
        _ file: String,
        _ rec: borrowing CSVRecord,
        _ reason: String,
        _ detail: String
    ) {
        if header.matches(rec) {
            headerEchoLine = rec.line
            s.reject(file, rec, RejectReason.repeatedHeader, HeaderEcho.detail)
        } else if spec.format.skipLinesAfterHeader > 0 && rec.line == headerEchoLine + 1 {
            s.reject(file, rec, RejectReason.repeatedHeader, "the line of column types after the header again")
        } else {
            s.reject(file, rec, reason, detail)
        }
    }

    public init(format: MappedFormat, siteName: String) {
        spec = Spec(format)
        self.siteName = siteName
        index = slots.table
        if !spec.format.hasHeader { resolve(names: [:], count: Int.max) }
    }

    /// Resolves the columns against header names (empty for positional formats).
    private mutating func resolve(names: [String: Int], count: Int) {
        func lookup(_ c: MappedFormat.Column) -> Int? {
            switch c {
            case .name(let n): return names[MappedFormat.key(n)]
            case .position(let p): return p < count ? p : nil
            }
        }
        slots = Slots()
        index = slots.table
        for (role, cands) in spec.format.columns { index[role.slot] = Candidates(cands.compactMap(lookup)) }
        callTypes = spec.format.callRecordTypes.map { Array($0.lowercased().utf8) }
        if case .epochSeconds = spec.format.timeFormat { epochSeconds = true }
        switch spec.format.timeFormat {
        case .iso, .auto: wallClockTimes = true
        default: wallClockTimes = false
        }
        if case .compact = spec.format.timeFormat { compactTimes = true }
        switch spec.format.timeFormat {
        case .rfc2822, .auto: rfc2822Times = true
        default: rfc2822Times = false
        }
        if case .pattern(let pattern) = spec.format.timeFormat {
            patternBytes = Array(pattern.utf8)
            patternLayout = MinuteMemo.PatternLayout(patternBytes)
        }
        legSeed = LegIndex.seed(spec.format.name)
        legKeyIndex = spec.format.legKey.compactMap(lookup)
        singleLegKey = legKeyIndex.count == 1 ? legKeyIndex[0] : -1
        originRule = spec.format.originRule
        durationInSeconds = spec.format.durationUnitMs == 1000
        legPeerIndex = spec.format.legPeer.flatMap(lookup) ?? -1
        purposeIndex = spec.format.columns[.purpose]?.first.flatMap(lookup) ?? -1
        legParentIndex = spec.format.legParent.flatMap(lookup) ?? -1
        ready = true
    }

    public mutating func read(_ rec: inout CSVRecord, state s: inout IngestState, file: String) throws -> Bool {
        try read(&rec, sink: &s, file: file)
    }

    /// Reads one record into `s`: a row is checked here and handed to the sink (``MappedRowSink/take(_:file:record:)``).
    mutating func read<S: MappedRowSink>(_ rec: inout CSVRecord, sink s: inout S, file: String) throws -> Bool {
        recordsSeen += 1
        if recordsSeen <= spec.format.skipLinesBefore { return false }
        if spec.format.hasHeader {
            let headerAt = spec.format.skipLinesBefore + 1
            if recordsSeen == headerAt {
                var names: [String: Int] = [:]
                for i in 0..<rec.count where names[MappedFormat.key(rec.string(i))] == nil {
                    names[MappedFormat.key(rec.string(i))] = i
                }
                resolve(names: names, count: rec.count)
                header = HeaderEcho(rec)
                let missing = spec.format.required.filter { index[$0.slot].isEmpty }
                if !missing.isEmpty {
                    let wanted = missing.map { role in
                        "\(role.rawValue) (\(spec.format.columns[role, default: []].map(\.description).joined(separator: " or ")))"
                    }
                    throw IngestError(
                        .missingColumns,
                        file: file,
                        "\(spec.format.name) header is missing required column(s): \(wanted.joined(separator: ", "))"
                    )
                }
                return false
            }
            // A line of column types (CUCM: INTEGER,VARCHAR(50),…) right after the header.
            if recordsSeen <= headerAt + spec.format.skipLinesAfterHeader, rec.count > 0, let b = rec[0].first,
                (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
            {
                return false
            }
        } else if recordsSeen == spec.format.skipLinesBefore + 1, has(.recordType),
            !spec.format.callRecordTypes.isEmpty,
            !spec.format.callRecordTypes.contains(String(decoding: field(rec, .recordType), as: UTF8.self).lowercased())
        {
            // A leading line that is not a record (BroadWorks files start with one).
            return false
        }
        if let defect = rec.defect {
            s.reject(file, rec, RejectReason.malformedCSV, defect)
            return false
        }
        return row(&rec, &s, file)
    }

    /// The first non-blank field of a role (an empty buffer when none).
    ///
    /// `mutating` though it changes nothing: called from the mutating ``row(_:_:_:)``, a non-mutating method got
    /// a copy of the whole reader (139 bytes, a `memcpy`) at every call, a dozen times a row.
    @inline(__always)
    private mutating func field(_ rec: borrowing CSVRecord, _ role: MappedFormat.Role) -> UnsafeRawBufferPointer {
        let cands = index[role.slot]
        // One candidate column (most roles of most formats): picked in place.
        // The record's fields as three words: passing the record itself made a copy of all of it (72 bytes, a
        // string among them) for every field read, and loading it right after the scanner wrote it stalled.
        let fields = Fields(rec)
        if cands.b < 0 { return Self.pick(fields, cands.a, role == .cause) }
        return Self.fallback(fields, cands, role == .cause)
    }

    /// The first non-blank of two or three candidate columns.
    private static func fallback(
        _ rec: Fields,
        _ cands: Candidates,
        _ cause: Bool
    )
        -> UnsafeRawBufferPointer
    {
        let f = pick(rec, cands.a, cause)
        if f.count > 0 { return f }
        let g = pick(rec, cands.b, cause)
        if g.count > 0 || cands.c < 0 { return g }
        return pick(rec, cands.c, cause)
    }

    /// Field `i` trimmed, or an empty buffer when there is no such field (or, for a cause, when it is `0`).
    ///
    /// Lengths through ``Swift/UnsafeRawBufferPointer/length``: in a function as large as ``row(_:_:_:)`` the
    /// compiler left `UnsafeRawBufferPointer.count` calls out of line, two for each field picked (nine calls a
    /// FreeSWITCH row).
    @inline(__always)
    private static func pick(_ rec: Fields, _ i: Int32, _ cause: Bool) -> UnsafeRawBufferPointer {
        guard i >= 0 && Int(i) < rec.fieldCount else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let f = trim(rec[Int(i)])
        // A cause of 0 is "none" (CUCM writes 0 for the side that did not clear).
        if cause && f.length == 1 && f.load(as: UInt8.self) == UInt8(ascii: "0") {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return f
    }

    @inline(__always)
    private mutating func has(_ role: MappedFormat.Role) -> Bool { !index[role.slot].isEmpty }

    /// Whether the bytes equal `word` ignoring ASCII case (`word` is lower case).
    @inline(__always)
    static func equalsLower(_ p: UnsafeRawBufferPointer, _ word: [UInt8]) -> Bool {
        guard p.count == word.count else { return false }
        for i in 0..<p.count where p[i] | 0x20 != word[i] | 0x20 { return false }
        return true
    }

    static let publicContexts = ["public", "from-trunk", "from-pstn"].map { Array($0.utf8) }
    /// The first byte of a field in lower case (0 for an empty field), without `Collection.first`, which a function
    /// as large as ``row(_:_:_:)`` called out of line.
    @inline(__always)
    static func firstLower(_ p: UnsafeRawBufferPointer) -> UInt8 { p.length > 0 ? p.load(as: UInt8.self) | 0x20 : 0 }

    /// A field of 4 to 8 bytes as a little-endian word, its letters in lower case (0 for any other length): two
    /// overlapping 4-byte loads, compared with a constant. A list of byte arrays searched word by word was 4 % of
    /// Genesys's instructions a call.
    @inline(__always)
    static func lowerWord(_ p: UnsafeRawBufferPointer) -> UInt64 {
        let n = p.length
        guard n >= 4 && n <= 8, let base = p.baseAddress else { return 0 }
        let low = UInt64(base.loadUnaligned(as: UInt32.self))
        let high = UInt64(base.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
        return (low | high << UInt64(8 * (n - 4))) | (0x2020_2020_2020_2020 >> UInt64(8 * (8 - n)))
    }

    // `agent`, `user`, `station`, `customer`, `external` as ``lowerWord(_:)`` reads them.
    static let agentWord: UInt64 = 0x74_6E65_6761
    static let userWord: UInt64 = 0x7265_7375
    static let stationWord: UInt64 = 0x6E_6F69_7461_7473
    static let customerWord: UInt64 = 0x7265_6D6F_7473_7563
    static let externalWord: UInt64 = 0x6C61_6E72_6574_7865

    /// Whether a participant's purpose is a person of the organization (Genesys `agent`, `user`, `station`, any
    /// case).
    @inline(__always)
    static func isInternalSide(_ p: UnsafeRawBufferPointer) -> Bool {
        let w = lowerWord(p)
        return w == agentWord || w == userWord || w == stationWord
    }

    /// Whether a participant's purpose is the party outside (Genesys `customer`, `external`, any case).
    @inline(__always)
    static func isExternalSide(_ p: UnsafeRawBufferPointer) -> Bool {
        let w = lowerWord(p)
        return w == customerWord || w == externalWord
    }

    /// Whether a dialplan context is one calls from outside arrive in (``publicContexts``, any case). Its first
    /// byte settles most rows (`default`, `internal`) without a look at the list.
    @inline(__always)
    static func isPublicContext(_ p: UnsafeRawBufferPointer) -> Bool {
        guard let first = p.first, first | 0x20 == UInt8(ascii: "p") || first | 0x20 == UInt8(ascii: "f") else {
            return false
        }
        return publicContexts.contains { equalsLower(p, $0) }
    }

    /// A time field of the row: nil when it is not a time, `.some(nil)` when it is none (an epoch 0), `Int64.min`
    /// when it is local and the site has no zone.
    ///
    /// A time in a form ``MinuteMemo`` knows (ISO local or with `Z`, compact, RFC 2822 with a numeric offset) in a
    /// minute read recently is that minute's UTC start plus its seconds (and milliseconds): a file's times crowd
    /// into the minutes around its rows' starts (a FreeSWITCH B leg's are its A leg's), and the parse and the
    /// zone's lookup were a quarter of the reading thread's time for FreeSWITCH's local-time template. Any other
    /// time is parsed in full.
    @inline(__always)
    private mutating func time<S: MappedRowSink>(
        _ p: UnsafeRawBufferPointer,
        _ s: inout S,
        _ ctx: Int
    ) -> Int64?? {
        if epochSeconds {
            // UTC seconds (FreeSWITCH's, CUCM's): straight to the digits, without the format's general parse.
            guard let ms = FieldParse.secondsAsMs(p) else { return nil }
            return ms == 0 ? .some(nil) : ms
        }
        // The memo's key of a time in a form this format may write (``MinuteMemo``); nil for any other time.
        var key = wallClockTimes ? MinuteMemo.isoKey(p, ctx) : nil
        if key == nil && rfc2822Times { key = MinuteMemo.rfc2822Key(p) }
        if key == nil && compactTimes { key = MinuteMemo.compactKey(p, ctx) }
        if let layout = patternLayout { key = layout.key(p, ctx) }
        if let key {
            if let minute = minutes.utcMinute(key) { return minute + key.tail }
            return memoMiss(p, key, &s, ctx)
        }
        return parsedTime(p, &s, ctx)
    }

    /// ``time(_:_:_:)`` of a time whose minute is not remembered: parsed once by its form's parser (what the
    /// format's own parse reads it as: ISO times are the first an automatic format tries, and an RFC 2822 key is no
    /// ISO time), its minute remembered, and converted; a time its form's parser rejects goes to the format's.
    @inline(never)
    private mutating func memoMiss<S: MappedRowSink>(
        _ p: UnsafeRawBufferPointer,
        _ key: MinuteMemo.Key,
        _ s: inout S,
        _ ctx: Int
    ) -> Int64?? {
        let full = key.form == .pattern ? TimeFormat.pattern(patternBytes, p) : key.parse(p)
        guard let parsed = full else { return parsedTime(p, &s, ctx) }
        minutes.learn(key, parsed, ctx: ctx, utc: spec.format.timesAreUTC || s.timesAreUTC, s)
        return converted(parsed, &s, ctx)
    }

    /// The format's own parse of a time field, converted to UTC.
    private mutating func parsedTime<S: MappedRowSink>(
        _ p: UnsafeRawBufferPointer,
        _ s: inout S,
        _ ctx: Int
    ) -> Int64?? {
        let full = patternBytes.isEmpty ? spec.format.timeFormat.parse(p) : TimeFormat.pattern(patternBytes, p)
        guard let parsed = full else { return nil }
        return converted(parsed, &s, ctx)
    }

    /// A parsed time field converted to UTC (``time(_:_:_:)``'s answers).
    private mutating func converted<S: MappedRowSink>(
        _ parsed: (ms: Int64, offset: Int?),
        _ s: inout S,
        _ ctx: Int
    ) -> Int64?? {
        let (ms, offset) = parsed
        if ms == Int64.min { return .some(nil) }
        if let offset { return ms - Int64(offset) * 1000 }
        if spec.format.timesAreUTC || s.timesAreUTC { return ms }
        return s.localToUTC(ms, ctx, latestInFile: latestStart).map { .some($0) } ?? .some(Int64.min)
    }

    private mutating func row<S: MappedRowSink>(_ rec: inout CSVRecord, _ s: inout S, _ file: String) -> Bool {
        if !callTypes.isEmpty {
            let t = field(rec, .recordType)
            if !callTypes.contains(where: { Self.equalsLower(t, $0) }) {
                let text = String(decoding: t, as: UTF8.self)
                reject(
                    &s,
                    file,
                    rec,
                    RejectReason.notACall,
                    "record type '\(text)' is not a call record of \(spec.format.name)"
                )
                return false
            }
        }
        // The leg keys and the numbers first: their leg-index and string-table slots start loading now and arrive
        // while the rest of the row is parsed (the lookups further down would otherwise wait on those cache misses).
        var own: UInt64 = 0
        var peer: UInt64 = 0
        var parent: UInt64 = 0
        // A further leg of the previous row's call: merged into it, so its calling number is never read.
        var continuing = false
        var origin = LegOrigin.ifEarliest
        let hasLegs = !legKeyIndex.isEmpty || legPeerIndex >= 0 || legParentIndex >= 0
        if hasLegs {
            var h = legSeed
            var any = false
            if singleLegKey >= 0 {
                if singleLegKey < rec.fieldCount {
                    let v = trim(rec[singleLegKey])
                    any = v.length > 0
                    h = LegIndex.key(h, v)
                }
            } else {
                for i in legKeyIndex where i < rec.fieldCount {
                    let v = trim(rec[i])
                    any = any || v.length > 0
                    h = LegIndex.key(h, v)
                }
            }
            if any { own = h }
            if legPeerIndex >= 0 && legPeerIndex < rec.fieldCount {
                let v = trim(rec[legPeerIndex])
                if v.length > 0 { peer = LegIndex.key(legSeed, v) }
            }
            if legParentIndex >= 0 && legParentIndex < rec.fieldCount {
                let v = trim(rec[legParentIndex])
                if v.length > 0 { parent = LegIndex.key(legSeed, v) }
            }
            switch originRule {
            case .namesPeer: origin = peer != 0 ? .yes : .no
            case .noParent: origin = parent != 0 ? .no : .yes
            case .originatingRecord:
                origin = Self.firstLower(field(rec, .direction)) == UInt8(ascii: "o") ? .yes : .no
            // Told by the row's direction, below; an export without the column tells as CUCM's does.
            case .purpose: origin = purposeIndex >= 0 ? .yes : .ifEarliest
            case .earliest: origin = .ifEarliest
            }
            // Only a further leg's calling number goes unread: an originating one's may replace its call's.
            continuing = origin == .no && s.continuesRecentLeg(own, peer, parent)
            if !continuing { s.prefetchLeg(own, peer, parent) }
        }
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        let callerBytes = continuing ? none : Self.cleanNumber(field(rec, .caller))
        let calleeBytes = Self.cleanNumber(field(rec, .callee))
        let callerHash = continuing ? 0 : StringTable.hash(callerBytes)
        let calleeHash = StringTable.hash(calleeBytes)
        if !continuing {
            s.prefetchNumber(hash: callerHash)
            s.prefetchNumber(hash: calleeHash)
        }
        // Site.
        var siteId: UInt16
        let siteField = has(.site) ? field(rec, .site) : none
        if siteField.length > 0 {
            guard let id = s.internSite(siteField) else {
                reject(&s, file, rec, RejectReason.tooManyValues, "more than 65535 distinct sites")
                return false
            }
            siteId = id
        } else {
            if defaultSiteId == nil { defaultSiteId = s.internSite(siteName) }
            siteId = defaultSiteId!
        }
        let ctx = s.context(siteId: siteId)
        // Times.
        let startField = field(rec, .start)
        if startField.length == 0 {
            reject(&s, file, rec, RejectReason.missingTimestamp, "the start time is empty")
            return false
        }
        guard let startOpt = time(startField, &s, ctx), let start = startOpt else {
            reject(
                &s,
                file,
                rec,
                RejectReason.badTimestamp,
                "the start time is not \(describe(spec.format.timeFormat))"
            )
            return false
        }
        if start == Int64.min {
            reject(
                &s,
                file,
                rec,
                RejectReason.noTimeZone,
                siteName.isEmpty && !has(.site)
                    ? RejectReason.noSiteDetail
                    : "local time but no time zone for the row's site (use --timezone or an inventory)"
            )
            return false
        }
        var duration: Int64? = nil
        let durField = field(rec, .duration)
        if durField.length > 0 {
            guard let d = FieldParse.secondsAsMs(durField) else {
                reject(&s, file, rec, RejectReason.badNumber, "the duration is not a number")
                return false
            }
            duration = durationInSeconds ? d : d * spec.format.durationUnitMs / 1000
        }
        var talk: Int64? = spec.format.durationIsTalk ? duration : nil
        let talkField = field(rec, .talk)
        if talkField.length > 0 {
            guard let t = FieldParse.secondsAsMs(talkField) else {
                reject(&s, file, rec, RejectReason.badNumber, "the talk time is not a number")
                return false
            }
            talk = durationInSeconds ? t : t * spec.format.durationUnitMs / 1000
        }
        if (duration ?? 0) < 0 || (talk ?? 0) < 0 {
            reject(&s, file, rec, RejectReason.negativeDuration, "a duration is negative")
            return false
        }
        var end: Int64
        let endField = field(rec, .end)
        if endField.length > 0 {
            guard let e = time(endField, &s, ctx), let e, e != Int64.min else {
                reject(
                    &s,
                    file,
                    rec,
                    RejectReason.badTimestamp,
                    "the end time is not \(describe(spec.format.timeFormat))"
                )
                return false
            }
            end = e
        } else if let duration, !spec.format.durationIsTalk {
            end = start + duration
        } else {
            reject(&s, file, rec, RejectReason.missingTimestamp, "neither an end time nor a duration")
            return false
        }
        // Asterisk-like local times across a DST change: trust the integer duration over the wall clock.
        if !spec.format.timesAreUTC, !spec.format.durationIsTalk, let duration,
            abs((end - start) - duration) >= 3_000_000
        {
            end = start + duration
        }
        if end < start {
            reject(&s, file, rec, RejectReason.endBeforeStart, "the end is before the start")
            return false
        }
        if end - start > maximumCallMs {
            reject(&s, file, rec, RejectReason.tooLong, "holding time over 24 hours")
            return false
        }
        var answer: Int64? = nil
        let answerField = field(rec, .answer)
        if answerField.length > 0 {
            guard let a = time(answerField, &s, ctx) else {
                reject(
                    &s,
                    file,
                    rec,
                    RejectReason.badTimestamp,
                    "the answer time is not \(describe(spec.format.timeFormat))"
                )
                return false
            }
            if let a, a != Int64.min {
                guard a >= start - 1000 && a <= end + 1000 else {
                    reject(&s, file, rec, RejectReason.answerOutsideCall, "the answer time is outside start..end")
                    return false
                }
                answer = a < start ? start : (a > end ? end : a)
            }
        }
        if answer == nil, let talk, talk > 0 {
            guard talk <= end - start + 1000 else {
                reject(&s, file, rec, RejectReason.answerOutsideCall, "the talk time is longer than the call")
                return false
            }
            answer = end - talk > start ? end - talk : start
        }
        let flag = has(.answered) ? field(rec, .answered) : none
        if flag.length > 0 {
            let yes = flag.length >= 1 && (flag[0] | 0x20 == UInt8(ascii: "y") || flag[0] == UInt8(ascii: "1"))
            if !yes { answer = nil } else if answer == nil { answer = start }
        }
        // Disposition.
        var disposition: Disposition
        if answer != nil {
            disposition = .answered
        } else {
            let word = has(.disposition) ? field(rec, .disposition) : none
            if word.length > 0 {
                let extra = spec.format.dispositionWords
                guard let d = dispositionWords.lookup(word, { w in extra[w.lowercased()] ?? Disposition(word: w) })
                else {
                    reject(
                        &s,
                        file,
                        rec,
                        RejectReason.unknownDisposition,
                        "'\(String(decoding: word, as: UTF8.self))' is not a disposition \(spec.format.name) knows"
                    )
                    return false
                }
                disposition = d
                if d == .answered {
                    // Answered, with no answer time or talk time: the whole call was talk.
                    answer = start
                }
            } else {
                let cause = field(rec, .cause)
                if cause.length == 0 {
                    disposition = .noAnswer
                } else if cause[0] >= 0x30 && cause[0] <= 0x39 {
                    disposition = Self.disposition(cause: cause)
                } else {
                    // A cause name (FreeSWITCH): a handful of distinct words, looked up once each.
                    disposition = causeWords.lookup(cause) { Self.disposition(causeName: $0) } ?? .failed
                }
                if spec.format.normalClearingIsAnswered, FieldParse.integer(cause) == 16 {
                    disposition = .answered
                    answer = start
                }
            }
        }
        // Trunk and direction.
        var trunkName: UnsafeRawBufferPointer = Self.gatewayName(field(rec, .trunk))
        var direction: Direction
        switch spec.format.directionRule {
        case .column:
            let word = field(rec, .direction)
            let extra = spec.format.directionWords
            guard let d = directionWords.lookup(word, { w in extra[w.lowercased()] ?? Direction(word: w) }) else {
                reject(
                    &s,
                    file,
                    rec,
                    RejectReason.unknownDirection,
                    "'\(String(decoding: word, as: UTF8.self))' is not a direction \(spec.format.name) knows"
                )
                return false
            }
            direction = d
        case .trunkSides:
            if trunkBytes[ctx] == nil { trunkBytes[ctx] = s.trunkNames(ctx).map { Array($0.utf8) } }
            let trunks = trunkBytes[ctx]!
            let inDevice = field(rec, .inboundDevice)
            let outDevice = field(rec, .outboundDevice)
            if Self.isTrunk(inDevice, trunks) {
                direction = .inbound
                trunkName = inDevice
            } else if Self.isTrunk(outDevice, trunks) {
                direction = .outbound
                trunkName = outDevice
            } else {
                direction = .internal_
            }
        case .originatingTerminating:
            let word = field(rec, .direction)
            if trunkName.length == 0 {
                direction = .internal_
            } else {
                direction = Self.firstLower(word) == UInt8(ascii: "t") ? .inbound : .outbound
            }
        case .context:
            let context = field(rec, .context)
            if Self.isPublicContext(context) {
                direction = .inbound
            } else if trunkName.length > 0 || Self.digitCount(field(rec, .callee)) > 6 {
                // A gateway, or a number longer than any extension: it went out.
                direction = .outbound
            } else {
                direction = .internal_
            }
        }
        if direction == .internal_ && spec.format.directionRule != .column {
            trunkName = UnsafeRawBufferPointer(start: nil, count: 0)
        }
        if purposeIndex >= 0 && hasLegs {
            let side = purposeIndex < rec.fieldCount ? trim(rec[purposeIndex]) : none
            let outside = Self.isExternalSide(side)
            origin = (direction == .outbound ? Self.isInternalSide(side) : outside) ? .yes : .no
            // The edge is the call's trunk on the outside party's rows only (the PSTN side): an agent's or an IVR's
            // session may run on another edge, and taking whichever row came first made the trunk, and an
            // unanswered call's outcome, depend on the order of the rows.
            if !outside { trunkName = none }
        }
        if start > latestStart { latestStart = start }
        let account = field(rec, .account)
        let row = MappedRow(
            start: start,
            end: end,
            answer: answer ?? Int64.min,
            direction: direction,
            disposition: disposition,
            caller: callerBytes,
            callee: calleeBytes,
            trunk: trunkName,
            account: account,
            callerHash: callerHash,
            calleeHash: calleeHash,
            trunkHash: trunkName.length == 0 ? 0 : StringTable.hash(trunkName),
            accountHash: StringTable.hash(account),
            own: own,
            peer: peer,
            parent: parent,
            origin: origin,
            site: siteId,
            ctx: ctx
        )
        return s.take(row, file: file, record: rec)
    }

    private func describe(_ f: TimeFormat) -> String {
        switch f {
        case .iso: return "an ISO 8601 time (2026-03-01 09:15:02)"
        case .epochSeconds: return "epoch seconds"
        case .epochMillis: return "epoch milliseconds"
        case .compact: return "a time like 20260301091502.123"
        case .rfc2822: return "an RFC 2822 time (Tue, 04 Mar 2025 14:15:02 +0000)"
        case .pattern(let p): return "a time like \(p)"
        case .auto: return "a time cdrscan recognises"
        }
    }

    /// The gateway of a FreeSWITCH channel name (`sofia/gateway/telekom/0049…` → `telekom`), else the text.
    static func gatewayName(_ p: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard p.count > 9, let base = p.baseAddress, memchr(base, 0x2F, p.count) != nil else { return p }
        let marker = Array("/gateway/".utf8)
        guard let r = p.firstRange(of: marker) else { return p }
        var rest = UnsafeRawBufferPointer(rebasing: p[r.upperBound...])
        if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
            rest = UnsafeRawBufferPointer(rebasing: rest[..<slash])
        }
        return rest
    }

    static func digitCount(_ p: UnsafeRawBufferPointer) -> Int {
        p.reduce(0) { $0 + ($1 >= 48 && $1 <= 57 ? 1 : 0) }
    }

    /// Phones and soft clients of Cisco UCM (device name prefixes); other devices are gateways or trunks.
    static let phonePrefixes: [[UInt8]] = ["SEP", "CSF", "BOT", "TCT", "TAB", "ATA", "CIPC", "UDP"].map {
        Array($0.utf8)
    }

    /// Whether a device is a trunk: listed in the inventory (when it lists trunks for the site), else not empty
    /// and not a phone.
    @inline(__always)
    static func isTrunk(_ p: UnsafeRawBufferPointer, _ trunks: [[UInt8]]) -> Bool {
        guard p.count > 0 else { return false }
        if !trunks.isEmpty {
            return trunks.contains { t in t.count == p.count && t.withUnsafeBytes { $0.elementsEqual(p) } }
        }
        return !phonePrefixes.contains { prefix in
            prefix.count <= p.count && prefix.indices.allSatisfy { p[$0] & 0xDF == prefix[$0] }
        }
    }

    /// The number part of `tel:+1…`, `sip:+1…@host`, `client:alice`: after a colon among the first eight bytes,
    /// up to an `@` or a `;`. Eight bytes at a time, with the scanner's searches (``firstByte(_:_:_:_:)``,
    /// ``firstOfThree(_:_:_:_:_:_:)``): numbers are a dozen bytes, a byte loop cost 270 instructions a FreeSWITCH
    /// call, and a `memchr` call costs more than the search.
    @inline(__always)
    static func cleanNumber(_ p: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let base = p.baseAddress, p.count > 0 else { return p }
        let n = p.count
        let head = min(n, 8)
        let colon = firstByte(base, 0, head, 0x3A3A_3A3A_3A3A_3A3A)
        let start = colon < head ? colon + 1 : 0
        // The `@` or `;` that ends the number (`;` given twice to the three-byte search).
        let end = firstOfThree(base, start, n, 0x4040_4040_4040_4040, 0x3B3B_3B3B_3B3B_3B3B, 0x3B3B_3B3B_3B3B_3B3B)
        return UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    /// A disposition from a Q.850 cause: a number (CUCM encodes SIP answers above 0x1000000 with the Q.850
    /// equivalent in the low bits) or a FreeSWITCH cause name.
    static func disposition(cause p: UnsafeRawBufferPointer) -> Disposition {
        if let v = FieldParse.integer(p) {
            var c = Int(v)
            if c >= 0x100_0000 { c &= 0x7F }
            switch c {
            case 16, 31, 0: return .cancel
            case 17: return .busy
            case 18, 19, 20: return .noAnswer
            case 34, 38, 41, 42, 44, 47: return .congestion
            default: return .failed
            }
        }
        return disposition(causeName: String(decoding: p, as: UTF8.self))
    }

    /// A disposition from a FreeSWITCH cause name (any case).
    static func disposition(causeName: String) -> Disposition {
        switch causeName.uppercased() {
        case "NORMAL_CLEARING", "ORIGINATOR_CANCEL", "LOSE_RACE", "PICKED_OFF": return .cancel
        case "USER_BUSY": return .busy
        case "NO_ANSWER", "NO_USER_RESPONSE", "ALLOTTED_TIMEOUT", "SUBSCRIBER_ABSENT": return .noAnswer
        case "NORMAL_CIRCUIT_CONGESTION", "SWITCH_CONGESTION", "NETWORK_OUT_OF_ORDER", "RECOVERY_ON_TIMER_EXPIRE",
            "NORMAL_TEMPORARY_FAILURE", "DESTINATION_OUT_OF_ORDER":
            return .congestion
        default: return .failed
        }
    }
}

extension UnsafeRawBufferPointer {
    /// `count`, always inlined: in a function as large as ``MappedReader/row(_:_:_:)`` the compiler called the
    /// standard library's getter instead (fourteen places, nine calls a FreeSWITCH row).
    @inline(__always) var length: Int { count }
}

/// Spaces and tabs around a field trimmed.
@inline(__always)
func trim(_ p: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    // Most fields start and end with a printable byte: two loads and compares, no loops.
    guard let base = p.baseAddress, p.count > 0 else { return p }
    if base.load(as: UInt8.self) > 0x20 && base.load(fromByteOffset: p.count &- 1, as: UInt8.self) > 0x20 { return p }
    var a = 0
    var b = p.count
    while a < b, p[a] == 0x20 || p[a] == 0x09 { a += 1 }
    while b > a, p[b - 1] == 0x20 || p[b - 1] == 0x09 || p[b - 1] == 0x0D { b -= 1 }
    if a == 0 && b == p.count { return p }
    return UnsafeRawBufferPointer(rebasing: p[a..<b])
}

/// Recent minutes of wall-clock times whose 60 seconds all have one UTC offset: 64 of them, each at a place its
/// key chooses, with the minute's UTC start. A key is two words of the time's text that fix its minute and a context
/// (the site's for a local time, ``utcContext`` for a UTC one, the rest of the text for an RFC 2822 time); a later
/// time with that key is read from its seconds (and milliseconds) alone, as the full parse and the zone would read
/// it. A minute of a DST change is never remembered, so a time the change makes ambiguous or skips is always parsed
/// and counted. One remembered minute for each kind of time (start, end, answer) missed half the end times: a call's
/// end is a minute of its own, which calls that started later end in too. Used by one thread at a time (its
/// reader's).
final class MinuteMemo {
    /// A time's key and what follows its minute.
    struct Key {
        let k0: UInt64
        let k1: UInt64
        let tag: Int
        /// Milliseconds after the minute (second 60 read as 59, as the parses read it).
        let tail: Int64
        let form: Form

        /// The forms a key is made of, each with the parser that reads it in full (a pattern's needs the pattern:
        /// its reader parses it).
        enum Form { case iso, compact, rfc2822, pattern }

        /// The time parsed in full by its form's parser (nil for a pattern's).
        func parse(_ p: UnsafeRawBufferPointer) -> (ms: Int64, offset: Int?)? {
            switch form {
            case .iso: return FieldParse.isoDateTime(p)
            case .compact: return TimeFormat.compact(p)
            case .rfc2822: return TimeFormat.rfc2822(p)
            case .pattern: return nil
            }
        }
    }

    /// A custom mapping's time pattern of fixed width (``TimeFormat/pattern``: `%Y`, `%y`, `%m`, `%d`, `%H`, `%M`,
    /// `%S` and literal bytes, such as `%d.%m.%Y %H:%M:%S`), whose bytes other than the seconds' digits and the
    /// literals all lie in its first 16: a time of that width is keyed by its first 16 bytes (the literals after
    /// them checked) and read from its seconds. A pattern with `%I`, `%p` or `%f` has no such layout, nor one whose
    /// numbers run past byte 16.
    struct PatternLayout {
        let width: Int
        /// Where the two digits of seconds are (−1: the pattern has no `%S`, every time is at second 0).
        let seconds: Int
        /// The literal bytes from byte 16 on (offset, byte; offset 0 for none), checked in each time: a tuple, so
        /// that copying the layout out of the reader retains nothing.
        let literals: ((Int, UInt8), (Int, UInt8), (Int, UInt8), (Int, UInt8))

        init?(_ pattern: [UInt8]) {
            var at = 0
            var seconds = -1
            var literals: [(Int, UInt8)] = []
            var i = 0
            while i < pattern.count {
                let c = pattern[i]
                guard c == UInt8(ascii: "%") else {
                    if at >= 16 { literals.append((at, c)) }
                    at += 1
                    i += 1
                    continue
                }
                guard i + 1 < pattern.count else { return nil }
                switch pattern[i + 1] {
                case UInt8(ascii: "Y"):
                    guard at + 4 <= 16 else { return nil }
                    at += 4
                case UInt8(ascii: "y"), UInt8(ascii: "m"), UInt8(ascii: "d"), UInt8(ascii: "H"), UInt8(ascii: "M"):
                    guard at + 2 <= 16 else { return nil }
                    at += 2
                case UInt8(ascii: "S"):
                    guard seconds < 0 else { return nil }
                    seconds = at
                    at += 2
                case UInt8(ascii: "%"):
                    if at >= 16 { literals.append((at, c)) }
                    at += 1
                default: return nil
                }
                i += 2
            }
            guard at >= 16, literals.count <= 4 else { return nil }
            width = at
            self.seconds = seconds
            // Offset 0 marks an unused place (a literal checked here is at byte 16 or later).
            let l = literals + Array(repeating: (0, 0), count: 4 - literals.count)
            self.literals = (l[0], l[1], l[2], l[3])
        }

        @inline(__always)
        private static func holds(_ p: UnsafeRawBufferPointer, _ literal: (Int, UInt8)) -> Bool {
            literal.0 == 0 || p.load(fromByteOffset: literal.0, as: UInt8.self) == literal.1
        }

        /// A time's key, if it has the layout's width and literals and valid seconds (context `ctx`, the site's).
        @inline(__always)
        func key(_ p: UnsafeRawBufferPointer, _ ctx: Int) -> Key? {
            guard p.count == width else { return nil }
            guard Self.holds(p, literals.0), Self.holds(p, literals.1), Self.holds(p, literals.2),
                Self.holds(p, literals.3)
            else { return nil }
            var tail: Int64 = 0
            if seconds >= 0 {
                guard let s = MinuteMemo.seconds(p, at: seconds) else { return nil }
                tail = s
            }
            // The seconds' digits inside the first 16 bytes are no part of the key.
            var k1 = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            var k0 = p.loadUnaligned(as: UInt64.self)
            if seconds >= 0 && seconds < 16 {
                let mask = ~(UInt64(0xFFFF) << UInt64((seconds % 8) * 8))
                if seconds < 8 { k0 &= mask } else { k1 &= mask }
                if seconds == 7 { k1 &= ~UInt64(0xFF) }
            }
            return Key(k0: k0, k1: k1, tag: ctx, tail: tail, form: .pattern)
        }
    }

    private struct Entry {
        var k0: UInt64 = 0
        var k1: UInt64 = 0
        var tag = -1
        var utcMinute: Int64 = 0
    }

    private static let count = 64
    private let entries: UnsafeMutablePointer<Entry>

    /// The context UTC times with `Z` are remembered under (never a site's).
    static let utcContext = -2

    init() {
        entries = .allocate(capacity: Self.count)
        entries.initialize(repeating: Entry(), count: Self.count)
    }

    deinit { entries.deallocate() }

    /// The milliseconds of the two digits of seconds at `i` (second 60 read as 59); nil when they are not.
    @inline(__always)
    static func seconds(_ p: UnsafeRawBufferPointer, at i: Int) -> Int64? {
        let tens = p.load(fromByteOffset: i, as: UInt8.self) &- 48
        let ones = p.load(fromByteOffset: i + 1, as: UInt8.self) &- 48
        guard tens <= 6, ones <= 9 else { return nil }
        let second = Int64(tens) * 10 + Int64(ones)
        return second <= 60 ? min(second, 59) * 1000 : nil
    }

    /// The three digits of milliseconds at `i`; nil when they are not.
    @inline(__always)
    private static func milliseconds(_ p: UnsafeRawBufferPointer, at i: Int) -> Int64? {
        let a = p.load(fromByteOffset: i, as: UInt8.self) &- 48
        let b = p.load(fromByteOffset: i + 1, as: UInt8.self) &- 48
        let c = p.load(fromByteOffset: i + 2, as: UInt8.self) &- 48
        guard a <= 9, b <= 9, c <= 9 else { return nil }
        return Int64(a) * 100 + Int64(b) * 10 + Int64(c)
    }

    /// An ISO wall clock's key (its first 16 bytes, `YYYY-MM-DD HH:MM`): local, of 19 bytes (context `ctx`), or UTC
    /// with `Z`, of 20 bytes or 24 with milliseconds (Genesys Cloud's; context ``utcContext``).
    @inline(__always)
    static func isoKey(_ p: UnsafeRawBufferPointer, _ ctx: Int) -> Key? {
        let n = p.count
        guard n >= 19, p.load(fromByteOffset: 16, as: UInt8.self) == UInt8(ascii: ":"),
            let second = seconds(p, at: 17)
        else { return nil }
        let k0 = p.loadUnaligned(as: UInt64.self)
        let k1 = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        if n == 19 { return Key(k0: k0, k1: k1, tag: ctx, tail: second, form: .iso) }
        guard p.load(fromByteOffset: n - 1, as: UInt8.self) == UInt8(ascii: "Z") else { return nil }
        if n == 20 { return Key(k0: k0, k1: k1, tag: utcContext, tail: second, form: .iso) }
        guard n == 24, p.load(fromByteOffset: 19, as: UInt8.self) == UInt8(ascii: "."),
            let ms = milliseconds(p, at: 20)
        else { return nil }
        return Key(k0: k0, k1: k1, tag: utcContext, tail: second + ms, form: .iso)
    }

    /// A compact wall clock's key (`yyyymmddhhmmss`, 14 bytes, or `yyyymmddhhmmss.fff`, 18: BroadWorks's): its
    /// first 12 bytes (the upper half of the second word zero, so never an ISO key) and context `ctx`.
    @inline(__always)
    static func compactKey(_ p: UnsafeRawBufferPointer, _ ctx: Int) -> Key? {
        let n = p.count
        guard n == 14 || n == 18, let second = seconds(p, at: 12) else { return nil }
        var tail = second
        if n == 18 {
            guard p.load(fromByteOffset: 14, as: UInt8.self) == UInt8(ascii: "."), let ms = milliseconds(p, at: 15)
            else { return nil }
            tail += ms
        }
        let k1 = UInt64(p.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        return Key(k0: p.loadUnaligned(as: UInt64.self), k1: k1, tag: ctx, tail: tail, form: .compact)
    }

    /// An RFC 2822 time's key, for 31 bytes with a numeric offset (`Wed, 30 Sep 2026 22:01:49 +0000`, Twilio's):
    /// its bytes 5–20 (`30 Sep 2026 22:0`) and, as a context of its own, the minute's last digit and the offset's
    /// five bytes (the top bit set: never a site's context nor ``utcContext``). The weekday is not part of the key:
    /// the parse skips it unread.
    @inline(__always)
    static func rfc2822Key(_ p: UnsafeRawBufferPointer) -> Key? {
        guard p.count == 31, p.load(fromByteOffset: 3, as: UInt8.self) == UInt8(ascii: ","),
            p.load(fromByteOffset: 4, as: UInt8.self) == 0x20, p.load(fromByteOffset: 22, as: UInt8.self) == 0x3A,
            p.load(fromByteOffset: 25, as: UInt8.self) == 0x20, let second = seconds(p, at: 23)
        else { return nil }
        let offset =
            UInt64(p.loadUnaligned(fromByteOffset: 26, as: UInt32.self))
            | UInt64(p.load(fromByteOffset: 30, as: UInt8.self)) << 32
        let rest = 1 << 63 | UInt64(p.load(fromByteOffset: 21, as: UInt8.self)) << 40 | offset
        return Key(
            k0: p.loadUnaligned(fromByteOffset: 5, as: UInt64.self),
            k1: p.loadUnaligned(fromByteOffset: 13, as: UInt64.self),
            tag: Int(bitPattern: UInt(rest)),
            tail: second,
            form: .rfc2822
        )
    }

    /// The entry a key (its two words and its context: an RFC 2822 minute's last digit is in its context) belongs
    /// at.
    @inline(__always)
    private static func place(_ key: Key) -> Int {
        let mixed = key.k0 ^ key.k1 ^ UInt64(bitPattern: Int64(key.tag))
        return Int(truncatingIfNeeded: (mixed &* 0x9E37_79B9_7F4A_7C15) >> 58)
    }

    /// The UTC start of the key's minute, if it is remembered.
    @inline(__always)
    func utcMinute(_ key: Key) -> Int64? {
        let e = entries[Self.place(key)]
        return e.k1 == key.k1 && e.k0 == key.k0 && e.tag == key.tag ? e.utcMinute : nil
    }

    /// Remembers the minute of `key`, whose time its form's parser read as `parsed`: with an offset, the minute's
    /// UTC start; a local time of site context `ctx` (the key's context) in UTC already when `utc`, or converted
    /// when all its seconds have one UTC offset in the zone of `sink`. Nothing is counted.
    func learn<S: MappedRowSink>(_ key: Key, _ parsed: (ms: Int64, offset: Int?), ctx: Int, utc: Bool, _ sink: S) {
        let minute = parsed.ms - parsed.ms % 60_000
        let start: Int64
        if let offset = parsed.offset {
            start = minute - Int64(offset) * 1000
        } else if key.tag != ctx {
            return  // a local time under a key that is not the site's: not remembered
        } else if utc {
            start = minute
        } else if let first = sink.exactUTC(minute, ctx), let last = sink.exactUTC(minute + 59_000, ctx),
            last - first == 59_000
        {
            start = first
        } else {
            return  // a minute of a DST change (or no zone): parsed each time
        }
        entries[Self.place(key)] = Entry(k0: key.k0, k1: key.k1, tag: key.tag, utcMinute: start)
    }
}

/// A record's fields (``CSVRecord/subscript(_:)``) without the rest of the record.
struct Fields {
    let base: UnsafeMutableRawPointer
    let bounds: UnsafeMutablePointer<Int>
    let fieldCount: Int

    @inline(__always)
    init(_ rec: borrowing CSVRecord) {
        base = rec.base
        bounds = rec.bounds
        fieldCount = rec.fieldCount
    }

    /// The bytes of field `i` (`i` below ``fieldCount``).
    @inline(__always)
    subscript(i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + bounds[2 &* i], count: bounds[2 &* i &+ 1] &- bounds[2 &* i])
    }
}
