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
/// Windows that pass the gates and overlap (flagged calls less than a window apart) make one burst; a range's bursts
/// on different days are alerts of their own. A callback belongs to the latest burst before it: a second burst
/// inside the first one's horizon ends the first one's callbacks. Bursts before the evaluated range (history)
/// still own their callbacks: a night's callbacks to a range that burst the night before are reported.
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
            let flaggedCalls = calls.filter { flagged.contains($0) }
            // The bursts: flagged calls a window or more apart start a new one.
            var bursts: [[Int32]] = []
            for c in flaggedCalls {
                if let last = bursts.last?.last, store.startMs[Int(c)] - store.startMs[Int(last)] < w {
                    bursts[bursts.count - 1].append(c)
                } else {
                    bursts.append([c])
                }
            }
            let spans = bursts.map { ctx.span(of: $0) }
            let callbacks = Self.callbacks(
                ctx,
                to: Array(range.utf8),
                after: spans.map(\.lowerBound),
                until: spans.map { $0.upperBound - 1 + Int64(cfg.wangiriCallbackHours) * 3_600_000 }
            )
            // Each alert when it overlaps the evaluated range: a nightly run reports the callbacks of a burst an
            // earlier night reported (the burst read as history), and not the burst again.
            for (k, burst) in bursts.enumerated() {
                if ctx.overlapsEvaluation(spans[k]) { alerts.append(oneRing(ctx, range, burst, short)) }
                if !callbacks[k].isEmpty, ctx.overlapsEvaluation(ctx.span(of: callbacks[k])) {
                    alerts.append(callbackAlert(ctx, range, burst, callbacks[k]))
                }
            }
        }
        return alerts
    }

    /// The `one_ring` alert of a burst.
    private func oneRing(_ ctx: DetectionContext, _ range: String, _ burst: [Int32], _ short: (Int32) -> Bool) -> Alert
    {
        let store = ctx.store
        let distinct = Set(burst.map { store.callee[Int($0)] }).count
        let shortShare = Double(burst.filter(short).count) / Double(burst.count)
        let info = region(ctx, burst)
        return ctx.alert(
            Self.id,
            rule: "one_ring",
            severity: .medium,
            subjectKind: "range",
            subject: range,
            calls: burst,
            countries: [info],
            estCost: 0,
            score: Double(burst.count),
            summary:
                "\(burst.count) inbound calls from the \(CountryTable.shared.name(info)) range \(range)xxx to \(distinct) different numbers, \(span(ctx, burst)), \(Int((shortShare * 100).rounded()))% unanswered or under \(Int(ctx.config.wangiriShortSeconds)) s: a one-ring (Wangiri) burst; warn staff not to call back",
            evidence: [
                "distinct_called": String(distinct), "short_share": String((shortShare * 100).rounded() / 100),
                "callers":
                    "\(store.numbers[store.caller[Int(burst.first!)]])…\(store.numbers[store.caller[Int(burst.last!)]])",
            ],
            minutes: 0
        )
    }

    /// The region of a burst's calling range (its first call's number).
    private func region(_ ctx: DetectionContext, _ burst: [Int32]) -> String {
        let store = ctx.store
        let caller = Int(burst[0])
        let country = ctx.inventory.site(named: store.sites[UInt32(store.site[caller])])?.country ?? ""
        return ctx.destinations.classifier.classify(store.numbers[store.caller[caller]], country: country).region
    }

    /// The `callback` alert of a burst that was called back (`callbacks` not empty).
    private func callbackAlert(
        _ ctx: DetectionContext,
        _ range: String,
        _ burst: [Int32],
        _ callbacks: [Int32]
    )
        -> Alert
    {
        let store = ctx.store
        let (minutes, cost) = ctx.totals(callbacks)
        let score = callbacks.reduce(0.0) { $0 + ctx.score(Int($1)) }
        let who = Set(
            callbacks.compactMap { ctx.source[Int($0)] >= 0 ? ctx.sources[Int(ctx.source[Int($0)])] : nil }
        ).sorted()
        return ctx.alert(
            Self.id,
            rule: "callback",
            severity: Severity.from(cost: max(cost, score), floor: .medium),
            subjectKind: "range",
            subject: range,
            calls: callbacks,
            countries: [region(ctx, burst)],
            estCost: max(cost, score),
            score: Double(callbacks.count),
            summary:
                "\(counted(callbacks.count, "callback")) to the one-ring range \(range)xxx from \(who.joined(separator: ", ")), \(span(ctx, callbacks)), \(Int(minutes.rounded())) min; est. \(ctx.money(max(cost, score)))",
            evidence: ["sample_calls": ctx.samples(callbacks), "callers": who.joined(separator: ", ")],
            minutes: minutes,
            site: store.sites[UInt32(store.site[Int(burst[0])])]
        )
    }

    /// Outbound calls to the range (numbers starting with `range`), each given to the latest burst that began at or
    /// before it, while within that burst's horizon (`until`): one pass over the calls for all of a range's bursts.
    /// `after` (the bursts' starts) is in order.
    static func callbacks(_ ctx: DetectionContext, to range: [UInt8], after: [Int64], until: [Int64]) -> [[Int32]] {
        let store = ctx.store
        var found = [[Int32]](repeating: [], count: after.count)
        guard let first = after.first, let last = until.max() else { return found }
        var numberMatches: [UInt32: Bool] = [:]
        for i in 0..<store.count where store.direction[i] == Direction.outbound.rawValue {
            let s = store.startMs[i]
            guard s >= first && s <= last, !ctx.isExcluded(i) else { continue }
            // The latest burst that began at or before the call.
            var k = after.count - 1
            while after[k] > s { k -= 1 }
            guard s <= until[k] else { continue }
            let callee = store.callee[i]
            let match =
                numberMatches[callee]
                ?? store.numbers.withBytes(callee) { p in
                    p.count >= range.count && zip(p, range).allSatisfy { $0 == $1 }
                }
            numberMatches[callee] = match
            if match { found[k].append(Int32(i)) }
        }
        for k in found.indices { found[k].sort { store.startMs[Int($0)] < store.startMs[Int($1)] } }
        return found
    }
}
