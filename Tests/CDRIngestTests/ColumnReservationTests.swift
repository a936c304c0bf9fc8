import CDRModel
import Foundation
import Testing

@testable import CDRIngest

/// A run over a month of daily files reserves the columns once, at its first file, for the calls of every file of
/// that format, where each file used to grow them by half again (copying every column into fresh pages).
@Suite("Column reservation")
struct ColumnReservationTests {
    /// Oracle: the calls written. Three canonical days and a FreeSWITCH file read with `--format auto`: after the
    /// first day the columns hold room for the three days' calls and not for many more; reading the other days never
    /// grows them; without the later files the first day reserves for itself.
    @Test("the first file reserves the columns for the later files of its format")
    func firstFileReservesForTheGroup() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func day(_ d: Int, calls: Int) -> String {
            var text = canonicalHeader
            for i in 0..<calls {
                text += "2026-10-0\(d)T08:00:00Z,2026-10-0\(d)T08:00:05Z,2026-10-0\(d)T08:01:00Z,60,55,outbound,"
                text += "+4930111\(i),+4930222\(i),gw,,ber,answered\n"
            }
            return text
        }
        let first = dir + "/1.csv"
        let second = dir + "/2.csv"
        let third = dir + "/3.csv"
        let other = dir + "/fs.csv"
        try day(1, calls: 20_000).write(toFile: first, atomically: true, encoding: .utf8)
        try day(2, calls: 40_000).write(toFile: second, atomically: true, encoding: .utf8)
        try day(3, calls: 60_000).write(toFile: third, atomically: true, encoding: .utf8)
        var fs = ""
        for i in 0..<20_000 {
            fs += "\"\",\"+4930111\(i)\",\"+4930222\(i)\",\"public\",\"2026-10-01 00:01:49\",\"\",\"\",\"130\",\"120\","
            fs +=
                "\"NORMAL_CLEARING\",\"c\(i)-a\",\"\",\"\",\"PCMA\",\"PCMA\",\"gw\",\"1790805709\",\"0\",\"1790805839\"\n"
        }
        try fs.write(toFile: other, atomically: true, encoding: .utf8)

        let session = try IngestSession()
        var ingestor = Ingestor(session: session, format: "auto", chunkSize: 1 << 16)
        ingestor.columnsLaterPaths = [second, third, other]
        #expect(ingestor.ingest(path: first).calls == 20_000)
        let reserved = session.store.startMs.capacity
        // 120,000 calls in the three days (estimated from the first lines' length); the FreeSWITCH file not counted.
        #expect(reserved >= 120_000 && reserved < 140_000, "reserved \(reserved)")
        ingestor.columnsLaterPaths = []
        #expect(ingestor.ingest(path: second).calls == 40_000)
        #expect(ingestor.ingest(path: third).calls == 60_000)
        #expect(session.store.startMs.capacity == reserved)

        let alone = try IngestSession()
        #expect(Ingestor(session: alone, format: "auto", chunkSize: 1 << 16).ingest(path: first).calls == 20_000)
        #expect(alone.store.startMs.capacity < 120_000)
    }
}
