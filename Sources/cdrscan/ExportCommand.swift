import ArgumentParser
import CDRIngest
import CDRModel
import CDRPipeline
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert CDR files of any supported format to cdrscan's canonical CSV.",
        discussion: """
            Numbers are written as the source wrote them (the canonical reader normalizes them again with the \
            site's dialing plan), times as UTC. Rejected rows go to the rejects file, as with ingest. The output \
            is for reading back and for other tools, not guarded against spreadsheet formulas: for a spreadsheet use \
            `cdrscan calls --output csv`. A file is written as FILE.partial and renamed to FILE when complete.

            Examples:
              cdrscan export Master.csv --site ber --timezone Europe/Berlin --country DE -o ber.csv
              cdrscan export sample-cdrs/month/*/*.csv.gz --inventory sample-cdrs/month/inventory.yaml -o all.csv
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: [.short, .customLong("output")], help: "Output file (default: standard output).")
    var output: String = "-"

    func run() throws {
        let (result, _) = try input.ingest()
        let store = result.store
        let writer = CanonicalWriter()
        // A file is written beside its place and renamed into it when complete (``AtomicFile``): an export killed
        // half way leaves an earlier file of that name as it was, not half of a new one.
        func lines(_ write: (String) throws -> Void) throws {
            var chunk = CanonicalWriter.header
            for i in 0..<store.count {
                writer.line(store, i, into: &chunk)
                if chunk.utf8.count > 1 << 20 {
                    try write(chunk)
                    chunk = ""
                }
            }
            try write(chunk)
        }
        if output == "-" {
            try lines { try FileHandle.standardOutput.write(contentsOf: Data($0.utf8)) }
        } else {
            try AtomicFile.write(output) { file in try lines { try file.write($0) } }
        }
        printError("exported \(counted(store.count, "call")) (\(counted(result.summary.rejected, "row")) rejected)")
        if result.hadFileErrors { throw ExitCode(RunStatus.fileErrors.rawValue) }
    }
}
