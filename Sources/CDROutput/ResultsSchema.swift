/// The results database schema, versioned with `PRAGMA user_version` and migrated forward on open.
///
/// Every table and column is documented in `docs/results-schema.md`. Times are ISO 8601 UTC text with `Z`
/// unless the column name says `_local` (then the site's own zone, named in `time_zone`).
enum ResultsSchema {
    /// The schema version this build writes.
    static let version = 2

    /// Migrations: index k brings a database from version k to k + 1.
    static let migrations: [String] = [
        """
        CREATE TABLE runs (
            run_id INTEGER PRIMARY KEY,
            pipeline TEXT NOT NULL,
            scope TEXT NOT NULL,
            started_utc TEXT NOT NULL,
            finished_utc TEXT,
            status TEXT NOT NULL,
            inputs TEXT NOT NULL,
            rows_read INTEGER NOT NULL DEFAULT 0,
            calls INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            period_start_utc TEXT,
            period_end_utc TEXT,
            time_zones TEXT NOT NULL DEFAULT '',
            rate_source TEXT NOT NULL DEFAULT '',
            currency TEXT NOT NULL DEFAULT 'USD',
            cdrscan_version TEXT NOT NULL,
            tzdata_version TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX runs_scope ON runs(scope, status);
        CREATE TABLE source_files (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            path TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            format TEXT NOT NULL,
            gzip INTEGER NOT NULL,
            rows INTEGER NOT NULL,
            calls INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            duplicate_of TEXT,
            error TEXT
        );
        CREATE INDEX source_files_fingerprint ON source_files(fingerprint);
        CREATE INDEX source_files_run ON source_files(run_id);
        CREATE TABLE rejects (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            file TEXT NOT NULL,
            line INTEGER NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL,
            raw TEXT NOT NULL
        );
        CREATE INDEX rejects_run ON rejects(run_id, reason);
        CREATE TABLE incidents (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            incident_id INTEGER NOT NULL,
            severity TEXT NOT NULL,
            subject_kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            site TEXT NOT NULL,
            detectors TEXT NOT NULL,
            countries TEXT NOT NULL,
            window_start_utc TEXT NOT NULL,
            window_end_utc TEXT NOT NULL,
            calls INTEGER NOT NULL,
            est_cost REAL NOT NULL,
            currency TEXT NOT NULL,
            score REAL NOT NULL,
            summary TEXT NOT NULL,
            PRIMARY KEY (run_id, incident_id)
        );
        CREATE TABLE alerts (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            incident_id INTEGER NOT NULL,
            detector TEXT NOT NULL,
            rule TEXT NOT NULL,
            severity TEXT NOT NULL,
            subject_kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            site TEXT NOT NULL,
            trunk TEXT NOT NULL,
            countries TEXT NOT NULL,
            window_start_utc TEXT NOT NULL,
            window_end_utc TEXT NOT NULL,
            calls INTEGER NOT NULL,
            minutes REAL NOT NULL,
            est_cost REAL NOT NULL,
            currency TEXT NOT NULL,
            score REAL NOT NULL,
            summary TEXT NOT NULL,
            evidence TEXT NOT NULL
        );
        CREATE INDEX alerts_run ON alerts(run_id, incident_id);
        CREATE INDEX alerts_subject ON alerts(subject, window_start_utc);
        CREATE TABLE capacity (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            period_start_utc TEXT NOT NULL,
            period_end_utc TEXT NOT NULL,
            trunk TEXT NOT NULL,
            site TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            channels INTEGER,
            kind TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            answered INTEGER NOT NULL,
            congestion_calls INTEGER NOT NULL,
            congestion_while_at_limit INTEGER NOT NULL,
            peak_channels INTEGER NOT NULL,
            peak_at_utc TEXT NOT NULL,
            p95_channels INTEGER NOT NULL,
            p99_channels INTEGER NOT NULL,
            seconds_at_or_over_limit REAL NOT NULL,
            episodes_at_limit INTEGER NOT NULL,
            days_at_limit INTEGER NOT NULL,
            busiest_hour_start_utc TEXT NOT NULL,
            busiest_hour_erlangs REAL NOT NULL,
            mean_busy_hour_erlangs REAL NOT NULL,
            high_load_erlangs REAL NOT NULL,
            tcbh_local_hour INTEGER NOT NULL,
            tcbh_erlangs REAL NOT NULL,
            offered_erlangs REAL NOT NULL,
            blocking_at_contracted REAL,
            channels_needed INTEGER NOT NULL,
            channels_needed_high_load INTEGER NOT NULL,
            max_traffic_at_contracted REAL,
            headroom_erlangs REAL,
            gos REAL NOT NULL,
            status TEXT NOT NULL,
            advice TEXT NOT NULL
        );
        CREATE INDEX capacity_run ON capacity(run_id, trunk);
        CREATE TABLE concurrency (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            trunk TEXT NOT NULL,
            step_start_utc TEXT NOT NULL,
            peak_channels INTEGER NOT NULL
        );
        CREATE INDEX concurrency_run ON concurrency(run_id, trunk, step_start_utc);
        CREATE TABLE usage_daily (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            day_local TEXT NOT NULL,
            site TEXT NOT NULL,
            trunk TEXT NOT NULL,
            direction TEXT NOT NULL,
            destination_class TEXT NOT NULL,
            country TEXT NOT NULL,
            international INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            answered INTEGER NOT NULL,
            minutes REAL NOT NULL,
            est_cost REAL NOT NULL
        );
        CREATE INDEX usage_daily_run ON usage_daily(run_id, day_local, site);
        CREATE INDEX usage_daily_country ON usage_daily(country, day_local);
        CREATE TABLE traffic_hourly (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            site TEXT NOT NULL,
            hour_start_utc TEXT NOT NULL,
            calls INTEGER NOT NULL,
            after_hours_calls INTEGER NOT NULL,
            international_calls INTEGER NOT NULL
        );
        CREATE INDEX traffic_hourly_run ON traffic_hourly(run_id, site, hour_start_utc);
        CREATE TABLE top_sources (
            run_id INTEGER NOT NULL REFERENCES runs(run_id),
            source TEXT NOT NULL,
            site TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            international INTEGER NOT NULL,
            risky INTEGER NOT NULL,
            minutes REAL NOT NULL,
            est_cost REAL NOT NULL
        );
        CREATE INDEX top_sources_run ON top_sources(run_id);
        """,
        // Version 2: the calls of the lookback window, so that nightly runs read only new CDRs and still have
        // their baselines.
        """
        CREATE TABLE history_calls (
            start_ms INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            ring_ms INTEGER NOT NULL,
            direction INTEGER NOT NULL,
            disposition INTEGER NOT NULL,
            caller TEXT NOT NULL,
            callee TEXT NOT NULL,
            caller_raw TEXT NOT NULL,
            callee_raw TEXT NOT NULL,
            account TEXT NOT NULL,
            trunk TEXT NOT NULL,
            site TEXT NOT NULL
        );
        CREATE INDEX history_calls_start ON history_calls(start_ms);
        """,
    ]
}

/// The version 1 schema, for tests of forward migration.
public enum ResultsSchemaTestHook {
    public static var version1: String { ResultsSchema.migrations[0] }
}
