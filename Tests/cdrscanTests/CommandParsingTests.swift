import ArgumentParser
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
