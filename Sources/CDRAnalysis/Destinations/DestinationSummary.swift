import CDRModel
import Foundation

/// Calls per destination class and country, as text.
public enum DestinationSummary {
    public static func text(_ d: CallDestinations, seconds: Double) -> String {
        var perClass = [Int](repeating: 0, count: NumberClass.allCases.count)
        var perRegion = [Int](repeating: 0, count: d.regions.count)
        var high = 0
        var cost = 0.0
        for i in 0..<d.classes.count {
            perClass[Int(d.classes[i])] += 1
            if d.international[i] { perRegion[Int(d.regionIds[i])] += 1 }
            if d.tiers[i] == 2 { high += 1 }
            cost += Double(d.costs[i])
        }
        var out = String(format: "destinations: %d calls classified in %.3f s\n", d.classes.count, seconds)
        for (i, c) in NumberClass.allCases.enumerated() where perClass[i] > 0 {
            out += "  \(c.rawValue): \(perClass[i])\n"
        }
        out += "  high-risk destinations: \(counted(high, "call"))\n"
        let top = perRegion.enumerated().filter { $0.element > 0 }.sorted { $0.element > $1.element }.prefix(10)
        if !top.isEmpty {
            out +=
                "  international by country: "
                + top.map { "\(CountryTable.shared.name(d.regions[$0.offset])) \($0.element)" }.joined(separator: ", ")
                + "\n"
        }
        out += String(format: "  estimated cost: %.2f %@ (%@)\n", cost, d.currency, d.rateSource)
        return out
    }
}
