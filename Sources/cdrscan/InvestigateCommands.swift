import ArgumentParser
import CDRAnalysis
import CDRIngest
import CDRModel
import CDROutput
import Foundation

/// Where an investigation's calls come from: CDR files, or the calls a results file keeps (`--history` runs and
/// pipelines with `history_days`).
struct CallSourceOptions: ParsableArguments {
    @Argument(help: "CDR files (CSV or gzip); or use --db.")
    var files: [String] = []

    @Option(help: "Read the calls kept in this results file instead of CDR files.")
    var db: String?

    @OptionGroup var source: SourceOptions

    @OptionGroup var rating: RatingOptions

    func validate() throws {
        if files.isEmpty == (db == nil) {
            throw ValidationError("Give CDR files or --db RESULTS (one of the two).")
        }
    }

    /// The calls and what is known about them.
    func investigation() throws -> Investigation {
        let store: ColumnStore
        let inventory = try source.loadInventory()
        if let db {
            guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("No results file at \(db).") }
            store = try ResultsStore(path: db).loadHistory(from: Int64.min, to: Int64.max)
            if store.count == 0 {
                printError(
                    "warning: \(db) keeps no calls (only runs with --history or a pipeline's history_days keep them)"
                )
            }
        } else {
            let (result, _) = try source.ingest(files)
            for f in result.summary.files where f.error != nil { printError("error: \(f.error!)") }
            if result.summary.rejected > 0 {
                printError("warning: \(counted(result.summary.rejected, "row")) rejected (see \(source.rejects))")
            }
            store = result.store
        }
        return Investigation(
            store: store,
            inventory: inventory,
            siteCountry: source.siteCountries(store, inventory),
            classifier: try rating.classifier(),
            defaultZone: source.timezone
        )
    }
}

/// Which calls to look at.
struct FilterOptions: ParsableArguments {
    @Option(help: "Calls that started at or after this date or UTC time (2026-10-24, 2026-10-24T21:00Z).")
    var since: String?

    @Option(help: "Calls that started before this date or UTC time.")
    var until: String?

    @Option(help: "A number or prefix, calling or called (+881: E.164 only; 2042 or 0030: any form, as dialled too).")
    var number: String?

    @Option(help: "A prefix of the calling number.")
    var caller: String?

    @Option(help: "A prefix of the called number.")
    var callee: String?

    @Option(help: "An account or extension.")
    var account: String?

    @Option(help: "A trunk.")
    var trunk: String?

    @Option(help: "A site.")
    var atSite: String?

    @Option(help: "inbound, outbound or internal.")
    var direction: String?

    @Option(help: "answered, no_answer, busy, failed, congestion or cancel.")
    var disposition: String?

    @Option(
        name: .customLong("class"),
        help: "Destination class: international, premium, satellite, domestic_mobile, toll_free, …"
    )
    var numberClass: String?

    @Option(help: "Country of the called number (ISO code, e.g. LV).")
    var toCountry: String?

    @Option(help: "Minimum talk time in seconds.")
    var minTalk: Int?

    func filter() throws -> CallFilter {
        var f = CallFilter()
        (f.fromMs, f.toMs) = try timeRange(since: since, until: until)
        f.number = number
        f.caller = caller
        f.callee = callee
        f.account = account
        f.trunk = trunk
        f.site = atSite
        if let direction {
            guard let d = Direction(word: direction) else {
                throw ValidationError("--direction must be inbound, outbound or internal.")
            }
            f.direction = d
        }
        if let disposition {
            guard let d = Disposition(word: disposition) else {
                throw ValidationError("--disposition must be answered, no_answer, busy, failed, congestion or cancel.")
            }
            f.disposition = d
        }
        if let numberClass {
            guard let c = NumberClass(rawValue: numberClass) else {
                throw ValidationError(
                    "--class must be one of \(NumberClass.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            }
            f.numberClass = c
        }
        f.country = toCountry?.uppercased()
        if let minTalk {
            guard minTalk >= 0 else { throw ValidationError("--min-talk must be 0 or more seconds.") }
            f.minTalkMs = Int64(minTalk) * 1000
        }
        return f
    }
}

/// How to print a table.
struct TableOutputOptions: ParsableArguments {
    @Option(help: "table (aligned), csv (spreadsheet-safe) or json.")
    var output: String = "table"

    @Option(help: "Print at most this many rows.")
    var limit: Int?

    func validate() throws {
        if ResultTable.Format(rawValue: output) == nil {
            throw ValidationError("--output must be table, csv or json.")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more.") }
    }

    var format: ResultTable.Format { ResultTable.Format(rawValue: output) ?? .table }
}

struct CallsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "List the calls that match filters: time range, number, account, trunk, direction, class, ….",
        discussion: """
            Each call with its start in UTC and in its site's local time (the zone is named), trunk, direction, \
            disposition, numbers (normalized and as dialled), account, ring and talk seconds, destination class, \
            country, risk tier and estimated cost. CSV output quotes every text cell and puts a ' before cells \
            that start with = + - @ so a spreadsheet shows CDR data as text.

            Examples:
              cdrscan calls sample-cdrs/month/ber/*.csv.gz --inventory sample-cdrs/month/inventory.yaml \\
                  --account 2042 --since 2026-10-24 --until 2026-10-26
              cdrscan calls --db out/nightly.sqlite --class premium --direction outbound --output csv > premium.csv
              cdrscan calls cdrs.csv --to-country LV --min-talk 60 --output json
            """
    )

    @OptionGroup var input: CallSourceOptions
    @OptionGroup var filter: FilterOptions
    @OptionGroup var table: TableOutputOptions

    func run() throws {
        let inv = try input.investigation()
        var indices = inv.calls(try filter.filter())
        if let limit = table.limit { indices = Array(indices.prefix(limit)) }
        print(inv.callTable(indices).render(table.format), terminator: "")
    }
}

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Every call to or from a number or prefix, in site-local and UTC time, with class and cost.",
        discussion: """
            The number matches a prefix of the calling or called number: with + (+881) the E.164 form only; \
            without it (2042, 0030) the digits of any form, as dialled too, so +881 finds every satellite call and \
            2042 finds extension 2042. A summary (calls each way, first and last, minutes, cost, countries) comes \
            before the calls.

            Examples:
              cdrscan trace +23276123 sample-cdrs/month/*/*.csv.gz --inventory sample-cdrs/month/inventory.yaml
              cdrscan trace 2042 --db out/nightly.sqlite --since 2026-10-24
              cdrscan trace +371 cdrs.csv --output csv > latvia.csv
            """
    )

    @Argument(help: "A number or prefix.")
    var number: String

    @OptionGroup var input: CallSourceOptions
    @OptionGroup var table: TableOutputOptions

    @Option(help: "Calls that started at or after this date or UTC time.")
    var since: String?

    @Option(help: "Calls that started before this date or UTC time.")
    var until: String?

    func run() throws {
        var f = CallFilter()
        f.number = number
        (f.fromMs, f.toMs) = try timeRange(since: since, until: until)
        let inv = try input.investigation()
        var indices = inv.calls(f)
        if table.format == .table { printText(inv.traceSummary(number, indices)) }
        if let limit = table.limit { indices = Array(indices.prefix(limit)) }
        if !indices.isEmpty || table.format != .table {
            print(inv.callTable(indices).render(table.format), terminator: "")
        }
    }
}

struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Who and what used the service most: by country, account, trunk, destination, hour, ….",
        discussion: """
            Groups the matching calls and ranks the groups by calls, talk minutes or estimated cost. `country` is \
            the called number's country, `destination` the called number, `hour` the hour of the day and `day` the \
            date in each call's site-local time.

            Examples:
              cdrscan top --by country --direction outbound sample-cdrs/month/*/*.csv.gz \\
                  --inventory sample-cdrs/month/inventory.yaml
              cdrscan top --by account --class premium --rank cost --db out/nightly.sqlite
              cdrscan top --by hour --since 2026-10-24 --until 2026-10-25 cdrs.csv --output csv
            """
    )

    @Option(help: "country, account, trunk, destination, hour, caller, site, class or day.")
    var by: String

    @Option(help: "Rank by calls, minutes or cost.")
    var rank: String = "calls"

    @OptionGroup var input: CallSourceOptions
    @OptionGroup var filter: FilterOptions
    @OptionGroup var table: TableOutputOptions

    func validate() throws {
        if Investigation.Grouping(rawValue: by) == nil {
            throw ValidationError(
                "--by must be one of \(Investigation.Grouping.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        if Investigation.Ranking(rawValue: rank) == nil {
            throw ValidationError("--rank must be calls, minutes or cost.")
        }
    }

    func run() throws {
        let inv = try input.investigation()
        let indices = inv.calls(try filter.filter())
        let t = inv.top(
            indices,
            by: Investigation.Grouping(rawValue: by)!,
            rankedBy: Investigation.Ranking(rawValue: rank)!,
            limit: table.limit ?? 20
        )
        print(t.render(table.format), terminator: "")
    }
}

/// `--since` and `--until` as UTC instants (a date is midnight UTC).
func timeRange(since: String?, until: String?) throws -> (Int64?, Int64?) {
    func instant(_ text: String?, _ flag: String) throws -> Int64? {
        guard let text else { return nil }
        guard let ms = Instant.parse(text) else { throw ValidationError("\(flag) must be a date or UTC time.") }
        return ms
    }
    return (try instant(since, "--since"), try instant(until, "--until"))
}
