import CDRIngest
import CDRModel
import Foundation
import Testing

@Suite struct CanonicalReaderTests {
    @Test("columns in any order, extra columns ignored, words case-insensitive")
    func anyOrder() throws {
        let text =
            "site,callee,extra,caller,start_utc,end_utc,direction,disposition,trunk\n"
            + "ber,030 1234567,zzz,2042,2026-03-01T09:00:00Z,2026-03-01T09:02:00Z,OUTBOUND,NO ANSWER,t1\n"
        let (session, report) = try ingest(text)
        #expect(report.format == "canonical")
        #expect(report.calls == 1)
        let r = session.store.record(0)
        #expect(r.callee == "+49301234567")
        #expect(r.calleeRaw == "030 1234567")
        #expect(r.caller == "2042")
        #expect(r.direction == .outbound)
        #expect(r.disposition == .noAnswer)
        #expect(r.endMs - r.startMs == 120_000)
    }

    @Test("missing required columns are an error naming them")
    func missingColumns() throws {
        let (_, report) = try ingest("start_utc,caller,callee\n2026-03-01T09:00:00Z,1,2\n", format: "canonical")
        #expect(report.errorKind == "missing_columns")
        #expect(report.error!.contains("direction"))
        #expect(report.error!.contains("disposition"))
        #expect(report.error!.contains("end_utc or duration_s"))
    }

    @Test("answer from billsec, end from duration, offsets honoured")
    func derived() throws {
        let text =
            canonicalHeader
            + "2026-03-01T10:00:00+01:00,,,100,40,outbound,1,+4930111,t,a,ber,answered\n"
        let (session, report) = try ingest(text)
        #expect(report.calls == 1)
        let r = session.store.record(0)
        #expect(CivilTime.format(ms: r.startMs, suffix: "Z") == "2026-03-01T09:00:00Z")
        #expect(r.endMs - r.startMs == 100_000)
        #expect(r.answerMs == r.endMs - 40_000)
    }

    @Test("rows read = calls kept + rows rejected on a file of mixed bad rows")
    func nothingLost() throws {
        var text = canonicalHeader
        let good = "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,outbound,100,+4930111,t1,100,ber,no_answer\n"
        let bad = [
            // no such date
            "2026-02-30T09:00:00Z,,2026-03-01T09:00:30Z,30,0,outbound,100,+4930111,t1,100,ber,no_answer\n",
            // end < start
            "2026-03-01T09:00:00Z,,2026-03-01T08:00:30Z,30,0,outbound,100,+4930111,t1,100,ber,no_answer\n",
            "2026-03-01T09:00:00Z,,,-30,0,outbound,100,+4930111,t1,100,ber,no_answer\n",  // negative duration
            "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,sideways,100,+4930111,t1,100,ber,no_answer\n",
            "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,outbound,100,+4930111,t1,100,ber,exploded\n",
            "2026-03-01T09:00:00Z,2026-03-01T10:00:00Z,2026-03-01T09:00:30Z,30,0,outbound,1,2,t1,1,ber,answered\n",
            "only,three,columns\n",
            "2026-03-01 09:00:00,,2026-03-01T09:00:30Z,30,0,outbound,100,+4930111,t1,100,ber,no_answer\n",  // no zone
            "\"unbalanced,quote\"x,,,,,,,,,,,\n",
        ]
        for (i, b) in bad.enumerated() {
            text += good
            text += b
            if i % 2 == 0 { text += "\n" }
        }
        for chunk in [1, 7, 4096] {
            let (session, report) = try ingest(text, chunk: chunk)
            #expect(report.rows == report.calls + report.rejected)
            #expect(report.calls == bad.count)
            #expect(report.rejected == bad.count)
            let reasons = session.rejects.countsByReason
            #expect(reasons["bad_timestamp"] == 2)
            #expect(reasons["end_before_start"] == 1)
            #expect(reasons["negative_duration"] == 1)
            #expect(reasons["unknown_direction"] == 1)
            #expect(reasons["unknown_disposition"] == 1)
            #expect(reasons["answer_outside_call"] == 1)
            #expect(reasons["wrong_column_count"] == 1)
            #expect(reasons["malformed_csv"] == 1)
            // Every reject carries file, line and raw text.
            let lines = session.rejects.records.map(\.line)
            #expect(lines.first == 3)
            #expect(session.rejects.records.allSatisfy { $0.file == "test.csv" && !$0.raw.isEmpty })
        }
    }

    @Test("a binary file is not CDRs, with a clear message")
    func binary() throws {
        let session = try IngestSession()
        let bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + [UInt8](repeating: 0, count: 100)
        let report = Ingestor(session: session).ingest(source: MemorySource(bytes), name: "a.out")
        #expect(report.errorKind == "not_cdr")
        #expect(report.error!.hasPrefix("a.out:"))
        #expect(report.error!.contains("canonical"))
    }

    @Test("an unknown text format lists what was expected")
    func unknown() throws {
        let (_, report) = try ingest("date,from,to,secs\n2026-01-01,1,2,3\n")
        #expect(report.errorKind == "unknown_format")
        #expect(report.error!.contains("asterisk"))
    }
}

extension CanonicalReaderTests {
    /// The same written numbers at sites of different countries, calls alternating between the sites: each call's
    /// numbers are normalized with its own site's dialing plan (the oracle: `DialPlan.normalize` of that country),
    /// however the sites share the normalization cache.
    @Test("one raw number at sites of different countries is normalized per site")
    func sameRawNumberAtSeveralSites() throws {
        let inventory = try InventoryLoader.parse(
            """
            sites:
              - name: ber
                timezone: Europe/Berlin
                country: DE
              - name: nyc
                timezone: America/New_York
                country: US
              - name: lon
                timezone: Europe/London
                country: GB
            trunks: []
            """,
            file: "inventory.yaml"
        )
        let sites = ["ber": "DE", "nyc": "US", "lon": "GB"]
        let raws = ["02079460000", "0301234567", "2125550100", "0044207946000", "011493012345", "2042"]
        var text = canonicalHeader
        var expected: [(String, String)] = []
        for (k, raw) in (raws + raws.reversed() + raws).enumerated() {
            let site = ["ber", "nyc", "lon"][k % 3]
            text +=
                "2026-03-01T09:\(String(format: "%02d", k)):00Z,,2026-03-01T09:\(String(format: "%02d", k)):30Z,30,0,outbound,\(raw),\(raw),,,\(site),no_answer\n"
            let plan = DialPlan(region: sites[site]!)!
            expected.append((raw, plan.normalize(raw).value))
        }
        let (session, report) = try ingest(text, declaration: SiteDeclaration(), inventory: inventory)
        #expect(report.rejected == 0)
        let store = session.store
        #expect(store.count == expected.count)
        for i in 0..<store.count {
            #expect(store.numbers[store.calleeRaw[i]] == expected[i].0)
            #expect(
                store.numbers[store.callee[i]] == expected[i].1,
                "call \(i) at \(store.sites[UInt32(store.site[i])])"
            )
            #expect(store.numbers[store.caller[i]] == expected[i].1)
        }
    }
}

@Suite struct AsteriskReaderTests {
    static let base16 =
        "\"1001\",\"1001\",\"011442079460123\",\"from-internal\",\"\"\"Front, Desk\"\" <1001>\",\"PJSIP/1001-00000041\",\"PJSIP/carrier-0000001a\",\"Dial\",\"PJSIP/011442079460123@carrier,300,Tt\",\"2025-03-04 09:15:02\",\"2025-03-04 09:15:09\",\"2025-03-04 09:21:44\",402,395,\"ANSWERED\",\"DOCUMENTATION\""

    @Test(
        "16, 17, 18, 20 and 21 columns",
        arguments: [
            "", ",\"1741101302.131\"", ",\"1741101302.131\",\"\"", ",\"1741101302.131\",\"\",\"\",\"1741101302.131\"",
            ",\"1741101302.131\",\"\",\"\",\"1741101302.131\",7",
        ]
    )
    func columns(extra: String) throws {
        let text = Self.base16 + extra + "\r\n"
        let (session, report) = try ingest(
            text,
            declaration: SiteDeclaration(name: "chi", timeZone: "America/Chicago", country: "US")
        )
        #expect(report.format == "asterisk")
        #expect(report.calls == 1)
        let r = session.store.record(0)
        #expect(CivilTime.format(ms: r.startMs, suffix: "Z") == "2025-03-04T15:15:02Z")  // CST = UTC-6
        #expect(r.endMs - r.startMs == 402_000)
        #expect(r.answerMs! == r.endMs - 395_000)
        #expect(r.direction == .outbound)
        #expect(r.trunk == "carrier")
        #expect(r.callee == "+442079460123")
        #expect(r.account == "1001")
    }

    @Test("inbound from a trunk channel, unanswered with an empty answer time, internal, Local channels")
    func directions() throws {
        let text = #"""
            "","+13125550147","5550100","from-pstn","""CHICAGO IL"" <+13125550147>","PJSIP/carrier-0000001c","PJSIP/3001-00000043","Dial","PJSIP/3001,20","2025-03-05 10:02:11","2025-03-05 10:02:15","2025-03-05 10:05:01",170,166,"ANSWERED","DOCUMENTATION"
            "","2002","00881631234567","from-internal","""Conf Room"" <2002>","PJSIP/2002-00000042","PJSIP/carrier-0000001b","Dial","PJSIP/00881631234567@carrier,60","2025-03-05 02:13:40",,"2025-03-05 02:14:10",30,0,"NO ANSWER","DOCUMENTATION"
            "","2002","2003","from-internal","""Conf Room"" <2002>","PJSIP/2002-00000044","Local/2003@from-internal-00000001;1","Dial","Local/2003","2025-03-05 11:00:00","2025-03-05 11:00:02","2025-03-05 11:01:00",60,58,"ANSWERED","DOCUMENTATION"

            """#
        let (session, report) = try ingest(
            text,
            declaration: SiteDeclaration(name: "chi", timeZone: "America/Chicago", country: "US")
        )
        #expect(report.calls == 3)
        let s = session.store
        #expect(s.record(0).direction == .inbound)
        #expect(s.record(0).trunk == "carrier")
        #expect(s.record(0).caller == "+13125550147")
        #expect(s.record(1).direction == .outbound)
        #expect(s.record(1).answerMs == nil)
        #expect(s.record(1).disposition == .noAnswer)
        #expect(s.record(2).direction == .internal_)
        #expect(s.record(2).trunk == "")
    }

    @Test("trunk names from channel names")
    func channelNames() {
        #expect(AsteriskReader.trunk(fromChannel: "PJSIP/ber-telekom-0000001a", trunks: []) == "ber-telekom")
        #expect(AsteriskReader.trunk(fromChannel: "SIP/peer1-00ab", trunks: []) == "peer1")
        #expect(AsteriskReader.trunk(fromChannel: "IAX2/host-1234", trunks: []) == "host")
        #expect(AsteriskReader.trunk(fromChannel: "PJSIP/2042-00000001", trunks: []) == nil)
        #expect(AsteriskReader.trunk(fromChannel: "Local/2003@ctx-00000001;1", trunks: []) == nil)
        #expect(AsteriskReader.trunk(fromChannel: "DAHDI/1-1", trunks: []) == "DAHDI")
        #expect(AsteriskReader.trunk(fromChannel: "PJSIP/9000-00000001", trunks: ["9000"]) == "9000")
    }

    @Test("local times in a DST fold and gap are resolved and counted")
    func dst() throws {
        let row = { (t: String) in
            "\"\",\"2002\",\"2003\",\"ctx\",\"\",\"PJSIP/2002-1\",\"PJSIP/2003-2\",\"Dial\",\"\",\"\(t)\",,\"\(t)\",10,0,\"NO ANSWER\",\"DOCUMENTATION\"\n"
        }
        let text = row("2025-11-02 01:30:00") + row("2025-03-09 02:30:00") + row("2025-07-01 12:00:00")
        let (session, report) = try ingest(
            text,
            declaration: SiteDeclaration(name: "nyc", timeZone: "America/New_York", country: "US")
        )
        #expect(report.calls == 3)
        #expect(CivilTime.format(ms: session.store.startMs[0], suffix: "Z") == "2025-11-02T05:30:00Z")
        #expect(CivilTime.format(ms: session.store.startMs[1], suffix: "Z") == "2025-03-09T07:30:00Z")
        #expect(session.ambiguousLocalTimes == 1)
        #expect(session.nonexistentLocalTimes == 1)
    }

    @Test("wrong column counts and bad times are rejected with reasons")
    func rejects() throws {
        let text =
            Self.base16 + "\n" + Self.base16.replacingOccurrences(of: "2025-03-04 09:15:02", with: "yesterday") + "\n"
            + "\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"2025-03-04 09:15:02\",,\"2025-03-04 09:15:02\",1,0,\"BUSY\"\n"
        let (session, report) = try ingest(
            text,
            format: "asterisk",
            declaration: SiteDeclaration(name: "chi", timeZone: "America/Chicago", country: "US")
        )
        #expect(report.calls == 1)
        #expect(report.rejected == 2)
        #expect(session.rejects.countsByReason["bad_timestamp"] == 1)
        #expect(session.rejects.countsByReason["wrong_column_count"] == 1)
    }
}

extension CanonicalReaderTests {
    /// A directory given where a file belongs (`cdrscan ingest exports/`) is a file error that says how to give
    /// the files in it; a trailing slash does not double in the example.
    @Test("a directory argument is an error naming the files to give instead")
    func directoryArgument() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for path in [dir, dir + "/"] {
            let report = Ingestor(session: try IngestSession()).ingest(path: path)
            #expect(report.errorKind == "unreadable")
            #expect(report.error?.contains("is a directory, not a CDR file") == true)
            #expect(report.error?.contains("'\(dir)/*.csv'") == true, "\(report.error ?? "")")
        }
    }
}
