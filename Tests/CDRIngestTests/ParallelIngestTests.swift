import CDRIngest
import CDRModel
import Foundation
import Testing

@Suite struct ParallelIngestTests {
    /// A file holding `text`, in a directory of the system's temporary directory that the caller removes.
    static func file(_ text: String) -> String {
        let dir = temporaryDirectory()
        let path = dir + "/big.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        return path
    }

    static func compare(_ path: String, expectParallel: Bool) throws {
        let decl = SiteDeclaration(name: "ber", timeZone: "Europe/Berlin", country: "DE")
        let seq = try IngestRun.run(paths: [path], declaration: decl, parallel: false)
        let par = try IngestRun.run(
            paths: [path],
            declaration: decl,
            parallel: true,
            parallelMinimumBytes: 0,
            split: true
        )
        #expect(par.summary.files[0].formatReason.contains("parallel") == expectParallel)
        // The two-thread pipeline gives the same result too.
        let pipe = try IngestRun.run(paths: [path], declaration: decl, parallel: true, split: false)
        for other in [par, pipe] {
            #expect(other.store.count == seq.store.count)
            for i in 0..<seq.store.count { #expect(other.store.record(i) == seq.store.record(i)) }
            #expect(other.rejects.records == seq.rejects.records)
            #expect(other.summary.rowsRead == seq.summary.rowsRead)
            #expect(other.summary.rowsRead == other.summary.calls + other.summary.rejected)
        }
    }

    @Test("two parallel parts give exactly the sequential result, rejects and line numbers included")
    func sameResult() throws {
        var text = canonicalHeader
        for i in 0..<4000 {
            if i % 97 == 5 {
                text +=
                    "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,sideways,100,+4930\(100000 + i),t1,100,ber,busy\n"
            } else if i % 101 == 7 {
                text +=
                    "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,outbound,\"a \"\"quoted\"\",\nname\",0301234\(i),t1,,ber,busy\n"
            } else {
                text +=
                    "2026-03-01T\(10 + i % 10):\(10 + i % 50):00Z,,2026-03-01T\(10 + i % 10):\(10 + i % 50):30Z,30,0,outbound,\(2000 + i % 50),030\(1_000_000 + i),t\(i % 3),\(2000 + i % 50),ber,no_answer\n"
            }
        }
        let path = Self.file(text)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try Self.compare(path, expectParallel: true)
    }

    @Test("a cut inside a quoted field falls back to a sequential read")
    func quotedCut() throws {
        let body = String(repeating: "x", count: 20_000)
        let text =
            canonicalHeader
            + "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,outbound,\"\(body)\n\(body)\",0301234,t1,,ber,busy\n"
        let path = Self.file(text)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try Self.compare(path, expectParallel: false)
    }
}

@Suite struct ParallelIngestMultiFileTests {
    @Test("a large file read in parts, then another file, keep sites and numbers straight")
    func twoFiles() throws {
        var a = canonicalHeader
        for i in 0..<3000 {
            a += "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,outbound,2042,030\(1_000_000 + i),t1,2042,ber,busy\n"
        }
        let b =
            canonicalHeader
            + "2026-03-02T09:00:00Z,,2026-03-02T09:00:30Z,30,0,outbound,3117,2125550123,t9,3117,nyc,busy\n"
        let pa = ParallelIngestTests.file(a)
        let pb = ParallelIngestTests.file(b)
        defer {
            for p in [pa, pb] { try? FileManager.default.removeItem(atPath: (p as NSString).deletingLastPathComponent) }
        }
        let inventory = Inventory(sites: [
            Site(
                name: "ber",
                timeZone: "Europe/Berlin",
                dialPlan: DialPlan(region: "DE")!,
                calendar: try BusinessCalendar()
            ),
            Site(
                name: "nyc",
                timeZone: "America/New_York",
                dialPlan: DialPlan(region: "US")!,
                calendar: try BusinessCalendar()
            ),
        ])
        let r = try IngestRun.run(
            paths: [pa, pb],
            inventory: inventory,
            parallel: true,
            parallelMinimumBytes: 0,
            split: true
        )
        #expect(r.summary.files[0].formatReason.contains("parallel"))
        #expect(r.store.count == 3001)
        #expect(r.store.record(0).callee == "+49301000000")
        #expect(r.store.record(3000).callee == "+12125550123")
        #expect(r.store.record(3000).site == "nyc")
    }
}
