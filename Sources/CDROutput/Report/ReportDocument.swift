import CDRModel
import Foundation

/// The structure of the report, defined once; the HTML and Markdown renderers walk it.
/// Every string in it is plain text (values from CDRs included); renderers escape for their format.
public struct ReportDocument: Sendable {
    public struct Table: Sendable {
        public var header: [String]
        public var rows: [[String]]
        /// Columns aligned right (numbers).
        public var numeric: Set<Int> = []
    }

    public struct IncidentCard: Sendable {
        public var title: String
        public var severity: String
        public var summary: String
        public var facts: [(String, String)]
        public var alerts: Table
        public var evidence: [(String, String)]
    }

    public enum Block: Sendable {
        case text(String)
        case facts([(String, String)])
        case table(Table)
        /// An SVG chart (already escaped) with its caption and the same data as a table for text formats.
        case chart(svg: String, caption: String, table: Table)
        case incident(IncidentCard)
    }

    public struct Section: Sendable {
        public var id: String
        public var title: String
        public var blocks: [Block]
    }

    public var title: String
    public var subtitle: String
    public var sections: [Section]
}

/// Builds the report document from stored results.
public enum ReportBuilder {
    public static func build(_ d: ReportData) -> ReportDocument {
        var sections: [ReportDocument.Section] = []
        let cur = d.run.currency
        // Summary and data quality.
        var facts: [(String, String)] = [
            ("Run", "#\(d.run.id) \(d.run.pipeline) (\(d.run.scope)), \(d.run.status)"),
            ("Started", "\(d.run.startedUtc) UTC"), ("Finished", "\(d.run.finishedUtc) UTC"),
            (
                "Calls",
                "\(d.run.calls) kept of \(d.run.rowsRead) rows read; \(d.run.rejected) rejected"
                    + (d.run.rowsRead > d.run.calls + d.run.rejected
                        ? "; \(d.run.rowsRead - d.run.calls - d.run.rejected) further legs merged into their calls"
                        : "")
            ),
            ("Time span", "\(d.run.periodStartUtc) .. \(d.run.periodEndUtc) (UTC)"),
            ("Time zones", d.run.timeZones.isEmpty ? "UTC" : d.run.timeZones.replacingOccurrences(of: ",", with: ", ")),
            ("Costs", d.run.rateSource), ("cdrscan", "\(d.run.version), tz database \(d.run.tzdata)"),
        ]
        if !d.callsByDirection.isEmpty {
            facts.append(("Directions", d.callsByDirection.map { "\($0.0) \($0.1)" }.joined(separator: ", ")))
        }
        var quality: [ReportDocument.Block] = [.facts(facts)]
        if !d.rejectsByReason.isEmpty {
            quality.append(
                .table(
                    .init(
                        header: ["Reject reason", "Rows"],
                        rows: d.rejectsByReason.map { [$0.0, String($0.1)] },
                        numeric: [1]
                    )
                )
            )
        }
        let problemFiles = d.files.filter { !$0.error.isEmpty || !$0.duplicateOf.isEmpty || $0.rejected > 0 }
        let listed = d.files.count <= 12 ? d.files : problemFiles
        quality.append(
            .text(
                counted(d.files.count, "input file")
                    + (d.files.count > 12
                        ? "; files with rejects, errors or duplicates: \(listed.isEmpty ? "none" : "")" : ":")
            )
        )
        if !listed.isEmpty {
            quality.append(
                .table(
                    .init(
                        header: ["File", "Format", "Rows", "Calls", "Rejected", "Note"],
                        rows: listed.map {
                            [
                                $0.path, $0.format, String($0.rows), String($0.calls), String($0.rejected),
                                !$0.error.isEmpty
                                    ? $0.error : (!$0.duplicateOf.isEmpty ? "same content as \($0.duplicateOf)" : ""),
                            ]
                        },
                        numeric: [2, 3, 4]
                    )
                )
            )
        }
        sections.append(.init(id: "summary", title: "Run summary and data quality", blocks: quality))
        // Incidents.
        var inc: [ReportDocument.Block] = []
        if d.incidents.isEmpty { inc.append(.text("No incidents.")) }
        for i in d.incidents {
            inc.append(
                .incident(
                    .init(
                        title: "#\(i.id) \(i.subjectKind) \(i.subject) (site \(i.site))",
                        severity: i.severity,
                        summary: i.summary,
                        facts: [
                            ("Window", "\(i.windowStartUtc) .. \(i.windowEndUtc) (UTC)"),
                            ("Detectors", i.detectors.replacingOccurrences(of: ",", with: ", ")),
                            ("Countries", i.countries.replacingOccurrences(of: ",", with: ", ")),
                            ("Calls", String(i.calls)),
                            ("Est. cost", money(i.estCost, i.currency)), ("Score", String(format: "%.1f", i.score)),
                        ],
                        alerts: .init(
                            header: ["Detector", "Rule", "Severity", "Finding"],
                            rows: i.alerts.map { [$0.detector, $0.rule, $0.severity, $0.summary] }
                        ),
                        evidence: i.alerts.flatMap { a in a.evidence.map { ("\(a.detector)/\(a.rule): \($0.0)", $0.1) }
                        }
                    )
                )
            )
        }
        sections.append(.init(id: "incidents", title: "Incidents, ranked by severity and estimated cost", blocks: inc))
        // Charts.
        var charts: [ReportDocument.Block] = []
        for (site, points) in d.hourly {
            let values = points.map { Double($0.1) }
            var bands: [Range<Int>] = []
            var start: Int? = nil
            for (k, p) in points.enumerated() {
                let after = p.1 > 0 && p.2 * 2 >= p.1
                if after && start == nil { start = k }
                if !after, let s = start {
                    bands.append(s..<k)
                    start = nil
                }
            }
            if let s = start { bands.append(s..<points.count) }
            let svg = SVGChart.line(
                values: values,
                bands: bands,
                title: "Calls per hour, site \(site)",
                firstLabel: (points.first?.0 ?? "") + " UTC",
                lastLabel: (points.last?.0 ?? "") + " UTC",
                yLabel: "site \(site): calls per hour (shaded: after business hours)"
            )
            let busiest = points.sorted { $0.1 > $1.1 }.prefix(5)
            charts.append(
                .chart(
                    svg: svg,
                    caption:
                        "Calls per hour at site \(site); shaded hours are mostly outside the site's business hours (its own zone and holidays).",
                    table: .init(
                        header: ["Busiest hours (UTC)", "Calls", "After hours", "International"],
                        rows: busiest.map { [$0.0, String($0.1), String($0.2), String($0.3)] },
                        numeric: [1, 2, 3]
                    )
                )
            )
        }
        if !d.internationalByCountry.isEmpty {
            let items = d.internationalByCountry.map {
                (
                    label: "\(CountryTable.shared.name($0.0)) (\($0.0))", value: Double($0.1),
                    text: "\($0.1) calls, \(money($0.2, cur))"
                )
            }
            charts.append(
                .chart(
                    svg: SVGChart.bars(items, title: "International calls by country"),
                    caption: "Outbound international attempts by destination country.",
                    table: .init(
                        header: ["Country", "Attempts", "Est. cost"],
                        rows: d.internationalByCountry.map {
                            ["\(CountryTable.shared.name($0.0)) (\($0.0))", String($0.1), money($0.2, cur)]
                        },
                        numeric: [1, 2]
                    )
                )
            )
        }
        for (trunk, points) in d.concurrency where !points.isEmpty {
            let channels = d.capacity.first { $0.trunk == trunk }?.channels
            let svg = SVGChart.line(
                values: points.map { Double($0.1) },
                limit: channels.map(Double.init),
                title: "Concurrent calls, trunk \(trunk)",
                firstLabel: points.first!.0 + " UTC",
                lastLabel: points.last!.0 + " UTC",
                yLabel: "trunk \(trunk): peak simultaneous calls per 15 min",
                height: 140
            )
            let peak = points.max { $0.1 < $1.1 }!
            charts.append(
                .chart(
                    svg: svg,
                    caption:
                        "Trunk \(trunk): highest concurrency per 15 minutes against the contracted \(channels.map(String.init) ?? "?") channels.",
                    table: .init(
                        header: ["Trunk", "Contracted", "Peak", "Peak at (UTC)"],
                        rows: [[trunk, channels.map(String.init) ?? "?", String(peak.1), peak.0]],
                        numeric: [1, 2]
                    )
                )
            )
        }
        if !d.incidents.isEmpty {
            let from = parseUTC(d.run.periodStartUtc)
            let to = parseUTC(d.run.periodEndUtc)
            let items = d.incidents.prefix(25).map {
                (
                    label: "#\($0.id) \($0.subject)", start: parseUTC($0.windowStartUtc),
                    end: parseUTC($0.windowEndUtc), cls: $0.severity
                )
            }
            charts.append(
                .chart(
                    svg: SVGChart.timeline(
                        items,
                        from: from,
                        to: to,
                        firstLabel: d.run.periodStartUtc,
                        lastLabel: d.run.periodEndUtc,
                        title: "Incidents on a timeline"
                    ),
                    caption: "Incidents over the period (UTC), colored by severity.",
                    table: .init(
                        header: ["Incident", "From (UTC)", "To (UTC)", "Severity"],
                        rows: d.incidents.prefix(25).map {
                            ["#\($0.id) \($0.subject)", $0.windowStartUtc, $0.windowEndUtc, $0.severity]
                        }
                    )
                )
            )
        }
        sections.append(.init(id: "charts", title: "Traffic, destinations and concurrency", blocks: charts))
        // Capacity.
        if !d.capacity.isEmpty {
            let rows = d.capacity.map { c -> [String] in
                [
                    c.trunk.hasPrefix("site:") ? "(all trunks of \(c.site))" : c.trunk, c.site,
                    c.channels.map(String.init) ?? "?", String(c.peak), c.peakAtUtc,
                    String(c.p95), duration(c.secondsAtLimit), String(c.congestion),
                    String(format: "%.2f", c.meanBusyHour),
                    String(format: "%.2f", c.offered), String(c.needed),
                    c.blocking.map { String(format: "%.2f%%", $0 * 100) } ?? "-", c.status,
                ]
            }
            sections.append(
                .init(
                    id: "capacity",
                    title: "Trunk capacity",
                    blocks: [
                        .text(
                            "Exact concurrency (a call holds a channel from seizure to release), mean daily busy hour (four quarter hours, ITU-T E.500), offered traffic and Erlang B at the contracted channels."
                        ),
                        .table(
                            .init(
                                header: [
                                    "Trunk", "Site", "Channels", "Peak", "Peak at (UTC)", "p95", "At limit",
                                    "Congestion", "Busy hour E", "Offered E", "Need", "Blocking", "Status",
                                ],
                                rows: rows,
                                numeric: [2, 3, 5, 7, 8, 9, 10, 11]
                            )
                        ),
                        .table(
                            .init(
                                header: ["Trunk", "Advice"],
                                rows: d.capacity.filter { !$0.trunk.hasPrefix("site:") }.map { [$0.trunk, $0.advice] }
                            )
                        ),
                        .text(
                            "Busy hours in carried Erlangs: the busiest four quarter hours of the period (UTC), the mean of the daily busy hours over business days, the mean of the five busiest days, and the time-consistent busy hour (the site's local clock hour with the highest mean)."
                        ),
                        .table(
                            .init(
                                header: [
                                    "Trunk", "Busiest hour (UTC)", "Busiest E", "Mean daily busy hour E", "High load E",
                                    "Time-consistent busy hour (local)", "TCBH E",
                                ],
                                rows: d.capacity.map { c in
                                    [
                                        c.trunk.hasPrefix("site:") ? "(all trunks of \(c.site))" : c.trunk,
                                        c.busiestHourUtc, String(format: "%.2f", c.busiestHourErlangs),
                                        String(format: "%.2f", c.meanBusyHour), String(format: "%.2f", c.highLoad),
                                        String(format: "%02d:00 %@", c.tcbhHour, c.timeZone),
                                        String(format: "%.2f", c.tcbh),
                                    ]
                                },
                                numeric: [2, 3, 4, 6]
                            )
                        ),
                    ]
                )
            )
        }
        // Top lists.
        var top: [ReportDocument.Block] = []
        if !d.topDestinations.isEmpty {
            top.append(
                .table(
                    .init(
                        header: ["Destination country", "Attempts", "Minutes", "Est. cost"],
                        rows: d.topDestinations.map {
                            [
                                "\(CountryTable.shared.name($0.0)) (\($0.0))", String($0.1),
                                String(format: "%.0f", $0.2), money($0.3, cur),
                            ]
                        },
                        numeric: [1, 2, 3]
                    )
                )
            )
        }
        if !d.topSources.isEmpty {
            top.append(
                .table(
                    .init(
                        header: ["Source", "Site", "Attempts", "International", "Risky", "Minutes", "Est. cost"],
                        rows: d.topSources.map {
                            [
                                $0.0, $0.1, String($0.2), String($0.3), String($0.4), String(format: "%.0f", $0.5),
                                money($0.6, cur),
                            ]
                        },
                        numeric: [2, 3, 4, 5, 6]
                    )
                )
            )
        }
        if !d.topTrunks.isEmpty {
            top.append(
                .table(
                    .init(
                        header: ["Trunk", "Attempts", "Answered", "Minutes"],
                        rows: d.topTrunks.map { [$0.0, String($0.1), String($0.2), String(format: "%.0f", $0.3)] },
                        numeric: [1, 2, 3]
                    )
                )
            )
        }
        sections.append(.init(id: "top", title: "Top destinations, sources and trunks", blocks: top))
        return ReportDocument(
            title: "cdrscan report: \(d.run.scope)",
            subtitle:
                "\(counted(d.incidents.count, "incident")), \(d.run.calls) calls, \(d.run.periodStartUtc) .. \(d.run.periodEndUtc) UTC",
            sections: sections
        )
    }

    static func money(_ v: Double, _ currency: String) -> String {
        let r = Int(v.rounded())
        var s = String(abs(r))
        var out = ""
        while s.count > 3 {
            out = "," + s.suffix(3) + out
            s = String(s.dropLast(3))
        }
        return "\(currency) \(r < 0 ? "-" : "")\(s)\(out)"
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        if t < 60 { return "\(t)s" }
        if t < 3600 { return "\(t / 60)m \(t % 60)s" }
        return "\(t / 3600)h \(t / 60 % 60)m"
    }

    static func parseUTC(_ s: String) -> Double {
        let b = Array(s.utf8)
        guard b.count >= 19, let y = Int(s.prefix(4)), let mo = Int(s.dropFirst(5).prefix(2)),
            let d = Int(s.dropFirst(8).prefix(2)),
            let h = Int(s.dropFirst(11).prefix(2)), let mi = Int(s.dropFirst(14).prefix(2)),
            let se = Int(s.dropFirst(17).prefix(2))
        else { return 0 }
        return Double((CivilTime.days(year: y, month: mo, day: d) * 86_400 + Int64(h * 3600 + mi * 60 + se)))
    }
}
