import ArgumentParser
import CDRAnalysis
import CDRIngest
import CDRModel
import Foundation

struct NumberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "number",
        abstract: "Show what cdrscan knows about phone numbers: E.164 form, country, class, risk tier and rate.",
        discussion: """
            Numbers are normalized with the dialing plan of the site (--site with --inventory) or country \
            (--country), then classified relative to that country.

            Examples:
              cdrscan number +18765550123 00881631234567 --country DE
              cdrscan number "011 44 909 8123456" 911 --country US --json
              cdrscan number 0900123456 --site ber --inventory sample-cdrs/month/inventory.yaml --rates deck.csv
            """
    )

    @Argument(help: "Numbers as dialled or logged.")
    var numbers: [String]

    @Option(help: "Site whose dialing plan applies (needs --inventory).")
    var site: String?

    @Option(help: "Country whose dialing plan applies (ISO 3166-1 alpha-2).")
    var country: String?

    @Option(help: "Inventory YAML with the sites.")
    var inventory: String?

    @OptionGroup var rating: RatingOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        var plan: DialPlan
        if let site {
            guard let inventory else { throw ValidationError("--site needs --inventory.") }
            guard let s = try InventoryLoader.load(path: inventory).site(named: site) else {
                throw ValidationError("Site '\(site)' is not in \(inventory).")
            }
            plan = s.dialPlan
        } else if let country {
            guard let p = DialPlan(region: country.uppercased()) else {
                throw ValidationError("Unknown country '\(country)' (ISO 3166-1 alpha-2, e.g. DE).")
            }
            plan = p
        } else {
            throw ValidationError(
                "Give --country CC or --site NAME --inventory FILE: numbers are read with a site's dialing plan."
            )
        }
        let classifier = try rating.classifier()
        var infos: [DestinationInfo] = []
        for raw in numbers {
            let normalized = plan.normalize(raw).value
            infos.append(classifier.classify(normalized, country: plan.country.region))
        }
        if json {
            print(try jsonString(infos))
            return
        }
        for (raw, i) in zip(numbers, infos) {
            printText("\(raw)")
            printText(
                "  normalized: \(i.normalized.isEmpty ? "(none)" : i.normalized)  (dialled from \(plan.country.name))"
            )
            print(
                "  country:    \(i.region.isEmpty ? "-" : "\(i.regionName) (\(i.region))")\(i.matchedPrefix.isEmpty ? "" : ", plan prefix +\(i.matchedPrefix)")"
            )
            print(
                "  class:      \(i.numberClass.rawValue)\(i.international && i.numberClass != .international ? " (international)" : "")"
            )
            print("  risk tier:  \(i.tier.rawValue)\(i.tierReason.isEmpty ? "" : " — \(i.tierReason)")")
            print("  rate:       \(i.ratePerMinute) \(i.currency)/min — \(i.rateRule)")
        }
        print("rates: \(classifier.rateSource)")
    }
}
