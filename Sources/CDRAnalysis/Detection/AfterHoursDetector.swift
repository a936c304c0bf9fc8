import CDRModel
import Foundation

/// after_hours: outbound calls outside each site's business hours that spike against the site's own
/// after-hours baseline, and risky or international calls after hours even at low volume.
///
/// Rules:
/// - `volume`: a local after-hours hour (site zone, weekends, holidays) whose outbound attempts are at least
///   10, at least 5 times the expected count, and significant (negative binomial, FDR 1 %) against the same hour
///   of the week in the other weeks (leave-one-out) with a prior from the site's mean after-hours rate; consecutive
///   hours merge;
/// - `risky_calls`: one source with at least 3 international or risky calls (or an estimated cost of 10) in one
///   night after hours, when it does not do so on other nights.
///
/// Triggering example: six extensions of the Singapore site make 60 calls on a Saturday evening that usually
/// sees four. Not triggering: the usual handful of calls at 18:30 on a weekday.
public struct AfterHoursDetector: Detector {
    public static let id = "after_hours"
    public static let summary =
        "After-hours spikes against each site's own after-hours baseline, and risky calls after hours"

    public init() {}

    public func run(_ ctx: DetectionContext) -> [Alert] {
        let store = ctx.store
        let cfg = ctx.config
        guard store.count > 0 else { return [] }
        var alerts: [Alert] = []
        let siteCount = store.sites.count
        // Hourly after-hours outbound counts per site (local hour index).
        var hourly = [[Int64: [Int32]]](repeating: [:], count: siteCount)
        for i in 0..<store.count where store.direction[i] == Direction.outbound.rawValue && ctx.afterHours[i] {
            if ctx.isExcluded(i) { continue }
            hourly[Int(store.site[i])][CivilTime.floorDiv(ctx.local(i), 3_600_000), default: []].append(Int32(i))
        }
        let firstHour = CivilTime.floorDiv(ctx.localMin, 3_600_000)
        let lastHour = CivilTime.floorDiv(ctx.localMax, 3_600_000)
        var tests: [(site: Int, hour: Int64, calls: [Int32], p: Double, expected: Double)] = []
        var m = 0
        for s in 0..<siteCount {
            let calendar = ctx.siteCalendars[s]
            // Per hour-of-week bucket: the after-hours hours observed and their total count (holidays as Sunday).
            var bucketTotal = [Double](repeating: 0, count: 168)
            var bucketHours = [Double](repeating: 0, count: 168)
            var afterHoursHours = 0.0
            var total = 0.0
            for h in firstHour...lastHour {
                let localMs = h * 3_600_000
                if calendar.isOpen(localMs: localMs) && calendar.isOpen(localMs: localMs + 3_599_000) { continue }
                let b = bucket(h, calendar)
                bucketHours[b] += 1
                let n = Double(hourly[s][h]?.count ?? 0)
                bucketTotal[b] += n
                afterHoursHours += 1
                total += n
            }
            let mean = total / max(afterHoursHours, 1)
            m += hourly[s].count
            for (h, calls) in hourly[s] where calls.count >= cfg.afterHoursMinCount {
                let b = bucket(h, calendar)
                let x = Double(calls.count)
                let others = bucketTotal[b] - x
                let weeks = max(bucketHours[b] - 1, 0)
                guard weeks >= Double(cfg.afterHoursMinWeeks) else { continue }
                let b0 = 1.0
                let r = mean * b0 + others
                let denom = b0 + weeks
                let expected = r / denom
                guard x >= cfg.afterHoursRatio * max(expected, 0.5) else { continue }
                let p = CountModel.negativeBinomialTail(x: calls.count, r: max(r, 1e-6), p: denom / (denom + 1))
                tests.append((s, h, calls, p, expected))
            }
        }
        let discovered = CountModel.benjaminiHochberg(tests.map(\.p), m: max(m, 1), q: cfg.afterHoursFDR)
        var bySite: [Int: [Int]] = [:]
        for k in discovered { bySite[tests[k].site, default: []].append(k) }
        for (s, ks) in bySite.sorted(by: { $0.key < $1.key }) {
            for g in consecutiveHours(ks.map { (tests[$0].hour, $0) }) {
                let calls = g.flatMap { tests[$0].calls }.sorted { store.startMs[Int($0)] < store.startMs[Int($1)] }
                guard ctx.overlapsEvaluation(ctx.span(of: calls)) else { continue }
                let expected = g.reduce(0.0) { $0 + tests[$1].expected }
                let pMin = g.map { tests[$0].p }.min()!
                let (minutes, cost) = ctx.totals(calls)
                let sourcesInvolved = Set(
                    calls.compactMap { ctx.source[Int($0)] >= 0 ? ctx.sources[Int(ctx.source[Int($0)])] : nil }
                ).sorted()
                let regions = ctx.topRegions(calls)
                let siteName = store.sites[UInt32(s)]
                alerts.append(
                    ctx.alert(
                        Self.id,
                        rule: "volume",
                        severity: Severity.from(cost: cost, floor: .medium),
                        subjectKind: "site",
                        subject: siteName,
                        calls: calls,
                        countries: regions.map(\.0),
                        estCost: cost,
                        score: -log10(max(pMin, 1e-300)),
                        summary:
                            "\(calls.count) outbound calls after business hours at site \(siteName), \(span(ctx, calls)); expected \(fmt(expected)) from the same hours in other weeks (p=\(sci(pMin))); \(counted(sourcesInvolved.count, "source")); est. \(ctx.money(cost))",
                        evidence: [
                            "expected": fmt(expected), "p_value": sci(pMin),
                            "sources": sourcesInvolved.prefix(10).joined(separator: ", "),
                            "top_destinations": regions.map { "\($0.0) \($0.1)" }.joined(separator: ", "),
                            "sample_calls": ctx.samples(calls),
                        ],
                        minutes: minutes,
                        trunk: ""
                    )
                )
            }
        }
        alerts.append(contentsOf: riskyCalls(ctx))
        return alerts
    }

    /// Hour-of-week bucket of a local hour; holidays use the Sunday profile.
    func bucket(_ localHour: Int64, _ calendar: BusinessCalendar) -> Int {
        let day = CivilTime.floorDiv(localHour, 24)
        let wd = calendar.holidays.contains(day) ? 7 : CivilTime.weekday(days: day)
        return (wd - 1) * 24 + Int(localHour - day * 24)
    }

    /// Risky or international calls after hours from one source in one night.
    func riskyCalls(_ ctx: DetectionContext) -> [Alert] {
        let cfg = ctx.config
        let store = ctx.store
        var perSourceNight: [Int32: [Int64: [Int32]]] = [:]
        for i in 0..<store.count where ctx.source[i] >= 0 && ctx.afterHours[i] {
            guard ctx.destinations.international[i] || ctx.isRisky(i) else { continue }
            if ctx.isExcluded(i) || ctx.destinations.numberClass(i) == .tollFree { continue }
            let night = CivilTime.floorDiv(ctx.local(i) - 43_200_000, 86_400_000)
            perSourceNight[ctx.source[i], default: [:]][night, default: []].append(Int32(i))
        }
        var alerts: [Alert] = []
        for (src, nights) in perSourceNight.sorted(by: { $0.key < $1.key }) {
            let qualifying = nights.filter { _, calls in
                calls.count >= cfg.afterHoursRiskyCalls
                    || calls.reduce(0.0) { $0 + ctx.score(Int($1)) } >= cfg.afterHoursRiskyCost
            }
            // Habitual night callers (more than two such nights) are a pattern, not an incident; low_and_slow
            // catches the risky ones.
            guard !qualifying.isEmpty, qualifying.count <= 2 else { continue }
            for (night, unsorted) in qualifying.sorted(by: { $0.key < $1.key }) {
                let calls = unsorted.sorted { store.startMs[Int($0)] < store.startMs[Int($1)] }
                guard ctx.overlapsEvaluation(ctx.span(of: calls)) else { continue }
                let (minutes, cost) = ctx.totals(calls)
                let score = calls.reduce(0.0) { $0 + ctx.score(Int($1)) }
                let regions = ctx.topRegions(calls)
                let other = nights.filter { $0.key != night }.values.reduce(0) { $0 + $1.count }
                let subject = ctx.sources[Int(src)]
                alerts.append(
                    ctx.alert(
                        Self.id,
                        rule: "risky_calls",
                        severity: Severity.from(cost: max(cost, score)),
                        subjectKind: "account",
                        subject: subject,
                        calls: calls,
                        countries: regions.map(\.0),
                        estCost: max(cost, score),
                        score: Double(calls.count),
                        summary:
                            "\(calls.count) international or risky calls after hours from \(subject) (\(regions.map(\.0).joined(separator: ", "))), \(span(ctx, calls)); \(counted(other, "such call")) on other nights; est. \(ctx.money(max(cost, score)))",
                        evidence: ["sample_calls": ctx.samples(calls), "other_nights_calls": String(other)],
                        minutes: minutes
                    )
                )
            }
        }
        return alerts
    }
}
