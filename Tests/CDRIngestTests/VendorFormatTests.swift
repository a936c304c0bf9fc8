import CDRIngest
import CDRModel
import Foundation
import Testing

/// The hand-written vendor files in sample-cdrs/handwritten, each with its platform's quirks.
@Suite struct VendorFormatTests {
    static let dir = SampleFilesTests.root + "/handwritten/"
    static let chicago = SiteDeclaration(name: "chi", timeZone: "America/Chicago", country: "US")

    static func read(
        _ name: String,
        format: String = "auto",
        _ decl: SiteDeclaration = chicago,
        mappings: [MappedFormat] = []
    )
        throws -> IngestResult
    {
        try IngestRun.run(paths: [dir + name], format: format, declaration: decl, mappings: mappings)
    }

    static func utc(_ ms: Int64) -> String { CivilTime.format(ms: ms, suffix: "Z") }

    @Test("FreeSWITCH: A and B legs are one call, unescaped quotes, local stamps across the DST change, causes")
    func freeswitch() throws {
        let r = try Self.read("freeswitch-Master.csv")
        let f = r.summary.files[0]
        #expect(f.format == "freeswitch")
        #expect((f.rows, f.calls, f.rejected, f.mergedLegs) == (7, 5, 1, 1))
        #expect(r.summary.rejectsByReason == ["bad_timestamp": 1])
        let s = r.store
        #expect(s.record(0).direction == .outbound)
        #expect(s.record(0).callee == "+4930901820")  // 011 from a US site
        #expect(s.record(1).caller == "2002")  // the row whose name has unescaped quotes
        #expect(s.record(1).disposition == .noAnswer)
        #expect(s.record(2).direction == .inbound)  // context public
        // 01:59:30 CST + 65 s is 03:00:35 CDT: the integer duration wins over the wall clock.
        #expect(Self.utc(s.startMs[3]) == "2026-03-08T07:59:30Z")
        #expect(s.durationMs[3] == 65_000)
        #expect(s.record(3).direction == .internal_)
        #expect(s.record(4).disposition == .busy)
        let sql = try Self.read("freeswitch-sql.csv")
        #expect(sql.summary.files[0].format == "freeswitch")
        #expect(sql.summary.calls == 2 && sql.summary.rejected == 0)
        #expect(sql.store.record(1).callee == "+881631234567")
    }

    @Test("Cisco UCM: types line, epoch UTC, connect 0, SIP-coded causes, transfer sub-calls, CMR rows")
    func cucm() throws {
        let r = try Self.read("cucm_cdr_StandAloneCluster_01_202603041700_1")
        let f = r.summary.files[0]
        #expect(f.format == "cucm")
        #expect((f.rows, f.calls, f.rejected, f.mergedLegs) == (7, 5, 1, 1))
        #expect(r.summary.rejectsByReason == ["not_a_call_record": 1])
        let s = r.store
        #expect(s.record(0).trunk == "SIPTrunk_ITSP_Primary" && s.record(0).direction == .outbound)
        #expect(s.record(0).account == "Sales")
        #expect(s.billableMs(0) == 395_000)
        #expect(s.record(1).direction == .inbound && s.record(1).callee == "+14085551005")  // final called number
        #expect(s.record(2).disposition == .busy && s.record(2).answerMs == nil)  // 486 → Q.850 17
        // The transferred call: two sub-calls, one call from the first seizure to the last release.
        #expect(Self.utc(s.startMs[3]) == "2026-03-05T11:10:00Z")
        #expect(Self.utc(s.endMs(3)) == "2026-03-05T11:16:40Z")
        #expect(s.record(3).direction == .inbound && s.record(3).trunk == "SIPTrunk_ITSP_Backup")
        #expect(s.record(4).direction == .internal_ && s.record(4).trunk == "")
    }

    @Test("BroadWorks: leading line, positional fields, originating and terminating records of one call")
    func broadworks() throws {
        let r = try Self.read("broadworks-cdr.csv")
        let f = r.summary.files[0]
        #expect(f.format == "broadworks")
        #expect((f.rows, f.calls, f.rejected, f.mergedLegs) == (6, 4, 1, 1))
        let s = r.store
        #expect(Self.utc(s.startMs[0]) == "2026-03-04T14:15:02Z")
        #expect(s.startMs[0] % 1000 == 123)
        #expect(s.record(0).trunk == "SIPTrunkGroup-ITSP1" && s.record(0).direction == .outbound)
        #expect(s.record(0).account == "4711")
        #expect(s.record(1).direction == .inbound && s.record(1).disposition == .answered)  // Yes-PostRedirection
        #expect(s.record(2).disposition == .noAnswer)  // cause 019
        #expect(s.record(3).direction == .internal_)
    }

    @Test("Twilio: RFC 2822 and ISO times, trunking directions, child legs, a child that goes out makes it outbound")
    func twilio() throws {
        let r = try Self.read("twilio-calls.csv")
        let f = r.summary.files[0]
        #expect(f.format == "twilio")
        #expect((f.rows, f.calls, f.rejected, f.mergedLegs) == (7, 4, 1, 2))
        let s = r.store
        #expect(Self.utc(s.startMs[0]) == "2026-03-04T14:15:02Z")
        #expect(s.billableMs(0) == 395_000)
        #expect(s.record(0).direction == .outbound)
        #expect(s.record(1).disposition == .noAnswer)
        #expect(s.record(2).direction == .inbound)  // its child went to a client, not out
        #expect(s.record(3).direction == .outbound && s.record(3).callee == "+2693123456")
        #expect(s.record(3).trunk == "TK5a6b7c8d9e0f11223344556677889900")
    }

    @Test("Genesys Cloud: participant rows of one conversation, tel: and sip: numbers, times without a zone")
    func genesys() throws {
        let r = try Self.read("genesys-conversations.csv")
        let f = r.summary.files[0]
        #expect(f.format == "genesys")
        #expect((f.rows, f.calls, f.rejected, f.mergedLegs) == (5, 3, 0, 2))
        let s = r.store
        #expect(s.record(0).caller == "+13125550147" && s.record(0).disposition == .answered)
        #expect(s.record(1).disposition == .noAnswer)
        #expect(s.record(2).callee == "+442079460123")
        // The agent's session ran on another edge: the trunk is the outside party's edge.
        #expect(s.record(2).trunk == "edge-chicago-1" && s.record(2).account == "5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f")
        // 01:58 CST to 03:05 CDT on the night clocks went forward: 7 minutes.
        #expect(Self.utc(s.startMs[2]) == "2026-03-08T07:58:00Z")
        #expect(s.durationMs[2] == 420_000)
    }

    @Test("Asterisk with newcdrcolumns: rows with one linkedid are one call; a forward out through a trunk is outbound")
    func asteriskLinkedId() throws {
        let r = try Self.read(
            "asterisk-linkedid-Master.csv",
            SiteDeclaration(name: "ber", timeZone: "Europe/Berlin", country: "DE")
        )
        #expect((r.summary.calls, r.summary.mergedLegs, r.summary.rejected) == (3, 2, 0))
        let s = r.store
        #expect(s.record(1).direction == .inbound && s.durationMs[1] == 249_000)
        #expect(s.record(2).direction == .outbound && s.record(2).callee == "+491701234567")
        #expect(s.record(2).disposition == .answered)
    }

    @Test("a custom mapping reads a format cdrscan has never seen: delimiter, pattern times, words, legs")
    func customMapping() throws {
        let mappings = try MappingLoader.load(path: Self.dir + "acme-pbx.mapping.yaml")
        let r = try Self.read(
            "acme-pbx.csv",
            SiteDeclaration(name: "ber", timeZone: "Europe/Berlin", country: "DE"),
            mappings: mappings
        )
        let f = r.summary.files[0]
        #expect(f.format == "acme-pbx")
        #expect((f.rows, f.calls, f.rejected, f.mergedLegs) == (5, 3, 1, 1))
        #expect(r.summary.rejectsByReason == ["unknown_direction": 1])
        let s = r.store
        #expect(s.record(0).callee == "+881631234000")
        #expect(s.billableMs(0) == 235_000)
        // 02:30 on the night of the October fold: the first occurrence (CEST).
        #expect(Self.utc(s.startMs[1]) == "2026-10-25T00:30:10Z")
        #expect(s.record(2).caller == "=cmd|' /C calc'!A0")  // data, kept as it is
        #expect(s.record(2).disposition == .noAnswer)
    }

    @Test("mapping files are checked: unknown keys, missing columns, bad values name file, line and key")
    func mappingErrors() throws {
        let cases: [(String, String)] = [
            ("name: x\ncolumns: {start: a, caller: b, callee: c, direction: d, end: e}\ncolour: red\n", "colour"),
            ("name: x\ncolumns: {start: a, caller: b, callee: c, end: e}\n", "columns.direction"),
            ("name: x\ncolumns: {start: a, caller: b, callee: c, direction: d}\n", "columns"),
            (
                "name: x\ntime_format: sometimes\ncolumns: {start: a, caller: b, callee: c, direction: d, end: e}\n",
                "time_format"
            ),
            ("name: canonical\ncolumns: {start: a, caller: b, callee: c, direction: d, end: e}\n", "name"),
            (
                "name: x\nheader: false\ncolumns: {start: a, caller: 2, callee: 3, direction: 4, end: 5}\n",
                "columns.start"
            ),
            (
                "name: x\ndirection_values: {IN: sideways}\ncolumns: {start: a, caller: b, callee: c, direction: d, end: e}\n",
                "direction_values.IN"
            ),
        ]
        for (yaml, key) in cases {
            let path = NSTemporaryDirectory() + "mapping-\(UUID().uuidString).yaml"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: ConfigError.self, "\(key)") { _ = try MappingLoader.load(path: path) }
            do { _ = try MappingLoader.load(path: path) } catch let e as ConfigError {
                #expect(e.key == key, "\(yaml)")
            }
        }
    }

    @Test("an unknown file names the nearest formats and how to write a mapping")
    func unknown() throws {
        let head = Array("call_id,begin,from,to,state\n1,2026-03-01 10:00:00,+1,+2,done\n".utf8)
        #expect(throws: IngestError.self) { _ = try FormatDetector.detect(head, file: "x.csv") }
        do { _ = try FormatDetector.detect(head, file: "x.csv") } catch let e as IngestError {
            #expect(e.description.contains("nearest: twilio"))
            #expect(e.description.contains("Custom mappings"))
        }
    }

    @Test("time formats: RFC 2822, compact, epoch, patterns with AM/PM")
    func times() {
        func parse(_ f: TimeFormat, _ s: String) -> Int64? {
            var b = Array(s.utf8)
            return b.withUnsafeMutableBytes {
                f.parse(UnsafeRawBufferPointer($0)).map { $0.ms - Int64($0.offset ?? 0) * 1000 }
            }
        }
        let t = CivilTime.days(year: 2026, month: 3, day: 4) * 86_400_000 + 14 * 3_600_000 + 15 * 60_000 + 2000
        #expect(parse(.rfc2822, "Wed, 04 Mar 2026 14:15:02 +0000") == t)
        #expect(parse(.rfc2822, "04 Mar 2026 09:15:02 -0500") == t)
        #expect(parse(.compact, "20260304141502.000") == t)
        #expect(parse(.epochSeconds, String(t / 1000)) == t)
        #expect(parse(.epochSeconds, "0") == Int64.min)
        #expect(parse(.pattern("%m/%d/%Y %I:%M:%S %p"), "03/04/2026 02:15:02 PM") == t)
        #expect(parse(.pattern("%d.%m.%Y %H:%M"), "04.03.2026 14:15") == t - 2000)
        #expect(parse(.auto, "2026-03-04T14:15:02Z") == t)
        #expect(parse(.rfc2822, "Wed, 31 Feb 2026 14:15:02 +0000") == nil)
    }
}

@Suite struct LegRecordTests {
    @Test("the merged legs are kept on request, each with the call it joined")
    func legsFile() throws {
        let path = NSTemporaryDirectory() + "legs-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try IngestRun.run(
            paths: [VendorFormatTests.dir + "twilio-calls.csv"],
            declaration: VendorFormatTests.chicago,
            legsFile: path
        )
        #expect(r.summary.mergedLegs == 2)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("\"\(VendorFormatTests.dir)twilio-calls.csv\",\"5\",\"2026-03-05T15:02:11Z\""))
        #expect(lines[2].contains("\"outbound\""))  // the call the forward out made outbound
        // Without the option nothing is kept.
        let plain = try IngestRun.run(
            paths: [VendorFormatTests.dir + "twilio-calls.csv"],
            declaration: VendorFormatTests.chicago
        )
        #expect(plain.summary.mergedLegs == 2)
    }
}

@Suite struct TimeFormatOracleTests {
    static func parse(_ f: TimeFormat, _ s: String) -> Int64? {
        Array(s.utf8).withUnsafeBytes { f.parse($0).map { $0.ms - Int64($0.offset ?? 0) * 1000 } }
    }

    /// RFC 2822 and compact times written by Foundation's formatter (random instants 1902–2199, random zone
    /// offsets, with and without the weekday) read back to the instant; the same instants written out of range
    /// (day 32, 30 February) are refused.
    @Test("RFC 2822 and compact times read back what Foundation wrote")
    func foundationWritten() {
        var rng = SystemRandomNumberGenerator()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let compact = DateFormatter()
        compact.locale = Locale(identifier: "en_US_POSIX")
        compact.timeZone = TimeZone(identifier: "UTC")!
        compact.dateFormat = "yyyyMMddHHmmss"
        for _ in 0..<5_000 {
            let seconds = Int64.random(in: -2_145_916_800...7_258_118_399, using: &rng)
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let offsetMinutes = [0, 60, -300, 330, 345, -570, 840, -720, 120].randomElement(using: &rng)!
            formatter.timeZone = TimeZone(secondsFromGMT: offsetMinutes * 60)!
            formatter.dateFormat =
                Bool.random(using: &rng) ? "EEE, dd MMM yyyy HH:mm:ss xx" : "d MMM yyyy HH:mm:ss xx"
            let text = formatter.string(from: date)
            #expect(Self.parse(.rfc2822, text) == seconds * 1000, "\(text)")
            let ms = Int.random(in: 0...999, using: &rng)
            let c = compact.string(from: date) + "." + String(1000 + ms).dropFirst()
            #expect(Self.parse(.compact, c) == seconds * 1000 + Int64(ms), "\(c)")
        }
        for bad in [
            "Sun, 32 Mar 2026 10:00:00 +0000", "30 Feb 2024 10:00:00 GMT", "29 Feb 2100 10:00:00 GMT",
            "01 Foo 2026 10:00:00 GMT", "01 Mar 2026 24:00:00 GMT", "01 Mar 2026 10:00:00 +01",
            "01 Mar 2026 10:00:00 EST",
        ] {
            #expect(Self.parse(.rfc2822, bad) == nil, "\(bad)")
        }
        for bad in ["20260230100000", "20261301100000", "2026030110000", "20260301100000.", "20260301100000x"] {
            #expect(Self.parse(.compact, bad) == nil, "\(bad)")
        }
    }
}
