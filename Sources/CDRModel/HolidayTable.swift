import Foundation

/// Shipped public-holiday calendars (`Data/holidays.csv`, national holidays 2024–2028 from python-holidays).
public struct HolidayTable: Sendable {
    /// Day numbers per country code.
    public let byCountry: [String: Set<Int64>]
    public let names: [String: [Int64: String]]

    /// The shipped table.
    public static let shared: HolidayTable = {
        guard let url = Bundle.module.url(forResource: "holidays", withExtension: "csv", subdirectory: "Data"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("holidays.csv is missing from the CDRModel resources") }
        return HolidayTable(csv: text)
    }()

    public init(csv: String) {
        var days: [String: Set<Int64>] = [:]
        var names: [String: [Int64: String]] = [:]
        var header = true
        for line in csv.split(separator: "\n") where !line.hasPrefix("#") {
            if header {
                header = false
                continue
            }
            let f = splitSimpleCSVLine(line)
            guard f.count >= 3, let d = CivilTime.parseDay(f[1]) else { continue }
            days[f[0], default: []].insert(d)
            names[f[0], default: [:]][d] = f[2]
        }
        byCountry = days
        self.names = names
    }

    /// The calendar of a country, or nil when none is shipped.
    public func holidays(_ country: String) -> Set<Int64>? { byCountry[country.uppercased()] }

    /// Years covered by the shipped data.
    public static let coveredYears = 2024...2028
}
