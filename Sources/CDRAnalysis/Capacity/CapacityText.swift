import CDRModel

/// The capacity review as aligned text for a terminal.
public enum CapacityText {
    public static func render(_ r: CapacityReport, rejected: Int, rows: Int) -> String {
        var out =
            "Capacity review \(r.periodStartUtc) .. \(r.periodEndUtc) (UTC); grade of service \(CapacityReview.formatPercent(r.gos)) (Erlang B)\n"
        out += "Data: \(rows) rows read, \(rejected) rejected.\n\n"
        let header = [
            "trunk", "site", "channels", "peak", "peak at (UTC)", "p95", "at limit", "congestion", "busy hour E",
            "offered E", "need", "blocking", "status",
        ]
        var rows: [[String]] = []
        for t in r.trunks + r.sites {
            rows.append([
                t.trunk.isEmpty ? "(site \(t.site))" : t.trunk, t.site, t.channels.map(String.init) ?? "?",
                String(t.peakChannels),
                t.peakAtUtc, String(t.p95Channels), duration(t.secondsAtOrOverLimit), String(t.congestionCalls),
                f2(t.meanBusyHourErlangs), f2(t.offeredErlangs), String(t.channelsNeeded),
                t.blockingAtContracted.map { pct($0) } ?? "-", t.status,
            ])
        }
        out += table(header, rows)
        out += "\nAdvice:\n"
        for t in r.trunks { out += "  \(t.trunk) (\(t.site), \(t.kind.isEmpty ? "?" : t.kind)): \(t.advice)\n" }
        out += "\nBusy hours (carried Erlangs; local times in each site's zone):\n"
        for t in r.trunks {
            out +=
                "  \(t.trunk): busiest \(f2(t.busiestHourErlangs)) E from \(t.busiestHourStartUtc) UTC; mean daily busy hour \(f2(t.meanBusyHourErlangs)) E, high load \(f2(t.highLoadErlangs)) E, time-consistent \(t.timeConsistentBusyHourLocal):00 local (\(t.timeZone)) \(f2(t.timeConsistentBusyHourErlangs)) E\n"
        }
        if !r.unknownTrunks.isEmpty {
            out += "\nTrunks in the CDRs but not in the inventory: \(r.unknownTrunks.joined(separator: ", "))\n"
        }
        if !r.idleTrunks.isEmpty {
            out += "Trunks in the inventory with no calls in the period: \(r.idleTrunks.joined(separator: ", "))\n"
        }
        return out
    }

    static func f2(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        var s = String(r)
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < 2 { s += String(repeating: "0", count: 2 - decimals) }
        }
        return s
    }

    static func pct(_ v: Double) -> String {
        if v < 0.0001 && v > 0 { return "<0.01%" }
        return f2(v * 100) + "%"
    }

    static func duration(_ s: Double) -> String {
        let total = Int(s.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m \(total % 60)s" }
        return "\(total / 3600)h \(total / 60 % 60)m"
    }

    /// Aligned columns, two spaces apart.
    public static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - c.count) }.joined(
                separator: "  "
            )
            .trimmingTrailingSpaces() + "\n"
        }
        return line(header) + rows.map(line).joined()
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
