import CDRAnalysis
import CDRIngest
import CDRModel
import CDROutput
import Foundation
import Yams

/// Reads pipeline files strictly: unknown keys, wrong types and impossible values are ``ConfigError``s naming the
/// file, line and key. Referenced files (inventory, rate deck, risk list) are checked to exist and to parse.
public enum PipelineLoader {
    static let topKeys: Set<String> = [
        "name", "description", "period", "timezone", "inputs", "inventory", "only_new_files", "rating", "detectors",
        "capacity", "filter", "outputs", "exit", "mappings",
    ]
    static let inputKeys: Set<String> = ["paths", "format", "site", "timezone", "country", "utc"]
    static let ratingKeys: Set<String> = ["rates", "billing", "risk"]
    static let detectorKeys: Set<String> = ["enabled", "history_days", "settings"]
    static let capacityKeys: Set<String> = ["enabled", "gos", "retry"]
    static let filterKeys: Set<String> = [
        "since", "until", "number", "caller", "callee", "account", "trunk", "site", "direction", "disposition",
        "class", "country", "min_talk_seconds",
    ]
    static let outputKeys: Set<String> = ["database", "html", "markdown", "rejects", "calls", "legs"]
    static let exitKeys: Set<String> = ["fail_on", "max_rejected_share"]

    /// Loads and checks a pipeline file.
    public static func load(path: String) throws -> PipelineSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: "", "cannot read the pipeline file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses pipeline YAML text; relative paths in it are relative to the directory of `file`.
    public static func parse(_ text: String, file: String) throws -> PipelineSpec {
        let y = StrictYAML(file: file)
        let root = try y.load(text)
        let base = (file as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String {
            if p.hasPrefix("/") || base.isEmpty { return p }
            // `pipelines/../sample-cdrs/…` reads better as `sample-cdrs/…` in reports and logs.
            return collapseDotDot((base as NSString).appendingPathComponent(p))
        }
        let defaultName = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var spec = PipelineSpec(file: file, name: defaultName)
        var sawInputs = false
        for (key, v) in try y.mapping(root, "", allowed: topKeys) {
            switch key {
            case "name":
                spec.name = try y.string(v, key)
                guard !spec.name.isEmpty, spec.name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
                else {
                    throw ConfigError(file: file, line: y.line(v), key: key, "use letters, digits, - _ . only")
                }
            case "description": spec.description = try y.string(v, key)
            case "period":
                let s = try y.string(v, key)
                guard let p = PipelineSpec.Period(rawValue: s) else {
                    throw ConfigError(file: file, line: y.line(v), key: key, "expected night, month or all")
                }
                spec.period = p
            case "timezone":
                spec.timezone = try y.string(v, key)
                guard TimeZone(identifier: spec.timezone) != nil else {
                    throw ConfigError(file: file, line: y.line(v), key: key, "unknown IANA time zone")
                }
            case "inputs":
                sawInputs = true
                for (i, node) in try y.sequence(v, key).enumerated() {
                    spec.inputs.append(try input(node, y, "inputs[\(i)]", resolve))
                }
            case "inventory":
                let p = resolve(try y.string(v, key))
                spec.inventory = p
                do { _ = try InventoryLoader.load(path: p) } catch let e as ConfigError {
                    throw ConfigError(file: file, line: y.line(v), key: key, "\(e)")
                }
            case "only_new_files": spec.onlyNewFiles = try y.bool(v, key)
            case "mappings": spec.mappings = try MappingLoader.parseList(v, yaml: y, path: key)
            case "rating":
                for (k, n) in try y.mapping(v, key, allowed: ratingKeys) {
                    let p = "rating.\(k)"
                    switch k {
                    case "rates": spec.rates = try existingFile(resolve(y.string(n, p)), y, n, p)
                    case "risk": spec.risk = try existingFile(resolve(y.string(n, p)), y, n, p)
                    default:
                        guard let b = BillingIncrement(try y.string(n, p)) else {
                            throw ConfigError(
                                file: file,
                                line: y.line(n),
                                key: p,
                                "expected first/next seconds, e.g. 60/60"
                            )
                        }
                        spec.billing = b
                    }
                }
            case "detectors": try detectors(v, y, &spec)
            case "capacity":
                for (k, n) in try y.mapping(v, key, allowed: capacityKeys) {
                    let p = "capacity.\(k)"
                    switch k {
                    case "enabled": spec.capacityEnabled = try y.bool(n, p)
                    case "gos":
                        let g = try y.double(n, p)
                        guard g > 0 && g < 1 else {
                            throw ConfigError(file: file, line: y.line(n), key: p, "must be between 0 and 1, e.g. 0.01")
                        }
                        spec.capacity.gos = g
                    default:
                        let r = try y.double(n, p)
                        guard (0...1).contains(r) else {
                            throw ConfigError(file: file, line: y.line(n), key: p, "must be between 0 and 1")
                        }
                        spec.capacity.retry = r
                    }
                }
            case "filter": spec.filter = try filter(v, y)
            case "outputs":
                for (k, n) in try y.mapping(v, key, allowed: outputKeys) {
                    let p = resolve(try y.string(n, "outputs.\(k)"))
                    try checkPlaceholders(p, y, n, "outputs.\(k)")
                    switch k {
                    case "database": spec.outputs.database = p
                    case "html": spec.outputs.html = p
                    case "markdown": spec.outputs.markdown = p
                    case "rejects": spec.outputs.rejects = p
                    case "legs": spec.outputs.legs = p
                    default: spec.outputs.calls = p
                    }
                }
            default:
                for (k, n) in try y.mapping(v, key, allowed: exitKeys) {
                    let p = "exit.\(k)"
                    if k == "fail_on" {
                        guard let s = Severity(rawValue: try y.string(n, p)), s != .info else {
                            throw ConfigError(
                                file: file,
                                line: y.line(n),
                                key: p,
                                "expected low, medium, high or critical"
                            )
                        }
                        spec.failOn = s
                    } else {
                        let share = try y.double(n, p)
                        guard (0...1).contains(share) else {
                            throw ConfigError(file: file, line: y.line(n), key: p, "a share between 0 and 1, e.g. 0.01")
                        }
                        spec.maxRejectedShare = share
                    }
                }
            }
        }
        guard sawInputs, !spec.inputs.isEmpty else {
            throw ConfigError(file: file, line: nil, key: "inputs", "a pipeline needs at least one input")
        }
        let known = ["auto"] + FormatDetector.formats + spec.mappings.map(\.name)
        for (i, input) in spec.inputs.enumerated() where !known.contains(input.format) {
            throw ConfigError(
                file: file,
                line: input.formatLine,
                key: "inputs[\(i)].format",
                "unknown format (known: \(known.joined(separator: ", ")))"
            )
        }
        if spec.historyDays != nil && spec.outputs.database == nil {
            throw ConfigError(
                file: file,
                line: nil,
                key: "detectors.history_days",
                "history is kept in the results database: set outputs.database"
            )
        }
        if spec.capacityEnabled && spec.inventory == nil {
            throw ConfigError(
                file: file,
                line: nil,
                key: "capacity",
                "the capacity review needs an inventory (the trunks' contracted channels); set inventory or capacity.enabled: false"
            )
        }
        return spec
    }

    static func input(
        _ node: Node,
        _ y: StrictYAML,
        _ path: String,
        _ resolve: (String) -> String
    ) throws
        -> PipelineSpec.Input
    {
        var input = PipelineSpec.Input(paths: [], line: y.line(node))
        for (k, n) in try y.mapping(node, path, allowed: inputKeys) {
            let p = "\(path).\(k)"
            switch k {
            case "paths":
                let items: [Node] = n.sequence.map(Array.init) ?? [n]
                for item in items {
                    let s = try y.string(item, p)
                    try checkPlaceholders(s, y, item, p)
                    input.paths.append(s == "-" ? s : resolve(s))
                }
            case "format":
                input.format = try y.string(n, p)
                input.formatLine = y.line(n)
            case "site": input.declaration.name = try y.string(n, p)
            case "timezone":
                let tz = try y.string(n, p)
                guard ZoneResolver(identifier: tz) != nil else {
                    throw ConfigError(file: y.file, line: y.line(n), key: p, "unknown IANA time zone")
                }
                input.declaration.timeZone = tz
            case "country":
                let cc = try y.string(n, p).uppercased()
                guard CountryTable.shared.info(cc) != nil else {
                    throw ConfigError(file: y.file, line: y.line(n), key: p, "unknown ISO 3166-1 alpha-2 country")
                }
                input.declaration.country = cc
            default: input.declaration.utc = try y.bool(n, p)
            }
        }
        guard !input.paths.isEmpty else {
            throw ConfigError(
                file: y.file,
                line: y.line(node),
                key: "\(path).paths",
                "give at least one path or pattern"
            )
        }
        return input
    }

    static func detectors(_ node: Node, _ y: StrictYAML, _ spec: inout PipelineSpec) throws {
        let known = allDetectors.map { type(of: $0).id }
        for (k, n) in try y.mapping(node, "detectors", allowed: detectorKeys) {
            let p = "detectors.\(k)"
            switch k {
            case "enabled":
                var ids: [String] = []
                for item in try y.sequence(n, p) {
                    let id = try y.string(item, p)
                    guard known.contains(id) else {
                        throw ConfigError(
                            file: y.file,
                            line: y.line(item),
                            key: p,
                            "unknown detector '\(id)' (known: \(known.joined(separator: ", ")))"
                        )
                    }
                    ids.append(id)
                }
                spec.detectors = ids
            case "history_days":
                let d = try y.int(n, p)
                guard (1...3660).contains(d) else {
                    throw ConfigError(file: y.file, line: y.line(n), key: p, "must be 1...3660")
                }
                spec.historyDays = d
            default:
                spec.detectorConfig = try DetectorConfigLoader.parse(n, yaml: y, path: p)
            }
        }
    }

    static func filter(_ node: Node, _ y: StrictYAML) throws -> CallFilter {
        var f = CallFilter()
        for (k, n) in try y.mapping(node, "filter", allowed: filterKeys) {
            let p = "filter.\(k)"
            let s = try y.string(n, p)
            func bad(_ why: String) -> ConfigError { ConfigError(file: y.file, line: y.line(n), key: p, why) }
            switch k {
            case "since", "until":
                guard let ms = Instant.parse(s) else { throw bad("expected a date (2026-10-24) or a UTC time") }
                if k == "since" { f.fromMs = ms } else { f.toMs = ms }
            case "number": f.number = s
            case "caller": f.caller = s
            case "callee": f.callee = s
            case "account": f.account = s
            case "trunk": f.trunk = s
            case "site": f.site = s
            case "direction":
                guard let d = Direction(word: s) else { throw bad("expected inbound, outbound or internal") }
                f.direction = d
            case "disposition":
                guard let d = Disposition(word: s) else {
                    throw bad("expected answered, no_answer, busy, failed, congestion or cancel")
                }
                f.disposition = d
            case "class":
                guard let c = NumberClass(rawValue: s) else {
                    throw bad("expected one of \(NumberClass.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                f.numberClass = c
            case "country": f.country = s.uppercased()
            default:
                guard let v = Int(s), v >= 0 else { throw bad("expected whole seconds") }
                f.minTalkMs = Int64(v) * 1000
            }
        }
        return f
    }

    /// `a/../b/./c` → `b/c`, for relative paths too (leading `..` stay).
    static func collapseDotDot(_ path: String) -> String {
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            if part == "." { continue }
            if part == "..", let last = out.last, last != "..", !last.isEmpty {
                out.removeLast()
            } else {
                out.append(part)
            }
        }
        let joined = out.joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    static func existingFile(_ path: String, _ y: StrictYAML, _ node: Node, _ key: String) throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ConfigError(file: y.file, line: y.line(node), key: key, "cannot read \(path)")
        }
        return path
    }

    /// Paths may hold only the known placeholders.
    static func checkPlaceholders(_ s: String, _ y: StrictYAML, _ node: Node, _ key: String) throws {
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw ConfigError(file: y.file, line: y.line(node), key: key, "unclosed '{' in the path")
            }
            let ph = String(rest[open...close])
            guard PipelineSpec.placeholders.contains(ph) else {
                throw ConfigError(
                    file: y.file,
                    line: y.line(node),
                    key: key,
                    "unknown placeholder \(ph) (known: \(PipelineSpec.placeholders.joined(separator: ", ")))"
                )
            }
            rest = rest[rest.index(after: close)...]
        }
    }
}
