import CDRModel
import Foundation

/// The known answers of a generated sample (`truth.json`).
public struct Truth: Sendable, Codable {
    /// Exact capacity figures of one trunk, computed from the generated calls.
    public struct TrunkTruth: Sendable, Codable, Equatable {
        public var name: String
        public var site: String
        public var channels: Int
        public var kind: String
        public var attempts: Int
        /// Attempts that failed with congestion because every channel was busy.
        public var congestionCalls: Int
        public var peakChannels: Int
        /// First instant the peak was reached.
        public var peakAtUtc: String
        /// Seconds with at least `channels` calls up (a call holds a channel over [start, end)).
        public var secondsAtOrOverLimit: Double
        /// Distinct periods at or over the limit.
        public var episodesAtLimit: Int
        /// Start of the busiest four consecutive UTC quarter hours of the period, and their carried Erlangs.
        public var busyHourStartUtc: String
        public var busyHourErlangs: Double
    }

    public var seed: UInt64
    public var days: Int
    public var firstDay: String
    public var calls: Int
    public var callsPerSite: [String: Int]
    public var scenarios: [ScenarioTruth]
    public var trunks: [TrunkTruth]

    static func compute(_ sites: [SiteTraffic], scenarios: [ScenarioTruth], options: GeneratorOptions) -> Truth {
        var trunks: [TrunkTruth] = []
        var perSite: [String: Int] = [:]
        for st in sites {
            perSite[st.site.name] = st.calls.count
            for (ti, t) in st.site.trunks.enumerated() {
                var intervals: [(Int64, Int64)] = []
                var attempts = 0
                var congestion = 0
                for c in st.calls where Int(c.trunk) == ti {
                    attempts += 1
                    if c.disposition == .congestion { congestion += 1 }
                    if c.duration > 0 { intervals.append((c.start, c.start + Int64(c.duration))) }
                }
                trunks.append(trunkTruth(t, site: st.site.name, intervals, attempts: attempts, congestion: congestion))
            }
        }
        return Truth(
            seed: options.seed,
            days: options.days,
            firstDay: CivilTime.formatDay(options.startDay),
            calls: perSite.values.reduce(0, +),
            callsPerSite: perSite,
            scenarios: scenarios.sorted { $0.type.rawValue < $1.type.rawValue },
            trunks: trunks
        )
    }

    /// An independent, obviously correct sweep: events sorted with releases before seizures at equal instants.
    static func trunkTruth(
        _ t: SampleTrunk,
        site: String,
        _ intervals: [(Int64, Int64)],
        attempts: Int,
        congestion: Int
    ) -> TrunkTruth {
        var events: [(Int64, Int)] = []
        events.reserveCapacity(intervals.count * 2)
        for (s, e) in intervals {
            events.append((s, 1))
            events.append((e, -1))
        }
        events.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var active = 0
        var peak = 0
        var peakAt: Int64 = 0
        var atLimitMs: Int64 = 0
        var episodes = 0
        var prev: Int64 = 0
        var leftAt = Int64.min
        for (time, delta) in events {
            if active >= t.channels { atLimitMs += time - prev }
            let wasAt = active >= t.channels
            if delta < 0 && active == t.channels { leftAt = time }
            active += delta
            if active > peak {
                peak = active
                peakAt = time
            }
            if !wasAt && active >= t.channels && leftAt != time { episodes += 1 }
            prev = time
        }
        // Quarter-hour carried traffic, each call's seconds split over the quarters it spans.
        var quarters: [Int64: Int64] = [:]
        for (s, e) in intervals {
            var q = CivilTime.floorDiv(s, 900_000)
            while q * 900_000 < e {
                let lo = max(s, q * 900_000)
                let hi = min(e, (q + 1) * 900_000)
                if hi > lo { quarters[q, default: 0] += hi - lo }
                q += 1
            }
        }
        var best: Int64 = -1
        var bestStart: Int64 = 0
        for q in quarters.keys.sorted() {
            let sum = (0..<4).reduce(Int64(0)) { $0 + (quarters[q + Int64($1)] ?? 0) }
            if sum > best {
                best = sum
                bestStart = q
            }
        }
        return TrunkTruth(
            name: t.name,
            site: site,
            channels: t.channels,
            kind: t.kind,
            attempts: attempts,
            congestionCalls: congestion,
            peakChannels: peak,
            peakAtUtc: CivilTime.format(ms: peakAt, suffix: "Z"),
            secondsAtOrOverLimit: Double(atLimitMs) / 1000,
            episodesAtLimit: episodes,
            busyHourStartUtc: CivilTime.format(ms: bestStart * 900_000, suffix: "Z"),
            busyHourErlangs: Double(max(best, 0)) / 3_600_000
        )
    }

    /// The truth as pretty JSON with snake_case keys.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
    }
}
