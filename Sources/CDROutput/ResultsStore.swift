import CDRAnalysis
import CDRIngest
import CDRModel
import Foundation

/// Everything one run produced, ready to be written.
public struct RunOutput: Sendable {
    public var pipeline: String
    /// What the run covers; a later run with the same scope replaces this one's results (`span:2026-10-01..2026-10-31`,
    /// `night:2026-10-24`, `month:2026-10`).
    public var scope: String
    public var startedUtcMs: Int64
    public var finishedUtcMs: Int64
    public var summary: IngestSummary
    public var rejects: [RejectRecord]
    public var incidents: [Incident]
    public var capacity: CapacityReport?
    public var usage: UsageAggregates
    public var rateSource: String
    public var currency: String
    /// New calls to keep as history for later runs' baselines, and how far back history is kept (ms).
    public var history: ColumnStore? = nil
    public var lookbackMs: Int64 = 56 * 86_400_000

    public init(
        pipeline: String,
        scope: String,
        startedUtcMs: Int64,
        finishedUtcMs: Int64,
        summary: IngestSummary,
        rejects: [RejectRecord],
        incidents: [Incident],
        capacity: CapacityReport?,
        usage: UsageAggregates,
        rateSource: String,
        currency: String
    ) {
        self.pipeline = pipeline
        self.scope = scope
        self.startedUtcMs = startedUtcMs
        self.finishedUtcMs = finishedUtcMs
        self.summary = summary
        self.rejects = rejects
        self.incidents = incidents
        self.capacity = capacity
        self.usage = usage
        self.rateSource = rateSource
        self.currency = currency
    }
}

/// The SQLite results file: schema migrations, writing runs in transactions, reading them back.
///
/// A run is recorded as `running` first (committed), then all its results are written in one transaction that also
/// retires earlier results of the same scope; a run killed at any moment leaves the previous results intact and
/// the file readable.
public final class ResultsStore {
    public let db: SQLiteDatabase
    /// Test hook: throw after this many batches of a results transaction (simulates a crash mid-write).
    public var failAfterBatches: Int? = nil

    public static let cdrscanVersion = "0.1.0"

    public init(path: String) throws {
        db = try SQLiteDatabase(path: path)
        try migrate()
    }

    /// Brings the schema to the current version (from an empty file or any earlier version).
    func migrate() throws {
        var v = try db.userVersion
        if v > ResultsSchema.version {
            throw SQLiteError(
                code: 0,
                message:
                    "\(db.path) has schema version \(v), newer than this cdrscan (\(ResultsSchema.version)); upgrade cdrscan",
                sql: ""
            )
        }
        while v < ResultsSchema.version {
            try db.transaction {
                try db.execute(ResultsSchema.migrations[v])
                try db.execute("PRAGMA user_version = \(v + 1)")
            }
            v += 1
        }
    }

    public var schemaVersion: Int { (try? db.userVersion) ?? 0 }

    /// Records a run as started; returns its id.
    public func beginRun(pipeline: String, scope: String, inputs: [String], startedUtcMs: Int64) throws -> Int64 {
        try db.transaction {
            try db.prepare(
                "INSERT INTO runs(pipeline, scope, started_utc, status, inputs, cdrscan_version, tzdata_version) VALUES (?,?,?,?,?,?,?)"
            )
            .run([
                .text(pipeline), .text(scope), .text(utc(startedUtcMs)), .text("running"), .text(jsonArray(inputs)),
                .text(Self.cdrscanVersion), .text(ZoneResolver.databaseVersion),
            ])
            return db.lastInsertRowID
        }
    }

    /// Marks the runs still recorded as `running` as `interrupted`: killed or crashed before their results were
    /// written (those are written in one transaction, so none of theirs are there). Only for a caller that holds
    /// the results file's run lock (`RESULTS.lock`): then no other run is writing it. Returns how many there were.
    @discardableResult
    public func retireInterruptedRuns(finishedUtcMs: Int64) throws -> Int {
        try db.transaction {
            let n = try db.query("SELECT count(*) FROM runs WHERE status = 'running'") { $0.int(0) }.first ?? 0
            try db.prepare("UPDATE runs SET status = 'interrupted', finished_utc = ? WHERE status = 'running'").run([
                .text(utc(finishedUtcMs))
            ])
            return Int(n)
        }
    }

    /// Marks a run as failed (its partial results were rolled back).
    public func failRun(_ runId: Int64, message: String, finishedUtcMs: Int64) {
        try? db.prepare("UPDATE runs SET status = 'failed', finished_utc = ? WHERE run_id = ?").run([
            .text(utc(finishedUtcMs)), .int(runId),
        ])
    }

    /// Writes every result of a run in one transaction, replacing the results of earlier runs with the same scope.
    public func write(_ runId: Int64, _ out: RunOutput) throws {
        var batches = 0
        func batch() throws {
            batches += 1
            if let limit = failAfterBatches, batches > limit {
                throw SQLiteError(code: -1, message: "simulated failure after \(limit) batches", sql: "")
            }
        }
        try db.transaction {
            // Retire earlier results of the same pipeline and scope.
            let older = try db.query(
                "SELECT run_id FROM runs WHERE pipeline = ? AND scope = ? AND status = 'ok' AND run_id <> ?",
                [.text(out.pipeline), .text(out.scope), .int(runId)]
            ) { $0.int64(0) }
            for r in older {
                for table in [
                    "rejects", "incidents", "alerts", "capacity", "concurrency", "usage_daily", "traffic_hourly",
                    "top_sources",
                ] {
                    try db.prepare("DELETE FROM \(table) WHERE run_id = ?").run([.int(r)])
                }
                try db.prepare("UPDATE runs SET status = 'replaced' WHERE run_id = ?").run([.int(r)])
            }
            try batch()
            let files = try db.prepare("INSERT INTO source_files VALUES (?,?,?,?,?,?,?,?,?,?,?)")
            for f in out.summary.files {
                try files.run([
                    .int(runId), .text(f.path), .int(f.fileBytes), .text(f.fingerprint), .text(f.format),
                    .int(f.gzip ? 1 : 0),
                    .int(Int64(f.rows)), .int(Int64(f.calls)), .int(Int64(f.rejected)),
                    f.duplicateOf.map { .text($0) } ?? .null,
                    f.error.map { .text($0) } ?? .null,
                ])
            }
            let rejects = try db.prepare("INSERT INTO rejects VALUES (?,?,?,?,?,?)")
            for r in out.rejects {
                try rejects.run([
                    .int(runId), .text(r.file), .int(Int64(r.line)), .text(r.reason), .text(r.detail), .text(r.raw),
                ])
            }
            try batch()
            let inc = try db.prepare("INSERT INTO incidents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
            let al = try db.prepare("INSERT INTO alerts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
            for i in out.incidents {
                try inc.run([
                    .int(runId), .int(Int64(i.id)), .text(i.severity.rawValue), .text(i.subjectKind), .text(i.subject),
                    .text(i.site), .text(i.detectors.joined(separator: ",")), .text(i.countries.joined(separator: ",")),
                    .text(utc(i.windowStartMs)), .text(utc(i.windowEndMs)), .int(Int64(i.calls)), .double(i.estCost),
                    .text(i.currency), .double(i.score), .text(i.summary),
                ])
                for a in i.alerts {
                    try al.run([
                        .int(runId), .int(Int64(i.id)), .text(a.detector), .text(a.rule), .text(a.severity.rawValue),
                        .text(a.subjectKind), .text(a.subject), .text(a.site), .text(a.trunk),
                        .text(a.countries.joined(separator: ",")),
                        .text(utc(a.windowStartMs)), .text(utc(a.windowEndMs)), .int(Int64(a.calls)),
                        .double(a.minutes),
                        .double(a.estCost), .text(a.currency), .double(a.score), .text(a.summary),
                        .text(jsonObject(a.evidence)),
                    ])
                }
            }
            try batch()
            if let cap = out.capacity {
                let c = try db.prepare(
                    "INSERT INTO capacity VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                )
                for t in cap.trunks + cap.sites {
                    try c.run([
                        .int(runId), .text(cap.periodStartUtc), .text(cap.periodEndUtc),
                        .text(t.trunk.isEmpty ? "site:" + t.site : t.trunk),
                        .text(t.site), .text(t.timeZone), t.channels.map { .int(Int64($0)) } ?? .null, .text(t.kind),
                        .int(Int64(t.attempts)), .int(Int64(t.answered)), .int(Int64(t.congestionCalls)),
                        .int(Int64(t.congestionWhileAtLimit)), .int(Int64(t.peakChannels)), .text(t.peakAtUtc),
                        .int(Int64(t.p95Channels)), .int(Int64(t.p99Channels)), .double(t.secondsAtOrOverLimit),
                        .int(Int64(t.episodesAtLimit)), .int(Int64(t.daysAtLimit)), .text(t.busiestHourStartUtc),
                        .double(t.busiestHourErlangs), .double(t.meanBusyHourErlangs), .double(t.highLoadErlangs),
                        .int(Int64(t.timeConsistentBusyHourLocal)), .double(t.timeConsistentBusyHourErlangs),
                        .double(t.offeredErlangs), t.blockingAtContracted.map { .double($0) } ?? .null,
                        .int(Int64(t.channelsNeeded)), .int(Int64(t.channelsNeededHighLoad)),
                        t.maxTrafficAtContracted.map { .double($0) } ?? .null,
                        t.headroomErlangs.map { .double($0) } ?? .null,
                        .double(t.gos), .text(t.status), .text(t.advice),
                    ])
                }
                // Concurrency series: the highest level per 15 minutes (per-minute series are kept in memory only).
                let s = try db.prepare("INSERT INTO concurrency VALUES (?,?,?,?)")
                for (name, sweep) in cap.series.sorted(by: { $0.key < $1.key }) {
                    let perStep = max(1, Int(900_000 / sweep.stepMs))
                    var k = 0
                    while k < sweep.series.count {
                        let peak = sweep.series[k..<min(k + perStep, sweep.series.count)].max() ?? 0
                        try s.run([
                            .int(runId), .text(name), .text(utc(sweep.seriesStartMs + Int64(k) * sweep.stepMs)),
                            .int(Int64(peak)),
                        ])
                        k += perStep
                    }
                }
            }
            try batch()
            let u = try db.prepare("INSERT INTO usage_daily VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
            for d in out.usage.daily {
                try u.run([
                    .int(runId), .text(d.day), .text(d.site), .text(d.trunk), .text(d.direction), .text(d.numberClass),
                    .text(d.country), .int(d.international ? 1 : 0), .int(Int64(d.attempts)), .int(Int64(d.answered)),
                    .double(d.minutes), .double(d.estCost),
                ])
            }
            let h = try db.prepare("INSERT INTO traffic_hourly VALUES (?,?,?,?,?,?)")
            for x in out.usage.hourly {
                try h.run([
                    .int(runId), .text(x.site), .text(utc(x.hourStartMs)), .int(Int64(x.calls)),
                    .int(Int64(x.afterHoursCalls)),
                    .int(Int64(x.internationalCalls)),
                ])
            }
            let t = try db.prepare("INSERT INTO top_sources VALUES (?,?,?,?,?,?,?,?)")
            for x in out.usage.topSources {
                try t.run([
                    .int(runId), .text(x.source), .text(x.site), .int(Int64(x.attempts)), .int(Int64(x.international)),
                    .int(Int64(x.risky)), .double(x.minutes), .double(x.estCost),
                ])
            }
            try batch()
            if let history = out.history, history.count > 0 { try saveHistory(history, lookbackMs: out.lookbackMs) }
            let zones = out.summary.sites.map { "\($0.site)=\($0.timeZone)" }.joined(separator: ",")
            try db.prepare(
                """
                UPDATE runs SET status = 'ok', finished_utc = ?, rows_read = ?, calls = ?, rejected = ?, period_start_utc = ?,
                period_end_utc = ?, time_zones = ?, rate_source = ?, currency = ? WHERE run_id = ?
                """
            ).run([
                .text(utc(out.finishedUtcMs)), .int(Int64(out.summary.rowsRead)), .int(Int64(out.summary.calls)),
                .int(Int64(out.summary.rejected)), out.summary.firstStartUtc.map { .text($0) } ?? .null,
                out.summary.lastEndUtc.map { .text($0) } ?? .null, .text(zones), .text(out.rateSource),
                .text(out.currency),
                .int(runId),
            ])
        }
    }

    /// The latest successful run whose scope is that night or month, or whose local-day span overlaps
    /// [first, last] (dates as YYYY-MM-DD).
    public func latestRun(covering first: String, _ last: String) throws -> Int64? {
        let runs = try db.query("SELECT run_id, scope FROM runs WHERE status = 'ok' ORDER BY run_id DESC") {
            ($0.int64(0), $0.text(1))
        }
        for (id, scope) in runs {
            if scope == "night:\(first)" || (first.hasSuffix("-01") && scope == "month:\(first.prefix(7))") {
                return id
            }
            if scope.hasPrefix("span:") {
                let parts = scope.dropFirst(5).components(separatedBy: "..")
                if parts.count == 2, parts[0] <= last, parts[1] >= first { return id }
            }
        }
        return nil
    }

    /// Replaces, site by site, the stored history between the site's first and last start in `calls` with them, and
    /// drops history older than the lookback before the newest call (inside the caller's transaction). Site by
    /// site, because one night's files of sites in different zones cover different UTC spans: replacing the run's
    /// whole span would drop another night's calls of a site this run did not read.
    func saveHistory(_ calls: ColumnStore, lookbackMs: Int64) throws {
        var spans: [UInt16: (Int64, Int64)] = [:]
        for i in 0..<calls.count {
            let t = calls.startMs[i]
            let span = spans[calls.site[i]] ?? (t, t)
            spans[calls.site[i]] = (min(span.0, t), max(span.1, t))
        }
        let last = calls.startMs.max()!
        let newest = max(
            last,
            try db.query("SELECT coalesce(max(start_ms), 0) FROM history_calls") { $0.int64(0) }.first ?? 0
        )
        let delete = try db.prepare("DELETE FROM history_calls WHERE site = ? AND start_ms >= ? AND start_ms <= ?")
        for (site, span) in spans {
            try delete.run([.text(calls.sites[UInt32(site)]), .int(span.0), .int(span.1)])
        }
        try db.prepare("DELETE FROM history_calls WHERE start_ms < ?").run([.int(newest - lookbackMs)])
        let insert = try db.prepare("INSERT INTO history_calls VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
        let callerRaw = calls.callerRaw
        for i in 0..<calls.count {
            try insert.run([
                .int(calls.startMs[i]), .int(Int64(calls.durationMs[i])), .int(Int64(calls.ringMs[i])),
                .int(Int64(calls.direction[i])), .int(Int64(calls.disposition[i])),
                .text(calls.numbers[calls.caller[i]]),
                .text(calls.numbers[calls.callee[i]]), .text(calls.numbers[callerRaw[i]]),
                .text(calls.numbers[calls.calleeRaw[i]]), .text(calls.accounts[calls.account[i]]),
                .text(calls.trunks[UInt32(calls.trunk[i])]), .text(calls.sites[UInt32(calls.site[i])]),
            ])
        }
    }

    /// The stored calls that started in [from, to), in start order (already normalized).
    public func loadHistory(from: Int64, to: Int64) throws -> ColumnStore {
        var store = ColumnStore()
        _ = try db.query(
            """
            SELECT start_ms, duration_ms, ring_ms, direction, disposition, caller, callee, caller_raw, callee_raw, account,
            trunk, site FROM history_calls WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms
            """,
            [.int(from), .int(to)]
        ) { r -> Int in
            let start = r.int64(0)
            let ring = r.int64(2)
            store.append(
                CallRecord(
                    startMs: start,
                    answerMs: ring < 0 ? nil : start + ring,
                    endMs: start + r.int64(1),
                    direction: Direction(rawValue: UInt8(r.int(3))) ?? .internal_,
                    disposition: Disposition(rawValue: UInt8(r.int(4))) ?? .failed,
                    caller: r.text(5),
                    callee: r.text(6),
                    callerRaw: r.text(7),
                    calleeRaw: r.text(8),
                    trunk: r.text(10),
                    account: r.text(9),
                    site: r.text(11)
                )
            )
            return 0
        }
        return store
    }

    /// The files earlier runs of a pipeline read: fingerprint → the scopes of those runs (runs that finished, whether
    /// their results are current or were replaced by a later run of the same scope).
    public func filesRead(pipeline: String) throws -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        _ = try db.query(
            """
            SELECT f.fingerprint, r.scope FROM source_files f JOIN runs r USING(run_id)
            WHERE r.pipeline = ? AND r.status IN ('ok', 'replaced') AND f.error IS NULL
            """,
            [.text(pipeline)]
        ) { r -> Int in
            out[r.text(0), default: []].insert(r.text(1))
            return 0
        }
        return out
    }

    /// Fingerprints of files already read by successful runs (for pipelines that read only new files).
    public func knownFingerprints() throws -> Set<String> {
        Set(
            try db.query(
                "SELECT f.fingerprint FROM source_files f JOIN runs r USING(run_id) WHERE r.status = 'ok' AND f.error IS NULL"
            ) { $0.text(0) }
        )
    }
}

func utc(_ ms: Int64) -> String { CivilTime.format(ms: ms, suffix: "Z") }

func jsonArray(_ items: [String]) -> String {
    "[" + items.map { jsonString($0) }.joined(separator: ",") + "]"
}

func jsonObject(_ dict: [String: String]) -> String {
    "{" + dict.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }.joined(separator: ",")
        + "}"
}

func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
        }
    }
    return out + "\""
}
