import CDRModel

/// How urgent a finding is, from the estimated cost at risk.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case info, low, medium, high, critical

    var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    /// Severity from money at risk (thresholds in the run's currency; see `docs/detectors.md`).
    public static func from(cost: Double, floor: Severity = .low) -> Severity {
        let s: Severity = cost >= 1000 ? .critical : (cost >= 100 ? .high : (cost >= 10 ? .medium : .low))
        return max(s, floor)
    }
}

/// One finding of one detector about one subject and time window.
public struct Alert: Sendable, Codable, Equatable {
    public var detector: String
    /// The rule inside the detector that fired (`irsf_fast`, `sequential`, `volume`, …).
    public var rule: String
    public var severity: Severity
    /// `account` (an account code or extension), `site`, `trunk` or `range` (a calling number range).
    public var subjectKind: String
    public var subject: String
    public var site: String
    public var trunk: String
    /// ISO 3166-1 alpha-2 (or `+881` style) countries involved.
    public var countries: [String]
    /// UTC milliseconds [start, end] of the calls behind the finding.
    public var windowStartMs: Int64
    public var windowEndMs: Int64
    public var calls: Int
    public var minutes: Double
    public var estCost: Double
    public var currency: String
    /// Strength of the evidence: −log10 p for statistical rules, the rule's own measure otherwise.
    public var score: Double
    /// One line an analyst can act on, with observed against expected and the site's zone.
    public var summary: String
    /// Supporting facts (top destinations, peak simultaneous calls, sample calls), as key-value pairs.
    public var evidence: [String: String]
}

/// Alerts about the same subject and night, merged, listing every contributing detector.
public struct Incident: Sendable, Codable, Equatable {
    public var id: Int
    public var severity: Severity
    public var subjectKind: String
    public var subject: String
    public var site: String
    public var detectors: [String]
    public var countries: [String]
    public var windowStartMs: Int64
    public var windowEndMs: Int64
    public var calls: Int
    public var estCost: Double
    public var currency: String
    public var score: Double
    public var summary: String
    public var alerts: [Alert]
}
