import CDRAnalysis
import CDRModel
import Foundation
import Testing

/// Each detector against small triggering and non-triggering examples built by hand.
@Suite struct DetectorExampleTests {
    static let site = Site(
        name: "ber",
        timeZone: "Europe/Berlin",
        dialPlan: DialPlan(region: "DE")!,
        calendar: try! BusinessCalendar()
    )
    static let inventory = Inventory(sites: [site], trunks: [Trunk(name: "t1", site: "ber", channels: 30)])
    static let monday = CivilTime.days(year: 2026, month: 3, day: 2) * 86_400_000  // a Monday, UTC midnight

    static func call(
        _ t: Int64,
        _ dir: Direction,
        _ from: String,
        _ to: String,
        seconds: Int64,
        answered: Bool = true,
        account: String = ""
    ) -> CallRecord {
        CallRecord(
            startMs: t,
            answerMs: answered ? t + 3000 : nil,
            endMs: t + seconds * 1000 + (answered ? 3000 : 0),
            direction: dir,
            disposition: answered ? .answered : .noAnswer,
            caller: from,
            callee: to,
            trunk: "t1",
            account: account,
            site: "ber"
        )
    }

    static func run(_ records: [CallRecord], evaluate: Range<Int64>? = nil) -> DetectionResult {
        var store = ColumnStore()
        // Two weeks of ordinary daytime traffic as history.
        for d in 0..<14 {
            for k in 0..<20 {
                let t = monday + Int64(d) * 86_400_000 + 8 * 3_600_000 + Int64(k) * 1_500_000
                store.append(call(t, .outbound, "20\(10 + k % 40)", "+4930123\(4000 + k)", seconds: 120))
            }
        }
        for r in records { store.append(r) }
        let d = CallDestinations.build(store: store, siteCountry: ["", "DE"], classifier: DestinationClassifier())
        return DetectionRun.run(
            DetectionContext(store: store, destinations: d, inventory: inventory, evaluate: evaluate)
        )
    }

    @Test("toll_fraud: a night of satellite calls from one extension triggers; two partner calls do not")
    func tollFraud() {
        let night = Self.monday + 13 * 86_400_000 + 23 * 3_600_000
        let hack = (0..<40).map {
            Self.call(night + Int64($0) * 30_000, .outbound, "2042", "+88163123\(4000 + $0)", seconds: 600)
        }
        let r = Self.run(hack)
        #expect(r.alerts.contains { $0.detector == "toll_fraud" && $0.subject == "2042" })
        #expect(r.alerts.contains { $0.evidence["sequential_numbers"] != nil })
        let calm = Self.run([
            Self.call(Self.monday + 10 * 3_600_000, .outbound, "2042", "+442079460958", seconds: 300),
            Self.call(Self.monday + 15 * 3_600_000, .outbound, "2042", "+442079460958", seconds: 300),
        ])
        #expect(calm.alerts.isEmpty)
    }

    @Test("low_and_slow: three satellite calls a night, an hour apart, on four nights; its summary tells bursts")
    func lowAndSlow() throws {
        // 23:00, 00:01 and 01:02 Berlin time (UTC+1), nights 8 to 11 of the history's weeks: one call in any hour.
        func night(_ n: Int64) -> [CallRecord] {
            (0..<3).map { k in
                let t = Self.monday + n * 86_400_000 + 22 * 3_600_000 + Int64(k) * 61 * 60_000
                return Self.call(t, .outbound, "2077", "+88163123\(4100 + 10 * n + Int64(k))", seconds: 60)
            }
        }
        let quiet = Self.run((8...11).flatMap(night))
        let slow = try #require(quiet.alerts.first { $0.rule == "low_and_slow" })
        #expect(slow.subject == "2077" && slow.calls == 12)
        #expect(slow.summary.contains("too few a night for the burst rules"), "\(slow.summary)")
        #expect(!quiet.alerts.contains { $0.rule.hasPrefix("irsf_") || $0.rule == "simultaneous" })
        // One of the nights also has a burst (three calls in two minutes): that night alerts on its own, and the
        // pattern no longer says every night was below the burst rules.
        let burst = (0..<3).map { k in
            Self.call(
                Self.monday + 9 * 86_400_000 + 23 * 3_600_000 + Int64(k) * 40_000,
                .outbound,
                "2077",
                "+881631239\(k)",
                seconds: 60
            )
        }
        let loud = Self.run((8...11).flatMap(night) + burst)
        let slow2 = try #require(loud.alerts.first { $0.rule == "low_and_slow" })
        #expect(slow2.summary.contains("1 of those nights alerted as bursts too"), "\(slow2.summary)")
        #expect(loud.alerts.contains { $0.rule.hasPrefix("irsf_") })
    }

    @Test("emergency calls never raise alerts, even many at night")
    func emergency() {
        let night = Self.monday + 13 * 86_400_000 + 2 * 3_600_000
        let r = Self.run((0..<30).map { Self.call(night + Int64($0) * 20_000, .outbound, "2042", "112", seconds: 60) })
        #expect(r.alerts.isEmpty)
    }

    /// Thirty unanswered calls from +232 76 123 1xx (Sierra Leone) to thirty DIDs, a minute apart from `t0`.
    static func oneRingBurst(at t0: Int64) -> [CallRecord] {
        (0..<30).map {
            call(
                t0 + Int64($0) * 60_000,
                .inbound,
                "+23276123\(100 + $0)",
                "+4930901820\(10 + $0)",
                seconds: 0,
                answered: false
            )
        }
    }

    @Test("wangiri: one-ring calls from one foreign range to many DIDs, then a callback")
    func wangiri() {
        let t0 = Self.monday + 13 * 86_400_000 + 10 * 3_600_000
        var calls = Self.oneRingBurst(at: t0)
        calls.append(Self.call(t0 + 20 * 3_600_000, .outbound, "2050", "+23276123105", seconds: 600))
        let r = Self.run(calls)
        #expect(r.alerts.contains { $0.detector == "wangiri" && $0.rule == "one_ring" && $0.subject == "+23276123" })
        #expect(r.alerts.contains { $0.detector == "wangiri" && $0.rule == "callback" })
    }

    @Test("wangiri: two bursts of one range on different days are two alerts, each with its own callbacks")
    func wangiriTwoBursts() throws {
        func burst(at t0: Int64) -> [CallRecord] { Self.oneRingBurst(at: t0) }
        // Each burst is called back once, 20 hours after it began; the second burst comes 40 hours after the
        // first, inside the first one's 72-hour callback horizon.
        let first = Self.monday + 7 * 86_400_000 + 10 * 3_600_000
        let second = first + 40 * 3_600_000
        let calls =
            burst(at: first) + [Self.call(first + 20 * 3_600_000, .outbound, "2050", "+23276123105", seconds: 600)]
            + burst(at: second) + [Self.call(second + 20 * 3_600_000, .outbound, "2051", "+23276123117", seconds: 600)]
        let r = Self.run(calls)
        let rings = r.alerts.filter { $0.detector == "wangiri" && $0.rule == "one_ring" }
        #expect(rings.count == 2 && rings.allSatisfy { $0.calls == 30 }, "\(rings.map(\.summary))")
        let callbacks = r.alerts.filter { $0.detector == "wangiri" && $0.rule == "callback" }
        // One callback each: the second burst's callback is not counted again for the first burst.
        #expect(callbacks.count == 2 && callbacks.allSatisfy { $0.calls == 1 }, "\(callbacks.map(\.summary))")
        #expect(Set(callbacks.map(\.summary)).count == 2)
        // A nightly run of the night after the first burst: the burst is history and not reported again, its
        // callback that night is.
        let night = (first + 14 * 3_600_000)..<(first + 38 * 3_600_000)
        let nightly = Self.run(Array(calls.prefix(31)), evaluate: night)
        #expect(!nightly.alerts.contains { $0.rule == "one_ring" })
        #expect(nightly.alerts.filter { $0.rule == "callback" }.map(\.calls) == [1])
    }

    @Test("negative binomial and Poisson tails match reference values")
    func tails() {
        // Research §2.1: Poisson upper tails.
        #expect(abs(CountModel.poissonTail(x: 6, lambda: 0.5) / 1.4e-5 - 1) < 0.05)
        #expect(abs(CountModel.poissonTail(x: 9, lambda: 2) / 2.4e-4 - 1) < 0.05)
        #expect(abs(CountModel.poissonTail(x: 45, lambda: 20) / 1.1e-6 - 1) < 0.1)
        // NB with r = 2, p = 0.8 (mean 0.5): P(X >= 6) by the direct sum.
        var cdf = 0.0
        for k in 0..<6 {
            cdf += exp(lgamma(Double(k) + 2) - lgamma(2) - lgamma(Double(k) + 1)) * pow(0.8, 2) * pow(0.2, Double(k))
        }
        #expect(abs(CountModel.negativeBinomialTail(x: 6, r: 2, p: 0.8) - (1 - cdf)) < 1e-12)
        #expect(CountModel.negativeBinomialTail(x: 100, r: 1, p: 0.99) > 0)  // 1e-200, no underflow
        // Benjamini–Hochberg.
        #expect(CountModel.benjaminiHochberg([0.001, 0.5, 0.004, 0.9], m: 4, q: 0.004) == [0])
        #expect(CountModel.benjaminiHochberg([0.001, 0.5, 0.004, 0.9], m: 4, q: 0.01) == [0, 2])
        #expect(CountModel.benjaminiHochberg([0.001, 0.5, 0.004, 0.9], m: 1000, q: 0.01).isEmpty)
    }
}

@Suite struct AllowListTests {
    @Test("allow-listed destinations never raise alerts, even a night of satellite calls")
    func allowListed() throws {
        var risk = RiskList.shipped
        try risk.merge(csv: "prefix,tier,reason\n881,allow,our ships use Iridium\n", file: "mine.csv")
        let classifier = DestinationClassifier(risk: risk)
        var store = ColumnStore()
        let night = DetectorExampleTests.monday + 13 * 86_400_000 + 23 * 3_600_000
        for k in 0..<40 {
            store.append(
                DetectorExampleTests.call(
                    night + Int64(k) * 30_000,
                    .outbound,
                    "2042",
                    "+88163123\(4000 + k)",
                    seconds: 600
                )
            )
        }
        let d = CallDestinations.build(store: store, siteCountry: ["", "DE"], classifier: classifier)
        #expect((0..<d.allowed.count).allSatisfy { d.allowed[$0] })
        let r = DetectionRun.run(
            DetectionContext(store: store, destinations: d, inventory: DetectorExampleTests.inventory)
        )
        #expect(r.alerts.isEmpty)
    }
}

@Suite struct IncidentBuilderTests {
    /// An alert (no public initializer: decoded, as the results database's readers do).
    static func alert(_ subject: String, site: String, start: Int64, end: Int64, cost: Double) -> Alert {
        let fields: [String: Any] = [
            "detector": "toll_fraud", "rule": "irsf_fast", "severity": "high", "subjectKind": "account",
            "subject": subject, "site": site, "trunk": "", "countries": ["LV"], "windowStartMs": start,
            "windowEndMs": end, "calls": 3, "minutes": 1.0, "estCost": cost, "currency": "USD", "score": 1.0,
            "summary": "\(subject) at \(site)", "evidence": [String: String](),
        ]
        return try! JSONDecoder().decode(Alert.self, from: JSONSerialization.data(withJSONObject: fields))
    }

    @Test("alerts merge by subject and site only: a separator inside a CDR-written subject or site merges nothing")
    func separatorsDoNotMerge() {
        let h: Int64 = 3_600_000
        let alerts = [
            Self.alert("x", site: "y|z", start: 0, end: h, cost: 200),
            Self.alert("x|y", site: "z", start: h, end: 2 * h, cost: 100),
            Self.alert("x|y", site: "z", start: 20 * h, end: 21 * h, cost: 50),  // another night: its own
            Self.alert("x|y", site: "z", start: 2 * h + 1, end: 3 * h, cost: 10),
        ]
        let incidents = IncidentBuilder.build(alerts, gapHours: 12)
        #expect(
            incidents.map { "\($0.subject) @ \($0.site): \($0.alerts.count)" } == [
                "x @ y|z: 1", "x|y @ z: 2", "x|y @ z: 1",
            ]
        )
        #expect(incidents.map(\.id) == [1, 2, 3])
    }
}
