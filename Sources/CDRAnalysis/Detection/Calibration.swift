/// The report-only calibration: how many alerts each detector would raise over the data if its count, score and
/// cost thresholds were scaled, so that thresholds can be tuned before anyone acts on alerts.
public enum Calibration {
    public struct Row: Sendable, Equatable {
        public var factor: Double
        public var alertsByDetector: [String: Int]
        public var incidents: Int
    }

    /// The factors tried by default (thresholds × factor).
    public static let factors = [0.5, 0.75, 1.0, 1.5, 2.0]

    /// `config` with every count, score, cost and ratio threshold multiplied by `factor` (at least 1 for counts);
    /// windows, false-discovery rates and priors are left as they are.
    public static func scaled(_ config: DetectorConfig, by factor: Double) -> DetectorConfig {
        var c = config
        func n(_ v: Int) -> Int { max(1, Int((Double(v) * factor).rounded())) }
        c.fastAttempts = n(c.fastAttempts)
        c.fastScore *= factor
        c.midAttempts = n(c.midAttempts)
        c.slowAttempts = n(c.slowAttempts)
        c.slowScore *= factor
        c.simultaneousCalls = n(c.simultaneousCalls)
        c.sequentialDistinct = n(c.sequentialDistinct)
        c.sequentialRun = max(2, n(c.sequentialRun))
        c.newCountryCost *= factor
        c.lowSlowPerNight = n(c.lowSlowPerNight)
        c.lowSlowNights = n(c.lowSlowNights)
        c.burstMinCount = n(c.burstMinCount)
        c.burstMinCost *= factor
        c.burstMinRatio = max(1, c.burstMinRatio * factor)
        c.afterHoursMinCount = n(c.afterHoursMinCount)
        c.afterHoursRatio = max(1, c.afterHoursRatio * factor)
        c.afterHoursRiskyCalls = n(c.afterHoursRiskyCalls)
        c.afterHoursRiskyCost *= factor
        c.wangiriAttempts = n(c.wangiriAttempts)
        c.wangiriDistinctCalled = n(c.wangiriDistinctCalled)
        return c
    }

    /// Runs every detector once per factor over the context.
    public static func run(_ context: DetectionContext, factors: [Double] = factors) -> [Row] {
        factors.map { f in
            var ctx = context
            ctx.config = scaled(context.config, by: f)
            let result = DetectionRun.run(ctx)
            var counts: [String: Int] = [:]
            for d in allDetectors { counts[type(of: d).id] = 0 }
            for a in result.alerts { counts[a.detector, default: 0] += 1 }
            return Row(factor: f, alertsByDetector: counts, incidents: result.incidents.count)
        }
    }

    /// The calibration as a table for a terminal.
    public static func text(_ rows: [Row]) -> String {
        let detectors = allDetectors.map { type(of: $0).id }
        let header = ["thresholds ×"] + detectors + ["incidents"]
        let body = rows.map { r in
            [String(r.factor)] + detectors.map { String(r.alertsByDetector[$0] ?? 0) } + [String(r.incidents)]
        }
        return "Alerts each detector would raise with its count, score and cost thresholds scaled (report only):\n"
            + CapacityText.table(header, body)
    }
}
