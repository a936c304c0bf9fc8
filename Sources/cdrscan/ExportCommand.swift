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
        let handle: FileHandle
        // A file is written beside its place and renamed into it when complete: an export killed half way leaves
        // an earlier file of that name as it was, not half of a new one.
        let partial = output + ".partial"
        if output == "-" {
            handle = FileHandle.standardOutput
        } else {
            guard FileManager.default.createFile(atPath: partial, contents: nil) else {
                throw ValidationError("cannot create \(partial)")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
        }
        do {
            var chunk = CanonicalWriter.header
            for i in 0..<store.count {
                writer.line(store, i, into: &chunk)
                if chunk.utf8.count > 1 << 20 {
                    try handle.write(contentsOf: Data(chunk.utf8))
                    chunk = ""
                }
            }
            try handle.write(contentsOf: Data(chunk.utf8))
            if output != "-" {
                try handle.synchronize()
                try handle.close()
                guard rename(partial, output) == 0 else {
                    throw ValidationError("cannot move \(partial) to \(output): \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            // A full disk, say: no half file is left behind.
            if output != "-" { try? FileManager.default.removeItem(atPath: partial) }
            throw error
        }
        printError("exported \(counted(store.count, "call")) (\(counted(result.summary.rejected, "row")) rejected)")
        if result.hadFileErrors { throw ExitCode(RunStatus.fileErrors.rawValue) }
    }
}
