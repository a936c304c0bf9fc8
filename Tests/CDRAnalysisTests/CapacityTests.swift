import CDRAnalysis
import CDRModel
import Testing

@Suite struct CapacityTests {
    static let day = CivilTime.days(year: 2025, month: 6, day: 2) * 86_400_000  // a Monday
    static func t(_ h: Int, _ m: Int, _ s: Int = 0) -> Int64 { day + Int64(h * 3600 + m * 60 + s) * 1000 }

    /// The research fixture: A 09:00–09:10, B 09:10–09:20, C 09:05–09:15, D 09:59:30–10:00:30,
    /// E 09:30:00–09:30:20 (unanswered ringing), F zero-length at 09:40.
    static func fixture() -> ColumnStore {
        var s = ColumnStore()
        func add(_ a: Int64, _ b: Int64, _ disp: Disposition = .answered) {
            s.append(
                CallRecord(
                    startMs: a,
                    answerMs: disp == .answered ? a : nil,
                    endMs: b,
                    direction: .outbound,
                    disposition: disp,
                    caller: "100",
                    callee: "+4930123",
                    trunk: "t1",
                    account: "100",
                    site: "x"
                )
            )
        }
        add(t(9, 0), t(9, 10))
        add(t(9, 10), t(9, 20))
        add(t(9, 5), t(9, 15))
        add(t(9, 59, 30), t(10, 0, 30))
        add(t(9, 30), t(9, 30, 20), .noAnswer)
        add(t(9, 40), t(9, 40), .failed)
        return s
    }

    static let inventory = Inventory(
        sites: [Site(name: "x", timeZone: "UTC", dialPlan: DialPlan(region: "DE")!, calendar: try! BusinessCalendar())],
        trunks: [Trunk(name: "t1", site: "x", channels: 2)]
    )

    @Test("sweep: releases before seizures, zero-length attempts hold nothing")
    func sweep() {
        let r = CapacityReview.run(store: Self.fixture(), inventory: Self.inventory)
        let t1 = r.trunks[0]
        #expect(t1.peakChannels == 2)
        #expect(t1.peakAtUtc == CivilTime.format(ms: Self.t(9, 5), suffix: "Z"))
        // Two channels busy from 09:05 to 09:15 = 600 s at the limit of 2, one episode... B starts at 09:10
        // exactly when A ends, so the episode is unbroken.
        #expect(t1.secondsAtOrOverLimit == 600)
        #expect(t1.episodesAtLimit == 1)
        #expect(t1.attempts == 6)
    }

    @Test("traffic is split across hour boundaries, not given to the start hour")
    func hourSplit() {
        let r = CapacityReview.run(store: Self.fixture(), inventory: Self.inventory)
        let hours = Dictionary(uniqueKeysWithValues: r.trunks[0].hourlyErlangs.map { ($0.hourStartUtc, $0.erlangs) })
        let h9 = hours[CivilTime.format(ms: Self.t(9, 0), suffix: "Z")]!
        let h10 = hours[CivilTime.format(ms: Self.t(10, 0), suffix: "Z")]!
        #expect(abs(h9 - 1850.0 / 3600) < 1e-12)
        #expect(abs(h10 - 30.0 / 3600) < 1e-12)
    }

    @Test("congestion attempts at the limit are tied to it; offered traffic includes them")
    func congestion() {
        var s = Self.fixture()
        s.append(
            CallRecord(
                startMs: Self.t(9, 7),
                answerMs: nil,
                endMs: Self.t(9, 7),
                direction: .outbound,
                disposition: .congestion,
                caller: "100",
                callee: "+4930123",
                trunk: "t1",
                account: "100",
                site: "x"
            )
        )
        s.append(
            CallRecord(
                startMs: Self.t(9, 25),
                answerMs: nil,
                endMs: Self.t(9, 25),
                direction: .outbound,
                disposition: .congestion,
                caller: "100",
                callee: "+4930123",
                trunk: "t1",
                account: "100",
                site: "x"
            )
        )
        let r = CapacityReview.run(store: s, inventory: Self.inventory)
        let t1 = r.trunks[0]
        #expect(t1.congestionCalls == 2)
        #expect(t1.congestionWhileAtLimit == 1)
        #expect(t1.offeredErlangs > t1.meanBusyHourErlangs)
        #expect(t1.status == "at_capacity")
        #expect(t1.advice.hasPrefix("add"))
    }

    @Test("calls over midnight and a DST change count their true holding time")
    func midnightAndDST() {
        var s = ColumnStore()
        let fallBack = CivilTime.days(year: 2025, month: 11, day: 2) * 86_400_000
        s.append(
            CallRecord(
                startMs: fallBack + 5 * 3_600_000 + 50 * 60_000,
                answerMs: nil,
                endMs: fallBack + 6 * 3_600_000 + 10 * 60_000,
                direction: .inbound,
                disposition: .noAnswer,
                caller: "+1212",
                callee: "100",
                trunk: "t1",
                account: "",
                site: "ny"
            )
        )
        s.append(
            CallRecord(
                startMs: fallBack - 600_000,
                answerMs: fallBack - 600_000,
                endMs: fallBack + 1_200_000,
                direction: .inbound,
                disposition: .answered,
                caller: "+1212",
                callee: "100",
                trunk: "t1",
                account: "",
                site: "ny"
            )
        )
        let inv = Inventory(
            sites: [
                Site(
                    name: "ny",
                    timeZone: "America/New_York",
                    dialPlan: DialPlan(region: "US")!,
                    calendar: try! BusinessCalendar()
                )
            ],
            trunks: [Trunk(name: "t1", site: "ny", channels: 1)]
        )
        let r = CapacityReview.run(store: s, inventory: inv)
        let total = r.trunks[0].hourlyErlangs.reduce(0) { $0 + $1.erlangs } * 3600
        #expect(abs(total - 1200 - 1800) < 1e-6)
        #expect(r.trunks[0].peakChannels == 1)
    }

    @Test("radix sort agrees with the standard sort")
    func radix() {
        var rng = SystemRandomNumberGenerator()
        for n in [0, 1, 300, 10_000] {
            var a = (0..<n).map { _ in Int64.random(in: 1_700_000_000_000...1_790_000_000_000, using: &rng) }
            let expected = a.sorted()
            radixSort(&a)
            #expect(a == expected)
        }
    }

    @Test("trunks missing from the inventory are reported, idle ones listed")
    func unknownTrunks() {
        var s = Self.fixture()
        s.append(
            CallRecord(
                startMs: Self.t(11, 0),
                answerMs: nil,
                endMs: Self.t(11, 1),
                direction: .outbound,
                disposition: .noAnswer,
                caller: "1",
                callee: "+492",
                trunk: "mystery",
                account: "",
                site: "x"
            )
        )
        var inv = Self.inventory
        inv.trunks.append(Trunk(name: "spare", site: "x", channels: 30))
        let r = CapacityReview.run(store: s, inventory: inv)
        #expect(r.unknownTrunks == ["mystery"])
        #expect(r.idleTrunks == ["spare"])
        #expect(r.trunks.first { $0.trunk == "mystery" }?.status == "unknown_trunk")
    }
}

@Suite struct SweepEdgeTests {
    @Test("equal start times all count; a release and a seizure at one instant need one channel")
    func equalStarts() {
        var s = ColumnStore()
        let t0 = CapacityTests.t(12, 0)
        for _ in 0..<3 {
            s.append(
                CallRecord(
                    startMs: t0,
                    answerMs: t0,
                    endMs: t0 + 60_000,
                    direction: .outbound,
                    disposition: .answered,
                    caller: "1",
                    callee: "+4930",
                    trunk: "t1",
                    account: "",
                    site: "x"
                )
            )
        }
        s.append(
            CallRecord(
                startMs: t0 + 60_000,
                answerMs: nil,
                endMs: t0 + 90_000,
                direction: .outbound,
                disposition: .noAnswer,
                caller: "1",
                callee: "+4930",
                trunk: "t1",
                account: "",
                site: "x"
            )
        )
        let r = CapacityReview.run(store: s, inventory: CapacityTests.inventory)
        #expect(r.trunks[0].peakChannels == 3)
        // 2 contracted channels: over the limit for the first minute only
        #expect(r.trunks[0].secondsAtOrOverLimit == 60)
    }
}
