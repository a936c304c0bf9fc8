import CDRAnalysis
import CDRModel
import Testing

/// Grouping keys that once packed a site id into 8 bits: a run with more than 256 sites merged the groups of sites
/// whose ids differed by 256, and named the wrong site.
@Suite struct ManySitesTests {
    @Test("an international burst at the 300th site is that site's")
    func intlBurstAtSite300() {
        var store = ColumnStore()
        let base = CivilTime.days(year: 2026, month: 3, day: 2) * 86_400_000
        func call(_ start: Int64, _ caller: String, _ callee: String, _ site: String, talk: Int64 = 120_000) {
            store.append(
                CallRecord(
                    startMs: start,
                    answerMs: start + 5_000,
                    endMs: start + 5_000 + talk,
                    direction: .outbound,
                    disposition: .answered,
                    caller: caller,
                    callee: callee,
                    trunk: "t-\(site)",
                    account: caller,
                    site: site
                )
            )
        }
        // A week of ordinary international calls at every site (site ids 0…299 in order).
        for day in 0..<7 {
            for s in 0..<300 {
                call(
                    base + Int64(day) * 86_400_000 + Int64(9 + s % 8) * 3_600_000,
                    "10\(s % 10)",
                    "+442079460123",
                    "site-\(s)"
                )
            }
        }
        // One hour of satellite calls from one extension at site 299 (id 299: 43 in 8 bits).
        let burst = base + 4 * 86_400_000 + 14 * 3_600_000
        for k in 0..<30 { call(burst + Int64(k) * 100_000, "2042", "+881631234567", "site-299", talk: 300_000) }
        let d = CallDestinations.build(
            store: store,
            siteCountry: Array(repeating: "DE", count: store.sites.count),
            classifier: DestinationClassifier()
        )
        let ctx = DetectionContext(store: store, destinations: d, inventory: Inventory())
        let alerts = IntlBurstDetector().run(ctx)
        #expect(!alerts.isEmpty)
        #expect(alerts.allSatisfy { $0.site == "site-299" }, "\(alerts.map { ($0.subjectKind, $0.subject, $0.site) })")
        #expect(alerts.contains { $0.subjectKind == "site" && $0.subject == "site-299" })
    }
}
