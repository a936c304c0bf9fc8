import ArgumentParser
import CDRAnalysis
import CDRIngest
import CDROutput
import CDRPipeline
import Foundation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipeline files without running them.",
        discussion: """
            Reads each pipeline file strictly: unknown keys, wrong types, unknown formats, zones, countries, \
            detectors and placeholders are errors naming the file, line and key. The inventory, rate deck and risk \
            list it names are read and checked too. Prints what a run would read for its default period.

            Exit status: 0 every file is valid, 1 one is not.

            Examples:
              cdrscan validate pipelines/*.yaml
            """
    )

    @Argument(help: "Pipeline files.")
    var pipelines: [String]

    func validate() throws {
        if pipelines.isEmpty { throw ValidationError("Give at least one pipeline file.") }
    }

    func run() throws {
        var failed = false
        for path in pipelines {
            do {
                let spec = try PipelineLoader.load(path: path)
                let runner = PipelineRunner(spec: spec)
                let period = try runner.period(night: nil, month: nil)
                printText(
                    "\(path): valid (pipeline \(spec.name), \(spec.inputs.count) inputs, period \(spec.period.rawValue);"
                        + " \(runner.matchedFiles(period).count) files match \(period) now)"
                )
            } catch {
                printError("\(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file: the nightly job, the monthly capacity review, an investigation.",
        discussion: """
            A pipeline file names the inputs (paths or patterns, relative to the file, with {date}, {month}, \
            {period} and {pipeline} placeholders), the inventory, detector settings, the rate deck, and the outputs \
            (results database, HTML and Markdown reports, rejects and calls CSV). See docs/pipelines.md.

            Only input files that no earlier run of the pipeline read are read (their content fingerprints are in \
            the results database); when one file of a night or month is new, that period's other files are read \
            again so its results stay whole. A second run over the same inputs reads nothing and changes nothing.

            One run at a time writes a results file: a run that finds another holding it exits with status 75, or \
            waits with --wait.

            Logs go to standard error: warnings and errors only when standard error is not a terminal (cron), \
            the steps and a progress bar when it is. Incidents are printed to standard output.

            Exit status:
              0   finished; no incident at or above exit.fail_on (or nothing new to read)
              2   finished; incidents at or above exit.fail_on were found
              3   finished, but an input file could not be read as a whole, or no input file matched
              4   finished, but more than exit.max_rejected_share of the rows were rejected
              1   error: invalid pipeline file, results not written
              64  bad command line
              75  another run holds the results file's lock
            When several apply: 2, then 3, then 4.

            Examples:
              cdrscan run pipelines/nightly.yaml                       # yesterday, from cron
              cdrscan run pipelines/nightly.yaml --night 2026-10-24
              cdrscan run pipelines/capacity-monthly.yaml --month 2026-10
              cdrscan run pipelines/investigate.yaml --dry-run
              15 2 * * *  cdrscan run /etc/cdrscan/nightly.yaml --wait 3600 || mail-the-team
            """
    )

    @Argument(help: "The pipeline file.")
    var pipeline: String

    @Option(help: "Run for this night (local date YYYY-MM-DD) instead of the pipeline's default period.")
    var night: String?

    @Option(help: "Run for this month (YYYY-MM) instead of the pipeline's default period.")
    var month: String?

    @Flag(help: "Print what would be read and written, then stop.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "Wait up to this many seconds for another run holding the results file (default: do not wait).",
            valueName: "seconds"
        )
    )
    var wait: Double = 0

    @Option(help: "Threads for reading large plain files: 2 or 1.")
    var threads: Int = 2

    @Flag(help: "Print the incidents as JSON.")
    var json = false

    @OptionGroup var log: LogOptions

    func validate() throws {
        if night != nil && month != nil { throw ValidationError("Give --night or --month, not both.") }
        if wait < 0 { throw ValidationError("--wait must be 0 or more seconds.") }
        if !(1...2).contains(threads) { throw ValidationError("--threads must be 1 or 2.") }
    }

    func run() throws {
        let logger = log.logger()
        let spec: PipelineSpec
        do { spec = try PipelineLoader.load(path: pipeline) } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        var runner = PipelineRunner(spec: spec, logger: logger)
        runner.lockWait = wait
        runner.parallel = threads > 1
        let bar = ProgressLine()
        if StandardError.shared.isTerminal && log.level <= .info { runner.progress = { bar.update($0) } }
        let period = try runner.period(night: night, month: month)
        let outcome: PipelineOutcome
        do {
            outcome = try runner.run(period, dryRun: dryRun)
        } catch let busy as RunLock.Busy {
            bar.finish()
            printError("error: \(busy)")
            throw ExitCode(RunStatus.locked.rawValue)
        } catch let e as ConfigError {
            bar.finish()
            printError("error: \(e)")
            throw ExitCode(1)
        }
        bar.finish()
        if dryRun {
            printText(outcome.plan.text(spec), terminator: "")
            return
        }
        if let job = outcome.job {
            if json {
                print(try jsonString(job.detection.incidents))
            } else if !job.detection.incidents.isEmpty {
                printText(
                    IncidentText.render(job.detection.incidents, rateSource: job.rateSource),
                    terminator: ""
                )
            }
        }
        if outcome.status != .ok { throw ExitCode(outcome.status.rawValue) }
    }
}
