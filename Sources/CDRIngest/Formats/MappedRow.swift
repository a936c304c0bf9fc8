import CDRModel

/// A row read and checked, before its strings are interned: what ``MappedReader`` (every mapped format,
/// FreeSWITCH's too) and ``AsteriskReader`` hand to their ``MappedRowSink``. On one thread the sink is the run's ``IngestState``, which takes the row at once
/// (``IngestState/emit(_:file:line:raw:)``); in a pipeline it is a ``PipelineRowSink`` on the reading thread,
/// which packs the row for the thread that interns.
struct MappedRow {
    var start: Int64
    var end: Int64
    /// `Int64.min`: not answered.
    var answer: Int64
    var direction: Direction
    var disposition: Disposition
    /// Empty when the row continues the previous row's call (it merges, and a merged leg's caller is not read).
    var caller: UnsafeRawBufferPointer
    var callee: UnsafeRawBufferPointer
    var trunk: UnsafeRawBufferPointer
    var account: UnsafeRawBufferPointer
    var callerHash: UInt64
    var calleeHash: UInt64
    /// ``StringTable/hash(_:)`` of `trunk` (any value when it is empty).
    var trunkHash: UInt64
    /// ``StringTable/hash(_:)`` of `account`: computed by the reader, which in a pipeline is the thread with time.
    var accountHash: UInt64
    /// Leg keys (0: none): the row's own id, its peer's, its parent's.
    var own: UInt64
    var peer: UInt64
    var parent: UInt64
    /// Whether the row is its call's originating leg (``LegOrigin``).
    var origin: LegOrigin
    /// The row's site and its context in the ``IngestState`` (a pipeline's reading thread leaves them 0: a file
    /// read in a pipeline has one site, resolved by the interning thread).
    var site: UInt16
    var ctx: Int
}

/// Whether a row of a call with several rows is the call's originating leg, whose calling number and account the
/// call keeps whichever order its rows come in (``IngestState/mergeLeg(_:into:trunk:answerMs:file:line:raw:)``).
enum LegOrigin: UInt8 {
    /// A further leg: FreeSWITCH's B leg (no `bleg_uuid`), Twilio's child call, BroadWorks's Terminating record,
    /// a Genesys participant on the other side, an Asterisk row whose `uniqueid` is not its `linkedid`.
    case no
    /// The originating leg: FreeSWITCH's A leg (it names its peer), Twilio's parent call, BroadWorks's
    /// Originating record, the Genesys agent of an outbound conversation or customer of an inbound one, the
    /// Asterisk row whose `uniqueid` is its `linkedid`.
    case yes
    /// A format that does not tell (CUCM's sub-calls, a mapping with a leg key only): the call's earliest row (the
    /// first read of rows that start together).
    case ifEarliest
}

/// Where ``MappedReader`` and ``AsteriskReader`` send what they read: rows, rejects, and the few questions about the run's sites that
/// reading a row asks (their zone, their trunks). Generic, so the one-thread path is specialized for
/// ``IngestState`` and pays nothing for the indirection.
protocol MappedRowSink {
    /// Takes a checked row; false when it was rejected after all (a dictionary full).
    mutating func take(_ row: MappedRow, file: String, record: borrowing CSVRecord) -> Bool
    mutating func reject(_ file: String, _ record: CSVRecord, _ reason: String, _ detail: String)
    mutating func internSite(_ bytes: UnsafeRawBufferPointer) -> UInt16?
    mutating func internSite(_ name: String) -> UInt16
    mutating func context(siteId: UInt16) -> Int
    mutating func localToUTC(_ localMs: Int64, _ c: Int, latestInFile: Int64) -> Int64?
    /// The UTC time of a wall-clock time of site context `c` when it is neither ambiguous nor skipped, without
    /// counting anything; nil otherwise or when the site has no time zone.
    func exactUTC(_ localMs: Int64, _ c: Int) -> Int64?
    func trunkNames(_ ctx: Int) -> Set<String>
    /// Local-time fields were written in UTC (`--utc`).
    var timesAreUTC: Bool { get }
    /// Whether a row with these leg keys continues the previous row's call (see
    /// ``IngestState/continuesRecentLeg(_:_:_:)``); where the answer is not known yet, false.
    func continuesRecentLeg(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> Bool
    /// Starts loading what looking these up will read (no-ops where the lookups happen later, elsewhere).
    func prefetchLeg(_ a: UInt64, _ b: UInt64, _ c: UInt64)
    func prefetchNumber(hash: UInt64)
}

extension IngestState: MappedRowSink {
    @inline(__always)
    mutating func take(_ row: MappedRow, file: String, record: borrowing CSVRecord) -> Bool {
        if let detail = emit(row, file: file, line: record.line, raw: record.rawText()) {
            reject(file, record, RejectReason.tooManyValues, detail)
            return false
        }
        return true
    }

    func trunkNames(_ ctx: Int) -> Set<String> { contexts[ctx].trunkNames }

    var timesAreUTC: Bool { declaration.utc }

    @inline(__always)
    func prefetchNumber(hash: UInt64) { store.numbers.prefetchSlot(hash: hash) }

    /// Interns a mapped row's strings and appends it as a call, or merges it into the call an earlier leg started.
    /// Returns the reject detail when a dictionary is full (``RejectReason/tooManyValues``).
    @inline(__always)
    mutating func emit(_ r: MappedRow, file: String, line: Int, raw: @autoclosure () -> String) -> String? {
        guard let trunk = internTrunk(r.trunk, hash: r.trunkHash) else { return "more than 65535 distinct trunks" }
        let answer = r.answer == Int64.min ? nil : r.answer
        let hasLegKeys = r.own != 0 || r.peer != 0 || r.parent != 0
        if hasLegKeys {
            if let call = callOfLeg(r.own, r.peer, r.parent) {
                mergeLeg(r, into: call, trunk: trunk, answerMs: answer, file: file, line: line, raw: raw())
                registerLeg(r.own, r.peer, r.parent, call: call)
                return nil
            }
        }
        let calleeRaw = internNumber(r.callee, hash: r.calleeHash)
        append(
            startMs: r.start,
            durationMs: r.end - r.start,
            ringMs: answer.map { $0 - r.start } ?? -1,
            callerRaw: internNumber(r.caller, hash: r.callerHash),
            calleeRaw: calleeRaw,
            account: internAccount(r.account, hash: r.accountHash),
            trunk: trunk,
            site: r.site,
            ctx: r.ctx,
            direction: r.direction,
            disposition: r.disposition
        )
        // A call's first leg that names its peer (FreeSWITCH's A leg with its `bleg_uuid`, a BroadWorks record with
        // its `remoteCallId`) is found by that key alone: the peer leg looks up its own id, a repeat of this leg
        // (overlapping exports) its peer. Its own key joins when a further leg merges. One key a call instead of
        // two halves the index (a 10 M-call FreeSWITCH month's 17.7 M keys), whose fresh pages and cache misses
        // were a tenth of reading FreeSWITCH. Not found so: a row naming this leg's own id as its peer before any
        // further leg of the call arrived.
        if hasLegKeys {
            registerLeg(r.peer != 0 ? 0 : r.own, r.peer, r.parent, call: store.count - 1)
        }
        return nil
    }
}

/// The reading thread's sink in a pipeline (``PipelinedIngest``): packs each row's fields into the batch being
/// built and answers the site questions for the file's one site from what the calling thread resolved before the
/// thread started (its zone gets a resolver of its own: a resolver's cache is not shared between threads).
struct PipelineRowSink: MappedRowSink {
    var builder = PipelinedIngest.Builder<PipelinedIngest.MappedPackedRow>()
    let zone: ZoneResolver?
    /// `zone`, not counted: read through a counted reference in this mutating sink, every local time retained and
    /// released the resolver (a tenth of the reading thread's time for FreeSWITCH's local-time template).
    private let zoneRef: Unmanaged<ZoneResolver>?
    let trunks: Set<String>
    let timesAreUTC: Bool
    var localTimes = LocalTimeCounts()

    init(zone: String?, trunks: Set<String>, timesAreUTC: Bool) {
        self.zone = zone.flatMap { ZoneResolver(identifier: $0) }
        zoneRef = self.zone.map { Unmanaged.passUnretained($0) }
        self.trunks = trunks
        self.timesAreUTC = timesAreUTC
    }

    @inline(__always)
    mutating func take(_ r: MappedRow, file: String, record: borrowing CSVRecord) -> Bool {
        if r.origin == .no && continuesRecentLeg(r.own, r.peer, r.parent) {
            // A further leg of the row before's call (``PipelinedIngest/FollowingLeg``).
            builder.following.append(
                (
                    builder.rows.count - 1,
                    PipelinedIngest.FollowingLeg(
                        start: r.start,
                        end: r.end,
                        answer: r.answer,
                        key: r.own,
                        trunk: builder.pack(r.trunk),
                        callee: builder.pack(r.callee),
                        trunkHash: r.trunkHash,
                        calleeHash: r.calleeHash,
                        line: Int32(truncatingIfNeeded: record.line),
                        direction: r.direction,
                        disposition: r.disposition
                    )
                )
            )
            return true
        }
        let fields = (builder.pack(r.caller), builder.pack(r.callee), builder.pack(r.trunk), builder.pack(r.account))
        builder.rows.append(
            PipelinedIngest.MappedPackedRow(
                start: r.start,
                end: r.end,
                answer: r.answer,
                direction: r.direction,
                disposition: r.disposition,
                origin: r.origin,
                line: Int32(truncatingIfNeeded: record.line),
                fields: fields,
                callerHash: r.callerHash,
                calleeHash: r.calleeHash,
                trunkHash: r.trunkHash,
                accountHash: r.accountHash,
                own: r.own,
                peer: r.peer,
                parent: r.parent
            )
        )
        return true
    }

    mutating func reject(_ file: String, _ record: CSVRecord, _ reason: String, _ detail: String) {
        builder.reject(RejectRecord(file: file, record: record, reason: reason, detail: detail))
    }

    // One site a file: the interning thread resolves it (`Ingestor`'s pipeline); a format with a site column is not
    // read in a pipeline.
    func internSite(_ bytes: UnsafeRawBufferPointer) -> UInt16? { 0 }
    func internSite(_ name: String) -> UInt16 { 0 }
    func context(siteId: UInt16) -> Int { 0 }
    func trunkNames(_ ctx: Int) -> Set<String> { trunks }

    func exactUTC(_ localMs: Int64, _ c: Int) -> Int64? {
        guard let zoneRef else { return nil }
        let (ms, how) = zoneRef._withUnsafeGuaranteedRef { $0.utcMs(fromLocal: localMs) }
        return how == .exact ? ms : nil
    }

    /// ``IngestState/localToUTC(_:_:latestInFile:)`` for the file's site.
    mutating func localToUTC(_ localMs: Int64, _ c: Int, latestInFile: Int64) -> Int64? {
        guard let zoneRef else { return nil }
        let (ms, how) = zoneRef._withUnsafeGuaranteedRef { $0.utcMs(fromLocal: localMs) }
        if how == .exact { return ms }
        return localTimes.settle(localMs, ms, how, zoneRef.takeUnretainedValue(), latestInFile: latestInFile)
    }

    /// Whether a row with these keys is a following leg of the last row packed (``PipelinedIngest/FollowingLeg``):
    /// its only key is the peer that row named, that row has no trunk and no reject came after it. The reader then
    /// skips the row's calling number, which the merge never reads, and ``take(_:file:record:)`` attaches it to
    /// that row.
    @inline(__always)
    func continuesRecentLeg(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> Bool {
        guard b == 0 && c == 0 && a != 0, let last = builder.rows.indices.last else { return false }
        return builder.rows[last].peer == a && builder.rows[last].fields.2 & 0xFFFF_FFFF == 0
            && (builder.rejects.last?.0 ?? 0) <= last
    }

    func prefetchLeg(_ a: UInt64, _ b: UInt64, _ c: UInt64) {}
    func prefetchNumber(hash: UInt64) {}
}
