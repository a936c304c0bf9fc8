import CDRIngest
import CDRModel
import CDRSamples
import Foundation
import Testing

/// Asterisk and the mapped formats read on two threads (``PipelinedIngest``, the default) give exactly what one thread gives:
/// the calls, their merged legs, the rejects with their lines and order, the DST counters, the file reports.
@Suite struct MappedPipelineTests {
    static func expectSame(_ one: IngestResult, _ two: IngestResult, _ label: String) {
        #expect(two.store.count == one.store.count, "\(label)")
        for i in 0..<min(one.store.count, two.store.count) where two.store.record(i) != one.store.record(i) {
            Issue.record("\(label): call \(i) differs: \(one.store.record(i)) vs \(two.store.record(i))")
            break
        }
        #expect(two.rejects.records == one.rejects.records, "\(label)")
        #expect(two.summary.files == one.summary.files, "\(label)")
        #expect(two.summary.mergedLegs == one.summary.mergedLegs, "\(label)")
        #expect(two.summary.ambiguousLocalTimes == one.summary.ambiguousLocalTimes, "\(label)")
        #expect(two.summary.nonexistentLocalTimes == one.summary.nonexistentLocalTimes, "\(label)")
        #expect(two.summary.secondOccurrences == one.summary.secondOccurrences, "\(label)")
        #expect(two.summary.warnings == one.summary.warnings, "\(label)")
        #expect(two.summary.rowsRead == two.summary.calls + two.summary.rejected + two.summary.mergedLegs, "\(label)")
    }

    static func bothWays(
        _ paths: [String],
        format: String = "auto",
        inventory: Inventory = Inventory(),
        _ decl: SiteDeclaration,
        mappings: [MappedFormat] = []
    ) throws -> (IngestResult, IngestResult) {
        func run(_ parallel: Bool) throws -> IngestResult {
            try IngestRun.run(
                paths: paths,
                format: format,
                inventory: inventory,
                declaration: decl,
                parallel: parallel,
                mappings: mappings
            )
        }
        return (try run(false), try run(true))
    }

    @Test("each hand-written vendor file: its quirks, rejects and DST times alike on one thread and two")
    func handwritten() throws {
        let dir = SampleFilesTests.root + "/handwritten/"
        let berlin = SiteDeclaration(name: "ber", timeZone: "Europe/Berlin", country: "DE")
        let chicago = SiteDeclaration(name: "chi", timeZone: "America/Chicago", country: "US")
        let mappings = try MappingLoader.load(path: dir + "acme-pbx.mapping.yaml")
        for name in [
            "freeswitch-Master.csv", "freeswitch-sql.csv", "cucm_cdr_StandAloneCluster_01_202603041700_1",
            "broadworks-cdr.csv", "twilio-calls.csv", "genesys-conversations.csv", "acme-pbx.csv",
            "asterisk-Master.csv",
            "asterisk-linkedid-Master.csv",
        ] {
            for decl in [berlin, chicago] {
                let (one, two) = try Self.bothWays([dir + name], decl, mappings: mappings)
                #expect(one.summary.calls > 0, "\(name)")
                Self.expectSame(one, two, name)
            }
        }
    }

    @Test(
        "a generated month with damaged lines, files joined with cat and legs across files, alike on one thread and two",
        arguments: [SampleFormat.asterisk, .freeswitch, .cucm, .broadworks, .twilio, .genesys, .acmePBX]
    )
    func generated(format: SampleFormat) throws {
        var options = GeneratorOptions()
        options.seed = 7
        options.calls = 150_000
        options.days = 10
        options.startDay = CivilTime.days(year: 2026, month: 10, day: 21)  // Berlin's fold on the 25th
        let sample = Generator.generate(options)
        let base = NSTemporaryDirectory() + "cdrscan-mapped-pipeline-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: base) }
        let files = try SampleWriter.write(sample, to: base, format: format, gzip: false, layout: .daily)
        let inventory = try InventoryLoader.load(path: base + "/inventory.yaml")
        let ber = files.filter { $0.contains("/ber/") }.sorted()
        #expect(ber.count == 10)
        // One file of five days joined with cat (the later headers are rejects, Asterisk has none), with damaged lines
        // among the rows: rejects land between the rows kept in several batches of the pipeline.
        var joined = Data()
        for (k, path) in ber.prefix(5).enumerated() {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for i in stride(from: 40 + k, to: lines.count - 1, by: 997) {
                lines[i] = lines[i].prefix(lines[i].count / 2)
            }
            joined.append(Data(lines.joined(separator: "\n").utf8))
        }
        let cat = base + "/joined.csv"
        #expect(FileManager.default.createFile(atPath: cat, contents: joined))
        let paths = [cat] + ber.dropFirst(5)
        let mappings = format == .acmePBX ? try MappingLoader.load(path: base + "/acme-pbx.mapping.yaml") : []
        let (one, two) = try Self.bothWays(
            paths,
            inventory: inventory,
            SiteDeclaration(name: "ber"),
            mappings: mappings
        )
        #expect(one.summary.rejected >= 4, "\(one.summary.rejectsByReason)")
        #expect(one.summary.files[0].rows > 16_384)  // more than four batches of the pipeline (4,096 rows)
        // Generated CUCM months have few transfers, generated Asterisk rows no linkedid.
        if format != .cucm && format != .asterisk { #expect(one.summary.mergedLegs > 0) }
        Self.expectSame(one, two, format.rawValue)
    }
}

extension MappedPipelineTests {
    /// A dictionary that is full rejects rows on the interning thread, after the reading thread has let them
    /// through: each such reject still names its file and line, on two threads as on one.
    @Test("a reject for a full dictionary names its line on two threads as on one")
    func fullDictionaryRejectsKeepTheirLines() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = 65_540  // a distinct trunk a row: the last few find the trunk dictionary full
        var text = canonicalHeader
        for i in 0..<rows {
            text += "2026-10-01T08:00:00Z,2026-10-01T08:00:05Z,2026-10-01T08:01:00Z,60,55,outbound,"
            text += "+4930111\(i),+4930222\(i),trunk-\(i),,ber,answered\n"
        }
        let path = dir + "/trunks.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let (one, two) = try Self.bothWays([path], format: "canonical", SiteDeclaration(name: "ber"))
        #expect(one.rejects.count > 0 && one.rejects.count == two.rejects.count)
        #expect(one.store.count + one.rejects.count == rows)
        #expect(two.store.count == one.store.count)
        for (a, b) in zip(one.rejects.records, two.rejects.records) {
            #expect(a.reason == RejectReason.tooManyValues && b.reason == a.reason)
            #expect(a.file == path && b.file == path)
            #expect(b.line == a.line && a.line > rows - 8 && a.line <= rows + 1, "line \(b.line), one thread \(a.line)")
            #expect(a.raw.contains("trunk-\(a.line - 2)"))
        }
    }
}

extension MappedPipelineTests {
    /// FreeSWITCH B legs right after their A legs are merged on the reading thread's say-so
    /// (``PipelinedIngest/FollowingLeg``): when the trunk dictionary fills up on those legs, each is rejected with
    /// its own line; a damaged line between an A leg and its B leg, an A leg with a gateway of its own, and a B leg
    /// whose A leg ended the batch before are read as their own rows. All of it as on one thread.
    @Test("B legs merged after their A legs on two threads: full trunk dictionary, rejects between, as on one thread")
    func followingLegsAsOnOneThread() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let calls = 66_000  // a gateway of its own a call: the last B legs find the trunk dictionary full
        var text = ""
        for i in 0..<calls {
            let start = "2026-10-01 08:\(String(format: "%02d", i / 1000 % 60)):\(String(format: "%02d", i % 60))"
            let a = "a\(i)"
            let b = "b\(i)"
            let gateway = i % 97 == 0 ? "gw-a\(i)" : ""  // some A legs with a gateway
            let epoch = 1_790_805_600 + i
            func row(_ uuid: String, _ peer: String, _ gw: String) -> String {
                "\"Ext\",\"2001\",\"0049301\(i)\",\"default\",\"\(start)\",\"\(start)\",\"\(start)\",\"0\",\"0\","
                    + "\"NORMAL_CLEARING\",\"\(uuid)\",\"\(peer)\",\"2001\",\"PCMA\",\"PCMA\",\"\(gw)\","
                    + "\"\(epoch)\",\"\(epoch)\",\"\(epoch + 30)\"\n"
            }
            text += row(a, b, gateway)
            if i % 89 == 0 { text += "not,a,cdr\n" }  // a reject between the A leg and its B leg
            text += row(b, "", "gw-\(i)")
        }
        let path = dir + "/Master.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let decl = SiteDeclaration(name: "ber", timeZone: "Europe/Berlin", country: "DE")
        let (one, two) = try Self.bothWays([path], format: "freeswitch", decl)
        let damaged = (0..<calls).filter { $0 % 89 == 0 }.count
        #expect(one.summary.rowsRead == 2 * calls + damaged)
        let full = one.rejects.records.filter { $0.reason == RejectReason.tooManyValues }
        #expect(full.count > 400)
        // As ``expectSame``, but a reject made on the interning thread has no raw text (the one thread's has).
        #expect(two.store.count == one.store.count)
        for i in 0..<min(one.store.count, two.store.count) where two.store.record(i) != one.store.record(i) {
            Issue.record("call \(i) differs: \(one.store.record(i)) vs \(two.store.record(i))")
            break
        }
        #expect(two.rejects.count == one.rejects.count)
        #expect(two.summary.mergedLegs == one.summary.mergedLegs)
        #expect(two.summary.rowsRead == one.summary.rowsRead)
        #expect(two.summary.rowsRead == two.summary.calls + two.summary.rejected + two.summary.mergedLegs)
        for (x, y) in zip(one.rejects.records, two.rejects.records)
        where x.line != y.line || x.reason != y.reason || x.detail != y.detail || x.file != y.file {
            Issue.record("line \(y.line) \(y.reason) \(y.detail), one thread \(x.line) \(x.reason) \(x.detail)")
            break
        }
    }
}

extension MappedPipelineTests {
    /// A FreeSWITCH row of the 19-field template, its stamps in UTC (the epochs are what is read).
    static func freeswitchRow(
        _ number: String,
        _ dialed: String,
        _ context: String,
        _ times: (start: Int, answer: Int, end: Int),
        _ cause: String,
        _ uuid: String,
        _ peer: String,
        _ account: String,
        _ gateway: String
    ) -> String {
        func stamp(_ t: Int) -> String { t > 0 ? CivilTime.format(ms: Int64(t) * 1000, separator: " ") : "" }
        let billsec = times.answer > 0 ? times.end - times.answer : 0
        let fields = [
            "Caller", number, dialed, context, stamp(times.start), stamp(times.answer), stamp(times.end),
            "\(times.end - times.start)", "\(billsec)", cause, uuid, peer, account, "PCMA", "PCMA", gateway,
            "\(times.start)", "\(times.answer)", "\(times.end)",
        ]
        return fields.map { "\"\($0)\"" }.joined(separator: ",")
    }

    @Test(
        "FreeSWITCH legs with any mix of causes, answers, trunks and orders give the same calls on one thread and two",
        arguments: [1, 2, 3] as [UInt64]
    )
    func oneAndTwoThreadsAgree(seed: UInt64) throws {
        var rng = SplitterDifferentialTests.SplitMix(state: seed)
        // On two threads as on one, reversed, and split into three files (``LegOrderTests/checkRandomCalls``).
        _ = try LegOrderTests.checkRandomCalls("freeswitch", header: nil, rows: Self.freeswitchRows(&rng), seed: seed)
    }

    /// 3,000 random FreeSWITCH calls: A and B legs with any causes, answers, gateways and orders.
    static func freeswitchRows(_ rng: inout SplitterDifferentialTests.SplitMix) -> [String] {
        let causes = [
            "NORMAL_CLEARING", "USER_BUSY", "NO_ANSWER", "ORIGINATOR_CANCEL", "NORMAL_CIRCUIT_CONGESTION",
            "CALL_REJECTED", "NO_ROUTE_DESTINATION",
        ]
        var rows: [String] = []
        var later: [String] = []  // B legs written some calls after their A legs
        for n in 0..<3_000 {
            let start = 1_772_615_700 + n * 3
            func times() -> (Int, Int, Int) {
                let ring = Int(rng.next() % 20)
                let talk = Int(rng.next() % 300)
                return (start + Int(rng.next() % 2), rng.next() % 2 == 0 ? start + ring : 0, start + ring + talk + 1)
            }
            let ext = "\(1000 + rng.next() % 50)"
            let dialed = rng.pick(["0114930901820", "13125550100", ext, "\(1000 + rng.next() % 50)"])
            // An A leg with a gateway: in from it (the public context), or placed out through it (a click-to-call),
            // with a B leg out through the same gateway or another.
            let inbound = rng.next() % 3 == 0
            let a = Self.freeswitchRow(
                rng.pick([ext, "+13125550123"]),
                dialed,
                inbound ? "public" : "default",
                times(),
                rng.pick(causes),
                "a\(n)",
                rng.next() % 5 == 0 ? "" : "b\(n)",
                rng.pick(["", ext]),
                rng.pick(["", "", "carrier1", "carrier2"])
            )
            let b = Self.freeswitchRow(
                rng.pick(["+13125550100", ext]),
                rng.pick([dialed, "+4930901820"]),
                "default",
                times(),
                rng.pick(causes),
                "b\(n)",
                "",
                rng.pick(["", ext]),
                rng.pick(["carrier1", "carrier2", ""])
            )
            switch rng.next() % 6 {
            case 0: rows += [b, a]
            case 1: rows.append(a)
            case 2:
                rows.append(a)
                later.append(b)
            case 3: rows += [a, b, b]
            default: rows += [a, b]
            }
            if rng.next() % 7 == 0, !later.isEmpty { rows.append(later.removeFirst()) }
        }
        rows += later
        return rows
    }
}
