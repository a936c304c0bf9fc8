import ArgumentParser
import CDRIngest
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

    @Option(help: "The latest run whose period covers this local date (YYYY-MM-DD).")
    var night: String?

    @Option(help: "The latest run whose period covers this month (YYYY-MM).")
    var month: String?

    @Option(help: "Write the HTML report here.")
    var html: String?

    @Option(help: "Write the Markdown report here.")
    var markdown: String?

    func validate() throws {
        if html == nil && markdown == nil { throw ValidationError("Give --html FILE and/or --markdown FILE.") }
        if [runId != nil, night != nil, month != nil].filter({ $0 }).count > 1 {
            throw ValidationError("Give at most one of --run, --night and --month.")
        }
        if let month, parseMonth(month) == nil {
            throw ValidationError("--month must be a month as YYYY-MM (2026-10), not '\(month)'.")
        }
        if let night, night.count != 10 { throw ValidationError("--night must be a date like 2026-10-24.") }
        if !FileManager.default.fileExists(atPath: db) { throw ValidationError("No results file at \(db).") }
    }

    func run() throws {
        let store = try ResultsStore(path: db)
        var id = runId
        if let night { id = try store.latestRun(covering: night, night) }
        if let month, let (y, m) = parseMonth(month) {
            let first = String(format: "%04d-%02d-01", y, m)
            let last = String(format: "%04d-%02d-31", y, m)
            id = try store.latestRun(covering: first, last)
        }
        if (night != nil || month != nil) && id == nil {
            throw ValidationError("No finished run in \(db) covers \(night ?? month ?? "").")
        }
        let doc = ReportBuilder.build(try ReportData.load(store, runId: id))
        if let html { try AtomicFile.write(HTMLRenderer.render(doc), to: html) }
        if let markdown { try AtomicFile.write(MarkdownRenderer.render(doc), to: markdown) }
        printError("report written: \(doc.subtitle)")
    }
}
