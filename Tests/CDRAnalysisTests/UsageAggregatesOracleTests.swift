import CDRAnalysis
import CDRModel
import CDRSamples
import Testing

/// ``UsageAggregates/build(_:topSourceCount:)`` against a brute-force group-by of the same calls: each daily group
/// (day, site, trunk, direction, number class, country, international) and each hourly one (site, hour) holds what
/// a plain count of its calls gives, with hundreds of sites and thousands of trunks.
@Suite struct UsageAggregatesOracleTests {
    @Test("daily and hourly aggregates equal a brute-force group-by, with 300 sites and 5,000 trunks")
    func oracle() {
        var rng = SampleRandom(seed: 11)
        var store = ColumnStore()
        let base = CivilTime.days(year: 2026, month: 3, day: 2) * 86_400_000
        let numbers = ["+4930901820", "+442079460123", "+881631234567", "2042", "+13125550147"]
        for n in 0..<12_000 {
            let start = base + Int64(rng.next() % (3 * 86_400)) * 1000
            let answered = rng.next() % 3 != 0
            let talk = answered ? Int64(1 + rng.next() % 600) * 1000 : 0
            store.append(
                CallRecord(
                    startMs: start,
                    answerMs: answered ? start + 5000 : nil,
                    endMs: start + 5000 + talk,
                    direction: [Direction.outbound, .inbound, .internal_][Int(rng.next() % 3)],
                    disposition: answered ? .answered : .noAnswer,
                    caller: "\(1000 + n % 40)",
                    callee: numbers[Int(rng.next() % UInt64(numbers.count))],
                    // Trunks and sites past what 12 and 8 bits hold, each with a few calls.
                    trunk: "trunk-\(rng.next() % 5_000)",
                    account: "\(1000 + n % 40)",
                    site: "site-\(rng.next() % 300)"
                )
            )
        }
        let inventory = Inventory()
        let d = CallDestinations.build(
            store: store,
            siteCountry: Array(repeating: "DE", count: store.sites.count),
            classifier: DestinationClassifier()
        )
        let ctx = DetectionContext(store: store, destinations: d, inventory: inventory)
        let usage = UsageAggregates.build(ctx)

        struct Group: Hashable {
            var day: String
            var site: String
            var trunk: String
            var direction: String
            var numberClass: String
            var country: String
            var international: Bool
        }
        var attempts: [Group: Int] = [:]
        var answered: [Group: Int] = [:]
        var hourly: [String: Int] = [:]
        for i in 0..<store.count {
            let r = store.record(i)
            let g = Group(
                day: CivilTime.formatDay(CivilTime.floorDiv(ctx.local(i), 86_400_000)),
                site: r.site,
                trunk: r.trunk,
                direction: r.direction.description,
                numberClass: NumberClass.allCases[Int(d.classes[i])].rawValue,
                country: d.regions[Int(d.regionIds[i])],
                international: d.international[i]
            )
            attempts[g, default: 0] += 1
            if r.disposition == .answered { answered[g, default: 0] += 1 }
            hourly["\(r.site) \(CivilTime.floorDiv(r.startMs, 3_600_000))", default: 0] += 1
        }
        var gotAttempts: [Group: Int] = [:]
        var gotAnswered: [Group: Int] = [:]
        for a in usage.daily {
            let g = Group(
                day: a.day,
                site: a.site,
                trunk: a.trunk,
                direction: a.direction,
                numberClass: a.numberClass,
                country: a.country,
                international: a.international
            )
            gotAttempts[g, default: 0] += a.attempts
            if a.answered > 0 { gotAnswered[g, default: 0] += a.answered }
        }
        #expect(usage.daily.count == attempts.count)
        #expect(gotAttempts == attempts)
        #expect(gotAnswered == answered)
        var gotHourly: [String: Int] = [:]
        for h in usage.hourly {
            gotHourly["\(h.site) \(CivilTime.floorDiv(h.hourStartMs, 3_600_000))", default: 0] += h.calls
        }
        #expect(usage.hourly.count == hourly.count)
        #expect(gotHourly == hourly)
    }
}
