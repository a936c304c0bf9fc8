import CDRModel

/// Daily and hourly usage aggregates and the top sources, for the results database and the reports.
public struct UsageAggregates: Sendable {
    public struct Daily: Sendable, Equatable {
        /// Local date of the site (YYYY-MM-DD).
        public var day: String
        public var site: String
        public var trunk: String
        public var direction: String
        public var numberClass: String
        public var country: String
        /// Whether the calls left the site's country.
        public var international: Bool
        public var attempts: Int
        public var answered: Int
        public var minutes: Double
        public var estCost: Double
    }

    public struct Hourly: Sendable, Equatable {
        public var site: String
        public var hourStartMs: Int64
        public var calls: Int
        public var afterHoursCalls: Int
        public var internationalCalls: Int
    }

    public struct SourceUsage: Sendable, Equatable {
        public var source: String
        public var site: String
        public var attempts: Int
        public var international: Int
        public var risky: Int
        public var minutes: Double
        public var estCost: Double
    }

    public var daily: [Daily]
    public var hourly: [Hourly]
    public var topSources: [SourceUsage]

    /// One pass over the calls.
    public static func build(_ ctx: DetectionContext, topSourceCount: Int = 50) -> UsageAggregates {
        // The one-word daily key while the site and trunk ids fit its 8 and 12 bits (past them it merged groups),
        // two words otherwise: over 10 M calls the build took 0.60 s with one word, 0.70-0.74 s with two.
        let s = ctx.store
        if s.sites.count <= 256 && s.trunks.count <= 4096 {
            return build(ctx, topSourceCount, NarrowKey.self)
        }
        return build(ctx, topSourceCount, WideKey.self)
    }

    /// What a daily group is: the day (from the first), site, trunk, direction, number class, international flag
    /// and region.
    struct Group {
        var day: UInt64
        var site: UInt16
        var trunk: UInt16
        var direction: UInt8
        var numberClass: UInt8
        var intl: Bool
        var region: UInt16
    }

    /// How a daily group's key holds its ``Group``.
    protocol DailyKeyLayout {
        associatedtype Key: Hashable
        static func key(_ g: Group) -> Key
        static func group(_ k: Key) -> Group
    }

    /// One word (a `UInt64`, which a dictionary hashes in one step): day 16 bits, site 8, trunk 12, direction 2,
    /// class 5, international 1, region 16.
    enum NarrowKey: DailyKeyLayout {
        static func key(_ g: Group) -> UInt64 {
            (g.day & 0xFFFF) << 48 | UInt64(g.site & 0xFF) << 40 | UInt64(g.trunk & 0xFFF) << 28
                | UInt64(g.direction & 0x3) << 26 | UInt64(g.numberClass & 0x1F) << 21 | (g.intl ? 1 << 20 : 0)
                | UInt64(g.region)
        }
        static func group(_ k: UInt64) -> Group {
            Group(
                day: k >> 48,
                site: UInt16((k >> 40) & 0xFF),
                trunk: UInt16((k >> 28) & 0xFFF),
                direction: UInt8((k >> 26) & 0x3),
                numberClass: UInt8((k >> 21) & 0x1F),
                intl: (k >> 20) & 1 == 1,
                region: UInt16(k & 0xFFFF)
            )
        }
    }

    /// Two words, every id whole.
    enum WideKey: DailyKeyLayout {
        struct Key: Hashable {
            let ids: UInt64
            let kind: UInt64
        }
        static func key(_ g: Group) -> Key {
            Key(
                ids: (g.day & 0xFFFF_FFFF) << 32 | UInt64(g.site) << 16 | UInt64(g.trunk),
                kind: UInt64(g.direction) << 40 | UInt64(g.numberClass) << 32 | (g.intl ? 1 << 24 : 0)
                    | UInt64(g.region)
            )
        }
        static func group(_ k: Key) -> Group {
            Group(
                day: k.ids >> 32,
                site: UInt16((k.ids >> 16) & 0xFFFF),
                trunk: UInt16(k.ids & 0xFFFF),
                direction: UInt8((k.kind >> 40) & 0xFF),
                numberClass: UInt8((k.kind >> 32) & 0xFF),
                intl: (k.kind >> 24) & 1 == 1,
                region: UInt16(k.kind & 0xFFFF)
            )
        }
    }

    /// A daily group's sums.
    struct Agg {
        var attempts = 0
        var answered = 0
        var ms: Int64 = 0
        var cost = 0.0

        mutating func add(answered a: Bool, ms m: Int64, cost c: Double) {
            attempts += 1
            if a { answered += 1 }
            ms += m
            cost += c
        }
    }

    static func build<L: DailyKeyLayout>(_ ctx: DetectionContext, _ topSourceCount: Int, _: L.Type) -> UsageAggregates {
        let store = ctx.store
        let d = ctx.destinations
        var daily: [L.Key: Agg] = [:]
        var hourly: [UInt64: (Int, Int, Int)] = [:]
        var sources = [SourceUsage?](repeating: nil, count: ctx.sources.count)
        guard store.count > 0 else { return UsageAggregates(daily: [], hourly: [], topSources: []) }
        let firstDay = CivilTime.floorDiv(ctx.localMin, 86_400_000)
        for i in 0..<store.count {
            let key = L.key(
                Group(
                    day: UInt64(CivilTime.floorDiv(ctx.local(i), 86_400_000) - firstDay),
                    site: store.site[i],
                    trunk: store.trunk[i],
                    direction: store.direction[i],
                    numberClass: d.classes[i],
                    intl: d.international[i],
                    region: d.regionIds[i]
                )
            )
            let answered = store.disposition[i] == Disposition.answered.rawValue
            let bill = store.billableMs(i)
            daily[key, default: Agg()].add(answered: answered, ms: bill, cost: Double(d.costs[i]))
            // The hour (48 bits: any instant of ±16,000 years) and the whole site id.
            let hour = UInt64(bitPattern: CivilTime.floorDiv(store.startMs[i], 3_600_000))
            let hk = hour << 16 | UInt64(store.site[i])
            let after = ctx.afterHours[i] ? 1 : 0
            let intl = d.international[i] && store.direction[i] == Direction.outbound.rawValue ? 1 : 0
            hourly[hk, default: (0, 0, 0)].0 += 1
            if after + intl > 0 {
                hourly[hk]!.1 += after
                hourly[hk]!.2 += intl
            }
            let src = Int(ctx.source[i])
            if src >= 0 {
                var u =
                    sources[src]
                    ?? SourceUsage(
                        source: ctx.sources[src],
                        site: store.sites[UInt32(store.site[i])],
                        attempts: 0,
                        international: 0,
                        risky: 0,
                        minutes: 0,
                        estCost: 0
                    )
                u.attempts += 1
                if d.international[i] { u.international += 1 }
                if ctx.isRisky(i) { u.risky += 1 }
                u.minutes += Double(bill) / 60_000
                u.estCost += Double(d.costs[i])
                sources[src] = u
            }
        }
        var out = UsageAggregates(daily: [], hourly: [], topSources: [])
        for (key, a) in daily {
            let k = L.group(key)
            out.daily.append(
                Daily(
                    day: CivilTime.formatDay(Int64(k.day) + firstDay),
                    site: store.sites[UInt32(k.site)],
                    trunk: store.trunks[UInt32(k.trunk)],
                    direction: Direction(rawValue: k.direction)!.description,
                    numberClass: NumberClass.allCases[Int(k.numberClass)].rawValue,
                    country: d.regions[Int(k.region)],
                    international: k.intl,
                    attempts: a.attempts,
                    answered: a.answered,
                    minutes: Double(a.ms) / 60_000,
                    estCost: a.cost
                )
            )
        }
        out.daily.sort {
            ($0.day, $0.site, $0.trunk, $0.direction, $0.numberClass, $0.country) < (
                $1.day, $1.site, $1.trunk, $1.direction, $1.numberClass, $1.country
            )
        }
        for (k, h) in hourly {
            out.hourly.append(
                Hourly(
                    site: store.sites[UInt32(k & 0xFFFF)],
                    hourStartMs: (Int64(bitPattern: k) >> 16) * 3_600_000,
                    calls: h.0,
                    afterHoursCalls: h.1,
                    internationalCalls: h.2
                )
            )
        }
        out.hourly.sort { ($0.site, $0.hourStartMs) < ($1.site, $1.hourStartMs) }
        out.topSources = sources.compactMap { $0 }.sorted {
            ($0.estCost, $0.attempts, $0.source) > ($1.estCost, $1.attempts, $1.source)
        }
        .prefix(topSourceCount).map { $0 }
        return out
    }
}
