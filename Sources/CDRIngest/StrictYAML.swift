import Yams

/// Reads YAML configuration strictly: unknown keys and wrong types are errors naming file, line and key.
public struct StrictYAML {
    public let file: String

    public init(file: String) { self.file = file }

    public func line(_ node: Node) -> Int? { node.mark.map { $0.line } }

    public func load(_ text: String) throws -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(file: file, line: nil, key: "", "the file is empty")
            }
            return node
        } catch let e as ConfigError {
            throw e
        } catch let e as YamlError {
            throw ConfigError(file: file, line: nil, key: "", "is not valid YAML: \(e)")
        }
    }

    /// The pairs of a mapping, checked against the allowed keys (nil: any key).
    public func mapping(_ node: Node, _ path: String, allowed: Set<String>?) throws -> [(String, Node)] {
        guard let m = node.mapping else {
            throw ConfigError(file: file, line: line(node), key: path, "expected a mapping of keys to values")
        }
        var out: [(String, Node)] = []
        for (k, v) in m {
            guard let key = k.string else {
                throw ConfigError(file: file, line: line(k), key: path, "keys must be text")
            }
            guard allowed?.contains(key) ?? true else {
                let known = (allowed ?? []).sorted().joined(separator: ", ")
                throw ConfigError(
                    file: file,
                    line: line(k),
                    key: path.isEmpty ? key : "\(path).\(key)",
                    "unknown key (known keys: \(known))"
                )
            }
            out.append((key, v))
        }
        return out
    }

    public func sequence(_ node: Node, _ path: String) throws -> [Node] {
        if case .scalar(let s) = node, s.string.isEmpty || s.string == "~" || s.string == "null" { return [] }
        guard let seq = node.sequence else {
            throw ConfigError(file: file, line: line(node), key: path, "expected a list")
        }
        return Array(seq)
    }

    public func string(_ node: Node, _ path: String) throws -> String {
        guard case .scalar(let s) = node else {
            throw ConfigError(file: file, line: line(node), key: path, "expected a text value")
        }
        return s.string
    }

    public func int(_ node: Node, _ path: String) throws -> Int {
        guard case .scalar(let s) = node, let v = Int(s.string) else {
            throw ConfigError(file: file, line: line(node), key: path, "expected a whole number")
        }
        return v
    }

    public func double(_ node: Node, _ path: String) throws -> Double {
        guard case .scalar(let s) = node, let v = Double(s.string) else {
            throw ConfigError(file: file, line: line(node), key: path, "expected a number")
        }
        return v
    }

    public func bool(_ node: Node, _ path: String) throws -> Bool {
        guard case .scalar(let s) = node else {
            throw ConfigError(file: file, line: line(node), key: path, "expected true or false")
        }
        switch s.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw ConfigError(file: file, line: line(node), key: path, "expected true or false")
        }
    }
}
