import ArgumentParser
import CDRAnalysis
import CDRIngest
import CDRModel
import CDRPipeline

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read CDR files and print what was read: rows, calls kept, rejects by reason, time span, trunks.",
        discussion: """
            Every row read is either kept as a call or rejected with a reason; rejected rows go to the rejects \
            file with their file name and line number. A file that cannot be read at all (missing, binary, a \
            truncated gzip) is reported and the other files still go through (exit status 3).

            Examples:
              cdrscan ingest sample-cdrs/month/*/*.csv.gz --inventory sample-cdrs/month/inventory.yaml
              cdrscan ingest Master.csv --format asterisk --site ber --timezone Europe/Berlin --country DE
              zcat cdrs.csv.gz | cdrscan ingest - --json
            """
    )

    @OptionGroup var input: InputOptions

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Flag(help: "Also classify every called number (class, country, risk tier) and print calls per class and country.")
    var destinations = false

    func run() throws {
        let (result, inventory) = try input.ingest()
        var destinationText = ""
        if destinations {
            let clock = ContinuousClock()
            let t0 = clock.now
            let d = CallDestinations.build(
                store: result.store,
                siteCountry: input.source.siteCountries(result.store, inventory),
                classifier: DestinationClassifier()
            )
            let elapsed = clock.now - t0
            destinationText = DestinationSummary.text(d, seconds: elapsed.seconds)
        }
        if json {
            print(try jsonString(result.summary))
        } else {
            printText(result.summary.text + destinationText, terminator: "")
        }
        for f in result.summary.files where f.error != nil { printError("error: \(f.error!)") }
        if result.hadFileErrors { throw ExitCode(RunStatus.fileErrors.rawValue) }
    }
}
