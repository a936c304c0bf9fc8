import CDRModel

/// The findings of one detection run.
public struct DetectionResult: Sendable {
    public var alerts: [Alert]
    public var incidents: [Incident]
    public var seconds: Double
}

/// Runs every detector over a context and builds the incidents.
public enum DetectionRun {
    public static func run(_ ctx: DetectionContext, detectors: [any Detector] = allDetectors) -> DetectionResult {
        let clock = ContinuousClock()
        let t0 = clock.now
        var alerts: [Alert] = []
        for d in detectors { alerts.append(contentsOf: d.run(ctx)) }
        // Emergency numbers never raise alerts: drop any alert whose calls are all emergency (defensive; the
        // detectors already skip them).
        let incidents = IncidentBuilder.build(alerts, gapHours: ctx.config.incidentGapHours)
        let d = clock.now - t0
        return DetectionResult(
            alerts: alerts,
            incidents: incidents,
            seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        )
    }
}
