import CDRModel
import Foundation

/// intl_burst: irregular international bursts per source × country and per site × country.
///
/// Each local clock hour with international attempts is tested against an hour-of-week baseline in the site's
/// zone: the entity's own rate to that country (its other hours: leave-one-out) shrunk toward a peer prior (the
/// site's other sources, or the other sites), times the site's hour-of-week profile for international calls. The
/// tail probability of the observed count comes from the Gamma–Poisson (negative binomial) predictive, which
/// penalises thin histories; Benjamini–Hochberg controls the false-discovery rate over every hour tested; and an
/// alert needs at least 5 attempts and an excess cost of at least 5 (`DetectorConfig`). Consecutive alerting hours
/// merge into one alert.
///
/// Triggering example: extension 3117, which never called Lithuania, calls it 180 times between 14:05 and 15:05.
/// Not triggering: a site that calls London 3 to 6 times every weekday morning does so on a Thursday.
public struct IntlBurstDetector: Detector {
    public static let id = "intl_burst"
    public static let summary =
        "Irregular international bursts per source and per site against an hour-of-week baseline (negative binomial, FDR-controlled)"

    public init() {}

    struct Cell {
        var count = 0
        var cost = 0.0
    }

    /// A cell's key: the entity (a source id, or a site id), the site, the region and the local hour.
    struct CellKey: Hashable {
        var entity: Int
        var site: Int
        var region: UInt16
        var hour: Int64
    }

    public func run(_ ctx: DetectionContext) -> [Alert] {
        let store = ctx.store
        let cfg = ctx.config
        guard store.count > 0 else { return [] }
        // International outbound attempts.
        var intl: [Int32] = []
        for i in 0..<store.count
        where store.direction[i] == Direction.outbound.rawValue && ctx.destinations.international[i] {
            let c = ctx.destinations.numberClass(i)
            if ctx.isExcluded(i) || c == .tollFree { continue }
            intl.append(Int32(i))
        }
        guard !intl.isEmpty else { return [] }
        let firstLocalHour = CivilTime.floorDiv(ctx.localMin, 3_600_000)
        let lastLocalHour = CivilTime.floorDiv(ctx.localMax, 3_600_000)
        let hours = Double(max(1, lastLocalHour - firstLocalHour + 1))
        // Hour-of-week profile per site (smoothed toward flat, mean 1).
        let siteCount = store.sites.count
        var profileCounts = [[Double]](repeating: [Double](repeating: 0, count: 168), count: siteCount)
        var bucketHours = [Double](repeating: 0, count: 168)
        for h in firstLocalHour...lastLocalHour { bucketHours[Self.hourOfWeek(h)] += 1 }
        var sourcesPerSite = [Set<Int32>](repeating: [], count: siteCount)
        for i in 0..<store.count where ctx.source[i] >= 0 { sourcesPerSite[Int(store.site[i])].insert(ctx.source[i]) }
        for c in intl {
            let i = Int(c)
            profileCounts[Int(store.site[i])][Self.hourOfWeek(CivilTime.floorDiv(ctx.local(i), 3_600_000))] += 1
        }
        var profiles: [[Double]] = []
        for s in 0..<siteCount {
            let total = profileCounts[s].reduce(0, +)
            let mean = total / hours
            var r = (0..<168).map { h in (profileCounts[s][h] + mean) / (bucketHours[h] + 1) }
            let avg = max(r.reduce(0, +) / 168, 1e-12)
            r = r.map { max($0 / avg, 0.05) }
            profiles.append(r)
        }
        var tests:
            [(
                entity: String, kind: String, site: Int, region: UInt16, hour: Int64, cell: Cell, p: Double,
                expected: Double, key: CellKey
            )] = []
        var m = 0
        // A cell: entity (a source id, or a site id), site, region and local hour, each whole (packed into one word
        // until session 19, with the site in 8 bits, a run's sites past 256 merged into other sites' cells).
        func key(_ entity: Int, _ site: Int, _ region: UInt16, _ hour: Int64) -> CellKey {
            CellKey(entity: entity, site: site, region: region, hour: hour)
        }
        // Source × country and site × country cells.
        for level in ["account", "site"] {
            var cells: [CellKey: Cell] = [:]
            var totals: [CellKey: Int] = [:]  // entity, region → all attempts
            var peerTotals: [CellKey: Int] = [:]  // site, region (account level) or region (site level)
            for c in intl {
                let i = Int(c)
                let region = ctx.destinations.regionIds[i]
                let site = Int(store.site[i])
                let entity = level == "account" ? Int(ctx.source[i]) : site
                if entity < 0 { continue }
                let hour = CivilTime.floorDiv(ctx.local(i), 3_600_000)
                cells[key(entity, site, region, hour), default: Cell()].count += 1
                cells[key(entity, site, region, hour)]!.cost += ctx.score(i)
                totals[key(entity, 0, region, firstLocalHour), default: 0] += 1
                peerTotals[
                    level == "account" ? key(0, site, region, firstLocalHour) : key(0, 0, region, firstLocalHour),
                    default: 0
                ] += 1
            }
            m += cells.count
            for (k, cell) in cells where cell.count >= cfg.burstMinCount {
                let entityId = k.entity
                let entity = String(entityId)
                let site = k.site
                let region = k.region
                let hour = k.hour
                let entityTotal = totals[key(entityId, 0, region, firstLocalHour)]!
                let own = Double(entityTotal - cell.count)
                let peerKey =
                    level == "account" ? key(0, site, region, firstLocalHour) : key(0, 0, region, firstLocalHour)
                let peerCount = Double(peerTotals[peerKey]! - entityTotal)
                let peers =
                    level == "account" ? Double(max(1, sourcesPerSite[site].count - 1)) : Double(max(1, siteCount - 1))
                let peerRate = max(peerCount / (hours * peers), 1e-4)
                let b0 = cfg.priorHours
                let a0 = peerRate * b0
                let w = profiles[site][Self.hourOfWeek(hour)]
                let r = a0 + own
                let denom = b0 + (hours - 1)
                let p = CountModel.negativeBinomialTail(x: cell.count, r: r, p: denom / (denom + w))
                let expected = r * w / denom
                tests.append((entity, level, site, region, hour, cell, p, expected, k))
            }
        }
        let discovered = CountModel.benjaminiHochberg(tests.map(\.p), m: m, q: cfg.burstFDR)
        // Gates, then merge consecutive hours of one entity and country.
        var hits: [String: [(hour: Int64, t: Int)]] = [:]
        for k in discovered.sorted() {
            let t = tests[k]
            guard Double(t.cell.count) >= cfg.burstMinRatio * t.expected else { continue }
            let avgRate = t.cell.cost / Double(t.cell.count)
            let excessCost = (Double(t.cell.count) - t.expected) * max(avgRate, 0.01)
            guard excessCost >= cfg.burstMinCost else { continue }
            hits["\(t.kind)|\(t.entity)|\(t.region)", default: []].append((t.hour, k))
        }
        var alerts: [Alert] = []
        for (_, list) in hits.sorted(by: { $0.key < $1.key }) {
            for g in consecutiveHours(list.map { ($0.hour, $0.t) }) {
                // The calls behind the alerting hours, found again (alerts are rare).
                let wanted = Set(g.map { tests[$0].key })
                let kind = tests[g[0]].kind
                let calls = intl.filter { c in
                    let i = Int(c)
                    let entity = kind == "account" ? Int(ctx.source[i]) : Int(store.site[i])
                    return entity >= 0
                        && wanted.contains(
                            key(
                                entity,
                                Int(store.site[i]),
                                ctx.destinations.regionIds[i],
                                CivilTime.floorDiv(ctx.local(i), 3_600_000)
                            )
                        )
                }
                let first = tests[g[0]]
                guard ctx.overlapsEvaluation(ctx.span(of: calls)) else { continue }
                let expected = g.reduce(0.0) { $0 + tests[$1].expected }
                let pMin = g.map { tests[$0].p }.min()!
                let (minutes, cost) = ctx.totals(calls)
                let score = g.reduce(0.0) { $0 + tests[$1].cell.cost }
                let region = ctx.destinations.regions[Int(first.region)]
                let siteName = store.sites[UInt32(first.site)]
                let subject = first.kind == "account" ? ctx.sources[Int(first.entity)!] : siteName
                let hourText = span(ctx, calls)
                let summary =
                    "\(calls.count) international attempts to \(CountryTable.shared.name(region)) (\(region)) from \(first.kind == "account" ? subject : "site \(subject)"), \(hourText); expected \(fmt(expected)) from the hour-of-week baseline (p=\(sci(pMin))); est. \(ctx.money(max(cost, score)))"
                alerts.append(
                    ctx.alert(
                        Self.id,
                        rule: first.kind == "account" ? "source_country" : "site_country",
                        severity: Severity.from(cost: max(cost, score), floor: .low),
                        subjectKind: first.kind,
                        subject: subject,
                        calls: calls,
                        countries: [region],
                        estCost: max(cost, score),
                        score: -log10(max(pMin, 1e-300)),
                        summary: summary,
                        evidence: [
                            "expected": fmt(expected), "p_value": sci(pMin), "hours": String(g.count),
                            "sample_calls": ctx.samples(calls),
                        ],
                        minutes: minutes
                    )
                )
            }
        }
        return alerts
    }

    /// Hour of week (0 = Monday 00:00) of a local hour index.
    static func hourOfWeek(_ localHour: Int64) -> Int {
        let day = CivilTime.floorDiv(localHour, 24)
        return (CivilTime.weekday(days: day) - 1) * 24 + Int(localHour - day * 24)
    }
}

func fmt(_ v: Double) -> String {
    if v >= 10 { return String(Int(v.rounded())) }
    return String((v * 10).rounded() / 10)
}

func sci(_ p: Double) -> String {
    if p >= 0.001 { return String((p * 1000).rounded() / 1000) }
    let e = Int(floor(log10(max(p, 1e-300))))
    let mant = p / pow(10, Double(e))
    return "\((mant * 10).rounded() / 10)e\(e)"
}
