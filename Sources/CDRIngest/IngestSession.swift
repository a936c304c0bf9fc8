import CDRModel

/// What ingest knows about the site a file or row belongs to.
public struct SiteDeclaration: Sendable, Equatable {
    public var name: String?
    public var timeZone: String?
    public var country: String?
    /// Whether local-time formats (Asterisk) were written in UTC (`usegmtime=yes`).
    public var utc: Bool

    public init(name: String? = nil, timeZone: String? = nil, country: String? = nil, utc: Bool = false) {
        self.name = name
        self.timeZone = timeZone
        self.country = country
        self.utc = utc
    }
}

/// Per-site state used while normalizing: zone resolver, dial plan and the cache of normalized numbers.
struct SiteContext {
    let name: String
    let zone: ZoneResolver?
    /// The dial plan, held in a class so that normalizing reads it in place: `if let plan = context.plan` copied
    /// the plan's dozen arrays and strings (a retain and a release each) for every new number.
    final class Plan: Sendable {
        let plan: DialPlan
        init(_ plan: DialPlan) { self.plan = plan }
    }
    let planRef: Plan?
    let trunkNames: Set<String>

    init(name: String, zone: ZoneResolver?, plan: DialPlan?, trunkNames: Set<String>) {
        self.name = name
        self.zone = zone
        self.planRef = plan.map(Plan.init)
        self.trunkNames = trunkNames
    }
}

/// Converts wall-clock times of a site to UTC and counts the ones a DST change made ambiguous or skipped.
///
/// An ambiguous time (in a DST fold) is read as its first occurrence, unless the file has already reached instants
/// more than 30 minutes past that occurrence (`latestInFile`): then the file is in the repeated hour and the second
/// occurrence is taken. Files are written in call order, so this follows the clock.
struct LocalTimeCounts {
    /// Local times in a fold, in a gap (shifted forward), and in a fold read as the second occurrence.
    var ambiguous = 0
    var nonexistent = 0
    var second = 0

    /// Counts a wall-clock time `localMs` of `zone` that ``ZoneResolver/utcMs(fromLocal:)`` did not resolve
    /// exactly (to `ms`, as `how`) and gives its instant: a fold's first occurrence, or its second when the file has
    /// moved more than half an hour past the first (`latestInFile`); a gap's time shifted forward.
    ///
    /// Callers look the time up first and come here only for the rare time in a fold or a gap: counting (a change
    /// to the value that also holds the zone) while the zone was in use made every lookup retain and release it (a
    /// tenth of the reading thread's time for FreeSWITCH's local-time template).
    @inline(never)
    mutating func settle(
        _ localMs: Int64,
        _ ms: Int64,
        _ how: ZoneResolver.Resolution,
        _ zone: ZoneResolver,
        latestInFile: Int64
    ) -> Int64 {
        switch how {
        case .exact: break
        case .ambiguous:
            ambiguous += 1
            if latestInFile > ms + 1_800_000, let later = zone.laterUTCMs(fromLocal: localMs) {
                second += 1
                return later
            }
        case .nonexistent: nonexistent += 1
        }
        return ms
    }
}

/// The mutable state of one ingest run: the store being filled, the rejects, the sites and the counters.
///
/// Format readers receive it `inout` for every record. It is a value, so the hot path pays no dynamic
/// exclusivity or reference-counting checks; ``IngestSession`` owns it between files.
public struct IngestState {
    public internal(set) var store = ColumnStore()
    public var rejects = RejectCollector()
    public let inventory: Inventory
    /// The site the files being read belong to (pipelines with several inputs change it between files).
    public private(set) var declaration: SiteDeclaration
    /// How the local times read so far resolved (folds, gaps, second occurrences).
    private(set) var localTimes = LocalTimeCounts()
    /// Local times that fell into a DST fold (resolved to the first occurrence), per site.
    public var ambiguousLocalTimes: Int { localTimes.ambiguous }
    /// Local times that fell into a DST gap (shifted forward), per site.
    public var nonexistentLocalTimes: Int { localTimes.nonexistent }
    /// Ambiguous local times read as their second occurrence because the file had moved past the first.
    public var secondOccurrences: Int { localTimes.second }
    var contexts: [SiteContext] = []
    private var contextBySite: [Int] = []
    private var contextsByName: [String: Int] = [:]
    private(set) var fallbackPlan: DialPlan?
    /// The call each leg key started (formats that write several rows for one call), across the files of a run.
    var legs = LegIndex()
    /// The keys the last row with legs registered that the index maps to its call (0: none), and that call.
    private var recentLegKeys: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var recentLegCall = 0
    /// Rows that were further legs of a call already read, merged into it (rows = calls + rejected + merged).
    public private(set) var mergedLegs = 0
    /// The id of the empty trunk name: a string table's id 0 is always the empty string.
    static let noTrunk: UInt16 = 0
    /// The merged legs themselves (file, line, call, raw text), kept when asked for (`--legs FILE`).
    public var legRecords: [LegRecord] = []
    /// Whether to keep ``legRecords``, and at most how many.
    public var keepLegs = 0
    /// Why the declared site could not be fully used (unknown zone or country), reported once.
    public private(set) var warnings: [String] = []

    public init(inventory: Inventory = Inventory(), declaration: SiteDeclaration = SiteDeclaration()) throws {
        self.inventory = inventory
        self.declaration = declaration
        try Self.check(declaration, inventory)
        fallbackPlan = declaration.country.flatMap { DialPlan(region: $0) }
        store.reserve(1 << 16)
    }

    /// Checks a site declaration against the inventory: known zone, known country, known site.
    static func check(_ declaration: SiteDeclaration, _ inventory: Inventory) throws {
        if let tz = declaration.timeZone, ZoneResolver(identifier: tz) == nil {
            throw IngestError(
                .configuration,
                file: "--timezone",
                "unknown IANA time zone '\(tz)' (for example Europe/Berlin)"
            )
        }
        if let cc = declaration.country, CountryTable.shared.info(cc) == nil {
            throw IngestError(
                .configuration,
                file: "--country",
                "unknown country code '\(cc)' (ISO 3166-1 alpha-2, e.g. DE)"
            )
        }
        if let name = declaration.name, !inventory.sites.isEmpty, inventory.site(named: name) == nil,
            declaration.timeZone == nil
        {
            let known = inventory.sites.map(\.name).joined(separator: ", ")
            throw IngestError(
                .configuration,
                file: "--site",
                "site '\(name)' is not in the inventory (known: \(known))"
            )
        }
    }

    /// Declares the site of the files read next. Sites already seen keep the settings they were first read with.
    public mutating func declare(_ declaration: SiteDeclaration) throws {
        try Self.check(declaration, inventory)
        self.declaration = declaration
        fallbackPlan = declaration.country.flatMap { DialPlan(region: $0) }
    }

    /// Name used for rows and files with no site of their own.
    public var defaultSiteName: String {
        declaration.name ?? (inventory.sites.count == 1 ? inventory.sites[0].name : "")
    }

    /// The context index for a site id of the store, creating the context on first use.
    @inline(__always)
    mutating func context(siteId: UInt16) -> Int {
        let i = Int(siteId)
        if i < contextBySite.count, contextBySite[i] >= 0 { return contextBySite[i] }
        while contextBySite.count <= i { contextBySite.append(-1) }
        let c = makeContext(store.sites[UInt32(siteId)])
        contextBySite[i] = c
        return c
    }

    private mutating func makeContext(_ name: String) -> Int {
        if let c = contextsByName[name] { return c }
        let settings = siteSettings(name)
        let plan = inventory.site(named: name)?.dialPlan ?? (settings.isDeclared ? fallbackPlan : nil)
        if settings.unknown {
            warnings.append("site '\(name)' is not in the inventory; its local-time fields cannot be read")
        }
        contexts.append(
            SiteContext(
                name: name,
                zone: settings.zone.flatMap { ZoneResolver(identifier: $0) },
                plan: plan,
                trunkNames: settings.trunks
            )
        )
        contextsByName[name] = contexts.count - 1
        return contexts.count - 1
    }

    /// What the inventory and the declaration say of a site: its time zone, its trunks, whether the declaration
    /// (`--site`, `--timezone`) applies to it, and whether it is a site the inventory should list but does not.
    func siteSettings(_ name: String) -> (zone: String?, trunks: Set<String>, isDeclared: Bool, unknown: Bool) {
        let site = inventory.site(named: name)
        // --timezone/--country without --site apply to every site the inventory does not describe.
        let isDeclared = name == defaultSiteName || declaration.name == nil
        return (
            site?.timeZone ?? (isDeclared ? declaration.timeZone : nil),
            Set(inventory.trunks.filter { $0.site == name }.map(\.name)),
            isDeclared,
            site == nil && !name.isEmpty && !isDeclared && !inventory.sites.isEmpty
        )
    }

    @inline(__always)
    mutating func internSite(_ bytes: UnsafeRawBufferPointer) -> UInt16? {
        let id = store.sites.intern(bytes)
        return id <= UInt32(UInt16.max) ? UInt16(id) : nil
    }

    mutating func internSite(_ name: String) -> UInt16 { UInt16(truncatingIfNeeded: store.sites.intern(name)) }

    @inline(__always)
    mutating func internSite(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UInt16? {
        let id = store.sites.intern(bytes, hash: hash)
        return id <= UInt32(UInt16.max) ? UInt16(id) : nil
    }

    /// Most rows of most formats name no trunk (internal calls, the inside legs of others): the empty name is
    /// ``noTrunk`` without a lookup.
    @inline(__always)
    mutating func internTrunk(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UInt16? {
        if bytes.isEmpty { return Self.noTrunk }
        let id = store.trunks.intern(bytes, hash: hash)
        return id <= UInt32(UInt16.max) ? UInt16(id) : nil
    }

    @inline(__always)
    mutating func internAccount(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UInt32 {
        store.accounts.intern(bytes, hash: hash)
    }

    @inline(__always)
    mutating func internTrunk(_ bytes: UnsafeRawBufferPointer) -> UInt16? {
        if bytes.isEmpty { return Self.noTrunk }
        let id = store.trunks.intern(bytes)
        return id <= UInt32(UInt16.max) ? UInt16(id) : nil
    }

    @inline(__always)
    mutating func internAccount(_ bytes: UnsafeRawBufferPointer) -> UInt32 { store.accounts.intern(bytes) }

    @inline(__always)
    mutating func internNumber(_ bytes: UnsafeRawBufferPointer) -> UInt32 { store.numbers.intern(bytes) }

    @inline(__always)
    mutating func internNumber(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UInt32 {
        store.numbers.intern(bytes, hash: hash)
    }

    /// The normalized number id for a raw number id at a site (computed once per distinct raw number and site).
    ///
    /// One cache serves every site, in the raw number's note in the numbers table (``StringTable/note(_:)``, beside
    /// the bytes that interning the number just compared, so reading it costs no cache miss; an array indexed by
    /// the raw id was a random access of its own, nine tenths of `append`'s time in a FreeSWITCH ingest): the site
    /// context that filled it (+1, high 8 bits) and the normalized id (low 24 bits). A raw number also seen at
    /// another site, a context past 253 or an id past 2^24 goes to `otherNormalized`, keyed by context and raw id
    /// (high bits 0xFF: only there).
    @inline(__always)
    mutating func normalize(_ raw: UInt32, _ c: Int) -> UInt32 {
        let tag = UInt32(c + 1) << 24
        let v = store.numbers.note(raw)
        if v & 0xFF00_0000 == tag && c < 254 { return v & 0x00FF_FFFF }
        if v != 0, let id = otherNormalized[UInt64(c) << 32 | UInt64(raw)] { return id }
        // `v` is still the note: normalizing interns other strings and sets no note.
        let id = normalizeUncached(raw, c)
        if v == 0 && c < 254 && id < 0x0100_0000 {
            store.numbers.setNote(raw, tag | id)
        } else {
            if v == 0 { store.numbers.setNote(raw, 0xFF00_0000) }  // 0xFF: only in otherNormalized
            otherNormalized[UInt64(c) << 32 | UInt64(raw)] = id
        }
        return id
    }

    private var otherNormalized: [UInt64: UInt32] = [:]

    private mutating func normalizeUncached(_ raw: UInt32, _ c: Int) -> UInt32 {
        // The raw number's bytes, copied out of the table that interning the result may grow. The buffers are
        // taken out of `self` while in use: a closure that changed one of them while another part of `self` was
        // borrowed made the compiler copy that part (the numbers table, retaining its arrays) for every number.
        var bytes = scratch
        var out = normalizedBytes
        scratch = []
        normalizedBytes = []
        defer {
            scratch = bytes
            normalizedBytes = out
        }
        bytes.removeAll(keepingCapacity: true)
        store.numbers.withBytes(raw) { bytes.append(contentsOf: $0) }
        if let ref = contexts[c].planRef {
            let fast = bytes.withUnsafeBytes { ref.plan.normalizeFast($0, into: &out) }
            if !fast { out = Array(ref.plan.normalize(store.numbers[raw]).value.utf8) }
        } else {
            Self.normalizeWithoutPlan(bytes, into: &out)
        }
        // Interned on the side: the numbers whose notes `append` reads next stay the remembered ones.
        return out.withUnsafeBytes { store.numbers.intern($0, hash: StringTable.hash($0), remember: false) }
    }

    private var scratch: [UInt8] = []
    private var normalizedBytes: [UInt8] = []

    /// Without a site country only explicit international forms can be normalized (`+`, `00`); other numbers are
    /// kept as written, with separators (space `-` `.` `(` `)` `/`) removed, and a number with any other byte is
    /// kept as written.
    ///
    /// Bytes, not `Character`s: every distinct number of a site with no country comes here once, and a `String`
    /// version was a sixth of the interning thread's time for a 10 M-call file that names no site country.
    static func normalizeWithoutPlan(_ text: [UInt8], into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var plus = false
        for (i, c) in text.enumerated() {
            if c == UInt8(ascii: "+") && i == 0 {
                plus = true
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                out.append(c)
            } else if c == 0x20 || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "(")
                || c == UInt8(ascii: ")") || c == UInt8(ascii: "/")
            {
                continue
            } else {
                out.removeAll(keepingCapacity: true)
                out.append(contentsOf: text)
                return
            }
        }
        if plus {
            out.insert(UInt8(ascii: "+"), at: 0)
        } else if out.count > 8 && out[0] == UInt8(ascii: "0") && out[1] == UInt8(ascii: "0") {
            out[1] = UInt8(ascii: "+")
            out.removeFirst()
        }
    }

    /// The UTC time of a wall-clock time of site context `c` when it is neither ambiguous nor skipped (nothing
    /// counted); nil otherwise or when the site has no time zone.
    func exactUTC(_ localMs: Int64, _ c: Int) -> Int64? {
        guard let zone = contexts[c].zone else { return nil }
        let (ms, how) = zone.utcMs(fromLocal: localMs)
        return how == .exact ? ms : nil
    }

    /// Converts a wall-clock time of site context `c` to UTC (a fold or a gap counted:
    /// ``LocalTimeCounts/settle(_:_:_:_:latestInFile:)``); nil when the site has no time zone.
    @inline(__always)
    mutating func localToUTC(_ localMs: Int64, _ c: Int, latestInFile: Int64 = .min) -> Int64? {
        guard let zone = contexts[c].zone else { return nil }
        let (ms, how) = zone.utcMs(fromLocal: localMs)
        if how == .exact { return ms }
        return localTimes.settle(localMs, ms, how, zone, latestInFile: latestInFile)
    }

    @inline(__always)
    mutating func append(
        startMs: Int64,
        durationMs: Int64,
        ringMs: Int64,
        callerRaw: UInt32,
        calleeRaw: UInt32,
        account: UInt32,
        trunk: UInt16,
        site: UInt16,
        ctx: Int,
        direction: Direction,
        disposition: Disposition
    ) {
        store.append(
            startMs: startMs,
            durationMs: UInt32(durationMs),
            ringMs: Int32(ringMs),
            caller: normalize(callerRaw, ctx),
            callee: normalize(calleeRaw, ctx),
            callerRaw: callerRaw,
            calleeRaw: calleeRaw,
            account: account,
            trunk: trunk,
            site: site,
            direction: direction,
            disposition: disposition
        )
    }

    /// Starts loading the leg-index slots of these keys (0 is no key), ahead of ``callOfLeg(_:_:_:)``. Not needed
    /// for a leg that ``continuesRecentLeg(_:_:_:)``: the lookup and the registration answer it without the table.
    @inline(__always)
    func prefetchLeg(_ a: UInt64, _ b: UInt64, _ c: UInt64) {
        legs.prefetch(a)
        legs.prefetch(b)
        legs.prefetch(c)
    }

    /// Whether a row's only key is one the previous row registered (a B leg right after its A leg): its call is
    /// that row's, known without the table.
    @inline(__always)
    func continuesRecentLeg(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> Bool {
        b == 0 && c == 0 && a != 0 && (a == recentLegKeys.0 || a == recentLegKeys.1 || a == recentLegKeys.2)
    }

    /// The call an earlier leg with one of these keys started, if any (0 is no key).
    ///
    /// A row's first key that the previous row registered is answered without the table: the legs of one call
    /// mostly follow one another (FreeSWITCH's B leg after its A leg, Genesys's participants of a conversation),
    /// and the table's slot is a cache miss away. Only keys the table maps to that row's call are remembered, so
    /// the answer is the table's.
    @inline(__always)
    func callOfLeg(_ a: UInt64, _ b: UInt64 = 0, _ c: UInt64 = 0) -> Int? {
        if a != 0 && (a == recentLegKeys.0 || a == recentLegKeys.1 || a == recentLegKeys.2) { return recentLegCall }
        return legs.call(a) ?? legs.call(b) ?? legs.call(c)
    }

    /// Keys in the leg index.
    var legKeys: Int { legs.count }

    /// Reserves the leg index for `total` keys in all (an estimate from the first part of a run's files).
    mutating func reserveLegs(_ total: Int) { legs.reserve(total) }

    /// Remembers that the legs with these keys belong to call `i`.
    @inline(__always)
    mutating func registerLeg(_ a: UInt64, _ b: UInt64 = 0, _ c: UInt64 = 0, call i: Int) {
        // A leg whose only key the previous row registered to this call (a B leg after its A leg): the table
        // already maps it there, and the remembered keys stay right.
        if i == recentLegCall && continuesRecentLeg(a, b, c) { return }
        let ma = legs.insert(a, call: i)
        let mb = legs.insert(b, call: i)
        let mc = legs.insert(c, call: i)
        recentLegKeys = (ma == i ? a : 0, mb == i ? b : 0, mc == i ? c : 0)
        recentLegCall = i
    }

    /// Merges a further leg (`r`, its trunk interned) into call `i`, so that a call's legs give the same call in
    /// any order (docs/formats.md, "One call, one record"):
    /// - the leg's trunk, direction and (going out) called number replace the call's when `trunkRoute` says so
    ///   (the call has no trunk yet; the call came in and this leg goes out through a trunk, a call forwarded back
    ///   out being kept as the outbound call, the one that costs money; or both go out and this is a further leg);
    ///   an unanswered call then takes the leg's outcome;
    /// - the call's originating leg (``LegOrigin``) gives it its calling number and account, and its called number
    ///   where no leg went out through a trunk (with no trunk at all, its direction and outcome too):
    ///   ``mergeOrigin(_:into:trunk:)``;
    /// - a format that does not tell which leg originates takes the earliest leg as that, and fills an empty
    ///   account from a later leg.
    /// Numbers are interned only when they replace the call's.
    @inline(__always)
    mutating func mergeLeg(
        _ r: MappedRow,
        into i: Int,
        trunk: UInt16,
        answerMs: Int64?,
        file: String,
        line: Int,
        raw: @autoclosure () -> String
    ) {
        mergedLegs += 1
        if legRecords.count < keepLegs {
            legRecords.append(LegRecord(file: file, line: line, call: i, raw: raw()))
        }
        // A further leg (FreeSWITCH's B leg): the route rule alone, inline; an originating one out of line.
        guard r.origin == .no else { return mergeOrigin(r, into: i, trunk: trunk, answerMs: answerMs) }
        let route = trunkRoute(r, into: i, trunk: trunk, calleeIn: false)
        let outcome = route == nil ? nil : r.disposition
        store.mergeLeg(into: i, startMs: r.start, endMs: r.end, answerMs: answerMs, route: route, outcome: outcome)
    }

    typealias Route = (trunk: UInt16, direction: Direction, callee: UInt32, calleeRaw: UInt32)

    /// The leg's trunk as call `i`'s route, when it replaces the call's: the call has no trunk yet, or this leg goes
    /// out through a trunk and the call came in, or went out too and this leg is a further one (not its call's
    /// originating leg: FreeSWITCH's B leg of a call whose A leg was itself placed through a gateway). So of an
    /// originating leg and a further one that both go out, the further one's trunk is the call's in either order.
    /// The called number is the leg's when it goes out, or (`calleeIn`, an originating leg) when it comes in; else
    /// the call's.
    @inline(__always)
    private mutating func trunkRoute(_ r: MappedRow, into i: Int, trunk: UInt16, calleeIn: Bool) -> Route? {
        guard trunk != Self.noTrunk,
            store.trunk[i] == Self.noTrunk
                || (r.direction == .outbound
                    && (store.direction[i] == Direction.inbound.rawValue
                        || (r.origin == .no && store.direction[i] == Direction.outbound.rawValue)))
        else { return nil }
        let (callee, calleeRaw) =
            r.direction == .outbound || calleeIn ? calledNumber(r, i) : (store.callee[i], store.calleeRaw[i])
        return (trunk, r.direction, callee, calleeRaw)
    }

    /// ``mergeLeg(_:into:trunk:answerMs:file:line:raw:)`` of a leg that may be its call's originating one
    /// (``LegOrigin/yes``, ``LegOrigin/ifEarliest``).
    @inline(never)
    private mutating func mergeOrigin(_ r: MappedRow, into i: Int, trunk: UInt16, answerMs: Int64?) {
        let noTrunk = Self.noTrunk
        let callTrunk = store.trunk[i]
        let callInbound = store.direction[i] == Direction.inbound.rawValue
        let origin = r.origin == .yes || r.start < store.startMs[i]
        var route = trunkRoute(r, into: i, trunk: trunk, calleeIn: origin)
        var outcome = route == nil ? nil : r.disposition
        if route == nil && origin && (callTrunk == noTrunk || callInbound) {
            // No leg went out through a trunk: the called number is this leg's, and with no trunk at all its
            // direction and outcome too.
            let (callee, calleeRaw) = calledNumber(r, i)
            if callTrunk == noTrunk {
                route = (noTrunk, r.direction, callee, calleeRaw)
                outcome = r.disposition
            } else {
                route = (callTrunk, .inbound, callee, calleeRaw)
            }
        }
        if origin {
            let callerRaw = internNumber(r.caller, hash: r.callerHash)
            let account =
                r.origin == .ifEarliest && r.account.isEmpty
                ? store.account[i] : internAccount(r.account, hash: r.accountHash)
            store.setOrigin(i, caller: normalize(callerRaw, r.ctx), callerRaw: callerRaw, account: account)
        } else if store.account[i] == 0 && !r.account.isEmpty {
            let account = internAccount(r.account, hash: r.accountHash)
            store.setOrigin(i, caller: store.caller[i], callerRaw: store.callerRaw[i], account: account)
        }
        store.mergeLeg(into: i, startMs: r.start, endMs: r.end, answerMs: answerMs, route: route, outcome: outcome)
    }

    /// A merging leg's called number, normalized and as written. Mostly the number the call already has
    /// (FreeSWITCH's B leg dials what its A leg dialed): the same id without a look at the table.
    @inline(__always)
    private mutating func calledNumber(_ r: MappedRow, _ i: Int) -> (UInt32, UInt32) {
        let had = store.calleeRaw[i]
        let calleeRaw = store.numbers.holds(had, r.callee) ? had : internNumber(r.callee, hash: r.calleeHash)
        return (normalize(calleeRaw, r.ctx), calleeRaw)
    }

    mutating func reject(_ file: String, _ record: CSVRecord, _ reason: String, _ detail: String) {
        rejects.add(RejectRecord(file: file, record: record, reason: reason, detail: detail))
    }

    /// Takes over a store read elsewhere as this run's store (the first file of a run read in parallel parts).
    /// The per-site normalization caches refer to the old dictionaries, so they are dropped.
    mutating func adoptStore(_ other: ColumnStore) {
        store = other
        store.numbers.clearNotes()
        otherNormalized = [:]
        contextBySite = []
    }

    /// Adds counters of a part read elsewhere (parallel ingest).
    mutating func addCounters(ambiguous: Int, nonexistent: Int, second: Int, warnings more: [String]) {
        localTimes.ambiguous += ambiguous
        localTimes.nonexistent += nonexistent
        localTimes.second += second
        for w in more where !warnings.contains(w) { warnings.append(w) }
    }

    /// Drops the calls and rejects added after the given counts (a duplicate file).
    mutating func truncate(calls: Int, rejects: Int, mergedLegs merged: Int? = nil) {
        store.truncate(to: calls)
        legs.removeCalls(from: calls)
        recentLegKeys = (0, 0, 0)
        legRecords.removeAll { $0.call >= calls }
        if let merged { mergedLegs = merged }
        self.rejects.truncate(to: rejects)
    }

    /// Hands the finished store to the caller.
    mutating func takeStore() -> ColumnStore {
        store.settle()
        let s = store
        store = ColumnStore()
        return s
    }
}

/// One ingest run: its configuration and its ``IngestState``, kept between files.
public final class IngestSession {
    public var state: IngestState
    /// Custom formats (``MappedFormat``) the files may be in, by name, besides the built-in ones.
    public var mappings: [MappedFormat] = []

    public init(inventory: Inventory = Inventory(), declaration: SiteDeclaration = SiteDeclaration()) throws {
        state = try IngestState(inventory: inventory, declaration: declaration)
    }

    /// Gives the readers exclusive access to the state for a whole file (one exclusivity check, not one per row).
    public func withState<R>(_ body: (inout IngestState) throws -> R) rethrows -> R { try body(&state) }

    public var store: ColumnStore { state.store }
    public var rejects: RejectCollector {
        get { state.rejects }
        set { state.rejects = newValue }
    }
    public var inventory: Inventory { state.inventory }
    public var declaration: SiteDeclaration { state.declaration }
    public var ambiguousLocalTimes: Int { state.ambiguousLocalTimes }
    public var nonexistentLocalTimes: Int { state.nonexistentLocalTimes }
    public var secondOccurrences: Int { state.secondOccurrences }
    public var warnings: [String] { state.warnings }
    public var defaultSiteName: String { state.defaultSiteName }

    /// Hands the finished store to the caller.
    public func takeStore() -> ColumnStore { state.takeStore() }

    private var recognised: [String: String] = [:]

    private var batchPools: [ObjectIdentifier: AnyObject] = [:]

    /// The run's pool of consumed batches of two-thread reading (``PipelinedIngest/BatchPool``) for rows of `type`.
    func batchPool<Row>(_ type: Row.Type) -> PipelinedIngest.BatchPool<Row> {
        if let pool = batchPools[ObjectIdentifier(type)] as? PipelinedIngest.BatchPool<Row> { return pool }
        let pool = PipelinedIngest.BatchPool<Row>()
        batchPools[ObjectIdentifier(type)] = pool
        return pool
    }

    /// ``FormatDetector/detect(path:mappings:)`` with this run's mappings, each file looked at once.
    func recognisedFormat(of path: String) -> String? {
        if let known = recognised[path] { return known.isEmpty ? nil : known }
        let format = FormatDetector.detect(path: path, mappings: mappings)
        recognised[path] = format ?? ""
        return format
    }
}
