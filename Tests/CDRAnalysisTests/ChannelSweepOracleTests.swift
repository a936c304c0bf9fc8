import CDRAnalysis
import CDRModel
import CDRSamples
import Testing

/// ``ChannelSweep/sweep(starts:ends:congestion:limit:window:stepMs:zone:)`` against a brute-force oracle on random
/// calls: every figure recomputed from the definition (a call holds a channel over [start, end)), on a coarse grid
/// of instants so that seizures, releases, congestion attempts, step and day boundaries often coincide.
@Suite struct ChannelSweepOracleTests {
    static let day: Int64 = 86_400_000
    static let grid: Int64 = 900_000  // 15 minutes: 96 instants a day

    @Test(
        "the sweep's figures equal the brute-force definitions, daily peaks in UTC and across DST changes",
        arguments: Array(1...40) as [UInt64],
        ["UTC", "Europe/Berlin", "America/Chicago"]
    )
    func oracle(seed: UInt64, zoneName: String) {
        var rng = SampleRandom(seed: seed)
        // Three days around the zone's DST change (Berlin's clocks go back on 25 October 2026, Chicago's forward
        // on 8 March).
        let zone = zoneName == "UTC" ? nil : ZoneResolver(identifier: zoneName)
        let base =
            zoneName == "America/Chicago"
            ? CivilTime.days(year: 2026, month: 3, day: 7) * Self.day
            : CivilTime.days(year: 2026, month: 10, day: 24) * Self.day
        let span = 3 * Self.day / Self.grid
        let n = 1 + Int(rng.next() % 60)
        var calls: [(Int64, Int64)] = []
        for _ in 0..<n {
            let s = base + Int64(rng.next() % UInt64(span)) * Self.grid
            let d = Int64(1 + rng.next() % 12) * Self.grid
            calls.append((s, s + d))
        }
        let congestion = (0..<Int(rng.next() % 20)).map { _ in base + Int64(rng.next() % UInt64(span)) * Self.grid }
            .sorted()
        let limit = Int(rng.next() % 5)
        let from = base + Int64(rng.next() % UInt64(span / 3)) * Self.grid
        let to = from + Int64(1 + rng.next() % UInt64(span)) * Self.grid
        let step: Int64 = rng.next() % 2 == 0 ? 3_600_000 : 1_800_000
        let r = ChannelSweep.sweep(
            starts: calls.map(\.0).sorted(),
            ends: calls.map(\.1).sorted(),
            congestion: congestion,
            limit: limit,
            window: from..<to,
            stepMs: step,
            zone: zone
        )

        // Calls up at t: [start, end) holds t.
        func count(_ t: Int64) -> Int { calls.filter { $0.0 <= t && t < $0.1 }.count }
        // Between consecutive instants where something starts or ends, the count is constant.
        let marks = Array(Set(calls.flatMap { [$0.0, $0.1] } + [from, to])).sorted()
        let segments = zip(marks, marks.dropFirst()).map { (from: $0, to: $1, level: count($0)) }

        let peak = calls.map { count($0.0) }.max() ?? 0
        #expect(r.peak == peak, "seed \(seed) \(zoneName)")
        #expect(r.peakAtMs == (calls.map(\.0).filter { count($0) == peak }.min() ?? 0), "seed \(seed) \(zoneName)")

        var atLevel: [Int: Int64] = [:]
        var atLimit: Int64 = 0
        for s in segments {
            let a = max(s.from, from)
            let b = min(s.to, to)
            guard b > a else { continue }
            atLevel[s.level, default: 0] += b - a
            if limit > 0 && s.level >= limit { atLimit += b - a }
        }
        var swept: [Int: Int64] = [:]
        for (level, ms) in r.msAtLevel.enumerated() where ms > 0 { swept[level] = ms }
        #expect(swept == atLevel.filter { $0.value > 0 }, "seed \(seed) \(zoneName)")
        #expect(r.msAtOrOverLimit == atLimit, "seed \(seed) \(zoneName)")

        // Episodes: maximal runs of time at or over the limit (over all time; touching runs are one).
        var episodes = 0
        var inside = false
        for s in segments where s.to > s.from {
            let at = limit > 0 && s.level >= limit
            if at && !inside { episodes += 1 }
            inside = at
        }
        #expect(r.episodesAtLimit == episodes, "seed \(seed) \(zoneName)")

        // Congestion attempts: judged with the calls up at their instant (after its releases and its seizures).
        let atLimitWhen = congestion.filter { limit > 0 && count($0) >= limit }.count
        #expect(r.congestionAtLimit == atLimitWhen, "seed \(seed) \(zoneName)")
        #expect(r.congestionBelowLimit == congestion.count - atLimitWhen, "seed \(seed) \(zoneName)")

        // The series: the highest count within each step of the window.
        for (idx, value) in r.series.enumerated() {
            let a = r.seriesStartMs + Int64(idx) * step
            let b = a + step
            let highest = ([a] + calls.map(\.0).filter { $0 >= a && $0 < b }).map(count).max() ?? 0
            #expect(Int(value) == highest, "seed \(seed) step \(idx)")
        }

        // Daily peaks (the zone's days): the highest count within each day in which a call was up.
        func localDay(_ t: Int64) -> Int64 { CivilTime.floorDiv(zone?.localMs(fromUTC: t) ?? t, Self.day) }
        func midnight(_ d: Int64) -> Int64 { zone?.utcMs(fromLocal: d * Self.day).ms ?? d * Self.day }
        var daily: [Int64: Int] = [:]
        for (s, e) in calls {
            for d in localDay(s)...localDay(e - 1) {
                let a = midnight(d)
                let b = midnight(d + 1)
                daily[d] = ([a] + calls.map(\.0).filter { $0 >= a && $0 < b }).map(count).max() ?? 0
            }
        }
        #expect(r.dailyPeaks == daily, "seed \(seed) \(zoneName)")
    }
}

extension ChannelSweepOracleTests {
    @Test("hourly traffic and the busiest hour equal their brute-force sums", arguments: Array(1...30) as [UInt64])
    func trafficOracle(seed: UInt64) {
        var rng = SampleRandom(seed: seed)
        let base = CivilTime.days(year: 2026, month: 3, day: 2) * Self.day
        let step: Int64 = 60_000  // on a one-minute grid: calls start and end inside quarters and across hours
        let span = 2 * Self.day / step
        var store = ColumnStore()
        var calls: [(Int64, Int64)] = []
        for _ in 0..<(1 + Int(rng.next() % 80)) {
            let s = base + Int64(rng.next() % UInt64(span)) * step
            let e = s + Int64(rng.next() % 240) * step
            calls.append((s, e))
            store.append(
                CallRecord(
                    startMs: s,
                    answerMs: s,
                    endMs: e,
                    direction: .outbound,
                    disposition: .answered,
                    caller: "100",
                    callee: "+4930123",
                    trunk: "t1",
                    account: "100",
                    site: "x"
                )
            )
        }
        // A window of whole quarter hours, as the review's are (a month's local days; the data's own span has no
        // traffic outside it).
        let from = base + Int64(rng.next() % UInt64(span / 30)) * 900_000
        let to = from + Int64(4 + rng.next() % UInt64(span / 15)) * 900_000
        var options = CapacityOptions()
        options.window = from..<to
        guard
            let t1 = CapacityReview.run(store: store, inventory: CapacityTests.inventory, options: options).trunks.first
        else {
            // An idle trunk: no call in the window.
            #expect(calls.allSatisfy { $0.1 <= from || $0.0 >= to }, "seed \(seed)")
            return
        }

        func carried(_ a: Int64, _ b: Int64) -> Double {
            let ms = calls.reduce(Int64(0)) { sum, c in
                sum + max(0, min(c.1, b, to) - max(c.0, a, from))
            }
            return Double(ms) / 3_600_000
        }
        // Every clock hour the window touches, with the calls' time inside both.
        let firstHour = CivilTime.floorDiv(from, 3_600_000)
        let lastHour = CivilTime.floorDiv(to - 1, 3_600_000)
        let hours = (firstHour...lastHour).map {
            (
                start: CivilTime.format(ms: $0 * 3_600_000, suffix: "Z"),
                erlangs: carried($0 * 3_600_000, ($0 + 1) * 3_600_000)
            )
        }
        #expect(t1.hourlyErlangs.count == hours.count, "seed \(seed)")
        for (a, b) in zip(t1.hourlyErlangs, hours) {
            #expect(a.hourStartUtc == b.start && abs(a.erlangs - b.erlangs) < 1e-9, "seed \(seed): \(a) \(b)")
        }
        // The busiest hour: four consecutive quarter hours from any quarter of the window, the first of the best.
        let firstQuarter = CivilTime.floorDiv(from, 900_000)
        let quarters = CivilTime.floorDiv(to - 1, 900_000) - firstQuarter + 1
        var best = 0.0
        var bestStart: Int64 = 0
        if quarters >= 4 {
            for k in 0...(quarters - 4) {
                let a = (firstQuarter + k) * 900_000
                let v = carried(a, a + 3_600_000)
                if v > best + 1e-12 {
                    best = v
                    bestStart = a
                }
            }
        }
        #expect(abs(t1.busiestHourErlangs - best) < 1e-9, "seed \(seed)")
        if best > 0 { #expect(t1.busiestHourStartUtc == CivilTime.format(ms: bestStart, suffix: "Z"), "seed \(seed)") }
    }
}
