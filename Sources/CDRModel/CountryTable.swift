import Foundation

/// Dialing conventions of one country or region (from libphonenumber metadata, see `Data/countries.csv`).
public struct CountryInfo: Sendable, Equatable {
    /// ISO 3166-1 alpha-2 code (`DE`), or `+881` style for international networks.
    public let region: String
    public let name: String
    /// Country calling code digits (`49`).
    public let callingCode: String
    /// International (IDD) prefixes dialled from this country, longest first (`["00"]`, `["011"]`).
    public let iddPrefixes: [String]
    /// National (trunk) prefix, empty when the country has none (Italy, Spain).
    public let nationalPrefix: String
    /// Shortest and longest national significant number.
    public let minLength: Int
    public let maxLength: Int
}

/// Every country and region cdrscan knows, loaded once from the package's `countries.csv`.
public struct CountryTable: Sendable {
    public let byRegion: [String: CountryInfo]
    /// Regions per calling code, main region first.
    public let byCallingCode: [String: [CountryInfo]]

    /// The shipped table.
    public static let shared: CountryTable = {
        guard let url = Bundle.module.url(forResource: "countries", withExtension: "csv", subdirectory: "Data"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("countries.csv is missing from the CDRModel resources") }
        return CountryTable(csv: text)
    }()

    /// Parses the table's CSV (lines starting with `#` are comments; the first other line is the header).
    public init(csv: String) {
        var regions: [String: CountryInfo] = [:]
        var codes: [String: [CountryInfo]] = [:]
        var header = true
        for line in csv.split(separator: "\n") where !line.hasPrefix("#") {
            if header {
                header = false
                continue
            }
            let f = splitSimpleCSVLine(line)
            guard f.count >= 7 else { continue }
            let info = CountryInfo(
                region: f[0],
                name: f[1],
                callingCode: f[2],
                iddPrefixes: f[3].isEmpty ? [] : f[3].split(separator: "|").map(String.init),
                nationalPrefix: f[4],
                minLength: Int(f[5]) ?? 0,
                maxLength: Int(f[6]) ?? 17
            )
            regions[info.region] = info
            codes[info.callingCode, default: []].append(info)
        }
        byRegion = regions
        byCallingCode = codes
    }

    /// Looks a region up by its ISO code, case-insensitively.
    public func info(_ region: String) -> CountryInfo? { byRegion[region.uppercased()] }

    /// Display name for a region code, or the code itself.
    public func name(_ region: String) -> String { byRegion[region]?.name ?? region }
}

/// Splits one CSV line with RFC 4180 quoting (for small data files, not CDRs).
public func splitSimpleCSVLine(_ line: Substring) -> [String] {
    var out: [String] = []
    var cur = ""
    var quoted = false
    var it = line.makeIterator()
    var pending: Character? = nil
    while let c = pending ?? it.next() {
        pending = nil
        if quoted {
            if c == "\"" {
                if let n = it.next() {
                    if n == "\"" {
                        cur.append("\"")
                    } else {
                        quoted = false
                        pending = n
                    }
                } else {
                    quoted = false
                }
            } else {
                cur.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            out.append(cur)
            cur = ""
        } else if c != "\r" {
            cur.append(c)
        }
    }
    out.append(cur)
    return out
}
