import ArgumentParser
import CDRAnalysis
import CDRIngest
import CDRModel
import CDROutput
import CDRPipeline
import Foundation

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "One-shot scan: ingest, every detector and the capacity review; prints the incidents.",
        discussion: """
            For people without a pipeline file. Incidents merge the alerts about one subject (an account or \
            extension, a site, a calling range) and night, ranked by severity and estimated cost, each with a \
            one-line explanation in the site's local time. Exit status 0 when no incident reaches --fail-on \
            (default high), 2 when one does, 3 when an input file could not be read (2 wins when both apply), 75 \
            when another run holds the --db results file's lock (FILE.lock, as `cdrscan run` takes it; --wait S \
            waits for it).

            Examples:
              cdrscan scan sample-cdrs/month/*/*.csv.gz --inventory sample-cdrs/month/inventory.yaml
              cdrscan scan Master.csv --format asterisk --site ber --timezone Europe/Berlin --country DE --json
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var rating: RatingOptions

    @Option(help: "Only report windows from this local date on (YYYY-MM-DD, UTC midnight); earlier calls are history.")
    var since: String?

    @Option(
        help: "Exit with status 2 when an incident of this severity or worse is found: low, medium, high, critical."
    )
    var failOn: String = "high"

    @Flag(help: "Print incidents and alerts as JSON.")
    var json = false

    @Option(help: "SQLite results file to write (created and migrated as needed).")
    var db: String?

    @Option(
        help: ArgumentHelp(
            "Wait up to this many seconds for another run holding the --db results file (default: do not wait).",
            valueName: "seconds"
        )
    )
    var wait: Double = 0

    @Option(help: "Write the HTML report here (one self-contained file).")
    var html: String?

    @Option(help: "Write the Markdown report here.")
    var markdown: String?

    @Flag(help: "Print how long each stage took to standard error.")
    var timings = false

    @Flag(
        help:
            "Keep the calls in --db as history and use the stored history as the baseline (nightly runs read only new CDRs)."
    )
    var history = false

    @Option(help: "Days of history kept and used with --history.")
    var lookbackDays: Int = 56

    @Option(
        help: "Detector settings YAML (snake_case DetectorConfig keys, e.g. fast_attempts: 4); see docs/detectors.md."
    )
    var detectors: String?

    @Flag(help: "Report only: print how many alerts each detector would raise with its thresholds scaled, then stop.")
    var calibrate = false

    func run() throws {
        guard let threshold = Severity(rawValue: failOn) else {
            throw ValidationError("--fail-on must be low, medium, high or critical.")
        }
        guard wait >= 0 else { throw ValidationError("--wait must be 0 or more seconds.") }
        let started = Int64(Date().timeIntervalSince1970 * 1000)
        // The results file is written by one run at a time, as the pipelines do (`RESULTS.lock`).
        var lock: RunLock? = nil
        if let db, !calibrate {
            do { lock = try RunLock(path: db + ".lock", wait: wait, owner: "scan") } catch let busy as RunLock.Busy {
                printError("error: \(busy)")
                throw ExitCode(RunStatus.locked.rawValue)
            } catch let e as RunLock.Unavailable {
                printError("error: \(e)")
                throw ExitCode(1)
            }
        }
        defer { withExtendedLifetime(lock) {} }
        let (result, inventory) = try input.ingest()
        var job = ScanJob()
        job.classifier = try rating.classifier()
        if let since {
            guard let day = CivilTime.parseDay(since) else {
                throw ValidationError("--since must be a date like 2026-10-24.")
            }
            job.evaluate = (day * 86_400_000)..<Int64.max
        }
        job.defaultZone = input.timezone
        job.databasePath = db
        job.holdsLock = lock != nil
        job.htmlPath = html
        job.markdownPath = markdown
        if let detectors { job.detectorConfig = try DetectorConfigLoader.load(path: detectors) }
        if calibrate {
            let destinations = CallDestinations.build(
                store: result.store,
                siteCountry: input.source.siteCountries(result.store, inventory),
                classifier: job.classifier
            )
            let ctx = DetectionContext(
                store: result.store,
                destinations: destinations,
                inventory: inventory,
                config: job.detectorConfig,
                defaultZone: input.timezone
            )
            printText(Calibration.text(Calibration.run(ctx)), terminator: "")
            return
        }
        if history {
            guard db != nil else { throw ValidationError("--history needs --db FILE (the history is kept there).") }
            guard lookbackDays > 0 && lookbackDays <= 3660 else {
                throw ValidationError("--lookback-days must be 1...3660.")
            }
            job.historyLookbackDays = lookbackDays
        }
        job.measurePeaks = timings
        let ingestPeak = timings ? ResidentMemory.stagePeak() : nil
        let outcome = try job.run(
            result,
            inventory: inventory,
            siteCountry: input.source.siteCountries(result.store, inventory),
            inputs: input.files,
            startedMs: started
        )
        let detection = outcome.detection

        if timings {
            printError(
                String(format: "timing: ingest %.2f s", result.summary.seconds)
                    + outcome.timings.map { String(format: ", %@ %.2f s", $0.0, $0.1) }.joined()
                    + " (\(result.store.count) calls)"
            )
            if let ingestPeak {
                printError(
                    "memory: store \(result.store.byteSize / 1_000_000) MB; peak resident per stage: ingest \(ingestPeak / 1_000_000) MB"
                        + outcome.peaks.map { ", \($0.0) \($0.1 / 1_000_000) MB" }.joined()
                )
            }
        }
        if json {
            print(try jsonString(detection.incidents))
        } else {
            printText(
                result.summary.text.split(separator: "\n").filter {
                    $0.hasPrefix("rows read") || $0.hasPrefix("calls kept") || $0.hasPrefix("rejected")
                }.joined(separator: "\n")
            )
            printText(IncidentText.render(detection.incidents, rateSource: outcome.rateSource), terminator: "")
        }
        for f in result.summary.files where f.error != nil { printError("error: \(f.error!)") }
        let status = RunStatus.of(
            incidents: detection.incidents.contains { $0.severity >= threshold },
            fileErrors: result.hadFileErrors,
            rejectsOverLimit: false
        )
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
