import CDRModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads cdrscan's canonical CSV: a header, then one call per row, times in UTC.
///
/// Columns (any order, case-insensitive; unknown extra columns are ignored):
/// `start_utc, answer_utc, end_utc, duration_s, billsec_s, direction, caller, callee, trunk, account, site,
/// disposition`. Required: `start_utc`, `end_utc` or `duration_s`, `direction`, `caller`, `callee`,
/// `disposition`. Times are ISO 8601 with `Z` (or an explicit offset); `answer_utc` is empty when unanswered.
/// A missing `end_utc` is `start + duration_s`; a missing `answer_utc` with `billsec_s > 0` is `end − billsec`.
public struct CanonicalReader: FormatReader {
    public static let formatName = "canonical"
    public static let columns = [
        "start_utc", "answer_utc", "end_utc", "duration_s", "billsec_s", "direction", "caller", "callee", "trunk",
        "account", "site", "disposition",
    ]
    public var csvOptions = CSVOptions()
    private var index: [Int] = []  // per canonical column, the field index or -1
    private var fieldCount = 0
    private var sawHeader = false
    private var header = HeaderEcho()
    private var directions = WordCache<Direction>()
    private var dispositions = WordCache<Disposition>()

    public init() {}

    private enum C {
        static let start = 0, answer = 1, end = 2, duration = 3, billsec = 4, direction = 5, caller = 6, callee = 7
        static let trunk = 8, account = 9, site = 10, disposition = 11
    }

    /// Whether a first record looks like the canonical header.
    static func looksLikeHeader(_ fields: [String]) -> Bool {
        let names = Set(fields.map { $0.trimmingCharacters().lowercased() })
        return names.contains("start_utc") && (names.contains("callee") || names.contains("caller"))
    }

    /// What one record is: the header, a checked row, or a reject.
    enum Parsed {
        case header
        case row(Row)
        case reject(reason: String, detail: String)
    }

    /// A checked canonical row; its text fields point into the scanner's buffer (valid during the callback).
    struct Row {
        var start: Int64
        var end: Int64
        /// −1 when unanswered.
        var answer: Int64
        var direction: Direction
        var disposition: Disposition
        var caller: UnsafeRawBufferPointer
        var callee: UnsafeRawBufferPointer
        var trunk: UnsafeRawBufferPointer
        var account: UnsafeRawBufferPointer
        /// Empty when the file has no site column or the row leaves it blank.
        var site: UnsafeRawBufferPointer
    }

    public mutating func read(_ rec: inout CSVRecord, state session: inout IngestState, file: String) throws -> Bool {
        switch try parse(&rec, file: file) {
        case .header: return false
        case .reject(let reason, let detail):
            session.reject(file, rec, reason, detail)
            return false
        case .row(let row):
            if let (reason, detail) = Self.emit(row, &session) {
                session.reject(file, rec, reason, detail)
                return false
            }
            return true
        }
    }

    /// The ``StringTable/hash(_:)`` of a row's strings, computed ahead on the reading thread.
    struct Hashes {
        var caller: UInt64
        var callee: UInt64
        var trunk: UInt64
        var account: UInt64
        var site: UInt64

        init(_ row: Row) {
            caller = StringTable.hash(row.caller)
            callee = StringTable.hash(row.callee)
            trunk = StringTable.hash(row.trunk)
            account = StringTable.hash(row.account)
            site = StringTable.hash(row.site)
        }
    }

    /// Interns a checked row's strings and appends the call; returns a reject reason when a dictionary is full.
    @inline(__always)
    static func emit(_ row: Row, _ session: inout IngestState, hashes: Hashes? = nil) -> (String, String)? {
        let siteId: UInt16
        if row.site.count > 0 {
            guard let s = hashes.map({ session.internSite(row.site, hash: $0.site) }) ?? session.internSite(row.site)
            else {
                return (RejectReason.tooManyValues, "more than 65535 distinct sites")
            }
            siteId = s
        } else {
            siteId = session.internSite(session.defaultSiteName)
        }
        guard
            let trunk = hashes.map({ session.internTrunk(row.trunk, hash: $0.trunk) }) ?? session.internTrunk(row.trunk)
        else {
            return (RejectReason.tooManyValues, "more than 65535 distinct trunks")
        }
        let ctx = session.context(siteId: siteId)
        session.append(
            startMs: row.start,
            durationMs: row.end - row.start,
            ringMs: row.answer < 0 ? -1 : row.answer - row.start,
            callerRaw: hashes.map { session.internNumber(row.caller, hash: $0.caller) }
                ?? session.internNumber(row.caller),
            calleeRaw: hashes.map { session.internNumber(row.callee, hash: $0.callee) }
                ?? session.internNumber(row.callee),
            account: hashes.map { session.internAccount(row.account, hash: $0.account) }
                ?? session.internAccount(row.account),
            trunk: trunk,
            site: siteId,
            ctx: ctx,
            direction: row.direction,
            disposition: row.disposition
        )
        return nil
    }

    /// Parses and checks one record (no dictionary is touched, so this can run on another thread).
    mutating func parse(_ rec: inout CSVRecord, file: String) throws -> Parsed {
        if !sawHeader {
            sawHeader = true
            var names: [String: Int] = [:]
            for i in 0..<rec.count { names[rec.string(i).trimmingCharacters().lowercased()] = i }
            index = Self.columns.map { names[$0] ?? -1 }
            fieldCount = rec.count
            header = HeaderEcho(rec)
            var missing: [String] = []
            for required in ["start_utc", "direction", "caller", "callee", "disposition"] where names[required] == nil {
                missing.append(required)
            }
            if names["end_utc"] == nil && names["duration_s"] == nil { missing.append("end_utc or duration_s") }
            if !missing.isEmpty {
                throw IngestError(
                    .missingColumns,
                    file: file,
                    "canonical header is missing required column(s): \(missing.joined(separator: ", "))"
                )
            }
            return .header
        }
        if let defect = rec.defect { return .reject(reason: RejectReason.malformedCSV, detail: defect) }
        if rec.count != fieldCount {
            return .reject(
                reason: RejectReason.columnCount,
                detail: "expected \(fieldCount) columns as in the header, found \(rec.count)"
            )
        }
        @inline(__always) func field(_ c: Int) -> UnsafeRawBufferPointer {
            let i = index[c]
            return i < 0 ? UnsafeRawBufferPointer(start: nil, count: 0) : rec[i]
        }
        // Times.
        let startField = field(C.start)
        if FieldParse.isBlank(startField) {
            return .reject(reason: RejectReason.missingTimestamp, detail: "start_utc is empty")
        }
        guard let start = utc(startField) else {
            if header.matches(rec) {
                return .reject(reason: RejectReason.repeatedHeader, detail: HeaderEcho.detail)
            }
            return .reject(
                reason: RejectReason.badTimestamp,
                detail: "start_utc is not an ISO 8601 UTC time (e.g. 2026-03-01T09:15:02Z)"
            )
        }
        var end: Int64
        let endField = field(C.end)
        if !FieldParse.isBlank(endField) {
            guard let e = utc(endField) else {
                return .reject(reason: RejectReason.badTimestamp, detail: "end_utc is not an ISO 8601 UTC time")
            }
            end = e
        } else {
            let d = field(C.duration)
            guard let dur = FieldParse.secondsAsMs(d) else {
                return .reject(
                    reason: RejectReason.badNumber,
                    detail: "end_utc is empty and duration_s is not a number"
                )
            }
            end = start + dur
        }
        let durField = field(C.duration)
        if !FieldParse.isBlank(durField) {
            guard let dur = FieldParse.secondsAsMs(durField) else {
                return .reject(reason: RejectReason.badNumber, detail: "duration_s is not a number")
            }
            if dur < 0 { return .reject(reason: RejectReason.negativeDuration, detail: "duration_s is negative") }
        }
        if end < start { return .reject(reason: RejectReason.endBeforeStart, detail: "end_utc is before start_utc") }
        if end - start > maximumCallMs {
            return .reject(reason: RejectReason.tooLong, detail: "holding time over 24 hours")
        }
        var answer: Int64 = -1
        let answerField = field(C.answer)
        if !FieldParse.isBlank(answerField) {
            guard let a = utc(answerField) else {
                return .reject(reason: RejectReason.badTimestamp, detail: "answer_utc is not an ISO 8601 UTC time")
            }
            guard a >= start && a <= end else {
                return .reject(
                    reason: RejectReason.answerOutsideCall,
                    detail: "answer_utc is outside start_utc..end_utc"
                )
            }
            answer = a
        }
        let billField = field(C.billsec)
        if !FieldParse.isBlank(billField) {
            guard let b = FieldParse.secondsAsMs(billField) else {
                return .reject(reason: RejectReason.badNumber, detail: "billsec_s is not a number")
            }
            if b < 0 { return .reject(reason: RejectReason.negativeDuration, detail: "billsec_s is negative") }
            if answer < 0 && b > 0 { answer = max(start, end - b) }
        }
        // Words.
        guard let direction = directions.lookup(field(C.direction), Direction.init(word:)) else {
            return .reject(
                reason: RejectReason.unknownDirection,
                detail: "direction must be inbound, outbound or internal"
            )
        }
        var disposition: Disposition
        let dispField = field(C.disposition)
        if FieldParse.isBlank(dispField) {
            disposition = answer >= 0 ? .answered : .noAnswer
        } else {
            guard let d = dispositions.lookup(dispField, Disposition.init(word:)) else {
                return .reject(
                    reason: RejectReason.unknownDisposition,
                    detail: "disposition is not one of answered, no_answer, busy, failed, congestion, cancel"
                )
            }
            disposition = d
        }
        if disposition != .answered { answer = -1 }
        let siteField = field(C.site)
        return .row(
            Row(
                start: start,
                end: end,
                answer: answer,
                direction: direction,
                disposition: disposition,
                caller: field(C.caller),
                callee: field(C.callee),
                trunk: field(C.trunk),
                account: field(C.account),
                site: FieldParse.isBlank(siteField) ? UnsafeRawBufferPointer(start: nil, count: 0) : siteField
            )
        )
    }

    @inline(__always)
    private func utc(_ p: UnsafeRawBufferPointer) -> Int64? {
        guard let (ms, offset) = FieldParse.isoDateTime(p), let offset else { return nil }
        return ms - Int64(offset) * 1000
    }
}

/// Remembers how a handful of distinct words parsed, so a column of repeated words (directions, dispositions)
/// costs a byte comparison per row instead of a string parse.
struct WordCache<T> {
    private var keys: [[UInt8]] = []
    private var values: [T?] = []

    @inline(__always)
    mutating func lookup(_ p: UnsafeRawBufferPointer, _ make: (String) -> T?) -> T? {
        for i in 0..<keys.count where keys[i].count == p.count {
            if keys[i].withUnsafeBytes({ k in p.count == 0 || memcmp(k.baseAddress!, p.baseAddress!, p.count) == 0 }) {
                return values[i]
            }
        }
        let v = make(String(decoding: p, as: UTF8.self))
        if keys.count < 64 {
            keys.append(Array(p))
            values.append(v)
        }
        return v
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{FEFF}" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
