import CDRModel

/// wangiri: one-ring inbound calls from one foreign number range to many numbers, and the callbacks after.
///
/// Rules:
/// - `one_ring`: inbound calls from international numbers grouped by range (the number without its last three
///   digits); in any 60 minutes at least 20 attempts to at least 10 distinct called numbers, at least 80 % of
///   them unanswered or answered for at most 6 seconds;
/// - `callback`: outbound calls, within 72 hours after such a burst, to a number of the range (the victims
///   calling back a premium range), with their cost.
///
/// Triggering example: 250 calls from +232 76 123 000…249 to 200 DIDs in 30 minutes, 88 % cancelled after
/// 2–5 s, then four employees call back. Not triggering: ten calls a day from a partner's switchboard.
public struct WangiriDetector: Detector {
    public static let id = "wangiri"
    public static let summary = "One-ring inbound bursts from one foreign range to many numbers, and the callbacks"

    public init() {}

    public func run(_ ctx: DetectionContext) -> [Alert] {
        let store = ctx.store
        let cfg = ctx.config
        // Range of each international calling number (number id → range id), classified once per number.
        let siteCountries = (0..<store.sites.count).map {
            ctx.inventory.site(named: store.sites[UInt32($0)])?.country ?? ""
        }
        var rangeOf = [Int32](repeating: -2, count: store.numbers.count)
        var ranges = StringTable()
        var byRangeId: [Int32: [Int32]] = [:]
        for i in 0..<store.count where store.direction[i] == Direction.inbound.rawValue {
            let caller = Int(store.caller[i])
            if rangeOf[caller] == -2 {
                let country = siteCountries[Int(store.site[i])]
                rangeOf[caller] = store.numbers.withBytes(UInt32(caller)) { p -> Int32 in
                    guard p.count > 6, p[0] == UInt8(ascii: "+"),
                        ctx.destinations.classifier.verdict(p, country: country).international
                    else { return -1 }
                    return Int32(ranges.intern(UnsafeRawBufferPointer(rebasing: p[0..<(p.count - 3)])))
                }
            }
            let r = rangeOf[caller]
            if r >= 0 { byRangeId[r, default: []].append(Int32(i)) }
        }
        var byRange: [String: [Int32]] = [:]
        for (r, calls) in byRangeId { byRange[ranges[UInt32(r)]] = calls }
        var alerts: [Alert] = []
        let w = Int64(cfg.wangiriWindowMinutes) * 60_000
        for (range, unsorted) in byRange.sorted(by: { $0.key < $1.key }) where unsorted.count >= cfg.wangiriAttempts {
            let calls = unsorted.sorted { store.startMs[Int($0)] < store.startMs[Int($1)] }
            func short(_ c: Int32) -> Bool {
                let i = Int(c)
                return store.disposition[i] != Disposition.answered.rawValue
                    || Double(store.billableMs(i)) / 1000 <= cfg.wangiriShortSeconds
            }
            // Windows that pass every gate; their union is the burst.
            var lo = 0
            var flagged = Set<Int32>()
            for hi in calls.indices {
                while store.startMs[Int(calls[hi])] - store.startMs[Int(calls[lo])] >= w { lo += 1 }
                let window = calls[lo...hi]
                guard window.count >= cfg.wangiriAttempts else { continue }
                let distinct = Set(window.map { store.callee[Int($0)] }).count
                let shortShare = Double(window.filter(short).count) / Double(window.count)
                if distinct >= cfg.wangiriDistinctCalled && shortShare >= cfg.wangiriShortShare {
                    flagged.formUnion(window)
                }
            }
            guard !flagged.isEmpty else { continue }
            let burst = calls.filter { flagged.contains($0) }
            let start = store.startMs[Int(burst[0])]
            let end = burst.map { store.endMs(Int($0)) }.max()!
            guard ctx.overlapsEvaluation(start..<(end + 1)) else { continue }
            let distinct = Set(burst.map { store.callee[Int($0)] }).count
            let shortShare = Double(burst.filter(short).count) / Double(burst.count)
            let caller = Int(burst[0])
            let country = ctx.inventory.site(named: store.sites[UInt32(store.site[caller])])?.country ?? ""
            let info = ctx.destinations.classifier.classify(store.numbers[store.caller[caller]], country: country)
            let rangeBytes = Array(range.utf8)
            let siteName = store.sites[UInt32(store.site[caller])]
            alerts.append(
                ctx.alert(
                    Self.id,
                    rule: "one_ring",
                    severity: .medium,
                    subjectKind: "range",
                    subject: range,
                    calls: burst,
                    countries: [info.region],
                    estCost: 0,
                    score: Double(burst.count),
                    summary:
                        "\(burst.count) inbound calls from the \(CountryTable.shared.name(info.region)) range \(range)xxx to \(distinct) different numbers, \(span(ctx, burst)), \(Int((shortShare * 100).rounded()))% unanswered or under \(Int(cfg.wangiriShortSeconds)) s: a one-ring (Wangiri) burst; warn staff not to call back",
                    evidence: [
                        "distinct_called": String(distinct), "short_share": String((shortShare * 100).rounded() / 100),
                        "callers":
                            "\(store.numbers[store.caller[Int(burst.first!)]])…\(store.numbers[store.caller[Int(burst.last!)]])",
                    ],
                    minutes: 0
                )
            )
            // Callbacks: outbound calls to the range within the callback horizon.
            let horizon = end + Int64(cfg.wangiriCallbackHours) * 3_600_000
            var callbacks: [Int32] = []
            var numberMatches: [UInt32: Bool] = [:]
            for i in 0..<store.count where store.direction[i] == Direction.outbound.rawValue {
                let s = store.startMs[i]
                guard s >= start && s <= horizon, !ctx.isExcluded(i) else { continue }
                let callee = store.callee[i]
                let match =
                    numberMatches[callee]
                    ?? store.numbers.withBytes(callee) { p in
                        p.count >= rangeBytes.count && zip(p, rangeBytes).allSatisfy { $0 == $1 }
                    }
                numberMatches[callee] = match
                if match { callbacks.append(Int32(i)) }
            }
            guard !callbacks.isEmpty else { continue }
            callbacks.sort { store.startMs[Int($0)] < store.startMs[Int($1)] }
            let (minutes, cost) = ctx.totals(callbacks)
            let score = callbacks.reduce(0.0) { $0 + ctx.score(Int($1)) }
            let who = Set(
                callbacks.compactMap { ctx.source[Int($0)] >= 0 ? ctx.sources[Int(ctx.source[Int($0)])] : nil }
            ).sorted()
            alerts.append(
                ctx.alert(
                    Self.id,
                    rule: "callback",
                    severity: Severity.from(cost: max(cost, score), floor: .medium),
                    subjectKind: "range",
                    subject: range,
                    calls: callbacks,
                    countries: [info.region],
                    estCost: max(cost, score),
                    score: Double(callbacks.count),
                    summary:
                        "\(counted(callbacks.count, "callback")) to the one-ring range \(range)xxx from \(who.joined(separator: ", ")), \(span(ctx, callbacks)), \(Int(minutes.rounded())) min; est. \(ctx.money(max(cost, score)))",
                    evidence: ["sample_calls": ctx.samples(callbacks), "callers": who.joined(separator: ", ")],
                    minutes: minutes,
                    site: siteName
                )
            )
        }
        return alerts
    }
}
