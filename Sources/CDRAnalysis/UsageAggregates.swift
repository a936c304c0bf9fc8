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
        let store = ctx.store
        let d = ctx.destinations
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
        // Group keys in two words: the day, site and trunk ids whole (a run may hold 65,535 sites and trunks; 8 and
        // 12 bits of them merged the groups of sites and trunks whose ids differed past those bits), then the
        // direction, class, international flag and region.
        struct Key: Hashable {
            var ids: UInt64
            var kind: UInt64
        }
        var daily: [Key: Agg] = [:]
        var hourly: [Key: (Int, Int, Int)] = [:]
        var sources = [SourceUsage?](repeating: nil, count: ctx.sources.count)
        guard store.count > 0 else { return UsageAggregates(daily: [], hourly: [], topSources: []) }
        let firstDay = CivilTime.floorDiv(ctx.localMin, 86_400_000)
        for i in 0..<store.count {
            let day = UInt64(CivilTime.floorDiv(ctx.local(i), 86_400_000) - firstDay) & 0xFFFF_FFFF
            let key = Key(
                ids: day << 32 | UInt64(store.site[i]) << 16 | UInt64(store.trunk[i]),
                kind: UInt64(store.direction[i]) << 40 | UInt64(d.classes[i]) << 32 | (d.international[i] ? 1 << 24 : 0)
                    | UInt64(d.regionIds[i])
            )
            let answered = store.disposition[i] == Disposition.answered.rawValue
            let bill = store.billableMs(i)
            daily[key, default: Agg()].add(answered: answered, ms: bill, cost: Double(d.costs[i]))
            let hour = UInt64(bitPattern: CivilTime.floorDiv(store.startMs[i], 3_600_000))
            let hk = Key(ids: hour, kind: UInt64(store.site[i]))
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
        for (k, a) in daily {
            let day = Int64(k.ids >> 32) + firstDay
            out.daily.append(
                Daily(
                    day: CivilTime.formatDay(day),
                    site: store.sites[UInt32((k.ids >> 16) & 0xFFFF)],
                    trunk: store.trunks[UInt32(k.ids & 0xFFFF)],
                    direction: Direction(rawValue: UInt8((k.kind >> 40) & 0xFF))!.description,
                    numberClass: NumberClass.allCases[Int((k.kind >> 32) & 0xFF)].rawValue,
                    country: d.regions[Int(k.kind & 0xFF_FFFF)],
                    international: (k.kind >> 24) & 1 == 1,
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
                    site: store.sites[UInt32(k.kind)],
                    hourStartMs: Int64(bitPattern: k.ids) * 3_600_000,
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
