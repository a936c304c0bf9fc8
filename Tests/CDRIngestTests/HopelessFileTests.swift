import CDRIngest
import CDRModel
import Testing

/// A file whose first thousand rows or more are all rejected for one reason, none kept, stops with a file error;
/// what was read is counted, and anything short of that is read to the end as before.
@Suite struct HopelessFileTests {
    static let row =
        #""","2002","00881631234567","from-internal","""Conf Room"" <2002>","PJSIP/2002-00000042","PJSIP/carrier-0000001b","Dial","PJSIP/00881631234567@carrier,60","2025-03-05 02:13:40",,"2025-03-05 02:14:10",30,0,"NO ANSWER","DOCUMENTATION""#
        + "\n"

    @Test("Asterisk local times with no site: stops after the first chunk, rows read = kept + rejected")
    func stops() throws {
        let text = String(repeating: Self.row, count: 5000)
        let (session, report) = try ingest(text, chunk: 1 << 16)
        #expect(report.errorKind == "not_cdr")
        #expect(report.error?.contains("no_time_zone") == true)
        #expect(report.rejected >= 1000 && report.rejected < 5000)
        #expect(report.rows == report.calls + report.rejected + report.mergedLegs)
        #expect(session.rejects.count == report.rejected)
    }

    @Test("a CUCM file of records that are not calls (type 2) stops, saying it holds no call records")
    func cmr() throws {
        var text =
            "\"cdrRecordType\",\"globalCallID_callManagerId\",\"globalCallID_callId\",\"dateTimeOrigination\","
            + "\"callingPartyNumber\",\"finalCalledPartyNumber\",\"dateTimeConnect\",\"dateTimeDisconnect\","
            + "\"duration\",\"origDeviceName\",\"destDeviceName\"\n"
            + "INTEGER,INTEGER,INTEGER,INTEGER,VARCHAR(50),VARCHAR(50),INTEGER,INTEGER,INTEGER,VARCHAR(129),VARCHAR(129)\n"
        for i in 0..<3000 {
            text += "2,1,\(i),1772644502,\"1001\",\"2002\",0,1772644562,0,\"SEP001\",\"SEP002\"\n"
        }
        let (_, report) = try ingest(text, chunk: 1 << 12)
        #expect(report.format == "cucm")
        #expect(report.errorKind == "not_cdr")
        #expect(report.error?.contains("no call records") == true)
        #expect(report.rows == report.rejected && report.rejected < 3000)
    }

    @Test("the same rows with the site's zone are all kept; a short file of rejects is read to the end")
    func notStopped() throws {
        let text = String(repeating: Self.row, count: 5000)
        let (_, good) = try ingest(
            text,
            declaration: SiteDeclaration(name: "chi", timeZone: "America/Chicago", country: "US"),
            chunk: 1 << 16
        )
        #expect(good.error == nil && good.calls == 5000)
        let (_, short) = try ingest(String(repeating: Self.row, count: 900), chunk: 1 << 12)
        #expect(short.error == nil && short.rejected == 900)
    }

    @Test("two reasons, or one call kept, and the file is read to the end")
    func mixed() throws {
        var text = canonicalHeader
        for i in 0..<3000 {
            let sideways = "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,sideways,100,0301234,t1,,ber,busy\n"
            let badTime = "2026-03-01T09:00:00Z,,yesterday,30,0,outbound,100,0301234,t1,,ber,busy\n"
            text += i % 2 == 0 ? sideways : badTime
        }
        let (_, two) = try ingest(text, format: "canonical", chunk: 1 << 12)
        #expect(two.error == nil && two.rejected == 3000)
        var one =
            canonicalHeader + "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,outbound,100,0301234,t1,,ber,busy\n"
        for _ in 0..<3000 {
            one += "2026-03-01T09:00:00Z,,2026-03-01T09:00:30Z,30,0,sideways,100,0301234,t1,,ber,busy\n"
        }
        let (_, kept) = try ingest(one, format: "canonical", chunk: 1 << 12)
        #expect(kept.error == nil && kept.calls == 1 && kept.rejected == 3000)
    }
}

extension HopelessFileTests {
    /// Canonical files are read on two threads by default (``PipelinedIngest``): a file of local times (no `Z`)
    /// stops there as on one thread, instead of keeping every row as a reject.
    @Test("a canonical file of local times read on two threads stops too, rows read = kept + rejected")
    func pipelined() throws {
        var text = canonicalHeader
        for i in 0..<60_000 {
            text += "2026-03-01 09:00:00,,2026-03-01 09:00:30,30,0,outbound,100,030\(i),t1,,ber,no_answer\n"
        }
        let session = try IngestSession()
        var ingestor = Ingestor(session: session, format: "auto", chunkSize: 1 << 16)
        ingestor.pipelined = true
        let report = ingestor.ingest(source: MemorySource(Array(text.utf8), chunk: 1 << 16), name: "local.csv")
        #expect(report.format == "canonical")
        #expect(report.errorKind == "not_cdr")
        #expect(report.error?.contains("bad_timestamp") == true)
        #expect(report.rejected >= 1000 && report.rejected < 60_000)
        #expect(report.rows == report.calls + report.rejected + report.mergedLegs)
        #expect(session.rejects.count == report.rejected)
        #expect(report.lines == report.rows + 1)
    }
}
