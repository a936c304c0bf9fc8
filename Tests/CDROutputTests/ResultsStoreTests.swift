import CDRAnalysis
import CDRIngest
import CDRModel
import CDROutput
import Foundation
import Testing

/// A small deterministic job: the hand-written canonical sample (hostile names included) plus a generated week.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func tempPath(_ name: String) -> String {
        NSTemporaryDirectory() + "cdrscan-\(UUID().uuidString)-\(name)"
    }

    static func ingest(extra: [CallRecord] = []) throws -> (IngestResult, Inventory) {
        let inventory = try InventoryLoader.load(path: root + "/sample-cdrs/month/inventory.yaml")
        var result = try IngestRun.run(paths: [root + "/sample-cdrs/handwritten/canonical.csv"], inventory: inventory)
        var store = result.store
        for r in extra { store.append(r) }
        result.store = store
        // Paths differ between checkouts; the report shows file names.
        for i in result.summary.files.indices {
            result.summary.files[i].path = URL(fileURLWithPath: result.summary.files[i].path).lastPathComponent
        }
        return (result, inventory)
    }

    static func job(db: String?, extra: [CallRecord] = [], failAfter: Int? = nil) throws -> ScanJob.Outcome {
        let (result, inventory) = try ingest(extra: extra)
        var job = ScanJob()
        job.databasePath = db
        job.now = { 1_793_000_000_000 }
        let countries = (0..<result.store.sites.count).map {
            inventory.site(named: result.store.sites[UInt32($0)])?.country ?? ""
        }
        return try job.run(
            result,
            inventory: inventory,
            siteCountry: countries,
            inputs: ["canonical.csv"],
            startedMs: 1_792_999_000_000
        )
    }

    /// A burst of satellite calls by a hostile-named source, so that the report has an incident.
    static let hostile: [CallRecord] = (0..<12).map { k in
        let t = CivilTime.days(year: 2026, month: 10, day: 6) * 86_400_000 + 1 * 3_600_000 + Int64(k) * 60_000
        return CallRecord(
            startMs: t,
            answerMs: t + 5000,
            endMs: t + 300_000,
            direction: .outbound,
            disposition: .answered,
            caller: "2042",
            callee: "+8816312340\(10 + k)",
            trunk: "ber-telekom",
            account: "<script>alert(1)</script>|[x](y)`",
            site: "ber"
        )
    }
}

@Suite struct ResultsStoreTests {
    @Test("an empty file migrates to the current version; reopening keeps it; a newer file is refused")
    func migration() throws {
        let path = Fixture.tempPath("r.sqlite")
        let store = try ResultsStore(path: path)
        #expect(store.schemaVersion == 1)
        let tables = try store.db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            $0.text(0)
        }
        for t in ["alerts", "capacity", "incidents", "rejects", "runs", "source_files", "usage_daily"] {
            #expect(tables.contains(t))
        }
        #expect(try ResultsStore(path: path).schemaVersion == 1)
        try store.db.execute("PRAGMA user_version = 99")
        #expect(throws: SQLiteError.self) { try ResultsStore(path: path) }
    }

    @Test("re-running the same scope replaces the earlier results instead of adding to them")
    func idempotent() throws {
        let path = Fixture.tempPath("r.sqlite")
        _ = try Fixture.job(db: path, extra: Fixture.hostile)
        let store = try ResultsStore(path: path)
        let before = try store.db.query(
            "SELECT count(*), coalesce(sum(attempts),0) FROM usage_daily u JOIN runs r USING(run_id) WHERE r.status = 'ok'"
        ) { [$0.int(0), $0.int(1)] }
        _ = try Fixture.job(db: path, extra: Fixture.hostile)
        let after = try store.db.query(
            "SELECT count(*), coalesce(sum(attempts),0) FROM usage_daily u JOIN runs r USING(run_id) WHERE r.status = 'ok'"
        ) { [$0.int(0), $0.int(1)] }
        #expect(before == after)
        let statuses = try store.db.query("SELECT status FROM runs ORDER BY run_id") { $0.text(0) }
        #expect(statuses == ["replaced", "ok"])
        #expect(try store.knownFingerprints().count == 1)
    }

    @Test(
        "a run killed between batches leaves the earlier results intact and the file readable",
        arguments: [0, 1, 2, 3, 4]
    )
    func killed(after batches: Int) throws {
        let path = Fixture.tempPath("r.sqlite")
        let first = try Fixture.job(db: path, extra: Fixture.hostile)
        let store = try ResultsStore(path: path)
        let alertsBefore = try store.db.query("SELECT count(*) FROM alerts WHERE run_id = ?", [.int(first.runId!)]) {
            $0.int(0)
        }[0]
        #expect(alertsBefore > 0)
        // A second run of the same scope fails mid-write.
        let (result, inventory) = try Fixture.ingest(extra: Fixture.hostile)
        let countries = (0..<result.store.sites.count).map {
            inventory.site(named: result.store.sites[UInt32($0)])?.country ?? ""
        }
        let d = CallDestinations.build(store: result.store, siteCountry: countries, classifier: DestinationClassifier())
        let ctx = DetectionContext(store: result.store, destinations: d, inventory: inventory)
        let failing = try ResultsStore(path: path)
        failing.failAfterBatches = batches
        let runId = try failing.beginRun(
            pipeline: "scan",
            scope: "span:2026-10-05..2026-10-06",
            inputs: [],
            startedUtcMs: 0
        )
        let out = RunOutput(
            pipeline: "scan",
            scope: "span:2026-10-05..2026-10-06",
            startedUtcMs: 0,
            finishedUtcMs: 1,
            summary: result.summary,
            rejects: [],
            incidents: DetectionRun.run(ctx).incidents,
            capacity: CapacityReview.run(store: result.store, inventory: inventory),
            usage: UsageAggregates.build(ctx),
            rateSource: "",
            currency: "USD"
        )
        #expect(throws: SQLiteError.self) { try failing.write(runId, out) }
        failing.failRun(runId, message: "killed", finishedUtcMs: 2)
        let reopened = try ResultsStore(path: path)
        let alertsAfter = try reopened.db.query("SELECT count(*) FROM alerts WHERE run_id = ?", [.int(first.runId!)]) {
            $0.int(0)
        }[0]
        #expect(alertsAfter == alertsBefore)
        #expect(
            try reopened.db.query("SELECT status FROM runs WHERE run_id = ?", [.int(first.runId!)]) { $0.text(0) } == [
                "ok"
            ]
        )
        #expect(
            try reopened.db.query("SELECT count(*) FROM alerts WHERE run_id = ?", [.int(runId)]) { $0.int(0) } == [0]
        )
    }
}

@Suite struct ReportTests {
    @Test("hostile values from CDRs are escaped in HTML")
    func htmlEscaping() throws {
        let outcome = try Fixture.job(db: nil, extra: Fixture.hostile)
        let path = Fixture.tempPath("r.sqlite")
        _ = path
        var job = ScanJob()
        job.now = { 1_793_000_000_000 }
        let (result, inventory) = try Fixture.ingest(extra: Fixture.hostile)
        job.htmlPath = Fixture.tempPath("r.html")
        job.markdownPath = Fixture.tempPath("r.md")
        let countries = (0..<result.store.sites.count).map {
            inventory.site(named: result.store.sites[UInt32($0)])?.country ?? ""
        }
        _ = try job.run(
            result,
            inventory: inventory,
            siteCountry: countries,
            inputs: ["x"],
            startedMs: 1_792_999_000_000
        )
        let html = try String(contentsOfFile: job.htmlPath!, encoding: .utf8)
        #expect(!outcome.detection.incidents.isEmpty)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"))  // nothing fetched from anywhere
        let md = try String(contentsOfFile: job.markdownPath!, encoding: .utf8)
        #expect(md.contains("\\<script\\>alert(1)\\</script\\>\\|\\[x\\](y)\\`"))
    }

    @Test("Markdown escaping keeps tables and links intact")
    func markdownEscaping() {
        #expect(MarkdownRenderer.escape("a|b") == "a\\|b")
        #expect(MarkdownRenderer.escape("`code`") == "\\`code\\`")
        #expect(MarkdownRenderer.escape("[x](y)") == "\\[x\\](y)")
        #expect(MarkdownRenderer.escape("line\nbreak") == "line break")
        #expect(MarkdownRenderer.escape("# head") == "\\# head")
        #expect(SVGChart.escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
    }

    @Test("charts: bars and lines escape labels and scale to the data")
    func charts() {
        let bars = SVGChart.bars(
            [(label: "<b>", value: 10, text: "10"), (label: "y", value: 5, text: "5")],
            title: "t"
        )
        #expect(bars.contains("&lt;b&gt;"))
        #expect(bars.components(separatedBy: "<rect").count == 3)
        let line = SVGChart.line(
            values: [0, 5, 10],
            limit: 8,
            bands: [0..<1],
            title: "c",
            firstLabel: "a",
            lastLabel: "b",
            yLabel: "y"
        )
        #expect(line.contains("class=\"limit\""))
        #expect(line.contains("class=\"band\""))
        #expect(line.hasPrefix("<svg") && line.hasSuffix("</svg>"))
    }

    /// Golden files: regenerate with CDRSCAN_UPDATE_GOLDEN=1 swift test --filter ReportTests.
    @Test("the report of the fixture matches the golden files")
    func golden() throws {
        let db = Fixture.tempPath("g.sqlite")
        _ = try Fixture.job(db: db, extra: Fixture.hostile)
        let doc = ReportBuilder.build(try ReportData.load(try ResultsStore(path: db)))
        let html = HTMLRenderer.render(doc)
        let md = MarkdownRenderer.render(doc)
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
        if ProcessInfo.processInfo.environment["CDRSCAN_UPDATE_GOLDEN"] == "1" {
            try html.write(toFile: dir + "/report.html", atomically: true, encoding: .utf8)
            try md.write(toFile: dir + "/report.md", atomically: true, encoding: .utf8)
        }
        let expectedHTML = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        let expectedMD = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        #expect(html == expectedHTML)
        #expect(md == expectedMD)
    }
}
