import CDRModel
import Foundation
import Yams

/// Reads custom format mappings: how to read a CSV export cdrscan has never seen, without code.
///
/// ```yaml
/// mappings:
///   - name: acme-pbx                 # used with --format acme-pbx, and said by --format auto
///     header: true                   # the first line names the columns (false: refer to columns by number)
///     skip_lines: 0                  # lines before the header or the data
///     delimiter: ";"                 # one character, default ","
///     quotes: strict                 # strict (RFC 4180), lenient (unescaped quotes), none (quotes are text)
///     time_format: "%d.%m.%Y %H:%M:%S"   # iso, epoch, epoch_ms, compact, rfc2822, auto, or a pattern
///     time_zone: site                # site (the site's wall clock) or utc; written offsets always win
///     duration_unit: s               # s or ms
///     duration_is_talk: false        # the duration column is talk time (answer to end)
///     columns:                       # a name, a 1-based number, or a list of candidates (first non-empty wins)
///       start: Beginn
///       end: Ende
///       duration: Dauer
///       caller: [Von, Anrufer]
///       callee: Nach
///       direction: Richtung
///       disposition: Status
///       trunk: Leitung
///       account: Nebenstelle
///     direction_values: {EIN: inbound, AUS: outbound, INTERN: internal}
///     disposition_values: {OK: answered, BESETZT: busy, KEINE ANTWORT: no_answer, ABBRUCH: cancel}
///     leg_key: [Ruf-ID]              # rows with the same values are one call
/// ```
/// Columns: `start` (required), `answer`, `end` or `duration`, `talk`, `caller` and `callee` (required),
/// `direction` (required unless every call is given `direction_default`), `disposition`, `cause` (Q.850),
/// `answered` (yes/no), `trunk`, `account`, `site`. Unknown keys and wrong values are errors with file, line and key.
public enum MappingLoader {
    static let keys: Set<String> = [
        "name", "header", "skip_lines", "delimiter", "quotes", "time_format", "time_zone", "duration_unit",
        "duration_is_talk", "columns", "direction_values", "disposition_values", "leg_key", "direction_default",
    ]

    /// Loads a file holding `mappings:` (a list) or one mapping at its top level.
    public static func load(path: String) throws -> [MappedFormat] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: "", "cannot read the mapping file")
        }
        let y = StrictYAML(file: path)
        let root = try y.load(String(decoding: data, as: UTF8.self))
        if let m = root.mapping, m.count == 1, let list = m["mappings"] {
            return try parseList(list, yaml: y, path: "mappings")
        }
        return [try parse(root, yaml: y, path: "")]
    }

    /// Parses a list of mappings (a pipeline file's `mappings:`).
    public static func parseList(_ node: Node, yaml y: StrictYAML, path: String) throws -> [MappedFormat] {
        var out: [MappedFormat] = []
        for (i, item) in try y.sequence(node, path).enumerated() {
            let m = try parse(item, yaml: y, path: "\(path)[\(i)]")
            if out.contains(where: { $0.name == m.name }) {
                throw ConfigError(
                    file: y.file,
                    line: y.line(item),
                    key: "\(path)[\(i)].name",
                    "mapping '\(m.name)' is defined twice"
                )
            }
            out.append(m)
        }
        return out
    }

    /// Parses one mapping.
    public static func parse(_ node: Node, yaml y: StrictYAML, path: String) throws -> MappedFormat {
        func p(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }
        var f = MappedFormat(name: "")
        var direction: Direction? = nil
        var sawColumns = false
        for (key, v) in try y.mapping(node, path, allowed: keys) {
            func bad(_ why: String) -> ConfigError { ConfigError(file: y.file, line: y.line(v), key: p(key), why) }
            switch key {
            case "name":
                f.name = try y.string(v, p(key))
                let builtIn = ["auto"] + FormatDetector.formats
                if builtIn.contains(f.name) { throw bad("'\(f.name)' is a built-in format; choose another name") }
                if f.name.isEmpty || !f.name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) {
                    throw bad("use letters, digits, - _ . only")
                }
            case "header": f.hasHeader = try y.bool(v, p(key))
            case "skip_lines":
                f.skipLinesBefore = try y.int(v, p(key))
                if f.skipLinesBefore < 0 { throw bad("must be 0 or more") }
            case "delimiter":
                let d = try y.string(v, p(key))
                let c = d == "\\t" || d == "tab" ? "\t" : d
                guard c.utf8.count == 1, let b = c.utf8.first, b != UInt8(ascii: "\"") else {
                    throw bad("one character, such as , ; | or tab")
                }
                f.csv.delimiter = b
            case "quotes":
                switch try y.string(v, p(key)) {
                case "strict": f.csv.lenient = false
                case "lenient": f.csv.lenient = true
                case "none": f.csv.quoting = false
                default: throw bad("expected strict, lenient or none")
                }
            case "time_format":
                guard let t = TimeFormat(name: try y.string(v, p(key))) else {
                    throw bad(
                        "expected iso, epoch, epoch_ms, compact, rfc2822, auto, or a pattern like %d.%m.%Y %H:%M:%S"
                    )
                }
                f.timeFormat = t
            case "time_zone":
                switch try y.string(v, p(key)).lowercased() {
                case "utc": f.timesAreUTC = true
                case "site", "local": f.timesAreUTC = false
                default: throw bad("expected site or utc")
                }
            case "duration_unit":
                switch try y.string(v, p(key)) {
                case "s": f.durationUnitMs = 1000
                case "ms": f.durationUnitMs = 1
                default: throw bad("expected s or ms")
                }
            case "duration_is_talk": f.durationIsTalk = try y.bool(v, p(key))
            case "columns":
                sawColumns = true
                let roles = Set(MappedFormat.Role.allCases.map(\.rawValue)).subtracting([
                    "inboundDevice", "outboundDevice", "recordType", "context", "purpose",
                ])
                for (role, c) in try y.mapping(v, p(key), allowed: roles) {
                    f.columns[MappedFormat.Role(rawValue: role)!] = try columns(c, y, p("columns.\(role)"))
                }
            case "direction_values":
                f.directionWords = try words(
                    v,
                    y,
                    p(key),
                    Direction.init(word:),
                    "expected inbound, outbound or internal"
                )
            case "disposition_values":
                f.dispositionWords = try words(
                    v,
                    y,
                    p(key),
                    Disposition.init(word:),
                    "expected answered, no_answer, busy, failed, congestion or cancel"
                )
            case "direction_default":
                guard let d = Direction(word: try y.string(v, p(key))) else {
                    throw bad("expected inbound, outbound or internal")
                }
                direction = d
            default:
                f.legKey = try columns(v, y, p(key))
            }
        }
        if f.name.isEmpty {
            throw ConfigError(file: y.file, line: y.line(node), key: p("name"), "a mapping needs a name")
        }
        if !sawColumns {
            throw ConfigError(file: y.file, line: y.line(node), key: p("columns"), "a mapping needs columns")
        }
        var required: [MappedFormat.Role] = [.start, .caller, .callee]
        if let direction {
            f.directionWords[""] = direction
        } else {
            required.append(.direction)
        }
        for role in required where f.columns[role] == nil {
            throw ConfigError(
                file: y.file,
                line: y.line(node),
                key: p("columns.\(role.rawValue)"),
                "this column is required"
            )
        }
        if f.columns[.end] == nil && f.columns[.duration] == nil {
            throw ConfigError(file: y.file, line: y.line(node), key: p("columns"), "give an end or a duration column")
        }
        if f.durationIsTalk && f.columns[.end] == nil {
            throw ConfigError(
                file: y.file,
                line: y.line(node),
                key: p("columns.end"),
                "duration_is_talk needs an end column"
            )
        }
        if !f.hasHeader {
            for (role, cands) in f.columns
            where cands.contains(where: { if case .name = $0 { return true } else { return false } }) {
                throw ConfigError(
                    file: y.file,
                    line: y.line(node),
                    key: p("columns.\(role.rawValue)"),
                    "a file without a header names its columns by number (1 is the first)"
                )
            }
        }
        f.required = required.filter { f.columns[$0] != nil }
        return f
    }

    /// A map from a format's own words (lower-cased) to cdrscan's values, each value checked.
    static func words<T>(
        _ node: Node,
        _ y: StrictYAML,
        _ path: String,
        _ parse: (String) -> T?,
        _ expected: String
    ) throws -> [String: T] {
        var out: [String: T] = [:]
        for (word, d) in try y.mapping(node, path, allowed: nil) {
            guard let value = parse(try y.string(d, "\(path).\(word)")) else {
                throw ConfigError(file: y.file, line: y.line(d), key: "\(path).\(word)", expected)
            }
            out[word.lowercased()] = value
        }
        return out
    }

    static func columns(_ node: Node, _ y: StrictYAML, _ path: String) throws -> [MappedFormat.Column] {
        let items: [Node] = node.sequence.map(Array.init) ?? [node]
        return try items.map { item in
            let s = try y.string(item, path)
            if let n = Int(s) {
                guard n >= 1 else {
                    throw ConfigError(file: y.file, line: y.line(item), key: path, "column numbers start at 1")
                }
                return .position(n - 1)
            }
            guard !s.isEmpty else {
                throw ConfigError(file: y.file, line: y.line(item), key: path, "empty column name")
            }
            return .name(s)
        }
    }
}
