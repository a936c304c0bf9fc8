import CDRIngest
import CDRModel
import Foundation
import Testing

/// Every hand-written sample file, damaged at random the way exports and attackers damage them (bytes changed,
/// removed or repeated; quotes, separators and line ends where none belong; NULs and invalid UTF-8; fields of a
/// hundred thousand bytes; the file cut anywhere), read plain and gzipped, on one thread, on two and (plain) in two
/// parts; and the random multi-row files of seven formats damaged the same way. A damaged file may be refused with
/// an error, never crash the run, and every row it reads is a call, a merged leg or a reject with its file, line
/// and reason: the same however it is read.
@Suite("damaged files: no crash, nothing lost, one thread and two alike")
struct MutationFuzzTests {
    static let files: [(name: String, format: String)] = [
        ("canonical.csv", "canonical"), ("asterisk-Master.csv", "asterisk"),
        ("asterisk-linkedid-Master.csv", "asterisk"), ("freeswitch-Master.csv", "freeswitch"),
        ("freeswitch-sql.csv", "freeswitch"), ("cucm_cdr_StandAloneCluster_01_202603041700_1", "cucm"),
        ("broadworks-cdr.csv", "broadworks"), ("twilio-calls.csv", "twilio"),
        ("genesys-conversations.csv", "genesys"), ("acme-pbx.csv", "acme-pbx"),
    ]

    /// Seeds of each test: four in CI; `CDRSCAN_FUZZ_SEEDS=500 swift test --filter MutationFuzz` runs more.
    static let seeds = Array(0..<(ProcessInfo.processInfo.environment["CDRSCAN_FUZZ_SEEDS"].flatMap { Int($0) } ?? 4))

    /// One random damage of `bytes`.
    static func mutate(_ bytes: inout [UInt8], _ rng: inout SplitterDifferentialTests.SplitMix) {
        func at() -> Int { bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count)) }
        let specials: [UInt8] = [0x22, 0x2C, 0x3B, 0x7C, 0x0A, 0x0D, 0x00, 0xFF, 0xC3, 0x20, 0x2D, 0x3A, 0x30, 0x39]
        switch rng.next() % 10 {
        case 0, 1:
            // A byte changed, often to one with a meaning to CSV or to a field's parser.
            if !bytes.isEmpty { bytes[at()] = rng.next() % 2 == 0 ? rng.pick(specials) : UInt8(rng.next() & 0xFF) }
        case 2:
            // A byte inserted.
            bytes.insert(rng.pick(specials), at: at())
        case 3:
            // A run of bytes removed (a field's end, a line's end, half a record).
            let i = at()
            bytes.removeSubrange(i..<min(bytes.count, i + 1 + Int(rng.next() % 40)))
        case 4:
            // A line repeated somewhere else.
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            let line = Array(lines[Int(rng.next() % UInt64(lines.count))]) + [0x0A]
            bytes.insert(contentsOf: line, at: at())
        case 5:
            // A huge field: digits, quotes or separators.
            let fill = rng.pick([UInt8(ascii: "9"), 0x22, 0x2C, UInt8(ascii: "x")])
            bytes.insert(contentsOf: [UInt8](repeating: fill, count: 1 + Int(rng.next() % 100_000)), at: at())
        case 6:
            // The file cut anywhere.
            bytes.removeSubrange(at()..<bytes.count)
        case 7:
            // Invalid UTF-8 and control bytes inside a field.
            bytes.insert(contentsOf: [0xC3, 0x28, 0xF0, 0x90, 0x00, 0x1B, 0x7F], at: at())
        case 8:
            // A digit run changed into a huge number (times, durations, epoch fields).
            bytes.insert(contentsOf: Array("99999999999999999999".utf8), at: at())
        default:
            // Line ends: CRLF, a lone CR, or none between two lines.
            let i = at()
            if i < bytes.count && bytes[i] == 0x0A {
                bytes.remove(at: i)
            } else {
                bytes.insert(contentsOf: rng.next() % 2 == 0 ? [0x0D, 0x0A] : [0x0D], at: i)
            }
        }
    }

    /// - Parameter split: read the file in two parts side by side (``ParallelIngest``, for formats with one row a
    ///   call), cut in its middle however small it is.
    static func run(
        _ path: String,
        format: String,
        parallel: Bool,
        split: Bool = false,
        mappings: [MappedFormat]
    ) -> IngestResult? {
        let decl = SiteDeclaration(name: "ber", timeZone: "Europe/Berlin", country: "DE")
        // A file refused as a whole (not recognisable, not CDRs) is a clear error, not a failure.
        return try? IngestRun.run(
            paths: [path],
            format: format,
            declaration: decl,
            parallel: parallel,
            parallelMinimumBytes: split ? 1 : ParallelIngest.minimumBytes,
            mappings: mappings,
            split: split
        )
    }

    @Test("random damage to each hand-written file", arguments: seeds)
    func damaged(seed: Int) throws {
        let source = SampleFilesTests.root + "/handwritten/"
        let mappings = try MappingLoader.load(path: source + "acme-pbx.mapping.yaml")
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SplitterDifferentialTests.SplitMix(state: UInt64(seed) &* 0x9E37_79B9 &+ 17)
        for (name, format) in Self.files {
            let original = Array(try Data(contentsOf: URL(fileURLWithPath: source + name)))
            for round in 0..<12 {
                var bytes = original
                for _ in 0..<(1 + Int(rng.next() % 4)) { Self.mutate(&bytes, &rng) }
                let gzip = round % 4 == 3
                let path = dir + "/\(round)-" + name + (gzip ? ".gz" : "")
                #expect(FileManager.default.createFile(atPath: path, contents: Data(gzip ? gzipMember(bytes) : bytes)))
                let label = "\(name) seed \(seed) round \(round)\(gzip ? " gzip" : "")"
                for fmt in [format, "auto"] {
                    let one = Self.run(path, format: fmt, parallel: false, mappings: mappings)
                    let two = Self.run(path, format: fmt, parallel: true, mappings: mappings)
                    #expect((one == nil) == (two == nil), "\(label) \(fmt)")
                    guard let one, let two else { continue }
                    let s = one.summary
                    #expect(s.rowsRead == s.calls + s.rejected + s.mergedLegs, "\(label) \(fmt)")
                    #expect(s.rejected == one.rejects.count, "\(label) \(fmt)")
                    for r in one.rejects.records {
                        #expect(
                            r.line > 0 && !r.reason.isEmpty && r.file.hasSuffix(name + (gzip ? ".gz" : "")),
                            "\(label) \(r)"
                        )
                    }
                    MappedPipelineTests.expectSame(one, two, "\(label) \(fmt)")
                    // Read in two parts: the same calls and rejects (the parts' fingerprint is their own).
                    guard !gzip,
                        let parts = Self.run(path, format: fmt, parallel: true, split: true, mappings: mappings)
                    else { continue }
                    #expect(parts.store.count == one.store.count, "\(label) \(fmt) in parts")
                    for i in 0..<min(one.store.count, parts.store.count)
                    where parts.store.record(i) != one.store.record(i) {
                        Issue.record(
                            "\(label) \(fmt) in parts: call \(i) \(one.store.record(i)) vs \(parts.store.record(i))"
                        )
                        break
                    }
                    #expect(parts.rejects.records == one.rejects.records, "\(label) \(fmt) in parts")
                    #expect(
                        parts.summary.rowsRead == s.rowsRead && parts.summary.mergedLegs == s.mergedLegs,
                        "\(label) \(fmt) in parts"
                    )
                }
            }
        }
    }

    @Test(
        "random multi-row calls, damaged: legs merged across rejects alike on one thread and two",
        arguments: ["freeswitch", "asterisk", "broadworks", "cucm", "acme-pbx", "twilio", "genesys"],
        seeds.prefix(max(1, seeds.count / 4))
    )
    func damagedCalls(format: String, seed: Int) throws {
        var rng = SplitterDifferentialTests.SplitMix(state: UInt64(seed) &* 1_000_003 &+ 11)
        let file = try LegOrderTests.randomFile(format, &rng)
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Several batches of the pipeline (4,096 rows), with damage between a call's legs.
        var bytes = Array(((file.header.map { [$0] } ?? []) + file.rows).joined(separator: "\n").utf8) + [0x0A]
        for _ in 0..<(3 + Int(rng.next() % 30)) { Self.mutate(&bytes, &rng) }
        let path = dir + "/\(format)-Master.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let (one, two) = try MappedPipelineTests.bothWays(
            [path],
            format: format,
            file.declaration,
            mappings: file.mappings
        )
        MappedPipelineTests.expectSame(one, two, "\(format) seed \(seed)")
    }

    @Test("damaged gzip bytes: an error or the rows read, never a crash", arguments: seeds.prefix(seeds.count / 2))
    func damagedGzip(seed: Int) throws {
        let source = SampleFilesTests.root + "/handwritten/"
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SplitterDifferentialTests.SplitMix(state: UInt64(seed) &* 31 &+ 5)
        for (name, format) in Self.files where format != "acme-pbx" {
            let packed = gzipMember(Array(try Data(contentsOf: URL(fileURLWithPath: source + name))))
            for round in 0..<8 {
                var bytes = packed
                let i = Int(rng.next() % UInt64(bytes.count))
                if round % 2 == 0 { bytes[i] ^= UInt8(1 + rng.next() % 255) } else { bytes.removeSubrange(i...) }
                let path = dir + "/\(round)-" + name + ".gz"
                #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
                let one = Self.run(path, format: format, parallel: false, mappings: [])
                let two = Self.run(path, format: format, parallel: true, mappings: [])
                #expect((one == nil) == (two == nil), "\(name) \(round)")
                guard let one, let two else { continue }
                let s = one.summary
                #expect(s.rowsRead == s.calls + s.rejected + s.mergedLegs, "\(name) \(round)")
                MappedPipelineTests.expectSame(one, two, "\(name) gzip \(round)")
            }
        }
    }
}
