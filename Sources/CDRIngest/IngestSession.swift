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
final class SiteContext {
    let name: String
    let zone: ZoneResolver?
    let plan: DialPlan?
    let trunkNames: Set<String>
    /// Normalized number id per raw number id (`UInt32.max` = not computed yet).
    var normalized: [UInt32] = []

    init(name: String, zone: ZoneResolver?, plan: DialPlan?, trunkNames: Set<String>) {
        self.name = name
        self.zone = zone
        self.plan = plan
        self.trunkNames = trunkNames
    }
}

/// The mutable state of one ingest run: the store being filled, the rejects, the sites and the counters.
///
/// Format readers call into it for every record. It is single-threaded by design (see `docs/architecture.md`).
public final class IngestSession {
    public private(set) var store = ColumnStore()
    public var rejects = RejectCollector()
    public let inventory: Inventory
    public let declaration: SiteDeclaration
    /// Local times that fell into a DST fold (resolved to the first occurrence), per site.
    public private(set) var ambiguousLocalTimes = 0
    /// Local times that fell into a DST gap (shifted forward), per site.
    public private(set) var nonexistentLocalTimes = 0
    /// Ambiguous local times read as their second occurrence because the file had moved past the first.
    public private(set) var secondOccurrences = 0
    private var contexts: [SiteContext?] = []
    private var contextsByName: [String: SiteContext] = [:]
    let fallbackPlan: DialPlan?
    /// Why the declared site could not be fully used (unknown zone or country), reported once.
    public private(set) var warnings: [String] = []

    public init(inventory: Inventory = Inventory(), declaration: SiteDeclaration = SiteDeclaration()) throws {
        self.inventory = inventory
        self.declaration = declaration
        if let tz = declaration.timeZone, ZoneResolver(identifier: tz) == nil {
            throw IngestError(.configuration, file: "--timezone", "unknown IANA time zone '\(tz)' (for example Europe/Berlin)")
        }
        if let cc = declaration.country, CountryTable.shared.info(cc) == nil {
            throw IngestError(.configuration, file: "--country", "unknown country code '\(cc)' (ISO 3166-1 alpha-2, e.g. DE)")
        }
        if let name = declaration.name, !inventory.sites.isEmpty, inventory.site(named: name) == nil,
            declaration.timeZone == nil
        {
            let known = inventory.sites.map(\.name).joined(separator: ", ")
            throw IngestError(.configuration, file: "--site", "site '\(name)' is not in the inventory (known: \(known))")
        }
        fallbackPlan = declaration.country.flatMap { DialPlan(region: $0) }
        store.reserve(1 << 16)
    }

    /// Name used for rows and files with no site of their own.
    public var defaultSiteName: String { declaration.name ?? (inventory.sites.count == 1 ? inventory.sites[0].name : "") }

    /// The context for a site id of the store, creating it on first use.
    func context(siteId: UInt16) -> SiteContext {
        let i = Int(siteId)
        if i < contexts.count, let c = contexts[i] { return c }
        while contexts.count <= i { contexts.append(nil) }
        let name = store.sites[UInt32(siteId)]
        let c = makeContext(name)
        contexts[i] = c
        return c
    }

    private func makeContext(_ name: String) -> SiteContext {
        if let c = contextsByName[name] { return c }
        let site = inventory.site(named: name)
        // --timezone/--country without --site apply to every site the inventory does not describe.
        let isDeclared = name == defaultSiteName || declaration.name == nil
        let tz = site?.timeZone ?? (isDeclared ? declaration.timeZone : nil)
        let plan = site?.dialPlan ?? (isDeclared ? fallbackPlan : nil)
        let trunks = Set(inventory.trunks.filter { $0.site == name }.map(\.name))
        if site == nil && !name.isEmpty && !isDeclared && !inventory.sites.isEmpty {
            warnings.append("site '\(name)' is not in the inventory; its local-time fields cannot be read")
        }
        let c = SiteContext(name: name, zone: tz.flatMap { ZoneResolver(identifier: $0) }, plan: plan, trunkNames: trunks)
        contextsByName[name] = c
        return c
    }

    @inline(__always)
    func internSite(_ bytes: UnsafeRawBufferPointer) -> UInt16? {
        let id = store.sites.intern(bytes)
        return id <= UInt32(UInt16.max) ? UInt16(id) : nil
    }

    func internSite(_ name: String) -> UInt16 { UInt16(truncatingIfNeeded: store.sites.intern(name)) }

    @inline(__always)
    func internTrunk(_ bytes: UnsafeRawBufferPointer) -> UInt16? {
        let id = store.trunks.intern(bytes)
        return id <= UInt32(UInt16.max) ? UInt16(id) : nil
    }

    @inline(__always)
    func internAccount(_ bytes: UnsafeRawBufferPointer) -> UInt32 { store.accounts.intern(bytes) }

    @inline(__always)
    func internNumber(_ bytes: UnsafeRawBufferPointer) -> UInt32 { store.numbers.intern(bytes) }

    /// The normalized number id for a raw number id at a site (computed once per distinct raw number).
    @inline(__always)
    func normalize(_ raw: UInt32, _ ctx: SiteContext) -> UInt32 {
        let r = Int(raw)
        if r < ctx.normalized.count {
            let v = ctx.normalized[r]
            if v != UInt32.max { return v }
        } else {
            ctx.normalized.append(contentsOf: repeatElement(UInt32.max, count: max(r + 1 - ctx.normalized.count, 1024)))
        }
        let text = store.numbers[raw]
        let value: String
        if let plan = ctx.plan {
            value = plan.normalize(text).value
        } else {
            value = Self.normalizeWithoutPlan(text)
        }
        let id = store.numbers.intern(value)
        ctx.normalized[r] = id
        return id
    }

    /// Without a site country only explicit international forms can be normalized (`+`, `00`);
    /// other numbers are kept as written, with separators removed.
    static func normalizeWithoutPlan(_ text: String) -> String {
        var digits = ""
        var plus = false
        for (i, c) in text.enumerated() {
            if c == "+" && i == 0 { plus = true } else if c.isNumber && c.isASCII { digits.append(c) } else if " -.()/".contains(c) {
                continue
            } else {
                return text
            }
        }
        if plus { return "+" + digits }
        if digits.hasPrefix("00") && digits.count > 8 { return "+" + digits.dropFirst(2) }
        return digits
    }

    /// Converts a wall-clock time of the site to UTC.
    ///
    /// An ambiguous time (in a DST fold) is read as its first occurrence, unless the file has already reached
    /// instants more than 30 minutes past that occurrence (`latestInFile`): then the file is in the repeated
    /// hour and the second occurrence is taken. Files are written in call order, so this follows the clock.
    @inline(__always)
    func localToUTC(_ localMs: Int64, _ ctx: SiteContext, latestInFile: Int64 = .min) -> Int64? {
        guard let zone = ctx.zone else { return nil }
        let (ms, how) = zone.utcMs(fromLocal: localMs)
        switch how {
        case .exact: break
        case .ambiguous:
            ambiguousLocalTimes += 1
            if latestInFile > ms + 1_800_000, let later = zone.laterUTCMs(fromLocal: localMs) {
                secondOccurrences += 1
                return later
            }
        case .nonexistent: nonexistentLocalTimes += 1
        }
        return ms
    }

    @inline(__always)
    func append(
        startMs: Int64, durationMs: Int64, ringMs: Int64, callerRaw: UInt32, calleeRaw: UInt32, account: UInt32,
        trunk: UInt16, site: UInt16, ctx: SiteContext, direction: Direction, disposition: Disposition
    ) {
        store.append(
            startMs: startMs, durationMs: UInt32(durationMs), ringMs: Int32(ringMs),
            caller: normalize(callerRaw, ctx), callee: normalize(calleeRaw, ctx), callerRaw: callerRaw,
            calleeRaw: calleeRaw, account: account, trunk: trunk, site: site, direction: direction,
            disposition: disposition)
    }

    func reject(_ file: String, _ record: CSVRecord, _ reason: String, _ detail: String) {
        rejects.add(RejectRecord(file: file, line: record.line, reason: reason, detail: detail, raw: record.rawText()))
    }

    /// Hands the finished store to the caller.
    public func takeStore() -> ColumnStore {
        let s = store
        store = ColumnStore()
        return s
    }
}
