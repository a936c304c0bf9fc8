import CDRModel

/// Merges alerts about the same subject and night into incidents, ranked by estimated cost.
public enum IncidentBuilder {
    public static func build(_ alerts: [Alert], gapHours: Int) -> [Incident] {
        let gap = Int64(gapHours) * 3_600_000
        // Grouped by the three values themselves: joined into one string, a subject or site holding the separator
        // (both come from CDRs) could fall into another subject's group.
        struct Key: Hashable {
            let kind: String
            let subject: String
            let site: String
        }
        var groups: [Key: [Alert]] = [:]
        for a in alerts { groups[Key(kind: a.subjectKind, subject: a.subject, site: a.site), default: []].append(a) }
        var incidents: [Incident] = []
        for (_, list) in groups.sorted(by: {
            ($0.key.kind, $0.key.subject, $0.key.site) < ($1.key.kind, $1.key.subject, $1.key.site)
        }) {
            let sorted = list.sorted {
                ($0.windowStartMs, $0.detector, $0.rule) < ($1.windowStartMs, $1.detector, $1.rule)
            }
            var current: [Alert] = []
            var end = Int64.min
            func flush() {
                guard let first = current.first else { return }
                let lead = current.max { ($0.severity, $0.estCost, $0.score) < ($1.severity, $1.estCost, $1.score) }!
                let detectors = Array(Set(current.map(\.detector))).sorted()
                var countries: [String] = []
                for a in current { for c in a.countries where !countries.contains(c) { countries.append(c) } }
                let others = current.count - 1
                incidents.append(
                    Incident(
                        id: 0,
                        severity: current.map(\.severity).max()!,
                        subjectKind: first.subjectKind,
                        subject: first.subject,
                        site: first.site,
                        detectors: detectors,
                        countries: countries,
                        windowStartMs: current.map(\.windowStartMs).min()!,
                        windowEndMs: current.map(\.windowEndMs).max()!,
                        calls: current.map(\.calls).max()!,
                        estCost: current.map(\.estCost).max()!,
                        currency: first.currency,
                        score: current.map(\.score).max()!,
                        summary: lead.summary
                            + (others > 0
                                ? " (+\(counted(others, "more finding")): \(detectors.joined(separator: ", ")))"
                                : ""),
                        alerts: current
                    )
                )
            }
            for a in sorted {
                if !current.isEmpty && a.windowStartMs > end + gap {
                    flush()
                    current = []
                    end = Int64.min
                }
                current.append(a)
                end = max(end, a.windowEndMs)
            }
            flush()
        }
        incidents.sort { ($0.severity, $0.estCost, $0.score) > ($1.severity, $1.estCost, $1.score) }
        for i in incidents.indices { incidents[i].id = i + 1 }
        return incidents
    }
}
