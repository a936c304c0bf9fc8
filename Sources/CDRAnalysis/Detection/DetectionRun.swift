import CDRModel
import Foundation

/// The findings of one detection run.
public struct DetectionResult: Sendable {
    public var alerts: [Alert]
    public var incidents: [Incident]
    public var seconds: Double
}

/// Runs every detector over a context and builds the incidents.
public enum DetectionRun {
    /// Runs the detectors concurrently (they are pure functions of the context) and merges their alerts in
    /// detector order, so the result does not depend on scheduling.
    public static func run(_ ctx: DetectionContext, detectors: [any Detector] = allDetectors) -> DetectionResult {
        let clock = ContinuousClock()
        let t0 = clock.now
        let results = AlertSlots(count: detectors.count)
        DispatchQueue.concurrentPerform(iterations: detectors.count) { k in
            results.set(k, detectors[k].run(ctx))
        }
        let alerts = results.all.flatMap { $0 }
        let incidents = IncidentBuilder.build(alerts, gapHours: ctx.config.incidentGapHours)
        let d = clock.now - t0
        return DetectionResult(
            alerts: alerts,
            incidents: incidents,
            seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        )
    }
}

/// One slot of alerts per detector, filled from concurrent workers.
final class AlertSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[Alert]]

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func set(_ k: Int, _ alerts: [Alert]) {
        lock.lock()
        slots[k] = alerts
        lock.unlock()
    }

    var all: [[Alert]] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
