import ArgumentParser
import CDRAnalysis
import CDRIngest
import CDRModel
import CDRPipeline
import Foundation

struct CapacityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "Trunk capacity review: exact concurrency, busy hour, Erlang B against contracted channels.",
        discussion: """
            Per trunk and per site: peak simultaneous calls and when, 95th/99th percentile of busy channels, time \
            at or over the contracted channels, daily busy hours (four consecutive quarter hours, ITU-T E.500), \
            the time-consistent busy hour, offered traffic, Erlang B blocking at the contracted channels, channels \
            needed for the target grade of service, and an advice line. Trunks seen in the CDRs but missing from \
            the inventory are listed. Times are UTC unless marked local (each site's own zone).

            Examples:
              cdrscan capacity sample-cdrs/month/*/*.csv.gz --inventory sample-cdrs/month/inventory.yaml --month 2026-10
              cdrscan capacity cdrs.csv --inventory inv.yaml --gos 0.005 --json
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "Review one calendar month (YYYY-MM) in each site's local time; default: the whole data span.")
    var month: String?

    @Option(help: "Target grade of service (blocking probability), e.g. 0.01 for 1%.")
    var gos: Double = 0.01

    @Option(help: "Share of blocked callers who retry (Extended Erlang B), 0...1.")
    var retry: Double?

    @Flag(help: "Print the review as JSON.")
    var json = false

    @Flag(help: "Print how long ingest and the review took to standard error.")
    var timings = false

    func validate() throws {
        guard gos > 0 && gos < 1 else { throw ValidationError("--gos must be between 0 and 1, e.g. 0.01.") }
        if let retry, !(0...1).contains(retry) { throw ValidationError("--retry must be between 0 and 1.") }
        if let month, parseMonth(month) == nil {
            throw ValidationError("--month must be a month as YYYY-MM (2026-10), not '\(month)'.")
        }
        if input.inventory == nil {
            throw ValidationError(
                "The capacity review needs --inventory FILE (the trunks and their contracted channels)."
            )
        }
    }

    func run() throws {
        let (result, inventory) = try input.ingest()
        var options = CapacityOptions()
        options.gos = gos
        options.retry = retry
        options.month = month.flatMap(parseMonth)
        let clock = ContinuousClock()
        let t0 = clock.now
        let report = CapacityReview.run(store: result.store, inventory: inventory, options: options)
        if timings {
            printError(
                String(
                    format: "timing: ingest %.2f s, capacity review %.3f s for %d calls",
                    result.summary.seconds,
                    (clock.now - t0).seconds,
                    result.store.count
                )
            )
        }
        if json {
            print(try jsonString(report))
        } else {
            printText(
                CapacityText.render(report, rejected: result.summary.rejected, rows: result.summary.rowsRead),
                terminator: ""
            )
        }
        for f in result.summary.files where f.error != nil { printError("error: \(f.error!)") }
        if result.hadFileErrors { throw ExitCode(RunStatus.fileErrors.rawValue) }
    }
}

func parseMonth(_ s: String) -> (year: Int, month: Int)? {
    let p = s.split(separator: "-")
    guard p.count == 2, let y = Int(p[0]), let m = Int(p[1]), (1...12).contains(m), y > 1900 else { return nil }
    return (y, m)
}
