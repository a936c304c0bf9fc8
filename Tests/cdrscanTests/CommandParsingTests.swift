import ArgumentParser
import Foundation
import Testing

@testable import cdrscan

@Suite struct CommandParsingTests {
    @Test("ingest takes files, a format and a site declaration")
    func ingest() throws {
        let cmd = try CDRScan.parseAsRoot([
            "ingest", "a.csv", "b.csv.gz", "--format", "asterisk", "--site", "ber",
            "--timezone", "Europe/Berlin", "--country", "DE", "--json",
        ])
        let ingest = try #require(cmd as? IngestCommand)
        #expect(ingest.input.files == ["a.csv", "b.csv.gz"])
        #expect(ingest.input.source.format == "asterisk")
        #expect(ingest.json)
    }

    @Test("bad command lines are refused with a message")
    func refused() {
        #expect(throws: (any Error).self) { try CDRScan.parseAsRoot(["ingest"]) }
        #expect(throws: (any Error).self) { try CDRScan.parseAsRoot(["ingest", "a.csv", "--format", "excel"]) }
        #expect(throws: (any Error).self) { try CDRScan.parseAsRoot(["erlang", "--channels", "10"]) }
        #expect(throws: (any Error).self) {
            try CDRScan.parseAsRoot(["erlang", "--channels", "10", "--traffic", "5", "--gos", "0.01"])
        }
        #expect(throws: (any Error).self) { try CDRScan.parseAsRoot(["capacity", "a.csv"]) }  // needs --inventory
        #expect(throws: (any Error).self) {
            try CDRScan.parseAsRoot(["capacity", "a.csv", "--inventory", "i.yaml", "--month", "October"])
        }
    }

    @Test("every command has help")
    func help() {
        for name in ["ingest", "export", "generate", "capacity", "erlang", "number"] {
            let text = CDRScan.helpMessage(for: CDRScan.self, columns: 120)
            #expect(text.contains(name))
        }
        #expect(CDRScan.helpMessage(for: ErlangCommand.self).contains("Examples"))
    }
}

@Suite struct PipelineCommandParsingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("run, validate and the investigations parse; contradictory options are refused")
    func parse() throws {
        let run = try #require(
            try CDRScan.parseAsRoot(["run", "p.yaml", "--night", "2026-10-24", "--wait", "60", "-v"]) as? RunCommand
        )
        #expect(run.night == "2026-10-24")
        #expect(run.wait == 60)
        #expect(run.log.verbose == 1)
        #expect(throws: (any Error).self) {
            try CDRScan.parseAsRoot(["run", "p.yaml", "--night", "2026-10-24", "--month", "2026-10"])
        }
        let trace = try #require(
            try CDRScan.parseAsRoot(["trace", "+881", "a.csv", "--output", "csv"]) as? TraceCommand
        )
        #expect(trace.number == "+881")
        #expect(trace.input.files == ["a.csv"])
        #expect(throws: (any Error).self) { try CDRScan.parseAsRoot(["trace", "+881"]) }  // no files, no --db
        #expect(throws: (any Error).self) { try CDRScan.parseAsRoot(["trace", "+881", "a.csv", "--db", "r.sqlite"]) }
        #expect(throws: (any Error).self) { try CDRScan.parseAsRoot(["top", "--by", "colour", "a.csv"]) }
        #expect(throws: (any Error).self) { try CDRScan.parseAsRoot(["calls", "a.csv", "--output", "xlsx"]) }
        let calls = try #require(
            try CDRScan.parseAsRoot([
                "calls", "--db", "r.sqlite", "--class", "premium", "--to-country", "lv", "--min-talk", "60",
            ]) as? CallsCommand
        )
        let f = try calls.filter.filter()
        #expect(f.numberClass == .premium)
        #expect(f.country == "LV")
        #expect(f.minTalkMs == 60_000)
    }

    @Test("the shipped completion scripts are those the current commands generate")
    func completions() throws {
        for shell in [CompletionShell.bash, .zsh, .fish] {
            let path = Self.root.appendingPathComponent("completions/cdrscan.\(shell.rawValue)").path
            let shipped = try String(contentsOfFile: path, encoding: .utf8)
            #expect(
                shipped == CDRScan.completionScript(for: shell) + "\n",
                "regenerate with: cdrscan --generate-completion-script \(shell.rawValue) > \(path)"
            )
        }
    }

    @Test("help of the new commands has examples")
    func help() {
        for command in [
            RunCommand.self, ValidateCommand.self, CallsCommand.self, TraceCommand.self, TopCommand.self,
        ] as [any ParsableCommand.Type] {
            #expect(CDRScan.helpMessage(for: command).contains("Examples"))
        }
    }
}
