import CDRModel
import Foundation

/// The destinations treated as high or medium risk, by E.164 prefix (longest prefix wins).
///
/// The shipped list (`Data/risk.csv`) is a seed with a source per entry; users extend or override it with a file
/// of the same shape (`prefix,tier,reason[,source]`), where tier `allow` (or `normal`) allow-lists a prefix, for
/// example a partner country.
public struct RiskList: Sendable {
    public struct Entry: Sendable, Equatable {
        public var prefix: String
        public var tier: RiskTier
        public var reason: String
        public var source: String
    }

    private var trie = DigitTrie()
    public private(set) var entries: [Entry] = []

    /// The shipped list.
    public static let shipped: RiskList = {
        guard let url = Bundle.module.url(forResource: "risk", withExtension: "csv", subdirectory: "Data"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("risk.csv is missing from the CDRAnalysis resources") }
        var list = RiskList()
        try! list.merge(csv: text, file: "risk.csv")
        return list
    }()

    public init() {}

    /// Adds or overrides entries from CSV text. Throws a ``ConfigErrorLike`` message naming the line.
    public mutating func merge(csv: String, file: String) throws {
        var header = true
        for (n, line) in csv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            if header && text.lowercased().hasPrefix("prefix") {
                header = false
                continue
            }
            header = false
            let f = splitSimpleCSVLine(Substring(text))
            guard f.count >= 2, let prefix = Self.digits(f[0]) else {
                throw DataFileError(file: file, line: n + 1, "expected prefix,tier[,reason,source] with a digit prefix")
            }
            let tier: RiskTier
            switch f[1].lowercased() {
            case "high": tier = .high
            case "medium": tier = .medium
            case "allow", "normal", "low": tier = .normal
            default: throw DataFileError(file: file, line: n + 1, "tier must be high, medium or allow")
            }
            entries.append(
                Entry(prefix: prefix, tier: tier, reason: f.count > 2 ? f[2] : "", source: f.count > 3 ? f[3] : file)
            )
            trie.insert(prefix, value: Int32(entries.count - 1))
        }
    }

    static func digits(_ s: String) -> String? {
        let d = s.filter { $0 != "+" && $0 != " " }
        return !d.isEmpty && d.allSatisfy(\.isNumber) ? d : nil
    }

    /// The index of the entry of the longest listed prefix of `digits`, and the prefix length.
    @inline(__always)
    public func matchIndex(_ digits: some Sequence<UInt8>) -> (Int32, Int)? {
        trie.longest(digits).map { ($0.value, $0.length) }
    }

    /// The entry of the longest listed prefix of `digits`, if any.
    @inline(__always)
    public func match(_ digits: some Sequence<UInt8>) -> Entry? {
        trie.longest(digits).map { entries[Int($0.value)] }
    }
}

/// A problem in a data file given by the user (risk list, rate deck), naming the line.
public struct DataFileError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
