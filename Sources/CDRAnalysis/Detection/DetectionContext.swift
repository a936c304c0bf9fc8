import CDRModel

/// Everything the detectors read: the store, its destination columns, the sites, and per-call derived columns.
///
/// Built once per run; every detector is a pure function of it and its configuration.
public struct DetectionContext: Sendable {
    public let store: ColumnStore
    public let destinations: CallDestinations
    public let inventory: Inventory
    public var config: DetectorConfig
    /// Alerts are raised only for windows that end inside this range (UTC ms); history before it is baseline.
    public let evaluate: Range<Int64>
    /// One byte a call: the UTC offset of the call's start in its site's zone, in quarter hours (every zone's
    /// offset is a multiple of 15 minutes, −48…+56), shifted left by one, and in bit 0 whether the call started
    /// outside its site's business hours. ``local(_:)`` gives the site-local wall clock.
    private let clock: [Int8]
    /// Earliest and latest site-local start.
    public let localMin: Int64
    public let localMax: Int64
    /// Whether each call started outside its site's business hours (zone, weekends, holidays).
    public let afterHours: AfterHours
    /// Source of each outbound call (account code, else the calling extension) as an id in `sources`; −1 else.
    /// Read through per-account and per-number tables, so it costs no memory per call.
    public let source: SourceColumn
    public let sources: [String]

    /// The after-hours bit of each call's clock byte.
    public struct AfterHours: Sendable {
        let clock: [Int8]
        @inline(__always) public subscript(i: Int) -> Bool { clock[i] & 1 != 0 }
    }

    /// The source of a call: its account's id when it has an account, else its calling number's; −1 when the call
    /// is not outbound.
    /// It keeps the three store columns it reads, like `CallDestinations.Costs`.
    public struct SourceColumn: Sendable {
        let direction: [UInt8]
        let account: IdColumn
        let caller: [UInt32]
        let fromAccount: [Int32]
        let fromCaller: [Int32]
        @inline(__always) public subscript(i: Int) -> Int32 {
            guard direction[i] == Direction.outbound.rawValue else { return -1 }
            let a = Int(account[i])
            return a != 0 ? fromAccount[a] : fromCaller[Int(caller[i])]
        }
    }
    /// ``isExcluded(_:)`` and ``isRisky(_:)`` of each call, read through its verdict.
    private let excludedCalls: CallDestinations.Column<Bool>
    private let riskyCalls: CallDestinations.Column<Bool>
    /// Per store site id: IANA zone (UTC when unknown) and calendar.
    public let siteZoneNames: [String]
    public let siteCalendars: [BusinessCalendar]

    public init(
        store: ColumnStore,
        destinations: CallDestinations,
        inventory: Inventory,
        config: DetectorConfig = DetectorConfig(),
        evaluate: Range<Int64>? = nil,
        defaultZone: String? = nil
    ) {
        self.store = store
        self.destinations = destinations
        self.inventory = inventory
        self.config = config
        let siteCount = store.sites.count
        var zones: [ZoneResolver?] = []
        var zoneNames: [String] = []
        var calendars: [BusinessCalendar] = []
        for id in 0..<siteCount {
            let site = inventory.site(named: store.sites[UInt32(id)])
            let name = site?.timeZone ?? defaultZone ?? "UTC"
            zones.append(ZoneResolver(identifier: name))
            zoneNames.append(name)
            calendars.append(site?.calendar ?? (try! BusinessCalendar()))
        }
        let tests = Self.verdictTests(destinations)
        excludedCalls = CallDestinations.Column(verdicts: destinations.verdicts, table: tests.excluded)
        riskyCalls = CallDestinations.Column(verdicts: destinations.verdicts, table: tests.risky)
        siteZoneNames = zoneNames
        siteCalendars = calendars
        let n = store.count
        var clock = [Int8](repeating: 0, count: n)
        var lmin = Int64.max
        var lmax = Int64.min
        var table = StringTable()
        var fromAccount = [Int32](repeating: -1, count: store.accounts.count)
        // Only as far as the highest calling number of an outbound call without an account (extensions: they
        // come first in the number table as a rule), not one slot for every number of the run.
        var fromCaller: [Int32] = []
        var lo = Int64.max
        var hi = Int64.min
        // Business hours of each site's current local day, cached (calls come roughly in time order).
        var cachedDay = [Int64](repeating: .min, count: siteCount)
        var cachedOpen = [[ClosedRange<Int>]](repeating: [], count: siteCount)
        for i in 0..<n {
            let site = Int(store.site[i])
            let s = store.startMs[i]
            lo = min(lo, s)
            hi = max(hi, s + Int64(store.durationMs[i]))
            let l = zones[site]?.localMs(fromUTC: s) ?? s
            let quarters = Int8(clamping: max(-64, min(63, (l - s) / 900_000)))
            lmin = min(lmin, l)
            lmax = max(lmax, l)
            let day = CivilTime.floorDiv(l, 86_400_000)
            if cachedDay[site] != day {
                cachedDay[site] = day
                let cal = calendars[site]
                cachedOpen[site] = cal.holidays.contains(day) ? [] : cal.open[CivilTime.weekday(days: day)]
            }
            let minute = Int((l - day * 86_400_000) / 60_000)
            let after: Int8 = cachedOpen[site].contains { $0.contains(minute) } ? 0 : 1
            clock[i] = quarters << 1 | after
            guard store.direction[i] == Direction.outbound.rawValue else { continue }
            let a = Int(store.account[i])
            if a != 0 {
                if fromAccount[a] < 0 {
                    fromAccount[a] = Int32(store.accounts.withBytes(UInt32(a)) { table.intern($0) })
                }
            } else {
                let c = Int(store.caller[i])
                if c >= fromCaller.count {
                    fromCaller.append(contentsOf: repeatElement(-1, count: c + 1 - fromCaller.count))
                }
                if fromCaller[c] < 0 { fromCaller[c] = Int32(store.numbers.withBytes(UInt32(c)) { table.intern($0) }) }
            }
        }
        self.clock = clock
        localMin = n == 0 ? 0 : lmin
        localMax = n == 0 ? 0 : lmax
        afterHours = AfterHours(clock: clock)
        source = SourceColumn(
            direction: store.direction,
            account: store.account,
            caller: store.caller,
            fromAccount: fromAccount,
            fromCaller: fromCaller
        )
        sources = table.all
        self.evaluate = evaluate ?? (n == 0 ? 0..<0 : lo..<(hi + 1))
    }

    /// Site-local wall-clock milliseconds of call `i`'s start.
    @inline(__always)
    public func local(_ i: Int) -> Int64 { store.startMs[i] + Int64(clock[i] >> 1) * 900_000 }

    /// The site's IANA zone name of call `i`.
    public func zoneName(_ i: Int) -> String { siteZoneNames[Int(store.site[i])] }

    /// A local time for summaries: `Sat 23:42`, `2026-10-24 23:42`.
    public func localLabel(_ i: Int, withDate: Bool = false) -> String {
        Self.label(local(i), withDate: withDate)
    }

    static let weekdays = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    static func label(_ local: Int64, withDate: Bool) -> String {
        let day = CivilTime.floorDiv(local, 86_400_000)
        let t = CivilTime.format(ms: local, separator: " ")
        return withDate
            ? "\(weekdays[CivilTime.weekday(days: day)]) \(t.prefix(16))"
            : "\(weekdays[CivilTime.weekday(days: day)]) \(t.dropFirst(11).prefix(5))"
    }

    /// Outbound calls grouped by source, each group sorted by start: one flat array of call indexes (4 bytes an
    /// outbound call, no slack) and where each source's calls begin.
    public struct SourceGroups: Sendable {
        public let calls: [Int32]
        public let starts: [Int]
        public var count: Int { starts.count - 1 }
        /// The calls of source `g`.
        public subscript(g: Int) -> [Int32] { Array(calls[starts[g]..<starts[g + 1]]) }
    }

    /// Outbound calls grouped by source (excluded destinations left out), each group sorted by start.
    public func callsBySource() -> SourceGroups {
        var starts = [Int](repeating: 0, count: sources.count + 1)
        for i in 0..<store.count where source[i] >= 0 && !isExcluded(i) { starts[Int(source[i]) + 1] += 1 }
        for g in 0..<sources.count { starts[g + 1] += starts[g] }
        var next = starts
        var calls = [Int32](repeating: 0, count: starts[sources.count])
        for i in 0..<store.count where source[i] >= 0 && !isExcluded(i) {
            let g = Int(source[i])
            calls[next[g]] = Int32(i)
            next[g] += 1
        }
        // Calls are appended in store order; sort each group by start where the store is not in time order.
        calls.withUnsafeMutableBufferPointer { all in
            for g in 0..<sources.count where starts[g + 1] - starts[g] > 1 {
                var group = UnsafeMutableBufferPointer(rebasing: all[starts[g]..<starts[g + 1]])
                var sorted = true
                for k in 1..<group.count where store.startMs[Int(group[k])] < store.startMs[Int(group[k - 1])] {
                    sorted = false
                    break
                }
                if !sorted { group.sort { store.startMs[Int($0)] < store.startMs[Int($1)] } }
            }
        }
        return SourceGroups(calls: calls, starts: starts)
    }

    /// Whether call `i` must never raise an alert: emergency numbers and allow-listed destinations.
    @inline(__always)
    public func isExcluded(_ i: Int) -> Bool { excludedCalls[i] }

    /// Whether call `i` goes to a risky destination: premium, satellite or invalid, or a high-risk country abroad.
    @inline(__always)
    public func isRisky(_ i: Int) -> Bool { riskyCalls[i] }

    /// Both tests depend on the call's verdict only, so they are answered once per distinct verdict.
    static func verdictTests(_ d: CallDestinations) -> (excluded: [Bool], risky: [Bool]) {
        var excluded: [Bool] = []
        var risky: [Bool] = []
        for v in d.classes.table.indices {
            let c = NumberClass.allCases[Int(d.classes.table[v])]
            let allowed = d.allowed.table[v]
            excluded.append(allowed || c == .emergency)
            if allowed || c == .emergency || c == .internal || c == .tollFree {
                risky.append(false)
            } else {
                risky.append(
                    c == .premium || c == .satellite || (c == .invalid && d.international.table[v])
                        || d.tiers.table[v] == 2
                )
            }
        }
        return (excluded, risky)
    }

    /// Attempt score of a call (ClearIP-style): its estimated cost when answered, else one minute at its rate.
    @inline(__always)
    public func score(_ i: Int) -> Double {
        let cost = Double(destinations.costs[i])
        return cost > 0 ? cost : Double(destinations.rates[i])
    }

    /// The region names of calls, most frequent first.
    public func topRegions(_ calls: [Int32], limit: Int = 5) -> [(String, Int)] {
        var counts: [String: Int] = [:]
        for c in calls {
            let r = destinations.region(Int(c))
            if !r.isEmpty { counts[r, default: 0] += 1 }
        }
        return counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(limit).map {
            ($0.key, $0.value)
        }
    }

    /// Totals over a set of calls: minutes billed and estimated cost.
    public func totals(_ calls: [Int32]) -> (minutes: Double, cost: Double) {
        var ms: Int64 = 0
        var cost = 0.0
        for c in calls {
            ms += store.billableMs(Int(c))
            cost += Double(destinations.costs[Int(c)])
        }
        return (Double(ms) / 60_000, cost)
    }

    /// Up to `n` sample calls as text (local time, called number, duration, disposition).
    public func samples(_ calls: [Int32], _ n: Int = 3) -> String {
        calls.prefix(n).map { c -> String in
            let i = Int(c)
            return
                "\(localLabel(i, withDate: true)) \(store.numbers[store.callee[i]]) \(store.durationMs[i] / 1000)s \(store.dispositionOf(i))"
        }.joined(separator: "; ")
    }

    /// Peak number of the calls up at once (exact sweep, releases before seizures).
    public func peakSimultaneous(_ calls: [Int32]) -> (peak: Int, atMs: Int64) {
        var events: [(Int64, Int)] = []
        for c in calls where store.durationMs[Int(c)] > 0 {
            events.append((store.startMs[Int(c)], 1))
            events.append((store.endMs(Int(c)), -1))
        }
        events.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var active = 0
        var peak = 0
        var at: Int64 = 0
        for (t, d) in events {
            active += d
            if active > peak {
                peak = active
                at = t
            }
        }
        return (peak, at)
    }

    /// An alert about `calls`: the site and trunk of the first call, the window from the first seizure to the last
    /// release, the billable minutes and the run's currency, so each detector states only what it found.
    public func alert(
        _ detector: String,
        rule: String,
        severity: Severity,
        subjectKind: String,
        subject: String,
        calls: [Int32],
        countries: [String],
        estCost: Double,
        score: Double,
        summary: String,
        evidence: [String: String],
        minutes: Double? = nil,
        trunk: String? = nil,
        site: String? = nil
    ) -> Alert {
        let first = Int(calls[0])
        let start = calls.map { store.startMs[Int($0)] }.min()!
        let end = calls.map { store.endMs(Int($0)) }.max()!
        return Alert(
            detector: detector,
            rule: rule,
            severity: severity,
            subjectKind: subjectKind,
            subject: subject,
            site: site ?? store.sites[UInt32(store.site[first])],
            trunk: trunk ?? store.trunks[UInt32(store.trunk[first])],
            countries: countries,
            windowStartMs: start,
            windowEndMs: max(end, start + 1),
            calls: calls.count,
            minutes: minutes ?? totals(calls).minutes,
            estCost: estCost,
            currency: destinations.currency,
            score: score,
            summary: summary,
            evidence: evidence
        )
    }

    /// Whether a window overlaps the evaluated range (only such windows raise alerts).
    public func overlapsEvaluation(_ w: Range<Int64>) -> Bool {
        w.upperBound > evaluate.lowerBound && w.lowerBound < evaluate.upperBound
    }

    /// First seizure to last release of some calls, the release included.
    public func span(of calls: [Int32]) -> Range<Int64> {
        calls.map { store.startMs[Int($0)] }.min()!..<(calls.map { store.endMs(Int($0)) }.max()! + 1)
    }

    /// Money text: `USD 412`.
    public func money(_ v: Double) -> String {
        "\(destinations.currency) \(v >= 100 ? String(Int(v.rounded())) : String((v * 100).rounded() / 100))"
    }
}
