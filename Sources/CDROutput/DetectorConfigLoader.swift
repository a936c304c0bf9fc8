import CDRAnalysis
import CDRIngest
import Foundation
import Yams

/// Reads detector settings from YAML: every `DetectorConfig` field by its snake_case name, for example
/// `fast_attempts: 3` or `burst_fdr: 0.01`. Unknown keys and wrong types are errors naming file, line and key.
public enum DetectorConfigLoader {
    /// The keys and their defaults, for documentation and error messages.
    public static let keys: [String] = [
        "fast_window_minutes",
        "fast_attempts",
        "fast_score",
        "mid_window_minutes",
        "mid_attempts",
        "slow_window_minutes",
        "slow_attempts",
        "slow_score",
        "cluster_gap_minutes",
        "simultaneous_calls",
        "sequential_window_minutes",
        "sequential_distinct",
        "sequential_run",
        "new_country_cost",
        "novelty_history_days",
        "low_slow_per_night",
        "low_slow_nights",
        "low_slow_span_days",
        "burst_fdr",
        "burst_min_count",
        "burst_min_cost",
        "prior_hours",
        "burst_min_ratio",
        "after_hours_fdr",
        "after_hours_min_count",
        "after_hours_ratio",
        "after_hours_min_weeks",
        "after_hours_risky_calls",
        "after_hours_risky_cost",
        "wangiri_window_minutes",
        "wangiri_attempts",
        "wangiri_distinct_called",
        "wangiri_short_share",
        "wangiri_short_seconds",
        "wangiri_callback_hours",
        "incident_gap_hours",
        "lookback_days",
    ]

    /// Loads a file with the settings at its top level (or under a `detectors:` key).
    public static func load(path: String) throws -> DetectorConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: "", "cannot read the detector settings file")
        }
        let y = StrictYAML(file: path)
        var root = try y.load(String(decoding: data, as: UTF8.self))
        if let m = root.mapping, m.count == 1, let d = m["detectors"] { root = d }
        return try parse(root, yaml: y, path: "")
    }

    public static func parse(_ node: Node, yaml y: StrictYAML, path: String) throws -> DetectorConfig {
        var c = DetectorConfig()
        for (key, v) in try y.mapping(node, path, allowed: Set(keys)) {
            let p = path.isEmpty ? key : "\(path).\(key)"
            switch key {
            case "fast_window_minutes": c.fastWindowMinutes = try positive(y.int(v, p), y, v, p)
            case "fast_attempts": c.fastAttempts = try positive(y.int(v, p), y, v, p)
            case "mid_window_minutes": c.midWindowMinutes = try positive(y.int(v, p), y, v, p)
            case "mid_attempts": c.midAttempts = try positive(y.int(v, p), y, v, p)
            case "slow_window_minutes": c.slowWindowMinutes = try positive(y.int(v, p), y, v, p)
            case "slow_attempts": c.slowAttempts = try positive(y.int(v, p), y, v, p)
            case "cluster_gap_minutes": c.clusterGapMinutes = try positive(y.int(v, p), y, v, p)
            case "simultaneous_calls": c.simultaneousCalls = try positive(y.int(v, p), y, v, p)
            case "sequential_window_minutes": c.sequentialWindowMinutes = try positive(y.int(v, p), y, v, p)
            case "sequential_distinct": c.sequentialDistinct = try positive(y.int(v, p), y, v, p)
            case "sequential_run": c.sequentialRun = try positive(y.int(v, p), y, v, p)
            case "novelty_history_days": c.noveltyHistoryDays = try positive(y.int(v, p), y, v, p)
            case "low_slow_per_night": c.lowSlowPerNight = try positive(y.int(v, p), y, v, p)
            case "low_slow_nights": c.lowSlowNights = try positive(y.int(v, p), y, v, p)
            case "low_slow_span_days": c.lowSlowSpanDays = try positive(y.int(v, p), y, v, p)
            case "burst_min_count": c.burstMinCount = try positive(y.int(v, p), y, v, p)
            case "after_hours_min_count": c.afterHoursMinCount = try positive(y.int(v, p), y, v, p)
            case "after_hours_risky_calls": c.afterHoursRiskyCalls = try positive(y.int(v, p), y, v, p)
            case "after_hours_min_weeks": c.afterHoursMinWeeks = try positive(y.int(v, p), y, v, p)
            case "wangiri_window_minutes": c.wangiriWindowMinutes = try positive(y.int(v, p), y, v, p)
            case "wangiri_attempts": c.wangiriAttempts = try positive(y.int(v, p), y, v, p)
            case "wangiri_distinct_called": c.wangiriDistinctCalled = try positive(y.int(v, p), y, v, p)
            case "wangiri_callback_hours": c.wangiriCallbackHours = try positive(y.int(v, p), y, v, p)
            case "incident_gap_hours": c.incidentGapHours = try positive(y.int(v, p), y, v, p)
            case "lookback_days": c.lookbackDays = try positive(y.int(v, p), y, v, p)
            case "fast_score": c.fastScore = try positive(y.double(v, p), y, v, p)
            case "slow_score": c.slowScore = try positive(y.double(v, p), y, v, p)
            case "new_country_cost": c.newCountryCost = try positive(y.double(v, p), y, v, p)
            case "burst_fdr": c.burstFDR = try positive(y.double(v, p), y, v, p)
            case "burst_min_cost": c.burstMinCost = try positive(y.double(v, p), y, v, p)
            case "prior_hours": c.priorHours = try positive(y.double(v, p), y, v, p)
            case "burst_min_ratio": c.burstMinRatio = try positive(y.double(v, p), y, v, p)
            case "after_hours_fdr": c.afterHoursFDR = try positive(y.double(v, p), y, v, p)
            case "after_hours_ratio": c.afterHoursRatio = try positive(y.double(v, p), y, v, p)
            case "after_hours_risky_cost": c.afterHoursRiskyCost = try positive(y.double(v, p), y, v, p)
            case "wangiri_short_share": c.wangiriShortShare = try positive(y.double(v, p), y, v, p)
            case "wangiri_short_seconds": c.wangiriShortSeconds = try positive(y.double(v, p), y, v, p)
            default: break
            }
        }
        return c
    }

    static func positive<T: Comparable & Numeric>(_ v: T, _ y: StrictYAML, _ node: Node, _ path: String) throws -> T {
        guard v > 0 else { throw ConfigError(file: y.file, line: y.line(node), key: path, "must be greater than 0") }
        return v
    }
}
