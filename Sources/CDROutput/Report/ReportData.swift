import Foundation

/// Everything a report shows, read back from the results database (so reports can be rebuilt without CDRs).
public struct ReportData: Sendable {
    public struct Run: Sendable {
        public var id: Int64
        public var pipeline: String
        public var scope: String
        public var startedUtc: String
        public var finishedUtc: String
        public var status: String
        public var rowsRead: Int
        public var calls: Int
        public var rejected: Int
        public var periodStartUtc: String
        public var periodEndUtc: String
        public var timeZones: String
        public var rateSource: String
        public var currency: String
        public var version: String
        public var tzdata: String
    }

    public struct File: Sendable {
        public var path: String, format: String, rows: Int, calls: Int, rejected: Int, error: String,
            duplicateOf: String
    }

    public struct IncidentRow: Sendable {
        public var id: Int, severity: String, subjectKind: String, subject: String, site: String, detectors: String
        public var countries: String, windowStartUtc: String, windowEndUtc: String, calls: Int, estCost: Double
        public var currency: String, score: Double, summary: String
        public var alerts: [AlertRow]
    }

    public struct AlertRow: Sendable {
        public var detector: String, rule: String, severity: String, summary: String, windowStartUtc: String
        public var windowEndUtc: String, evidence: [(String, String)]
    }

    public struct CapacityRow: Sendable {
        public var trunk: String, site: String, timeZone: String, channels: Int?, kind: String, attempts: Int
        public var congestion: Int, peak: Int, peakAtUtc: String, p95: Int, secondsAtLimit: Double,
            busiestHourUtc: String
        public var meanBusyHour: Double, offered: Double, blocking: Double?, needed: Int, status: String, advice: String
        public var busiestHourErlangs: Double = 0, highLoad: Double = 0, tcbhHour: Int = 0, tcbh: Double = 0
    }

    public var run: Run
    public var files: [File]
    public var rejectsByReason: [(String, Int)]
    public var incidents: [IncidentRow]
    public var capacity: [CapacityRow]
    /// Per trunk: (15-minute step start UTC, peak channels).
    public var concurrency: [(trunk: String, points: [(String, Int)])]
    /// Per site: (hour start UTC, calls, after-hours calls, international calls).
    public var hourly: [(site: String, points: [(String, Int, Int, Int)])]
    public var internationalByCountry: [(String, Int, Double)]
    public var topDestinations: [(String, Int, Double, Double)]
    public var topSources: [(String, String, Int, Int, Int, Double, Double)]
    public var topTrunks: [(String, Int, Int, Double)]
    public var callsByDirection: [(String, Int)]

    /// Loads a run (`nil`: the latest successful run).
    public static func load(_ store: ResultsStore, runId: Int64? = nil) throws -> ReportData {
        let db = store.db
        let id: Int64
        if let runId {
            id = runId
        } else {
            guard
                let latest = try db.query(
                    "SELECT run_id FROM runs WHERE status = 'ok' ORDER BY run_id DESC LIMIT 1",
                    [],
                    { $0.int64(0) }
                ).first
            else {
                throw SQLiteError(code: 0, message: "\(db.path) has no finished run", sql: "")
            }
            id = latest
        }
        guard
            let run = try db.query(
                """
                SELECT run_id, pipeline, scope, started_utc, coalesce(finished_utc,''), status, rows_read, calls, rejected,
                coalesce(period_start_utc,''), coalesce(period_end_utc,''), time_zones, rate_source, currency, cdrscan_version, tzdata_version
                FROM runs WHERE run_id = ?
                """,
                [.int(id)],
                { r in
                    Run(
                        id: r.int64(0),
                        pipeline: r.text(1),
                        scope: r.text(2),
                        startedUtc: r.text(3),
                        finishedUtc: r.text(4),
                        status: r.text(5),
                        rowsRead: r.int(6),
                        calls: r.int(7),
                        rejected: r.int(8),
                        periodStartUtc: r.text(9),
                        periodEndUtc: r.text(10),
                        timeZones: r.text(11),
                        rateSource: r.text(12),
                        currency: r.text(13),
                        version: r.text(14),
                        tzdata: r.text(15)
                    )
                }
            ).first
        else { throw SQLiteError(code: 0, message: "no run \(id) in \(db.path)", sql: "") }
        let b: [SQLiteValue] = [.int(id)]
        let files = try db.query(
            "SELECT path, format, rows, calls, rejected, coalesce(error,''), coalesce(duplicate_of,'') FROM source_files WHERE run_id = ? ORDER BY path",
            b
        ) {
            File(
                path: $0.text(0),
                format: $0.text(1),
                rows: $0.int(2),
                calls: $0.int(3),
                rejected: $0.int(4),
                error: $0.text(5),
                duplicateOf: $0.text(6)
            )
        }
        let rejects = try db.query(
            "SELECT reason, count(*) FROM rejects WHERE run_id = ? GROUP BY reason ORDER BY 2 DESC, 1",
            b
        ) { ($0.text(0), $0.int(1)) }
        var incidents = try db.query(
            """
            SELECT incident_id, severity, subject_kind, subject, site, detectors, countries, window_start_utc, window_end_utc,
            calls, est_cost, currency, score, summary FROM incidents WHERE run_id = ? ORDER BY incident_id
            """,
            b
        ) {
            IncidentRow(
                id: $0.int(0),
                severity: $0.text(1),
                subjectKind: $0.text(2),
                subject: $0.text(3),
                site: $0.text(4),
                detectors: $0.text(5),
                countries: $0.text(6),
                windowStartUtc: $0.text(7),
                windowEndUtc: $0.text(8),
                calls: $0.int(9),
                estCost: $0.double(10),
                currency: $0.text(11),
                score: $0.double(12),
                summary: $0.text(13),
                alerts: []
            )
        }
        let alerts = try db.query(
            """
            SELECT incident_id, detector, rule, severity, summary, window_start_utc, window_end_utc, evidence FROM alerts
            WHERE run_id = ? ORDER BY incident_id, window_start_utc, detector, rule
            """,
            b
        ) { r -> (Int, AlertRow) in
            var evidence: [(String, String)] = []
            if let obj = try? JSONSerialization.jsonObject(with: Data(r.text(7).utf8)) as? [String: String] {
                evidence = obj.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            }
            return (
                r.int(0),
                AlertRow(
                    detector: r.text(1),
                    rule: r.text(2),
                    severity: r.text(3),
                    summary: r.text(4),
                    windowStartUtc: r.text(5),
                    windowEndUtc: r.text(6),
                    evidence: evidence
                )
            )
        }
        for (inc, a) in alerts {
            if let k = incidents.firstIndex(where: { $0.id == inc }) { incidents[k].alerts.append(a) }
        }
        let capacity = try db.query(
            """
            SELECT trunk, site, time_zone, channels, kind, attempts, congestion_calls, peak_channels, peak_at_utc, p95_channels,
            seconds_at_or_over_limit, busiest_hour_start_utc, mean_busy_hour_erlangs, offered_erlangs, blocking_at_contracted,
            channels_needed, status, advice, busiest_hour_erlangs, high_load_erlangs, tcbh_local_hour, tcbh_erlangs
            FROM capacity WHERE run_id = ? ORDER BY trunk LIKE 'site:%', site, trunk
            """,
            b
        ) {
            CapacityRow(
                trunk: $0.text(0),
                site: $0.text(1),
                timeZone: $0.text(2),
                channels: $0.optionalInt(3),
                kind: $0.text(4),
                attempts: $0.int(5),
                congestion: $0.int(6),
                peak: $0.int(7),
                peakAtUtc: $0.text(8),
                p95: $0.int(9),
                secondsAtLimit: $0.double(10),
                busiestHourUtc: $0.text(11),
                meanBusyHour: $0.double(12),
                offered: $0.double(13),
                blocking: $0.optionalDouble(14),
                needed: $0.int(15),
                status: $0.text(16),
                advice: $0.text(17),
                busiestHourErlangs: $0.double(18),
                highLoad: $0.double(19),
                tcbhHour: $0.int(20),
                tcbh: $0.double(21)
            )
        }
        var conc: [(String, [(String, Int)])] = []
        for t in capacity where !t.trunk.hasPrefix("site:") {
            conc.append(
                (
                    t.trunk,
                    try db.query(
                        "SELECT step_start_utc, peak_channels FROM concurrency WHERE run_id = ? AND trunk = ? ORDER BY 1",
                        [.int(id), .text(t.trunk)]
                    ) { ($0.text(0), $0.int(1)) }
                )
            )
        }
        var hourly: [(String, [(String, Int, Int, Int)])] = []
        for site in try db.query(
            "SELECT DISTINCT site FROM traffic_hourly WHERE run_id = ? ORDER BY 1",
            b,
            { $0.text(0) }
        ) {
            hourly.append(
                (
                    site,
                    try db.query(
                        "SELECT hour_start_utc, calls, after_hours_calls, international_calls FROM traffic_hourly WHERE run_id = ? AND site = ? ORDER BY 1",
                        [.int(id), .text(site)]
                    ) { ($0.text(0), $0.int(1), $0.int(2), $0.int(3)) }
                )
            )
        }
        let intl = try db.query(
            """
            SELECT country, sum(attempts), sum(est_cost) FROM usage_daily WHERE run_id = ? AND direction = 'outbound' AND international = 1
            AND country <> '' GROUP BY country ORDER BY 2 DESC, 1 LIMIT 15
            """,
            b
        ) { ($0.text(0), $0.int(1), $0.double(2)) }
        let dest = try db.query(
            """
            SELECT country, sum(attempts), sum(minutes), sum(est_cost) FROM usage_daily WHERE run_id = ? AND direction = 'outbound'
            AND country <> '' GROUP BY country ORDER BY 4 DESC, 2 DESC, 1 LIMIT 10
            """,
            b
        ) { ($0.text(0), $0.int(1), $0.double(2), $0.double(3)) }
        let sources = try db.query(
            "SELECT source, site, attempts, international, risky, minutes, est_cost FROM top_sources WHERE run_id = ? ORDER BY est_cost DESC, attempts DESC, source LIMIT 10",
            b
        ) {
            ($0.text(0), $0.text(1), $0.int(2), $0.int(3), $0.int(4), $0.double(5), $0.double(6))
        }
        let trunks = try db.query(
            """
            SELECT trunk, sum(attempts), sum(answered), sum(minutes) FROM usage_daily WHERE run_id = ? AND trunk <> ''
            GROUP BY trunk ORDER BY 2 DESC, 1
            """,
            b
        ) { ($0.text(0), $0.int(1), $0.int(2), $0.double(3)) }
        let dirs = try db.query(
            "SELECT direction, sum(attempts) FROM usage_daily WHERE run_id = ? GROUP BY direction ORDER BY 1",
            b
        ) { ($0.text(0), $0.int(1)) }
        return ReportData(
            run: run,
            files: files,
            rejectsByReason: rejects,
            incidents: incidents,
            capacity: capacity,
            concurrency: conc.map { (trunk: $0.0, points: $0.1) },
            hourly: hourly.map { (site: $0.0, points: $0.1) },
            internationalByCountry: intl,
            topDestinations: dest,
            topSources: sources,
            topTrunks: trunks,
            callsByDirection: dirs
        )
    }
}
