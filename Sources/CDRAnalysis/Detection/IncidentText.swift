import CDRModel

/// Incidents as text for a terminal.
public enum IncidentText {
    public static func render(_ incidents: [Incident], rateSource: String) -> String {
        if incidents.isEmpty { return "No incidents.\n" }
        var out = "\(counted(incidents.count, "incident")) (costs: \(rateSource)):\n"
        for i in incidents {
            out += "\n#\(i.id) \(i.severity.rawValue.uppercased())  \(i.subjectKind) \(i.subject) (site \(i.site))  "
            out +=
                "\(CivilTime.format(ms: i.windowStartMs, suffix: "Z")) .. \(CivilTime.format(ms: i.windowEndMs, suffix: "Z"))  [\(i.detectors.joined(separator: ", "))]\n"
            out += "   \(i.summary)\n"
            for a in i.alerts.prefix(6) where i.alerts.count > 1 {
                out += "   - \(a.detector)/\(a.rule): \(a.summary)\n"
            }
        }
        return out
    }
}
