import CDRModel
import Foundation

/// How billed seconds are rounded: the first increment, then each further increment (`60/60`, `1/1`, `30/6`).
public struct BillingIncrement: Sendable, Equatable, CustomStringConvertible {
    public var first: Int
    public var next: Int

    public init(first: Int, next: Int) {
        self.first = max(1, first)
        self.next = max(1, next)
    }

    /// Parses `first/next`, e.g. `60/60`.
    public init?(_ text: String) {
        let p = text.split(separator: "/")
        guard p.count == 2, let a = Int(p[0]), let b = Int(p[1]), a > 0, b > 0 else { return nil }
        self.init(first: a, next: b)
    }

    public var description: String { "\(first)/\(next)" }

    /// Seconds charged for a call of `seconds` billable seconds (0 stays 0).
    public func billed(_ seconds: Double) -> Int {
        if seconds <= 0 { return 0 }
        let s = Int(seconds.rounded(.up))
        if s <= first { return first }
        return first + (s - first + next - 1) / next * next
    }
}

/// A customer's rate deck: `prefix,rate_per_minute[,currency,description]`, longest prefix wins.
public struct RateDeck: Sendable {
    public struct Rate: Sendable, Equatable {
        public var prefix: String
        public var perMinute: Double
        public var currency: String
        public var description: String
    }

    private var trie = DigitTrie()
    public private(set) var rates: [Rate] = []
    public var billing: BillingIncrement
    /// Where the deck came from (a file path), for reports.
    public let source: String

    public init(csv: String, file: String, billing: BillingIncrement = BillingIncrement(first: 60, next: 60)) throws {
        self.billing = billing
        source = file
        for (n, line) in csv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let f = splitSimpleCSVLine(Substring(text))
            if n == 0 && f.first?.lowercased().hasPrefix("prefix") == true { continue }
            guard f.count >= 2, let prefix = RiskList.digits(f[0]) else {
                throw DataFileError(file: file, line: n + 1, "expected prefix,rate_per_minute[,currency,description]")
            }
            guard let rate = Double(f[1].trimmingCharacters(in: .whitespaces)), rate >= 0, rate.isFinite else {
                throw DataFileError(file: file, line: n + 1, "rate_per_minute '\(f[1])' is not a non-negative number")
            }
            rates.append(
                Rate(
                    prefix: prefix,
                    perMinute: rate,
                    currency: f.count > 2 && !f[2].isEmpty ? f[2] : "USD",
                    description: f.count > 3 ? f[3] : ""
                )
            )
            trie.insert(prefix, value: Int32(rates.count - 1))
        }
        if rates.isEmpty { throw DataFileError(file: file, line: 1, "the rate deck has no rates") }
    }

    /// Loads a deck from a file.
    public init(path: String, billing: BillingIncrement = BillingIncrement(first: 60, next: 60)) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(file: path, line: 0, "cannot read the rate deck")
        }
        try self.init(csv: String(decoding: data, as: UTF8.self), file: path, billing: billing)
    }

    /// The rate of the longest matching prefix.
    @inline(__always)
    public func rate(_ digits: some Sequence<UInt8>) -> Rate? {
        trie.longest(digits).map { rates[Int($0.value)] }
    }

    /// Cost of a call: billed seconds (per the increments) times the per-minute rate.
    public func cost(perMinute: Double, billableSeconds: Double) -> Double {
        Double(billing.billed(billableSeconds)) / 60 * perMinute
    }
}

/// Built-in coarse rates by class and tier (`Data/default-rates.csv`), used without a rate deck.
public struct DefaultRates: Sendable {
    private var table: [String: Double] = [:]
    /// The same rates by class index and tier (normal, medium, high), for the hot path.
    private var fast: [[Double]] = []
    public let currency = "USD"

    public static let shipped: DefaultRates = {
        guard let url = Bundle.module.url(forResource: "default-rates", withExtension: "csv", subdirectory: "Data"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("default-rates.csv is missing from the CDRAnalysis resources") }
        var r = DefaultRates()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("class") {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f.count >= 3, let v = Double(f[2]) { r.table[f[0] + "/" + f[1]] = v }
        }
        r.fast = NumberClass.allCases.map { c in
            [RiskTier.normal, .medium, .high].map { t in
                r.table[c.rawValue + "/" + t.rawValue] ?? r.table[c.rawValue + "/"] ?? 0
            }
        }
        return r
    }()

    /// The rate for a class and tier (tier-specific first, then the class's).
    @inline(__always)
    public func rate(_ c: NumberClass, _ tier: RiskTier) -> Double {
        fast[DefaultRates.classIndex[c]!][tier == .normal ? 0 : (tier == .medium ? 1 : 2)]
    }

    static let classIndex = Dictionary(uniqueKeysWithValues: NumberClass.allCases.enumerated().map { ($1, $0) })
}
