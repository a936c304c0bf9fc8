import ArgumentParser
import CDRAnalysis
import CDRIngest
import CDRModel
import Foundation

/// Where the CDRs come from and which site they belong to.
struct InputOptions: ParsableArguments {
    @Argument(help: "CDR files (CSV or gzip, told apart by content); - reads standard input.")
    var files: [String] = []

    @OptionGroup var source: SourceOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one CDR file (or - for standard input).") }
    }

    var timezone: String? { source.timezone }
    var inventory: String? { source.inventory }
    var site: String? { source.site }
    var country: String? { source.country }

    func ingest() throws -> (IngestResult, Inventory) { try source.ingest(files) }
}

/// How to read CDR files: format, site declaration, inventory, rejects file, threads.
struct SourceOptions: ParsableArguments {
    @Option(
        help:
            "Input format: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping's name."
    )
    var format: String = "auto"

    @Option(help: "A mapping file describing a custom CSV format (see docs/formats.md); repeatable.")
    var mapping: [String] = []

    @Option(help: "Site these files belong to (a name from the inventory, or any label with --timezone/--country).")
    var site: String?

    @Option(help: "IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).")
    var timezone: String?

    @Option(help: "ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).")
    var country: String?

    @Flag(help: "Local-time formats (Asterisk) were written in UTC (usegmtime=yes).")
    var utc = false

    @Option(help: "Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).")
    var inventory: String?

    @Option(
        help: ArgumentHelp(
            "Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; "
                + "an earlier file there is replaced by one with the header alone when none are."
        )
    )
    var rejects: String = "rejects.csv"

    @Option(help: "Threads for reading: 2 (a reading and an interning thread) or 1.")
    var threads: Int = 2

    @Option(
        help: "Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call."
    )
    var legs: String?

    func validate() throws {
        if !(1...2).contains(threads) { throw ValidationError("--threads must be 1 or 2.") }
        let known = ["auto"] + FormatDetector.formats
        if !known.contains(format) && mapping.isEmpty {
            throw ValidationError("Unknown format '\(format)'. Known: \(known.joined(separator: ", ")).")
        }
    }

    func loadInventory() throws -> Inventory {
        guard let inventory else { return Inventory() }
        return try InventoryLoader.load(path: inventory)
    }

    func ingest(_ files: [String]) throws -> (IngestResult, Inventory) {
        let inv = try loadInventory()
        var decl = SiteDeclaration(name: site, timeZone: timezone, country: country?.uppercased(), utc: utc)
        if let site, let s = inv.site(named: site) {
            decl.timeZone = decl.timeZone ?? s.timeZone
            decl.country = decl.country ?? s.country
        }
        let result = try IngestRun.run(
            paths: files,
            format: format,
            inventory: inv,
            declaration: decl,
            rejectsFile: rejects,
            parallel: threads > 1,
            mappings: try mapping.flatMap { try MappingLoader.load(path: $0) },
            legsFile: legs
        )
        return (result, inv)
    }

    /// The country of each site id of a store: from the inventory, else the declared --country.
    func siteCountries(_ store: ColumnStore, _ inventory: Inventory) -> [String] {
        (0..<store.sites.count).map { id in
            let name = store.sites[UInt32(id)]
            return inventory.site(named: name)?.country ?? country?.uppercased()
                ?? site.flatMap { inventory.site(named: $0)?.country } ?? ""
        }
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((SafeText.shown(message) + "\n").utf8))
}

/// Prints text for a terminal (or a file or pipe read as text): CDR values in it (names, numbers, accounts, trunks)
/// cannot drive the terminal or read backwards (``SafeText``). JSON and CSV go through `print` as they are.
func printText(_ text: String, terminator: String = "\n") {
    print(SafeText.shown(text), terminator: terminator)
}

/// Encodes a value as pretty, key-sorted JSON with snake_case keys.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

extension Duration {
    /// Seconds as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// How destinations are rated and which are risky: a rate deck with its billing increments, and an extra risk list.
struct RatingOptions: ParsableArguments {
    @Option(help: "Rate deck CSV: prefix,rate_per_minute[,currency,description].")
    var rates: String?

    @Option(help: "Billing increments for the rate deck, first/next seconds: 60/60, 1/1, 30/6.")
    var billing: String = "60/60"

    @Option(help: "Extra risk list CSV: prefix,tier,reason[,source]; tier high, medium, or allow (never alert).")
    var risk: String?

    /// The destination classifier these options describe.
    func classifier() throws -> DestinationClassifier {
        guard let increment = BillingIncrement(billing) else {
            throw ValidationError("--billing must look like 60/60.")
        }
        return try DestinationClassifier.configured(rates: rates, billing: increment, risk: risk)
    }
}
