import ArgumentParser
import CDROutput
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Build the HTML and Markdown reports from a results database, without re-reading CDRs.",
        discussion: """
            Examples:
              cdrscan report --db results.sqlite --html report.html --markdown report.md
              cdrscan report --db results.sqlite --run 12 --markdown incident-12.md
            """
    )

    @Option(help: "SQLite results file written by scan or run.")
    var db: String

    @Option(name: .customLong("run"), help: "Run id (default: the latest finished run).")
    var runId: Int64?

    @Option(help: "Write the HTML report here.")
    var html: String?

    @Option(help: "Write the Markdown report here.")
    var markdown: String?

    func validate() throws {
        if html == nil && markdown == nil { throw ValidationError("Give --html FILE and/or --markdown FILE.") }
        if !FileManager.default.fileExists(atPath: db) { throw ValidationError("No results file at \(db).") }
    }

    func run() throws {
        let store = try ResultsStore(path: db)
        let doc = ReportBuilder.build(try ReportData.load(store, runId: runId))
        if let html { try writeAtomically(HTMLRenderer.render(doc), to: html) }
        if let markdown { try writeAtomically(MarkdownRenderer.render(doc), to: markdown) }
        printError("report written: \(doc.subtitle)")
    }
}
