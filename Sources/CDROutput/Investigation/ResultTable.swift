import CDRIngest
import CDRModel
import Foundation

/// A small typed table that investigations print as aligned text, CSV or JSON.
///
/// Text cells may come from CDRs (attacker-controlled): the aligned text replaces control characters so they
/// cannot move the terminal's cursor, and CSV guards them against spreadsheet formula injection. Numbers are
/// computed by cdrscan and written as they are.
public struct ResultTable: Sendable, Equatable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case int(Int64)
        case number(Double, decimals: Int)
    }

    public var columns: [String]
    public var rows: [[Cell]]

    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    public enum Format: String, Sendable, CaseIterable {
        case table, csv, json
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .table: return text()
        case .csv: return csv()
        case .json: return json()
        }
    }

    /// Aligned columns (numbers right-aligned), one header line.
    public func text() -> String {
        let cells = rows.map { $0.map(Self.display) }
        var widths = columns.map { $0.count }
        for row in cells { for (k, c) in row.enumerated() { widths[k] = max(widths[k], c.count) } }
        func line(_ values: [String], numeric: [Bool]) -> String {
            values.enumerated().map { k, v in
                let pad = String(repeating: " ", count: widths[k] - v.count)
                return numeric[k] ? pad + v : v + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let numericColumns = columns.indices.map { k in
            !rows.isEmpty && rows.allSatisfy { if case .text = $0[k] { return false } else { return true } }
        }
        var out = line(columns, numeric: numericColumns) + "\n"
        for row in cells { out += line(row, numeric: numericColumns) + "\n" }
        return out
    }

    /// RFC 4180 CSV with a header; text cells quoted and formula-guarded.
    public func csv() -> String {
        var out = columns.joined(separator: ",") + "\n"
        for row in rows {
            out += row.map { c -> String in
                switch c {
                case .text(let s): return SpreadsheetCSV.field(s)
                default: return Self.display(c)
                }
            }.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// A JSON array of objects keyed by column name.
    public func json() -> String {
        if rows.isEmpty { return "[]\n" }
        var out = "[\n"
        for (r, row) in rows.enumerated() {
            let fields = zip(columns, row).map { name, c -> String in
                let value: String
                switch c {
                case .text(let s): value = jsonString(s)
                case .int(let v): value = String(v)
                case .number(let v, let d): value = v.isFinite ? String(format: "%.\(d)f", v) : "null"
                }
                return "\(jsonString(name)): \(value)"
            }
            out += "  {" + fields.joined(separator: ", ") + "}" + (r == rows.count - 1 ? "\n" : ",\n")
        }
        return out + "]\n"
    }

    static func display(_ c: Cell) -> String {
        switch c {
        case .text(let s): return terminalSafe(s)
        case .int(let v): return String(v)
        case .number(let v, let d): return String(format: "%.\(d)f", v)
        }
    }
}

/// Text with control characters (escape sequences included) and bidirectional formatting characters shown as
/// U+FFFD, so CDR data cannot drive a terminal or read backwards (``SafeText``); a line break too, so that one value
/// stays on its line of the table.
public func terminalSafe(_ s: String) -> String {
    SafeText.shown(s.contains("\n") ? s.replacingOccurrences(of: "\n", with: "\u{FFFD}") : s)
}
