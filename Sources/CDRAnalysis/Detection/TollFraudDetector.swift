import CDRModel
import CPrefetch

/// toll_fraud: IRSF and PBX hacking: bursts of attempts to risky destinations, cost-weighted, per source.
///
/// Rules (parameters in ``DetectorConfig``):
/// - `irsf_fast` / `irsf_mid` / `irsf_slow`: in any 5, 15 or 60 minutes, at least 3, 6 or 10 attempts (answered
///   or not) to premium, satellite, invalid-abroad or high-risk destinations, or a score of at least 1.0 (5 min) or
///   5.0 (60 min), the score being each attempt's estimated cost (one minute at its rate when unanswered);
/// - `simultaneous`: at least 4 such calls from one source up at once (exact sweep);
/// - `sequential`: at least 10 distinct called numbers of one 100-block, or a run of 5 consecutive numbers,
///   within 10 minutes (machine dialing), to any destination;
/// - `new_country`: the first call of the organization to a country (after a week of history) costing ≥ 2;
/// - `low_and_slow`: at least 3 risky calls a night on at least 4 nights within 7 days.
///
/// Triggering example: 300 calls from extension 2042 between Sat 23:30 and Sun 04:00 to +881, +882, +1 876 and
/// Latvian premium numbers, up to 14 at once. Not triggering: two calls to a partner in London in an afternoon.
public struct TollFraudDetector: Detector {
    public static let id = "toll_fraud"
    public static let summary =
        "IRSF and PBX hacking: cost-weighted bursts to risky destinations, simultaneous and sequential calls, new countries, slow patterns"

    public init() {}

    public func run(_ ctx: DetectionContext) -> [Alert] {
        let cfg = ctx.config
        var alerts: [Alert] = []
        let groups = ctx.callsBySource()
        let start = { (c: Int32) in ctx.store.startMs[Int(c)] }
        for src in 0..<groups.count {
            let calls = groups[src]
            guard !calls.isEmpty else { continue }
            let risky = calls.filter { ctx.isRisky(Int($0)) }
            var covered: [Range<Int64>] = []
            for cluster in risky.clusters(start, gapMs: Int64(cfg.clusterGapMinutes) * 60_000) {
                var rules: [String] = []
                let fast = maxWindow(ctx, cluster, minutes: cfg.fastWindowMinutes)
                let mid = maxWindow(ctx, cluster, minutes: cfg.midWindowMinutes)
                let slow = maxWindow(ctx, cluster, minutes: cfg.slowWindowMinutes)
                // Score triggers need at least two attempts: one call is a call, not a pattern.
                if fast.count >= cfg.fastAttempts || (fast.score >= cfg.fastScore && fast.count >= 2) {
                    rules.append("irsf_fast")
                }
                if mid.count >= cfg.midAttempts { rules.append("irsf_mid") }
                if slow.count >= cfg.slowAttempts || (slow.score >= cfg.slowScore && slow.count >= 2) {
                    rules.append("irsf_slow")
                }
                let (peak, _) = ctx.peakSimultaneous(cluster)
                if peak >= cfg.simultaneousCalls { rules.append("simultaneous") }
                guard !rules.isEmpty else { continue }
                let window = windowOf(ctx, cluster)
                covered.append(window)
                guard ctx.overlapsEvaluation(window) else { continue }
                var evidence: [String: String] = [:]
                let seq = sequential(ctx, cluster)
                if let seq {
                    rules.append("sequential")
                    evidence["sequential_numbers"] = seq
                }
                let score = cluster.reduce(0.0) { $0 + ctx.score(Int($1)) }
                let (minutes, cost) = ctx.totals(cluster)
                let regions = ctx.topRegions(cluster)
                evidence["top_destinations"] = regions.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
                evidence["peak_simultaneous"] = String(peak)
                evidence["max_attempts_5min"] = String(fast.count)
                evidence["max_attempts_60min"] = String(slow.count)
                evidence["rules"] = rules.joined(separator: ", ")
                evidence["sample_calls"] = ctx.samples(cluster)
                let history = calls.filter { ctx.store.startMs[Int($0)] < window.lowerBound && ctx.isRisky(Int($0)) }
                    .count
                let answered = cluster.filter { ctx.store.disposition[Int($0)] == Disposition.answered.rawValue }.count
                let subject = ctx.sources[src]
                let summary =
                    "\(cluster.count) attempts (\(answered) answered) to risky destinations (\(regions.map(\.0).joined(separator: ", "))) from \(subject), \(span(ctx, cluster)), up to \(peak) at once\(seq != nil ? ", sequential numbers" : ""); \(history == 0 ? "no risky calls from this source before" : "\(history) risky calls from this source before"); est. \(ctx.money(score)) at risk"
                alerts.append(
                    ctx.alert(
                        Self.id,
                        rule: rules[0],
                        severity: Severity.from(cost: score, floor: .medium),
                        subjectKind: "account",
                        subject: subject,
                        calls: cluster,
                        countries: regions.map(\.0),
                        estCost: max(cost, score),
                        score: Double(cluster.count) + score,
                        summary: summary,
                        evidence: evidence,
                        minutes: minutes
                    )
                )
            }
            // Sequential dialing anywhere (not only to risky destinations), when no cluster alert covers it.
            for burst in calls.clusters(start, gapMs: Int64(cfg.sequentialWindowMinutes) * 60_000)
            where burst.count >= cfg.sequentialRun {
                guard let seq = sequential(ctx, burst) else { continue }
                let window = windowOf(ctx, burst)
                if covered.contains(where: { $0.overlaps(window) }) || !ctx.overlapsEvaluation(window) { continue }
                let (minutes, cost) = ctx.totals(burst)
                let regions = ctx.topRegions(burst)
                alerts.append(
                    ctx.alert(
                        Self.id,
                        rule: "sequential",
                        severity: Severity.from(cost: cost, floor: .medium),
                        subjectKind: "account",
                        subject: ctx.sources[src],
                        calls: burst,
                        countries: regions.map(\.0),
                        estCost: cost,
                        score: Double(burst.count),
                        summary:
                            "\(burst.count) calls dialled in sequence from \(ctx.sources[src]), \(span(ctx, burst)): \(seq); a machine is scanning a number range",
                        evidence: ["sequential_numbers": seq, "sample_calls": ctx.samples(burst)],
                        minutes: minutes
                    )
                )
            }
            if let slow = lowAndSlow(ctx, risky, src: src, covered: covered) { alerts.append(slow) }
        }
        alerts.append(contentsOf: newCountries(ctx))
        return alerts
    }

    func windowOf(_ ctx: DetectionContext, _ calls: [Int32]) -> Range<Int64> {
        let s = calls.map { ctx.store.startMs[Int($0)] }.min()!
        let e = calls.map { ctx.store.endMs(Int($0)) }.max()!
        return s..<max(e, s + 1)
    }

    /// The most attempts and the highest score in any window of `minutes` (two pointers over starts).
    func maxWindow(_ ctx: DetectionContext, _ calls: [Int32], minutes: Int) -> (count: Int, score: Double) {
        let w = Int64(minutes) * 60_000
        var lo = 0
        var score = 0.0
        var best = (0, 0.0)
        for hi in calls.indices {
            score += ctx.score(Int(calls[hi]))
            while ctx.store.startMs[Int(calls[hi])] - ctx.store.startMs[Int(calls[lo])] >= w {
                score -= ctx.score(Int(calls[lo]))
                lo += 1
            }
            best = (max(best.0, hi - lo + 1), max(best.1, score))
        }
        return best
    }

    /// Sequential dialing in calls within the sequential window: a description, or nil.
    ///
    /// Slides a window over the calls; the exact test (distinct numbers of a 100-block, runs of consecutive
    /// numbers) only happens when enough distinct numbers of the window fall in one block or its neighbours.
    func sequential(_ ctx: DetectionContext, _ calls: [Int32]) -> String? {
        let cfg = ctx.config
        let w = Int64(cfg.sequentialWindowMinutes) * 60_000
        // The window as plain arrays (a person's window holds a handful of calls; a scanner's, dozens).
        var window: [(t: Int64, v: Int64)] = []
        var head = 0
        // Calls of one source are far apart in the store: load their called numbers, where those numbers' bytes
        // are, and the bytes, calls ahead, so the cache misses of several calls overlap (most of this test's time
        // is waiting on them).
        for k in 0..<min(16, calls.count) { NumberValues.prefetchCallee(ctx.store, Int(calls[k])) }
        for k in 0..<min(8, calls.count) { NumberValues.prefetchEntry(ctx.store, Int(calls[k])) }
        for k in 0..<min(4, calls.count) { NumberValues.prefetchBytes(ctx.store, Int(calls[k])) }
        for (k, c) in calls.enumerated() {
            if k + 16 < calls.count { NumberValues.prefetchCallee(ctx.store, Int(calls[k + 16])) }
            if k + 8 < calls.count { NumberValues.prefetchEntry(ctx.store, Int(calls[k + 8])) }
            if k + 4 < calls.count { NumberValues.prefetchBytes(ctx.store, Int(calls[k + 4])) }
            guard let v = NumberValues.value(ctx.store, Int(c)) else { continue }
            let t = ctx.store.startMs[Int(c)]
            while head < window.count && t - window[head].t >= w { head += 1 }
            if head > 256 {
                window.removeFirst(head)
                head = 0
            }
            window.append((t, v))
            let block = v / 100
            // Distinct numbers near this one (same or neighbouring block); both tests need at least
            // min(sequentialRun, sequentialDistinct) of them.
            let needed = min(cfg.sequentialRun, cfg.sequentialDistinct)
            var nearCalls = 0
            for k in head..<window.count where abs(window[k].v / 100 - block) <= 1 { nearCalls += 1 }
            guard nearCalls >= needed else { continue }  // cheap test first: calls, not yet distinct numbers
            var near: [Int64] = []
            for k in head..<window.count where abs(window[k].v / 100 - block) <= 1 && !near.contains(window[k].v) {
                near.append(window[k].v)
            }
            guard near.count >= needed else { continue }
            let distinct = Array(Set(window[head...].map(\.v).filter { abs($0 / 100 - block) <= 1 })).sorted()
            let inBlock = distinct.filter { $0 / 100 == block }.count
            if inBlock >= cfg.sequentialDistinct { return "\(inBlock) distinct numbers in the block +\(block)xx" }
            var run = 1
            for k in 1..<max(distinct.count, 1) {
                run = distinct[k] - distinct[k - 1] == 1 ? run + 1 : 1
                if run >= cfg.sequentialRun { return "a run of \(run) consecutive numbers ending +\(distinct[k])" }
            }
        }
        return nil
    }

    /// low_and_slow: a few risky calls a night, night after night.
    func lowAndSlow(_ ctx: DetectionContext, _ risky: [Int32], src: Int, covered: [Range<Int64>]) -> Alert? {
        let cfg = ctx.config
        guard risky.count >= cfg.lowSlowPerNight * cfg.lowSlowNights else { return nil }
        // Night key: the local date of (local time − 12 h), so 22:00–06:00 is one night.
        var nights: [Int64: [Int32]] = [:]
        for c in risky where ctx.afterHours[Int(c)] {
            nights[CivilTime.floorDiv(ctx.local(Int(c)) - 43_200_000, 86_400_000), default: []].append(c)
        }
        let busy = nights.filter { $0.value.count >= cfg.lowSlowPerNight }.keys.sorted()
        guard busy.count >= cfg.lowSlowNights else { return nil }
        var best: [Int64] = []
        for (k, first) in busy.enumerated() {
            let span = busy[k...].prefix { $0 - first < Int64(cfg.lowSlowSpanDays) }
            if span.count > best.count { best = Array(span) }
        }
        guard best.count >= cfg.lowSlowNights else { return nil }
        let calls = best.flatMap { nights[$0]! }.sorted { ctx.store.startMs[Int($0)] < ctx.store.startMs[Int($1)] }
        // Nights whose calls alerted as a burst too (`covered`: this source's cluster alerts): the pattern is still
        // one finding, but the summary must not call those nights too quiet for the burst rules.
        let alerted = best.filter { night in
            nights[night]!.contains { c in covered.contains { $0.contains(ctx.store.startMs[Int(c)]) } }
        }.count
        let window = windowOf(ctx, calls)
        guard ctx.overlapsEvaluation(window) else { return nil }
        let (minutes, cost) = ctx.totals(calls)
        let regions = ctx.topRegions(calls)
        let subject = ctx.sources[src]
        let perNight = Double(calls.count) / Double(best.count)
        return ctx.alert(
            Self.id,
            rule: "low_and_slow",
            severity: Severity.from(cost: cost, floor: .medium),
            subjectKind: "account",
            subject: subject,
            calls: calls,
            countries: regions.map(\.0),
            estCost: cost,
            score: Double(best.count),
            summary:
                "\(calls.count) calls to risky destinations (\(regions.map(\.0).joined(separator: ", "))) from \(subject) after hours on \(best.count) nights within \(cfg.lowSlowSpanDays) days (about \(Int(perNight.rounded())) a night, \(span(ctx, calls))); \(alerted == 0 ? "too few a night for the burst rules" : "\(alerted) of those nights alerted as bursts too"); est. \(ctx.money(cost))",
            evidence: [
                "nights": best.map { CivilTime.formatDay($0) }.joined(separator: ", "),
                "sample_calls": ctx.samples(calls),
                "top_destinations": regions.map { "\($0.0) \($0.1)" }.joined(separator: ", "),
            ],
            minutes: minutes
        )
    }

    /// The organization's first calls to a country, after enough history to know what is usual.
    func newCountries(_ ctx: DetectionContext) -> [Alert] {
        let cfg = ctx.config
        let store = ctx.store
        guard store.count > 0 else { return [] }
        let first = store.startMs.min()!
        let historyMs = Int64(cfg.noveltyHistoryDays) * 86_400_000
        var seen = Set<UInt16>()
        var firstCalls: [UInt16: [Int32]] = [:]
        let order = (0..<store.count).filter {
            store.direction[$0] == Direction.outbound.rawValue && ctx.destinations.international[$0]
                && !ctx.isExcluded($0)
        }
        .sorted { store.startMs[$0] < store.startMs[$1] }
        var firstAt: [UInt16: Int64] = [:]
        for i in order {
            let r = ctx.destinations.regionIds[i]
            if r == 0 { continue }
            if !seen.contains(r) {
                seen.insert(r)
                if store.startMs[i] - first >= historyMs { firstAt[r] = store.startMs[i] }
            }
            if let t = firstAt[r], store.startMs[i] - t < 86_400_000 { firstCalls[r, default: []].append(Int32(i)) }
        }
        var alerts: [Alert] = []
        for (r, calls) in firstCalls.sorted(by: { $0.key < $1.key }) {
            let cost = calls.reduce(0.0) { $0 + ctx.score(Int($1)) }
            guard cost >= cfg.newCountryCost else { continue }
            let window = windowOf(ctx, calls)
            guard ctx.overlapsEvaluation(window) else { continue }
            let region = ctx.destinations.regions[Int(r)]
            let src = ctx.source[Int(calls[0])]
            let subject = src >= 0 ? ctx.sources[Int(src)] : store.numbers[store.caller[Int(calls[0])]]
            let (minutes, billed) = ctx.totals(calls)
            alerts.append(
                ctx.alert(
                    Self.id,
                    rule: "new_country",
                    severity: Severity.from(cost: cost),
                    subjectKind: "account",
                    subject: subject,
                    calls: calls,
                    countries: [region],
                    estCost: max(billed, cost),
                    score: cost,
                    summary:
                        "first calls of the organization to \(CountryTable.shared.name(region)) (\(region)) in \(cfg.noveltyHistoryDays)+ days of history: \(calls.count) in 24 h from \(subject), starting \(ctx.localLabel(Int(calls[0]), withDate: true)) \(ctx.zoneName(Int(calls[0]))); est. \(ctx.money(cost))",
                    evidence: ["sample_calls": ctx.samples(calls)],
                    minutes: minutes
                )
            )
        }
        return alerts
    }
}

/// The numeric value of a call's E.164 called number (the digits after `+`), parsed from the number's bytes
/// when asked. A cache per number id would cost 8 bytes for every number of the run (27 MB at ten million calls)
/// while the sequential test reads only the calls of risky clusters and bursts; the misses of the parse (called
/// number, entry offset, bytes) are overlapped by prefetching calls ahead instead.
enum NumberValues {
    /// Starts loading the called number of `call` (a prefetch: it does not wait).
    @inline(__always)
    static func prefetchCallee(_ store: ColumnStore, _ call: Int) {
        store.callee.withUnsafeBufferPointer { cdr_prefetch($0.baseAddress! + call) }
    }

    /// Starts loading where the called number's bytes are (some calls after ``prefetchCallee(_:_:)``).
    @inline(__always)
    static func prefetchEntry(_ store: ColumnStore, _ call: Int) {
        store.numbers.prefetchEntry(id: store.callee[call])
    }

    /// Starts loading the called number's bytes (some calls after ``prefetchEntry(_:_:)``).
    @inline(__always)
    static func prefetchBytes(_ store: ColumnStore, _ call: Int) {
        store.numbers.prefetchBytes(id: store.callee[call])
    }

    /// The value, or nil when the called number is not an E.164 number of 7 to 18 digits.
    @inline(__always)
    static func value(_ store: ColumnStore, _ call: Int) -> Int64? {
        store.numbers.withBytes(store.callee[call]) { p -> Int64? in
            guard p.count >= 8, p.count <= 19, p[0] == UInt8(ascii: "+") else { return nil }
            var x: Int64 = 0
            for b in p.dropFirst() {
                guard b >= 48 && b <= 57 else { return nil }
                x = x * 10 + Int64(b - 48)
            }
            return x
        }
    }
}
