import ArgumentParser
import CDRModel

/// `cdrscan`: PSTN usage and fraud-detection analytics over CDR exports.
@main
struct CDRScan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cdrscan",
        abstract: "PSTN usage, toll-fraud and trunk-capacity analytics over CDR exports.",
        discussion: """
            Reads CDR exports (CSV or gzip: canonical, Asterisk, FreeSWITCH, Cisco UCM, BroadWorks, Twilio, Genesys \
            Cloud, or a custom mapping), normalizes them to UTC instants and E.164 numbers, and answers two \
            questions: is the service used irregularly or fraudulently, and do the trunks have the capacity the \
            usage needs.

            Examples:
              cdrscan run pipelines/nightly.yaml --night 2026-10-24
              cdrscan trace +23276123 sample-cdrs/month/*/*.csv.gz --inventory sample-cdrs/month/inventory.yaml
              cdrscan ingest sample-cdrs/month/*/*.csv.gz --inventory sample-cdrs/month/inventory.yaml
              cdrscan capacity sample-cdrs/month/*/*.csv.gz --inventory sample-cdrs/month/inventory.yaml
              cdrscan number +18765550123 00881631234567 --country DE
              cdrscan erlang --traffic 20 --gos 0.01
            """,
        subcommands: [
            IngestCommand.self, ExportCommand.self, GenerateCommand.self, CapacityCommand.self, ErlangCommand.self,
            NumberCommand.self, ScanCommand.self, ReportCommand.self, RunCommand.self, ValidateCommand.self,
            CallsCommand.self, TraceCommand.self, TopCommand.self,
        ]
    )

    static func main() {
        ResidentMemory.returnLargeBlocks()
        main(nil)
    }
}
