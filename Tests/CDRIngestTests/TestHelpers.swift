import CDRIngest
import CDRModel
import CZlib
import Foundation

/// Scans `text` split into chunks of `chunk` bytes the way the ingestor does, returning the records' fields.
func scanAll(
    _ bytes: [UInt8],
    chunk: Int,
    options: CSVOptions = CSVOptions()
) -> [(line: Int, fields: [String], defect: String?)] {
    var scanner = CSVScanner(options: options)
    var out: [(Int, [String], String?)] = []
    feed(bytes, chunk: chunk, to: &scanner) { rec in
        out.append((rec.line, (0..<rec.count).map { rec.string($0) }, rec.defect))
    }
    return out
}

/// Feeds `bytes` to `scanner` in chunks of `chunk` bytes the way the ingestor does: the unconsumed tail moves to
/// the buffer's start and the next chunk is appended after it; the last call is final.
func feed(_ bytes: [UInt8], chunk: Int, to scanner: inout CSVScanner, _ onRecord: (inout CSVRecord) -> Void) {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count + 16, alignment: 8)
    defer { buffer.deallocate() }
    var fill = 0
    var offset = 0
    while true {
        let n = min(chunk, bytes.count - offset)
        if n > 0 {
            bytes.withUnsafeBytes { (buffer + fill).copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            fill += n
        }
        let final = offset == bytes.count
        let used = scanner.scan(buffer, count: fill, isFinal: final, onRecord)
        if used < fill { buffer.copyMemory(from: buffer + used, byteCount: fill - used) }
        fill -= used
        if final { break }
    }
}

/// One gzip member of `bytes`, made with zlib.
func gzipMember(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    _ = czlib_deflateInit2(&stream, 6, 15 + 16)
    var out = [UInt8](repeating: 0, count: bytes.count + 1024)
    var input = bytes
    let produced = input.withUnsafeMutableBytes { inp -> Int in
        out.withUnsafeMutableBytes { o -> Int in
            stream.next_in = inp.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(inp.count)
            stream.next_out = o.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(o.count)
            _ = deflate(&stream, Z_FINISH)
            return o.count - Int(stream.avail_out)
        }
    }
    deflateEnd(&stream)
    return Array(out.prefix(produced))
}

/// Reads everything from a byte source with a small output buffer.
func drain(_ source: ByteSource, chunk: Int = 7) throws -> [UInt8] {
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: chunk)
    while true {
        let n = try buf.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { return out }
        out.append(contentsOf: buf.prefix(n))
    }
}

/// A temporary directory removed by the caller.
func temporaryDirectory() -> String {
    let dir = NSTemporaryDirectory() + "cdrscan-tests-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

func ingest(
    _ text: String,
    format: String = "auto",
    declaration: SiteDeclaration = SiteDeclaration(country: "DE"),
    inventory: Inventory = Inventory(),
    chunk: Int = .max
) throws -> (IngestSession, FileReport) {
    let session = try IngestSession(inventory: inventory, declaration: declaration)
    let ingestor = Ingestor(session: session, format: format, chunkSize: 1 << 16)
    let report = ingestor.ingest(source: MemorySource(Array(text.utf8), chunk: chunk), name: "test.csv")
    return (session, report)
}

let canonicalHeader =
    "start_utc,answer_utc,end_utc,duration_s,billsec_s,direction,caller,callee,trunk,account,site,disposition\n"
