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

    static func job(
        db: String?,
        extra: [CallRecord] = [],
        failAfter: Int? = nil,
        holdsLock: Bool = false
    ) throws -> ScanJob.Outcome {
        let (result, inventory) = try ingest(extra: extra)
        var job = ScanJob()
        job.databasePath = db
        job.holdsLock = holdsLock
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

    /// The report's HTML and Markdown for the hand-written sample plus `extra`.
    static func reports(_ extra: [CallRecord]) throws -> (html: String, markdown: String) {
        let (result, inventory) = try Fixture.ingest(extra: extra)
        var job = ScanJob()
        job.now = { 1_793_000_000_000 }
        job.htmlPath = Fixture.tempPath("r.html")
        job.markdownPath = Fixture.tempPath("r.md")
        defer { for p in [job.htmlPath!, job.markdownPath!] { try? FileManager.default.removeItem(atPath: p) } }
        let countries = (0..<result.store.sites.count).map {
            inventory.site(named: result.store.sites[UInt32($0)])?.country ?? ""
        }
        let outcome = try job.run(
            result,
            inventory: inventory,
            siteCountry: countries,
            inputs: ["x"],
            startedMs: 1_792_999_000_000
        )
        #expect(!outcome.detection.incidents.isEmpty)
        return (
            try String(contentsOfFile: job.htmlPath!, encoding: .utf8),
            try String(contentsOfFile: job.markdownPath!, encoding: .utf8)
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
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let store = try ResultsStore(path: path)
        #expect(store.schemaVersion == 2)
        let tables = try store.db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            $0.text(0)
        }
        for t in ["alerts", "capacity", "incidents", "rejects", "runs", "source_files", "usage_daily", "history_calls"]
        {
            #expect(tables.contains(t))
        }
        #expect(try ResultsStore(path: path).schemaVersion == 2)
        try store.db.execute("PRAGMA user_version = 99")
        #expect(throws: SQLiteError.self) { try ResultsStore(path: path) }
    }

    @Test("a version 1 file is migrated forward, keeping its runs")
    func fromPreviousVersion() throws {
        let path = Fixture.tempPath("v1.sqlite")
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let old = try SQLiteDatabase(path: path)
        try old.execute(ResultsSchemaTestHook.version1)
        try old.execute("PRAGMA user_version = 1")
        try old.execute(
            "INSERT INTO runs(pipeline, scope, started_utc, status, inputs, cdrscan_version) VALUES ('scan','span:x','2026-01-01T00:00:00Z','ok','[]','0.0.1')"
        )
        let store = try ResultsStore(path: path)
        #expect(store.schemaVersion == 2)
        #expect(try store.db.query("SELECT count(*) FROM runs") { $0.int(0) } == [1])
        #expect(try store.db.query("SELECT count(*) FROM history_calls") { $0.int(0) } == [0])
    }

    @Test("re-running the same scope replaces the earlier results instead of adding to them")
    func idempotent() throws {
        let path = Fixture.tempPath("r.sqlite")
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
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

    @Test("runs a killed process left as running are marked interrupted by the next run that holds the lock")
    func interrupted() throws {
        let path = Fixture.tempPath("r.sqlite")
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        _ = try Fixture.job(db: path)
        // Two runs killed before their results were written: recorded as running, and nothing else.
        let store = try ResultsStore(path: path)
        for k in 0..<2 {
            _ = try store.beginRun(pipeline: "scan", scope: "span:x", inputs: [], startedUtcMs: Int64(k))
        }
        // A run without the lock cannot tell a killed run from one still writing: it leaves them.
        _ = try Fixture.job(db: path)
        #expect(
            try store.db.query("SELECT status FROM runs ORDER BY run_id") { $0.text(0) } == [
                "replaced", "running", "running", "ok",
            ]
        )
        _ = try Fixture.job(db: path, holdsLock: true)
        #expect(
            try store.db.query("SELECT status FROM runs ORDER BY run_id") { $0.text(0) } == [
                "replaced", "interrupted", "interrupted", "replaced", "ok",
            ]
        )
        #expect(try store.db.query("SELECT count(*) FROM runs WHERE finished_utc IS NULL") { $0.int(0) } == [0])
    }

    @Test(
        "a run killed between batches leaves the earlier results intact and the file readable",
        arguments: [0, 1, 2, 3, 4]
    )
    func killed(after batches: Int) throws {
        let path = Fixture.tempPath("r.sqlite")
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
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
        let (html, md) = try Fixture.reports(Fixture.hostile)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"))  // nothing fetched from anywhere
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
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + s) } }
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

@Suite struct HistoryTests {
    /// Two weeks of quiet history, then a night with a satellite burst read on its own.
    static func calls(days: Range<Int>, burst: Bool) -> ColumnStore {
        var s = ColumnStore()
        let base = CivilTime.days(year: 2026, month: 3, day: 2) * 86_400_000
        for d in days {
            for k in 0..<20 {
                let t = base + Int64(d) * 86_400_000 + 8 * 3_600_000 + Int64(k) * 1_500_000
                s.append(
                    CallRecord(
                        startMs: t,
                        answerMs: t + 3000,
                        endMs: t + 123_000,
                        direction: .outbound,
                        disposition: .answered,
                        caller: "20\(10 + k % 40)",
                        callee: "+4930123\(4000 + k)",
                        trunk: "ber-telekom",
                        account: "20\(10 + k % 40)",
                        site: "ber"
                    )
                )
            }
        }
        if burst {
            let night = base + Int64(days.upperBound - 1) * 86_400_000 + 22 * 3_600_000
            for k in 0..<30 {
                let t = night + Int64(k) * 40_000
                s.append(
                    CallRecord(
                        startMs: t,
                        answerMs: t + 5000,
                        endMs: t + 600_000,
                        direction: .outbound,
                        disposition: .answered,
                        caller: "2042",
                        callee: "+88163123\(4100 + k)",
                        trunk: "ber-telekom",
                        account: "2042",
                        site: "ber"
                    )
                )
            }
        }
        return s
    }

    static func run(_ store: ColumnStore, db: String) throws -> ScanJob.Outcome {
        let inventory = try InventoryLoader.load(path: Fixture.root + "/sample-cdrs/month/inventory.yaml")
        let session = try IngestSession(inventory: inventory)
        let result = IngestResult(
            store: store,
            summary: IngestSummary(session: session, store: store, files: [], seconds: 0, rejectsFile: nil),
            rejects: RejectCollector()
        )
        var job = ScanJob()
        job.databasePath = db
        job.historyLookbackDays = 56
        job.now = { 1_793_000_000_000 }
        let countries = (0..<store.sites.count).map { inventory.site(named: store.sites[UInt32($0)])?.country ?? "" }
        return try job.run(result, inventory: inventory, siteCountry: countries, inputs: [], startedMs: 0)
    }

    @Test(
        "history persists between runs: a night read alone is judged against the stored weeks, and re-running it replaces it"
    )
    func nightly() throws {
        let db = Fixture.tempPath("h.sqlite")
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + s) } }
        let first = try Self.run(Self.calls(days: 0..<14, burst: false), db: db)  // cold start
        #expect(first.detection.alerts.isEmpty)
        let store = try ResultsStore(path: db)
        #expect(store.schemaVersion == 2)
        let h1 = try store.db.query("SELECT count(*) FROM history_calls") { $0.int(0) }
        #expect(h1 == [280])
        let night = try Self.run(Self.calls(days: 14..<15, burst: true), db: db)
        #expect(night.detection.alerts.contains { $0.subject == "2042" && $0.detector == "toll_fraud" })
        // Only the new night is judged: every alert lies in it.
        let nightStart = CivilTime.days(year: 2026, month: 3, day: 16) * 86_400_000
        #expect(night.detection.alerts.allSatisfy { $0.windowEndMs >= nightStart })
        #expect(try store.db.query("SELECT count(*) FROM history_calls") { $0.int(0) } == [330])
        _ = try Self.run(Self.calls(days: 14..<15, burst: true), db: db)
        #expect(try store.db.query("SELECT count(*) FROM history_calls") { $0.int(0) } == [330])
    }
}

@Suite struct DetectorSettingsTests {
    @Test("detector settings load by snake_case name; unknown keys and bad values name file, line and key")
    func load() throws {
        let good = Fixture.tempPath("d.yaml")
        defer { try? FileManager.default.removeItem(atPath: good) }
        try "detectors:\n  fast_attempts: 4\n  burst_fdr: 0.001\n".write(
            toFile: good,
            atomically: true,
            encoding: .utf8
        )
        let c = try DetectorConfigLoader.load(path: good)
        #expect(c.fastAttempts == 4)
        #expect(c.burstFDR == 0.001)
        #expect(c.slowAttempts == DetectorConfig().slowAttempts)
        let bad = Fixture.tempPath("e.yaml")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        try "fast_attempts: 4\nfast_atempts: 5\n".write(toFile: bad, atomically: true, encoding: .utf8)
        do {
            _ = try DetectorConfigLoader.load(path: bad)
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect(e.line == 2 && e.key == "fast_atempts")
        }
        try "slow_score: -1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try DetectorConfigLoader.load(path: bad) }
    }

    @Test("calibration: lower thresholds never raise fewer alerts in total than higher ones, per run")
    func calibration() throws {
        let outcome = try Fixture.job(db: nil, extra: Fixture.hostile)
        _ = outcome
        let (result, inventory) = try Fixture.ingest(extra: Fixture.hostile)
        let countries = (0..<result.store.sites.count).map {
            inventory.site(named: result.store.sites[UInt32($0)])?.country ?? ""
        }
        let d = CallDestinations.build(store: result.store, siteCountry: countries, classifier: DestinationClassifier())
        let rows = Calibration.run(
            DetectionContext(store: result.store, destinations: d, inventory: inventory),
            factors: [0.5, 1, 4]
        )
        #expect(rows.count == 3)
        #expect(rows[0].alertsByDetector["toll_fraud"]! >= rows[2].alertsByDetector["toll_fraud"]!)
        #expect(rows[1].alertsByDetector["toll_fraud"]! >= 1)
        #expect(Calibration.text(rows).contains("thresholds ×"))
    }
}
