import ArgumentParser
import CDRModel
import CDRSamples
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic sample organization's CDRs with injected fraud scenarios and a truth file.",
        discussion: """
            Three sites (Europe/Berlin DE, America/New_York US, Asia/Singapore SG), two trunks each, business-hour \
            traffic with holidays, and the scenarios pbx_hack, intl_burst, after_hours, wangiri and low_and_slow. \
            Writes the CDR files, inventory.yaml and truth.json (every scenario's subject and UTC window, and each \
            trunk's exact peak channels, time at the limit and busy hour).

            Examples:
              cdrscan generate --out /tmp/month
              cdrscan generate --seed 7 --clean --format asterisk --out /tmp/clean
              cdrscan generate --calls 10000000 --layout single --out bench/data
            """
    )

    @Option(help: "Random seed; the same seed always writes the same files.")
    var seed: UInt64 = 1

    @Option(help: "Expected number of ordinary calls (scenarios come on top).")
    var calls: Int = 60_000

    @Option(help: "Days in the period.")
    var days: Int = 31

    @Option(help: "First local day of the period (YYYY-MM-DD).")
    var start: String = "2026-10-01"

    @Option(
        help:
            "Output format: canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys or acme-pbx (a custom mapping: its acme-pbx.mapping.yaml is written too, read it with --mapping)."
    )
    var format: String = "canonical"

    @Option(help: "daily (one file per site and local day) or single (one file).")
    var layout: String = "daily"

    @Flag(help: "Compress the CDR files with gzip.")
    var gzip = false

    @Flag(help: "Inject no scenarios (a clean period).")
    var clean = false

    @Option(help: "Comma-separated scenarios to inject (default: all).")
    var scenarios: String?

    @Option(help: "Output directory (created if missing).")
    var out: String

    func run() throws {
        guard let fmt = SampleFormat(rawValue: format) else {
            throw ValidationError(
                "Unknown format '\(format)'. Known: \(SampleFormat.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        guard let lay = SampleLayout(rawValue: layout) else {
            throw ValidationError("Unknown layout '\(layout)': daily or single.")
        }
        guard let startDay = CivilTime.parseDay(start) else {
            throw ValidationError("--start must be a date like 2026-10-01.")
        }
        guard calls >= 0, days >= 1, days <= 3660 else {
            throw ValidationError("--calls must be >= 0 and --days 1...3660.")
        }
        var options = GeneratorOptions()
        options.seed = seed
        options.calls = calls
        options.days = days
        options.startDay = startDay
        if clean {
            options.scenarios = []
        } else if let scenarios {
            var set = Set<ScenarioKind>()
            for name in scenarios.split(separator: ",") {
                guard let k = ScenarioKind(rawValue: String(name)) else {
                    throw ValidationError(
                        "Unknown scenario '\(name)'. Known: \(ScenarioKind.allCases.map(\.rawValue).joined(separator: ", "))."
                    )
                }
                set.insert(k)
            }
            options.scenarios = set
        }
        let clock = ContinuousClock()
        let t0 = clock.now
        let sample = Generator.generate(options)
        let files = try SampleWriter.write(sample, to: out, format: fmt, gzip: gzip, layout: lay)
        let elapsed = clock.now - t0
        printError(
            "wrote \(sample.callCount) calls in \(files.count) file(s), inventory.yaml\(fmt == .acmePBX ? ", acme-pbx.mapping.yaml" : "") and truth.json to \(out) (\(elapsed))"
        )
    }
}
