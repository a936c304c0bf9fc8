import CDRModel

/// Reads Asterisk `cdr_csv` files (`Master.csv`): no header, 16 to 21 columns.
///
/// Columns: `accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end,
/// duration, billsec, disposition, amaflags`, then `uniqueid`, `userfield` (when logged) and `peeraccount,
/// linkedid, sequence` (with `newcdrcolumns`). Times are `YYYY-MM-DD HH:MM:SS` on the PBX's wall clock unless the
/// site is declared UTC (`usegmtime=yes`). A start in a DST fold is read as its first occurrence unless the file
/// has already moved more than 30 minutes past it (see ``IngestSession``). The seizure instant comes from `start`; the release is
/// `start + duration` and the answer `end − billsec`, from Asterisk's own integer fields, so calls across a DST
/// change keep their true length.
///
/// Trunk and direction: the endpoint of `channel` (`PJSIP/<endpoint>-0000001a`, `SIP/<peer>-…`, `IAX2/<peer>-…`,
/// `DAHDI/…`) is the inbound trunk when it is a trunk; otherwise the endpoint of `dstchannel` is the outbound
/// trunk; otherwise the call is internal. An endpoint is a trunk when the inventory lists it for the site, or when
/// it is not all digits (extensions are numeric); trunks missing from the inventory are reported by the capacity
/// review. `Local/…` channels are never trunks; `DAHDI/…` channels are the trunk `DAHDI`.
///
/// One call, one record: with `newcdrcolumns` (21 columns) every row of a call (transfers, forwards, queue
/// attempts) carries the call's `linkedid`; rows with a `linkedid` already seen merge into that call (it spans
/// all its rows, is answered if any row was, and takes the trunk of a row that went out through one).
public struct AsteriskReader: FormatReader, MappedRecordReader {
    public static let formatName = "asterisk"
    static let legSeed = LegIndex.seed(formatName)
    public var csvOptions = CSVOptions(lenient: true)
    private var dispositions = WordCache<Disposition>()
    /// Channel names seen so far (ids) and the trunk each one names (nil: not a trunk), so a repeated channel
    /// costs one table lookup and no allocation.
    private var channels = StringTable()
    /// Per channel id: the index in `trunkNames` of the trunk the channel names, −1 when it names none.
    private var channelTrunks: [Int32] = [-1]
    /// The trunk names the channels name (the run's store interns them: the rows can be read on another thread
    /// than the one that interns, ``PipelinedIngest``).
    private let trunkNames = TrunkNames()
    /// The declared site's id in the run's store, once interned.
    private var siteIdCache: UInt16?
    /// The latest start instant read from this file so far (for DST folds).
    private var latestStart = Int64.min
    /// Recent minutes of the start times (``MinuteMemo``).
    private let minutes = MinuteMemo()
    let siteName: String

    public init(siteName: String) { self.siteName = siteName }

    public mutating func read(_ rec: inout CSVRecord, state session: inout IngestState, file: String) throws -> Bool {
        try read(&rec, sink: &session, file: file)
    }

    /// Reads one record into `session`: a row is checked here and handed to the sink as a ``MappedRow``.
    mutating func read<S: MappedRowSink>(_ rec: inout CSVRecord, sink session: inout S, file: String) throws -> Bool {
        if let defect = rec.defect {
            session.reject(file, rec, RejectReason.malformedCSV, defect)
            return false
        }
        guard (16...21).contains(rec.count) else {
            session.reject(
                file,
                rec,
                RejectReason.columnCount,
                "Asterisk cdr_csv rows have 16 to 21 columns, found \(rec.count)"
            )
            return false
        }
        // The numbers' string-table slots start loading now and arrive while the rest of the row is parsed.
        let callerHash = StringTable.hash(rec[1])
        let calleeHash = StringTable.hash(rec[2])
        session.prefetchNumber(hash: callerHash)
        session.prefetchNumber(hash: calleeHash)
        if siteIdCache == nil { siteIdCache = session.internSite(siteName) }
        let siteId = siteIdCache!
        let ctx = session.context(siteId: siteId)
        let start: Int64
        let startKey = MinuteMemo.isoKey(rec[9], ctx)
        if let startKey, let minute = minutes.utcMinute(startKey) {
            // A start in a minute read recently (``MinuteMemo``): its UTC time without the parse and the zone.
            start = minute + startKey.tail
        } else if let s = utcStart(rec, startKey, &session, file: file, ctx: ctx) {
            start = s
        } else {
            return false
        }
        if !FieldParse.isBlank(rec[11]) && FieldParse.isoDateTime(rec[11]) == nil {
            session.reject(file, rec, RejectReason.badTimestamp, "end (column 12) is not a time")
            return false
        }
        if !FieldParse.isBlank(rec[10]) && FieldParse.isoDateTime(rec[10]) == nil {
            session.reject(file, rec, RejectReason.badTimestamp, "answer (column 11) is not a time")
            return false
        }
        guard let duration = FieldParse.secondsAsMs(rec[12]), let billsec = FieldParse.secondsAsMs(rec[13]) else {
            session.reject(file, rec, RejectReason.badNumber, "duration or billsec (columns 13-14) is not a number")
            return false
        }
        if duration < 0 || billsec < 0 {
            session.reject(file, rec, RejectReason.negativeDuration, "duration or billsec is negative")
            return false
        }
        if billsec > duration {
            session.reject(file, rec, RejectReason.answerOutsideCall, "billsec is longer than duration")
            return false
        }
        if duration > maximumCallMs {
            session.reject(file, rec, RejectReason.tooLong, "holding time over 24 hours")
            return false
        }
        guard var disposition = dispositions.lookup(rec[14], Disposition.init(word:)) else {
            session.reject(
                file,
                rec,
                RejectReason.unknownDisposition,
                "disposition (column 15) is not an Asterisk disposition"
            )
            return false
        }
        if disposition == .answered && FieldParse.isBlank(rec[10]) && billsec == 0 { disposition = .noAnswer }
        let ring: Int64 = disposition == .answered ? duration - billsec : -1
        latestStart = max(latestStart, start)
        // Trunk and direction.
        let inbound = trunkIndex(rec[5], ctx, &session)
        let outbound = inbound < 0 ? trunkIndex(rec[6], ctx, &session) : -1
        let direction: Direction = inbound >= 0 ? .inbound : (outbound >= 0 ? .outbound : .internal_)
        let trunk = max(inbound, outbound)
        // With newcdrcolumns (21 columns) the rows of one call share its linkedid: one call.
        // The row whose uniqueid is the linkedid is the call's first channel: its originating leg.
        var key: UInt64 = 0
        var origin = LegOrigin.ifEarliest
        if rec.count == 21 {
            let linked = trim(rec[19])
            if linked.count > 0 {
                key = LegIndex.key(Self.legSeed, linked)
                origin = trim(rec[16]).elementsEqual(linked) ? .yes : .no
            }
        }
        let none = (UnsafeRawBufferPointer(start: nil, count: 0), UInt64(0))
        let (trunkName, trunkHash) = trunk < 0 ? none : trunkNames.names[Int(trunk)]
        return session.take(
            MappedRow(
                start: start,
                end: start + duration,
                answer: ring >= 0 ? start + ring : Int64.min,
                direction: direction,
                disposition: disposition,
                caller: rec[1],
                callee: rec[2],
                trunk: trunkName,
                account: rec[0],
                callerHash: callerHash,
                calleeHash: calleeHash,
                trunkHash: trunkHash,
                accountHash: StringTable.hash(rec[0]),
                own: key,
                peer: 0,
                parent: 0,
                origin: origin,
                site: siteId,
                ctx: ctx
            ),
            file: file,
            record: rec
        )
    }

    /// The UTC start of a row (column 10) parsed in full, its minute remembered (``MinuteMemo``); nil when the row
    /// was rejected.
    private mutating func utcStart<S: MappedRowSink>(
        _ rec: borrowing CSVRecord,
        _ key: MinuteMemo.Key?,
        _ session: inout S,
        file: String,
        ctx: Int
    ) -> Int64? {
        guard let startLocal = FieldParse.isoDateTime(rec[9]) else {
            session.reject(
                file,
                copy rec,
                FieldParse.isBlank(rec[9]) ? RejectReason.missingTimestamp : RejectReason.badTimestamp,
                "start (column 10) is not a time like 2026-03-01 09:15:02"
            )
            return nil
        }
        if let key { minutes.learn(key, startLocal, ctx: ctx, utc: session.timesAreUTC, session) }
        if session.timesAreUTC || startLocal.offset != nil {
            return startLocal.ms - Int64(startLocal.offset ?? 0) * 1000
        }
        guard let s = session.localToUTC(startLocal.ms, ctx, latestInFile: latestStart) else {
            session.reject(
                file,
                copy rec,
                RejectReason.noTimeZone,
                siteName.isEmpty
                    ? RejectReason.noSiteDetail
                    : "local time but no time zone for site '\(siteName)' (use --timezone or an inventory)"
            )
            return nil
        }
        return s
    }

    /// Trunk names with their ``StringTable/hash(_:)``, in memory of their own that lives as long as the table, so a
    /// row refers to its trunk's bytes without copying them. Only added to: copies of a reader share it.
    final class TrunkNames {
        private(set) var names: [(UnsafeRawBufferPointer, UInt64)] = []
        private var index: [String: Int32] = [:]
        deinit { for (p, _) in names { p.deallocate() } }

        /// The index of `name`, added if new.
        func index(of name: String) -> Int32 {
            if let known = index[name] { return known }
            let bytes = Array(name.utf8)
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
            copy.copyBytes(from: bytes)
            let p = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(copy)[0..<bytes.count])
            names.append((p, StringTable.hash(p)))
            index[name] = Int32(names.count - 1)
            return Int32(names.count - 1)
        }
    }

    /// The index in `trunkNames` of the trunk a channel names, or −1 when the channel is not a trunk.
    private mutating func trunkIndex<S: MappedRowSink>(
        _ channel: UnsafeRawBufferPointer,
        _ ctx: Int,
        _ session: inout S
    ) -> Int32 {
        if channel.count == 0 { return -1 }
        // The channel without its per-call suffix (`PJSIP/telekom-0000001a` → `PJSIP/telekom`) is the cache key.
        var n = channel.count
        var k = n - 1
        while k > 0, Self.isHex(channel[k]) { k -= 1 }
        if k > 0, k < n - 1, channel[k] == UInt8(ascii: "-") { n = k }
        let key = UnsafeRawBufferPointer(rebasing: channel[..<n])
        @inline(__always) func resolve() -> Int32 {
            let name = Self.trunk(
                fromChannel: String(decoding: channel, as: UTF8.self),
                trunks: session.trunkNames(ctx)
            )
            guard let name else { return -1 }
            return trunkNames.index(of: name)
        }
        // Past 200,000 distinct channels (channel names without a per-call suffix) the cache stops growing.
        if channels.count > 200_000 { return resolve() }
        let id = Int(channels.intern(key))
        if id >= channelTrunks.count { channelTrunks.append(resolve()) }
        return channelTrunks[id]
    }

    @inline(__always)
    static func isHex(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f"))
    }

    /// The trunk endpoint of an Asterisk channel name, or nil when it is not a trunk.
    public static func trunk(fromChannel channel: String, trunks: Set<String>) -> String? {
        guard let slash = channel.firstIndex(of: "/") else { return nil }
        let tech = channel[..<slash].uppercased()
        if tech == "LOCAL" { return nil }
        var rest = channel[channel.index(after: slash)...]
        if tech == "DAHDI" || tech == "ZAP" {
            let name = "DAHDI"
            return name
        }
        if let at = rest.firstIndex(of: "@") { rest = rest[..<at] }
        if let dash = rest.lastIndex(of: "-"), rest[rest.index(after: dash)...].allSatisfy(\.isHexDigit),
            rest.index(after: dash) < rest.endIndex
        {
            rest = rest[..<dash]
        }
        let endpoint = String(rest)
        if endpoint.isEmpty { return nil }
        if trunks.contains(endpoint) { return endpoint }
        return endpoint.allSatisfy(\.isNumber) ? nil : endpoint
    }
}
