import CDRAnalysis
import CDRIngest
import CDRModel
import CDROutput
import Foundation
import Testing

@testable import CDRPipeline

/// The shipped pipelines on the shipped samples, with their outputs moved to a temporary directory.
@Suite struct PipelineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func shipped(_ name: String, outputs dir: String) throws -> PipelineSpec {
        var spec = try PipelineLoader.load(path: root.appendingPathComponent("pipelines/\(name)").path)
        func move(_ p: String?) -> String? { p.map { dir + "/" + ($0 as NSString).lastPathComponent } }
        spec.outputs.database = move(spec.outputs.database)
        spec.outputs.html = move(spec.outputs.html)
        spec.outputs.markdown = move(spec.outputs.markdown)
        spec.outputs.rejects = move(spec.outputs.rejects)
        spec.outputs.calls = move(spec.outputs.calls)
        return spec
    }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "cdrscan-pipeline-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Row counts of every results table, to tell whether a run changed anything.
    static func snapshot(_ db: String) throws -> [String: Int] {
        let store = try ResultsStore(path: db)
        var out: [String: Int] = [:]
        for table in [
            "runs", "source_files", "rejects", "incidents", "alerts", "capacity", "concurrency", "usage_daily",
            "traffic_hourly", "top_sources", "history_calls",
        ] {
            out[table] = try store.db.query("SELECT count(*) FROM \(table)") { $0.int(0) }.first ?? -1
        }
        out["max_finished"] =
            try store.db.query("SELECT coalesce(max(finished_utc), '') FROM runs") { $0.text(0) }
            .first?.count ?? -1
        return out
    }

    @Test("nightly finds the hacked extension on its night, and a second run reads nothing and changes nothing")
    func nightly() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try Self.shipped("nightly.yaml", outputs: dir)
        let runner = PipelineRunner(spec: spec)
        // Two quiet nights first build the history, then the night of the PBX hack.
        for night in ["2026-10-22", "2026-10-23"] {
            let quiet = try runner.run(#require(RunPeriod.night(night)))
            #expect(quiet.plan.files.count == 3)
            #expect(quiet.job != nil)
        }
        let period = try #require(RunPeriod.night("2026-10-24"))
        let first = try runner.run(period)
        #expect(first.status == .incidents)
        #expect(first.plan.files.count == 3)
        #expect(first.plan.files.allSatisfy { $0.status == .new })
        let incidents = try #require(first.job?.detection.incidents)
        #expect(incidents.contains { $0.subject == "2042" && $0.severity == .critical })
        #expect(FileManager.default.fileExists(atPath: dir + "/nightly-2026-10-24.html"))
        #expect(FileManager.default.fileExists(atPath: dir + "/nightly-2026-10-24.md"))
        let db = dir + "/nightly.sqlite"
        let history = try ResultsStore(path: db).db.query("SELECT count(*) FROM history_calls") { $0.int(0) }
        #expect(history.first! > first.calls)  // the earlier nights are kept as the baseline
        let before = try Self.snapshot(db)
        let second = try runner.run(period)
        #expect(second.status == .ok)
        #expect(second.job == nil)
        #expect(second.plan.nothingNew)
        #expect(try Self.snapshot(db) == before)
    }

    @Test("night after night, the history keeps every call read: sites in other zones lose nothing")
    func historyKeepsEveryNight() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let runner = PipelineRunner(spec: try Self.shipped("nightly.yaml", outputs: dir))
        var read = 0
        for night in ["2026-10-23", "2026-10-24", "2026-10-25"] {
            read += try runner.run(#require(RunPeriod.night(night))).calls
        }
        let store = try ResultsStore(path: dir + "/nightly.sqlite")
        #expect(try store.db.query("SELECT count(*) FROM history_calls") { $0.int(0) } == [read])
        // All 300 calls of the PBX hack (from 23:30 Berlin on the 24th) are there for investigations.
        let hack = try store.db.query(
            "SELECT count(*) FROM history_calls WHERE account = '2042' AND start_ms >= ?",
            [.int(CivilTime.days(year: 2026, month: 10, day: 24) * 86_400_000 + 21 * 3_600_000)]
        ) { $0.int(0) }
        #expect(hack.first! >= 300)
    }

    @Test("a late file of a night re-reads that night's files, and the night's results are replaced whole")
    func lateFile() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        let month = Self.root.appendingPathComponent("sample-cdrs/month").path
        try FileManager.default.copyItem(
            atPath: month + "/ber/ber-2026-10-24.csv.gz",
            toPath: input + "/ber-2026-10-24.csv.gz"
        )
        var spec = try Self.shipped("nightly.yaml", outputs: dir)
        spec.inputs = [PipelineSpec.Input(paths: [input + "/*-{date}.csv.gz"])]
        let runner = PipelineRunner(spec: spec)
        let period = try #require(RunPeriod.night("2026-10-24"))
        let first = try runner.run(period)
        try FileManager.default.copyItem(
            atPath: month + "/nyc/nyc-2026-10-24.csv.gz",
            toPath: input + "/nyc-2026-10-24.csv.gz"
        )
        let second = try runner.run(period)
        #expect(second.plan.files.map(\.status) == [.reread, .new])
        #expect(second.calls > first.calls)
        let store = try ResultsStore(path: dir + "/nightly.sqlite")
        let current = try store.db.query("SELECT count(*) FROM runs WHERE status = 'ok'") { $0.int(0) }
        let replaced = try store.db.query("SELECT count(*) FROM runs WHERE status = 'replaced'") { $0.int(0) }
        #expect(current == [1])
        #expect(replaced == [1])
    }

    @Test("the monthly capacity review covers every trunk of the inventory")
    func capacityMonthly() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try Self.shipped("capacity-monthly.yaml", outputs: dir)
        let outcome = try PipelineRunner(spec: spec).run(#require(RunPeriod.month("2026-10")))
        #expect(outcome.status == .ok)
        #expect(outcome.plan.files.count == 93)
        let capacity = try #require(outcome.job?.capacity)
        let inventory = try InventoryLoader.load(path: try #require(spec.inventory))
        #expect(Set(capacity.trunks.map(\.trunk)) == Set(inventory.trunks.map(\.name)))
        #expect(outcome.job?.detection.incidents.isEmpty == true)
        let rows = try ResultsStore(path: dir + "/capacity.sqlite").db.query(
            "SELECT count(*) FROM capacity c JOIN runs r USING(run_id) WHERE r.scope = 'month:2026-10'"
        ) { $0.int(0) }
        #expect(rows.first! >= inventory.trunks.count)
        #expect(FileManager.default.fileExists(atPath: dir + "/capacity-2026-10.html"))
    }

    @Test("the investigation analyses one account's calls and writes them to a guarded CSV")
    func investigate() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try Self.shipped("investigate.yaml", outputs: dir)
        let outcome = try PipelineRunner(spec: spec).run(.all)
        #expect(outcome.status == .incidents)
        let incidents = try #require(outcome.job?.detection.incidents)
        #expect(!incidents.isEmpty)
        #expect(incidents.allSatisfy { $0.subject == "2042" || $0.subject.hasPrefix("site") || $0.site == "ber" })
        let csv = try String(contentsOfFile: dir + "/investigate-2042-calls.csv", encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == outcome.calls + 1)
        #expect(lines.dropFirst().allSatisfy { $0.contains(",\"2042\",") })
        // E.164 numbers start with + and are guarded in spreadsheet output.
        #expect(lines.dropFirst().allSatisfy { !$0.contains(",\"+") })
        // only_new_files: false reads everything again.
        let again = try PipelineRunner(spec: spec).run(.all)
        #expect(again.job != nil)
    }

    @Test("a run that finds the results file locked stops with a clear message; the lock goes with its holder")
    func lock() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try Self.shipped("capacity-monthly.yaml", outputs: dir)
        var runner = PipelineRunner(spec: spec)
        runner.lockWait = 0.2
        let period = try #require(RunPeriod.month("2026-10"))
        do {
            let holder = try RunLock(path: dir + "/capacity.sqlite.lock", wait: 0, owner: "test")
            let error = #expect(throws: RunLock.Busy.self) { try runner.run(period) }
            #expect(error?.description.contains("pid \(getpid())") == true)
            withExtendedLifetime(holder) {}
        }
        #expect(try runner.run(period).status == .ok)
    }

    @Test("no matching input is an error status; unreadable files and rejected rows have their own")
    func statuses() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var spec = try Self.shipped("nightly.yaml", outputs: dir)
        let none = try PipelineRunner(spec: spec).run(#require(RunPeriod.night("2027-01-01")))
        #expect(none.status == .fileErrors)
        #expect(none.job == nil)

        let dirty = Self.root.appendingPathComponent("sample-cdrs/dirty").path
        spec.inputs = [
            PipelineSpec.Input(paths: [dirty + "/bad-dates.csv"], declaration: SiteDeclaration(country: "DE"))
        ]
        spec.capacityEnabled = false
        spec.historyDays = nil
        let rejected = try PipelineRunner(spec: spec).run(.all)
        #expect(rejected.status == .rejectsOverLimit)
        #expect(rejected.rejectedShare == 0.75)

        spec.name = "dirty-gzip"
        spec.inputs = [
            PipelineSpec.Input(paths: [dirty + "/truncated.csv.gz"], declaration: SiteDeclaration(country: "DE"))
        ]
        spec.maxRejectedShare = 1
        #expect(try PipelineRunner(spec: spec).run(.all).status == .fileErrors)

        #expect(RunStatus.of(incidents: true, fileErrors: true, rejectsOverLimit: true) == .incidents)
        #expect(RunStatus.of(incidents: false, fileErrors: true, rejectsOverLimit: true) == .fileErrors)
        #expect(RunStatus.of(incidents: false, fileErrors: false, rejectsOverLimit: true) == .rejectsOverLimit)
        #expect(RunStatus.of(incidents: false, fileErrors: false, rejectsOverLimit: false) == .ok)
    }

    @Test("dry run plans without writing anything")
    func dryRun() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try Self.shipped("nightly.yaml", outputs: dir)
        let outcome = try PipelineRunner(spec: spec).run(#require(RunPeriod.night("2026-10-24")), dryRun: true)
        #expect(outcome.job == nil)
        #expect(outcome.plan.files.count == 3)
        #expect(outcome.plan.text(spec).contains("3 of 3 files would be read"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("files recorded with legacy fingerprints (before v2) are not read again")
    func legacyFingerprints() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try Self.shipped("nightly.yaml", outputs: dir)
        let runner = PipelineRunner(spec: spec)
        let period = try #require(RunPeriod.night("2026-10-22"))
        let first = try runner.run(period)
        #expect(first.plan.files.count == 3)
        // The results as an earlier version wrote them: each file's legacy fingerprint.
        let store = try ResultsStore(path: dir + "/nightly.sqlite")
        let files = try store.db.query("SELECT path FROM source_files") { $0.text(0) }
        #expect(files.count == 3)
        for path in files {
            try store.db.prepare("UPDATE source_files SET fingerprint = ? WHERE path = ?")
                .run([.text(FileFingerprint.withLegacy(path: path).legacy), .text(path)])
        }
        let recorded = try store.db.query("SELECT fingerprint FROM source_files") { $0.text(0) }
        #expect(recorded.allSatisfy(FileFingerprint.isLegacy))
        let plan = try runner.run(period, dryRun: true).plan
        #expect(plan.files.count == 3)
        #expect(plan.nothingNew)
        // Another night's files were never read, under either fingerprint.
        let next = try runner.run(#require(RunPeriod.night("2026-10-23")), dryRun: true).plan
        #expect(next.files.allSatisfy { $0.status == .new })
    }

    @Test("the fingerprint of a file is the one its ingest records")
    func fingerprint() throws {
        let path = Self.root.appendingPathComponent("sample-cdrs/month/sin/sin-2026-10-05.csv.gz").path
        let result = try IngestRun.run(paths: [path])
        #expect(try FileFingerprint.of(path: path) == result.summary.files[0].fingerprint)
    }
}

@Suite struct CallFilterTests {
    @Test("number prefixes: + means E.164 only; without it any written form matches")
    func prefixes() throws {
        var store = ColumnStore()
        func add(_ caller: String, _ callee: String, _ raw: String, account: String = "2042") {
            store.append(
                CallRecord(
                    startMs: Int64(store.count) * 1000,
                    answerMs: nil,
                    endMs: Int64(store.count) * 1000 + 5000,
                    direction: .outbound,
                    disposition: .noAnswer,
                    caller: caller,
                    callee: callee,
                    callerRaw: caller,
                    calleeRaw: raw,
                    trunk: "t",
                    account: account,
                    site: "s"
                )
            )
        }
        add("2042", "+881631234000", "00881631234000")
        add("5029", "+6588198810", "88198810", account: "5029")
        add("2042", "+37190356567", "0037190356567")
        var f = CallFilter()
        f.number = "+881"
        #expect(f.indices(store, nil) == [0])
        f.number = "881"
        #expect(f.indices(store, nil) == [0, 1])
        f.number = "0037"
        #expect(f.indices(store, nil) == [2])
        f.number = "2042"
        #expect(f.indices(store, nil) == [0, 2])
        f = CallFilter()
        f.account = "5029"
        #expect(f.indices(store, nil) == [1])
        f.account = "nobody"
        #expect(f.indices(store, nil).isEmpty)
        f = CallFilter()
        f.fromMs = 1000
        f.toMs = 2000
        #expect(f.indices(store, nil) == [1])
    }
}

@Suite struct ResultTableTests {
    @Test("CSV guards CDR text against formulas, the terminal table against escape sequences, JSON keeps it exact")
    func hostileText() throws {
        let hostile = "=HYPERLINK(\"http://x\",\"call\")"
        let table = ResultTable(
            columns: ["name", "n"],
            rows: [
                [.text(hostile), .int(-5)],
                [.text("ok\u{1B}[31mred"), .number(1.25, decimals: 2)],
                [.text("@SUM(A1)"), .int(3)],
            ]
        )
        let csv = table.csv().split(separator: "\n").map(String.init)
        #expect(csv[0] == "name,n")
        #expect(csv[1] == "\"'=HYPERLINK(\"\"http://x\"\",\"\"call\"\")\",-5")
        #expect(csv[3] == "\"'@SUM(A1)\",3")
        let text = table.text()
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("ok\u{FFFD}[31mred"))
        let json = try JSONSerialization.jsonObject(with: Data(table.json().utf8)) as? [[String: Any]]
        #expect(json?[0]["name"] as? String == hostile)
        #expect(json?[1]["n"] as? Double == 1.25)
    }
}
