import CDRModel
import Foundation

/// Small inline SVG charts for the HTML report: no scripts, no external fonts, every label escaped.
public enum SVGChart {
    /// Escapes text for HTML and SVG content and attributes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if SafeText.isUnsafe(c) { out += "&#xFFFD;" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    static func n(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Shortens long labels so they fit the label column.
    static func clip(_ s: String, _ max: Int = 36) -> String { s.count <= max ? s : String(s.prefix(max - 1)) + "…" }

    /// A line chart of `values` over equal steps, with an optional horizontal limit line and shaded bands
    /// (index ranges), and labels for the first and last step.
    public static func line(
        values: [Double],
        limit: Double? = nil,
        bands: [Range<Int>] = [],
        title: String,
        firstLabel: String,
        lastLabel: String,
        yLabel: String,
        width: Int = 720,
        height: Int = 180
    ) -> String {
        let w = Double(width)
        let h = Double(height)
        let left = 44.0
        let right = 8.0
        let top = 22.0
        let bottom = 22.0
        let maxV = max(values.max() ?? 0, limit ?? 0, 1) * 1.1
        let count = max(values.count, 2)
        func x(_ i: Int) -> Double { left + (w - left - right) * Double(i) / Double(count - 1) }
        func y(_ v: Double) -> Double { top + (h - top - bottom) * (1 - v / maxV) }
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(escape(title))\">"
        s += "<title>\(escape(title))</title>"
        for b in bands where !b.isEmpty {
            s +=
                "<rect class=\"band\" x=\"\(n(x(b.lowerBound)))\" y=\"\(n(top))\" width=\"\(n(max(1, x(b.upperBound) - x(b.lowerBound))))\" height=\"\(n(h - top - bottom))\"/>"
        }
        s +=
            "<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(h - bottom))\" x2=\"\(n(w - right))\" y2=\"\(n(h - bottom))\"/>"
        s += "<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(h - bottom))\"/>"
        if !values.isEmpty {
            var path = ""
            for (i, v) in values.enumerated() { path += (i == 0 ? "M" : "L") + "\(n(x(i))),\(n(y(v)))" }
            s += "<path class=\"series\" d=\"\(path)\"/>"
        }
        if let limit {
            s +=
                "<line class=\"limit\" x1=\"\(n(left))\" y1=\"\(n(y(limit)))\" x2=\"\(n(w - right))\" y2=\"\(n(y(limit)))\"/>"
            s +=
                "<text class=\"limit-label\" x=\"\(n(w - right - 2))\" y=\"\(n(y(limit) - 3))\" text-anchor=\"end\">contracted \(Int(limit))</text>"
        }
        s += "<text x=\"\(n(left - 4))\" y=\"\(n(top + 4))\" text-anchor=\"end\">\(Int(maxV / 1.1))</text>"
        s += "<text x=\"\(n(left - 4))\" y=\"\(n(h - bottom))\" text-anchor=\"end\">0</text>"
        s += "<text x=\"\(n(left))\" y=\"\(n(h - 6))\">\(escape(firstLabel))</text>"
        s += "<text x=\"\(n(w - right))\" y=\"\(n(h - 6))\" text-anchor=\"end\">\(escape(lastLabel))</text>"
        s += "<text x=\"\(n(left + 4))\" y=\"14\">\(escape(yLabel))</text>"
        return s + "</svg>"
    }

    /// Horizontal bars with labels and values.
    public static func bars(
        _ items: [(label: String, value: Double, text: String)],
        title: String,
        width: Int = 720
    ) -> String {
        let rowH = 20.0
        let h = Double(items.count) * rowH + 10
        let labelW = 250.0
        let maxV = max(items.map(\.value).max() ?? 1, 1e-9)
        var s =
            "<svg class=\"chart\" viewBox=\"0 0 \(width) \(Int(h))\" role=\"img\" aria-label=\"\(escape(title))\"><title>\(escape(title))</title>"
        for (i, it) in items.enumerated() {
            let y = 5 + Double(i) * rowH
            let bw = (Double(width) - labelW - 90) * it.value / maxV
            s += "<text x=\"\(n(labelW - 6))\" y=\"\(n(y + 14))\" text-anchor=\"end\">\(escape(clip(it.label)))</text>"
            s +=
                "<rect class=\"bar\" x=\"\(n(labelW))\" y=\"\(n(y + 3))\" width=\"\(n(max(bw, 1)))\" height=\"\(n(rowH - 6))\"/>"
            s += "<text x=\"\(n(labelW + bw + 6))\" y=\"\(n(y + 14))\">\(escape(it.text))</text>"
        }
        return s + "</svg>"
    }

    /// Intervals on a time axis, one row each, colored by a class name (`critical`, `high`, …).
    public static func timeline(
        _ items: [(label: String, start: Double, end: Double, cls: String)],
        from: Double,
        to: Double,
        firstLabel: String,
        lastLabel: String,
        title: String,
        width: Int = 720
    ) -> String {
        let rowH = 18.0
        let labelW = 190.0
        let h = Double(items.count) * rowH + 30
        let span = max(to - from, 1)
        func x(_ t: Double) -> Double { labelW + (Double(width) - labelW - 10) * (t - from) / span }
        var s =
            "<svg class=\"chart\" viewBox=\"0 0 \(width) \(Int(h))\" role=\"img\" aria-label=\"\(escape(title))\"><title>\(escape(title))</title>"
        for (i, it) in items.enumerated() {
            let y = 4 + Double(i) * rowH
            s +=
                "<text x=\"\(n(labelW - 6))\" y=\"\(n(y + 12))\" text-anchor=\"end\">\(escape(clip(it.label, 28)))</text>"
            let x0 = x(it.start)
            s +=
                "<rect class=\"sev-\(escape(it.cls))\" x=\"\(n(x0))\" y=\"\(n(y + 2))\" width=\"\(n(max(3, x(it.end) - x0)))\" height=\"\(n(rowH - 5))\"/>"
        }
        s += "<text x=\"\(n(labelW))\" y=\"\(n(h - 6))\">\(escape(firstLabel))</text>"
        s += "<text x=\"\(width - 10)\" y=\"\(n(h - 6))\" text-anchor=\"end\">\(escape(lastLabel))</text>"
        return s + "</svg>"
    }
}
