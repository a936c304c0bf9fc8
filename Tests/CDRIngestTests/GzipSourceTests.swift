import CDRIngest
import Foundation
import Testing

@Suite struct GzipSourceTests {
    let payload = Array((0..<5000).map { "line \($0),+4930123\($0)\n" }.joined().utf8)

    @Test("single member", arguments: [1, 2, 64, 65_536])
    func single(chunk: Int) throws {
        let gz = gzipMember(payload)
        let source = try GzipSource(MemorySource(gz, chunk: chunk), name: "x.gz", inputChunk: 128)
        #expect(try drain(source) == payload)
    }

    @Test("concatenated members read as one stream", arguments: [1, 64, 65_536])
    func multiMember(chunk: Int) throws {
        let a = Array(payload.prefix(3000))
        let b = Array(payload.dropFirst(3000))
        let source = try GzipSource(MemorySource(gzipMember(a) + gzipMember(b), chunk: chunk), name: "ab.gz")
        #expect(try drain(source) == payload)
    }

    @Test("zero padding after the last member ends the stream")
    func padding() throws {
        let source = try GzipSource(MemorySource(gzipMember(payload) + [UInt8](repeating: 0, count: 512)), name: "p.gz")
        #expect(try drain(source) == payload)
    }

    @Test("a truncated stream throws with the compressed offset, after the bytes before the cut")
    func truncated() throws {
        let gz = gzipMember(payload)
        let cut = Array(gz.prefix(gz.count / 2))
        let source = try GzipSource(MemorySource(cut, chunk: 100), name: "cut.gz", inputChunk: 64)
        var got: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 256)
        do {
            while true {
                let n = try buf.withUnsafeMutableBytes { try source.read(into: $0) }
                if n == 0 { break }
                got.append(contentsOf: buf.prefix(n))
            }
            Issue.record("expected a truncation error")
        } catch let e as IngestError {
            #expect(e.kind == .truncatedGzip)
            #expect(e.offset == Int64(cut.count))
            #expect(e.description.contains("cut.gz"))
        }
        #expect(got.count > 0)
        #expect(Array(payload.prefix(got.count)) == got)
    }

    @Test("garbage after the magic bytes is corrupt data")
    func corrupt() throws {
        let bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00] + [UInt8](repeating: 0xAB, count: 64)
        let source = try GzipSource(MemorySource(bytes), name: "bad.gz")
        #expect(throws: IngestError.self) { try drain(source) }
    }

    /// 2,000 rows inflate to about 180 KB; 300 rows to about 27 KB, less than the 64 KiB read to recognise the
    /// format, so the fault comes while the format is being recognised (those rows were lost before).
    @Test(
        "a truncated gzip file keeps the complete rows before the fault and reports the file",
        arguments: [2000, 300]
    )
    func truncatedFileKeepsRows(rows: Int) throws {
        var text = canonicalHeader
        for i in 0..<rows {
            text +=
                "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,outbound,100,+4930\(100000 + i),t1,100,ber,no_answer\n"
        }
        let gz = gzipMember(Array(text.utf8))
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/cut.csv.gz"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(gz.prefix(gz.count * 2 / 3))))
        let session = try IngestSession(declaration: SiteDeclaration(name: "ber", country: "DE"))
        let report = Ingestor(session: session, chunkSize: 4096).ingest(path: path)
        #expect(report.errorKind == "truncated_gzip")
        #expect(report.error!.contains("cut.csv.gz"))
        #expect(report.format == "canonical")
        #expect(report.calls > rows / 2)
        #expect(report.rows == report.calls + report.rejected)
        #expect(report.calls < rows)
    }
}
