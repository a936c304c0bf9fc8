/// The in-memory columnar store of normalized calls: a struct of arrays with dictionary-encoded strings.
///
/// Every analysis (destination intelligence, detectors, capacity) reads calls from here.
///
/// ## Layout and cost
/// Instants are UTC milliseconds since the Unix epoch. Per call the store keeps:
///
/// | column | type | bytes |
/// |---|---|---|
/// | `startMs` | `Int64` | 8 |
/// | `durationMs` (holding time, seizure to release) | `UInt32` | 4 |
/// | `ringMs` (answer − start, −1 when unanswered) | `Int32` | 4 |
/// | `caller`, `callee` (normalized), `calleeRaw` (as written) | `UInt32` ids | 12 |
/// | `callerRaw` (as written): only where it differs from `caller` (``ExceptionIds``) | bit + `UInt32` id | 0.19 + 4 a differing call |
/// | `account` | id (``IdColumn``: 2 bytes while the run has at most 65,536 accounts, 4 after) | 2 |
/// | `trunk`, `site` | `UInt16` ids | 4 |
/// | `direction`, `disposition` | `UInt8` | 2 |
///
/// That is 36 bytes per call, plus 4 for each call whose calling number is written otherwise than it normalizes
/// (a national form, say; E.164 numbers from the carrier and extensions are not), plus the dictionaries (each
/// distinct string once, about 16 bytes of overhead). Ten million calls take about 360–400 MB of columns.
/// `bytesPerCall` is the fixed 36 (38 once the accounts need 4-byte ids); ``columnBytesPerCall`` and
/// ``byteSize`` count the actual widths and the calling numbers written otherwise.
///
/// - Complexity: `append` is amortized O(1) plus the interning of its strings.
public struct ColumnStore: Sendable {
    /// Bytes of column data per call (see the table above).
    public static let bytesPerCall = 36

    public internal(set) var startMs: [Int64] = []
    public internal(set) var durationMs: [UInt32] = []
    public internal(set) var ringMs: [Int32] = []
    public internal(set) var caller: [UInt32] = []
    public internal(set) var callee: [UInt32] = []
    /// Calling numbers as written, where they differ from the normalized ones.
    var callerWritten = ExceptionIds()
    public internal(set) var calleeRaw: [UInt32] = []
    public internal(set) var account = IdColumn()
    public internal(set) var trunk: [UInt16] = []
    public internal(set) var site: [UInt16] = []
    public internal(set) var direction: [UInt8] = []
    public internal(set) var disposition: [UInt8] = []

    /// Calling number ids as written: the normalized ids except where ``ExceptionIds`` holds another.
    public var callerRaw: RawIds { RawIds(normalized: caller, written: callerWritten) }

    /// A raw-number column read through its normalized column and the ids that differ from it.
    public struct RawIds: Sendable {
        let normalized: [UInt32]
        let written: ExceptionIds
        @inline(__always) public subscript(i: Int) -> UInt32 { written.id(i, else: normalized[i]) }
        public var count: Int { normalized.count }
    }

    /// Numbers, raw and normalized, share one table.
    public var numbers = StringTable()
    public var accounts = StringTable()
    public var trunks = StringTable()
    public var sites = StringTable()

    public init() {}

    /// Number of calls.
    public var count: Int { startMs.count }

    /// Reserves room for `n` more calls. The capacity grows at least by half, so that reserving file after file
    /// does not copy the columns once per file.
    ///
    /// On ordinary 4 KiB pages, not huge ones: the columns are written and read in order, so their pages cost no
    /// TLB misses to speak of, and under virtualization a fresh huge page can cost six times what the same bytes
    /// on small pages do (2.1 against 0.34 ns a byte to fault in and zero, measured on this project's benchmark
    /// machine when the host had to back the page). With the columns on small pages the 10 M-call `scan` took
    /// 5.7–6.3 s instead of 6.3–7.3 s, and every format's ingest 3–12 % less time a call. The string tables'
    /// arrays, read at random, keep their huge pages (``Swift/Array/reserveHugeCapacity(_:)``).
    public mutating func reserve(_ n: Int) {
        guard count + n > startMs.capacity else { return }
        let total = max(count + n, startMs.capacity + startMs.capacity / 2)
        startMs.reserveCapacity(total)
        durationMs.reserveCapacity(total)
        ringMs.reserveCapacity(total)
        caller.reserveCapacity(total)
        callee.reserveCapacity(total)
        callerWritten.reserveCapacity(total)
        calleeRaw.reserveCapacity(total)
        account.reserveCapacity(total)
        trunk.reserveCapacity(total)
        site.reserveCapacity(total)
        direction.reserveCapacity(total)
        disposition.reserveCapacity(total)
    }

    /// Appends one call given as ids already interned in this store's tables.
    @inline(__always)
    public mutating func append(
        startMs s: Int64,
        durationMs d: UInt32,
        ringMs r: Int32,
        caller c: UInt32,
        callee e: UInt32,
        callerRaw cr: UInt32,
        calleeRaw er: UInt32,
        account a: UInt32,
        trunk t: UInt16,
        site si: UInt16,
        direction dir: Direction,
        disposition disp: Disposition
    ) {
        startMs.append(s)
        durationMs.append(d)
        ringMs.append(r)
        caller.append(c)
        callee.append(e)
        callerWritten.append(cr == c ? nil : cr)
        calleeRaw.append(er)
        account.append(a)
        trunk.append(t)
        site.append(si)
        direction.append(dir.rawValue)
        disposition.append(disp.rawValue)
    }

    /// Appends one call record, interning its strings.
    public mutating func append(_ r: CallRecord) {
        let t = trunks.intern(r.trunk)
        let si = sites.intern(r.site)
        precondition(t <= UInt16.max && si <= UInt16.max, "more than 65535 trunks or sites")
        let ring: Int32 = r.answerMs.map { Int32(clamping: $0 - r.startMs) } ?? -1
        append(
            startMs: r.startMs,
            durationMs: UInt32(clamping: r.endMs - r.startMs),
            ringMs: ring,
            caller: numbers.intern(r.caller),
            callee: numbers.intern(r.callee),
            callerRaw: numbers.intern(r.callerRaw),
            calleeRaw: numbers.intern(r.calleeRaw),
            account: accounts.intern(r.account),
            trunk: UInt16(t),
            site: UInt16(si),
            direction: r.direction,
            disposition: r.disposition
        )
    }

    /// Keeps the first `n` calls (dictionaries keep their strings).
    public mutating func truncate(to n: Int) {
        guard n < count else { return }
        let k = count - n
        startMs.removeLast(k)
        durationMs.removeLast(k)
        ringMs.removeLast(k)
        caller.removeLast(k)
        callee.removeLast(k)
        callerWritten.truncate(to: n)
        calleeRaw.removeLast(k)
        account.removeLast(k)
        trunk.removeLast(k)
        site.removeLast(k)
        direction.removeLast(k)
        disposition.removeLast(k)
    }

    /// Merges another leg of call `i` into it (formats that write several rows for one call): the call spans
    /// both legs and is answered at the earliest answer of an answered leg; `route`, when given, replaces its trunk,
    /// direction and called number, and `outcome` its disposition while it stays unanswered.
    public mutating func mergeLeg(
        into i: Int,
        startMs legStart: Int64,
        endMs legEnd: Int64,
        answerMs legAnswer: Int64?,
        route: (trunk: UInt16, direction: Direction, callee: UInt32, calleeRaw: UInt32)?,
        outcome: Disposition? = nil
    ) {
        let start = min(startMs[i], legStart)
        let end = max(endMs(i), legEnd)
        var answer = answerMs(i)
        if let legAnswer { answer = min(answer ?? legAnswer, legAnswer) }
        // Each column written only when it changes: a leg mostly has its call's times (FreeSWITCH's B leg its A
        // leg's), and every write checks that the column's storage is not shared.
        let duration = UInt32(clamping: end - start)
        let ring = answer.map { Int32(clamping: $0 - start) } ?? -1
        if startMs[i] != start { startMs[i] = start }
        if durationMs[i] != duration { durationMs[i] = duration }
        if ringMs[i] != ring { ringMs[i] = ring }
        if answer != nil && disposition[i] != Disposition.answered.rawValue {
            disposition[i] = Disposition.answered.rawValue
        } else if answer == nil, let outcome, disposition[i] != outcome.rawValue {
            disposition[i] = outcome.rawValue
        }
        if let route {
            if trunk[i] != route.trunk { trunk[i] = route.trunk }
            if direction[i] != route.direction.rawValue { direction[i] = route.direction.rawValue }
            if callee[i] != route.callee { callee[i] = route.callee }
            if calleeRaw[i] != route.calleeRaw { calleeRaw[i] = route.calleeRaw }
        }
    }

    /// Sets call `i`'s calling number (normalized, and as written) and account: those of the call's originating
    /// leg, read after another leg of the call.
    public mutating func setOrigin(_ i: Int, caller c: UInt32, callerRaw cr: UInt32, account a: UInt32) {
        let had = callerWritten.id(i, else: UInt32.max)
        let written: UInt32? = cr == c ? nil : cr
        if (had == UInt32.max ? nil : had) != written { callerWritten.set(i, written) }
        if caller[i] != c { caller[i] = c }
        if account[i] != a { account.set(i, a) }
    }

    /// Puts calling numbers set after their call was appended (``setOrigin(_:caller:callerRaw:account:)``) where
    /// reading them costs nothing extra; read before, they are right too.
    public mutating func settle() { callerWritten.settle() }

    /// A store of the calls at `indices` (in that order); the dictionaries are shared, so ids stay valid.
    public func selecting(_ indices: [Int]) -> ColumnStore {
        var out = ColumnStore()
        out.numbers = numbers
        out.accounts = accounts
        out.trunks = trunks
        out.sites = sites
        out.startMs = indices.map { startMs[$0] }
        out.durationMs = indices.map { durationMs[$0] }
        out.ringMs = indices.map { ringMs[$0] }
        out.caller = indices.map { caller[$0] }
        out.callee = indices.map { callee[$0] }
        let raw = callerRaw
        for i in indices { out.callerWritten.append(raw[i] == caller[i] ? nil : raw[i]) }
        out.calleeRaw = indices.map { calleeRaw[$0] }
        out.account = IdColumn(indices.lazy.map { account[$0] })
        out.trunk = indices.map { trunk[$0] }
        out.site = indices.map { site[$0] }
        out.direction = indices.map { direction[$0] }
        out.disposition = indices.map { disposition[$0] }
        return out
    }

    /// Release instant of call `i` (UTC ms).
    @inline(__always) public func endMs(_ i: Int) -> Int64 { startMs[i] + Int64(durationMs[i]) }
    /// Answer instant of call `i` (UTC ms), nil when unanswered.
    @inline(__always) public func answerMs(_ i: Int) -> Int64? { ringMs[i] < 0 ? nil : startMs[i] + Int64(ringMs[i]) }
    /// Billable milliseconds of call `i` (answer to release), 0 when unanswered.
    @inline(__always) public func billableMs(_ i: Int) -> Int64 {
        ringMs[i] < 0 ? 0 : Int64(durationMs[i]) - Int64(ringMs[i])
    }
    @inline(__always) public func directionOf(_ i: Int) -> Direction { Direction(rawValue: direction[i])! }
    @inline(__always) public func dispositionOf(_ i: Int) -> Disposition { Disposition(rawValue: disposition[i])! }

    /// Rebuilds call `i` as a record (for exports, investigations and tests).
    public func record(_ i: Int) -> CallRecord {
        CallRecord(
            startMs: startMs[i],
            answerMs: answerMs(i),
            endMs: endMs(i),
            direction: directionOf(i),
            disposition: dispositionOf(i),
            caller: numbers[caller[i]],
            callee: numbers[callee[i]],
            callerRaw: numbers[callerRaw[i]],
            calleeRaw: numbers[calleeRaw[i]],
            trunk: trunks[UInt32(trunk[i])],
            account: accounts[account[i]],
            site: sites[UInt32(site[i])]
        )
    }

    /// Appends every call of `other`, re-interning its strings.
    public mutating func append(contentsOf other: ColumnStore) {
        reserve(other.count)
        var numberMap = [UInt32](repeating: 0, count: other.numbers.count)
        for id in 0..<other.numbers.count { numberMap[id] = other.numbers.withBytes(UInt32(id)) { numbers.intern($0) } }
        var accountMap = [UInt32](repeating: 0, count: other.accounts.count)
        for id in 0..<other.accounts.count {
            accountMap[id] = other.accounts.withBytes(UInt32(id)) { accounts.intern($0) }
        }
        let trunkMap = (0..<other.trunks.count).map { UInt16(trunks.intern(other.trunks[UInt32($0)])) }
        let siteMap = (0..<other.sites.count).map { UInt16(sites.intern(other.sites[UInt32($0)])) }
        let otherCallerRaw = other.callerRaw
        for i in 0..<other.count {
            append(
                startMs: other.startMs[i],
                durationMs: other.durationMs[i],
                ringMs: other.ringMs[i],
                caller: numberMap[Int(other.caller[i])],
                callee: numberMap[Int(other.callee[i])],
                callerRaw: numberMap[Int(otherCallerRaw[i])],
                calleeRaw: numberMap[Int(other.calleeRaw[i])],
                account: accountMap[Int(other.account[i])],
                trunk: trunkMap[Int(other.trunk[i])],
                site: siteMap[Int(other.site[i])],
                direction: other.directionOf(i),
                disposition: other.dispositionOf(i)
            )
        }
    }

    /// Bytes of column data per call in this store (rounded): ``bytesPerCall`` with the account column's actual
    /// width and the calling numbers written otherwise.
    public var columnBytesPerCall: Int {
        Self.bytesPerCall - 2 + account.width + (count == 0 ? 0 : (callerWritten.byteSize + count / 2) / count)
    }

    /// Approximate bytes held by columns and dictionaries.
    public var byteSize: Int {
        count * (Self.bytesPerCall - 2 + account.width) + callerWritten.byteSize + numbers.byteSize + accounts.byteSize
            + trunks.byteSize + sites.byteSize
    }
}
