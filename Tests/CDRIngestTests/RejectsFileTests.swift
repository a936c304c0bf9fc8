import Foundation
import Testing

@testable import CDRIngest

/// The rejects file: every row of the collector, each field quoted and guarded against spreadsheet formulas,
/// written through a temporary file that is renamed into place.
@Suite struct RejectsFileTests {
    @Test("hostile raw text is quoted and formula-guarded, and reads back field for field")
    func hostile() throws {
        var c = RejectCollector()
        let raws = [
            "=HYPERLINK(\"http://x\",\"call\")", "+4930123,\"a\"\"b\"", "-1\nsecond line", "@SUM(A1)", "\tx", "\r\ny",
            "Müller, Zoë 📞", "plain",
        ]
        for (i, raw) in raws.enumerated() {
            c.add(RejectRecord(file: "f.csv", line: i + 1, reason: "bad_timestamp", detail: "the start time", raw: raw))
        }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/rejects.csv"
        try c.write(to: path)
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(String(decoding: bytes, as: UTF8.self) == c.csv())
        let rows = scanAll(bytes, chunk: 1 << 20)
        #expect(rows.first?.fields == ["file", "line", "reason", "detail", "raw"])
        #expect(rows.count == raws.count + 1)
        for (row, raw) in zip(rows.dropFirst(), raws) {
            let guarded = "=+-@\t\r".unicodeScalars.contains(raw.unicodeScalars.first!) ? "'" + raw : raw
            #expect(row.fields.last == guarded)
            #expect(row.fields.dropLast() == ["f.csv", String(row.fields[1]), "bad_timestamp", "the start time"])
        }
    }
}
