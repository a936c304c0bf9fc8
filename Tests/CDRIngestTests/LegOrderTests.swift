import CDRModel
import Foundation
import Testing

@testable import CDRIngest

/// A call's rows give the same call in any order (docs/formats.md, "One call, one record"): each hand-written file
/// whose calls have several rows, read as written and with its rows reversed, on one thread and on two.
@Suite struct LegOrderTests {
    static let chicago = SiteDeclaration(name: "chi", timeZone: "America/Chicago", country: "US")
    static let berlin = SiteDeclaration(name: "ber", timeZone: "Europe/Berlin", country: "DE")

    /// The file's calls, sorted, with the rows kept and merged.
    static func calls(_ path: String, _ decl: SiteDeclaration, parallel: Bool) throws -> ([CallRecord], Int, Int) {
        let r = try IngestRun.run(paths: [path], format: "auto", declaration: decl, parallel: parallel)
        let records = (0..<r.store.count).map { r.store.record($0) }.sorted {
            ($0.startMs, $0.endMs, $0.callerRaw, $0.calleeRaw) < ($1.startMs, $1.endMs, $1.callerRaw, $1.calleeRaw)
        }
        return (records, r.summary.calls, r.summary.mergedLegs)
    }

    /// A copy of the file with its records after `keep` leading lines in reverse order.
    static func reversed(_ name: String, keep: Int) throws -> String {
        let text = try String(contentsOfFile: VendorFormatTests.dir + name, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        lines = Array(lines[..<keep]) + lines[keep...].reversed()
        let dir = temporaryDirectory()
        let path = dir + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(
        "each multi-row sample gives the same calls with its rows reversed",
        arguments: [
            ("freeswitch-Master.csv", 0, "chi"), ("broadworks-cdr.csv", 1, "chi"), ("twilio-calls.csv", 1, "chi"),
            ("genesys-conversations.csv", 1, "chi"), ("cucm_cdr_StandAloneCluster_01_202603041700_1", 2, "chi"),
            ("asterisk-linkedid-Master.csv", 0, "ber"),
        ]
    )
    func reversedRows(name: String, keep: Int, site: String) throws {
        let decl = site == "ber" ? Self.berlin : Self.chicago
        let forward = try Self.calls(VendorFormatTests.dir + name, decl, parallel: false)
        #expect(forward.2 > 0, "the sample has merged legs")
        let path = try Self.reversed(name, keep: keep)
        for parallel in [false, true] {
            let backward = try Self.calls(path, decl, parallel: parallel)
            #expect(backward.1 == forward.1 && backward.2 == forward.2)
            for (a, b) in zip(forward.0, backward.0) { #expect(a == b, "\(name), two threads: \(parallel)") }
        }
    }

    @Test("a FreeSWITCH B leg written before its A leg: the call is the extension's, with its account")
    func freeswitchBLegFirst() throws {
        let b =
            #""Main Line","+493012345600","0114930901820","default","2026-03-04 09:15:03","2026-03-04 09:15:09","2026-03-04 09:21:44","401","395","NORMAL_CLEARING","bbbb-1","","","PCMA","PCMA","telekom","1772615703","1772615709","1772616104""#
        let a =
            #""Front Desk","1001","0114930901820","default","2026-03-04 09:15:02","2026-03-04 09:15:09","2026-03-04 09:21:44","402","395","NORMAL_CLEARING","aaaa-1","bbbb-1","1001","PCMA","PCMA","","1772615702","1772615709","1772616104""#
        for rows in [[a, b], [b, a]] {
            let (session, report) = try ingest(rows.joined(separator: "\n") + "\n", format: "freeswitch")
            #expect((report.calls, report.mergedLegs) == (1, 1))
            let call = session.store.record(0)
            #expect(call.caller == "1001" && call.account == "1001")
            #expect(call.trunk == "telekom" && call.direction == .outbound && call.calleeRaw == "0114930901820")
        }
    }

    @Test("an unanswered call takes the outcome of the leg that went out through the trunk, in either order")
    func outcomeOfTheTrunkLeg() throws {
        let a =
            #""Ext","1001","0114930901820","default","2026-03-04 09:15:02","","2026-03-04 09:15:20","18","0","ORIGINATOR_CANCEL","aaaa-2","bbbb-2","1001","PCMA","PCMA","","1772615702","0","1772615720""#
        let b =
            #""Ext","1001","0114930901820","default","2026-03-04 09:15:03","","2026-03-04 09:15:04","1","0","NORMAL_CIRCUIT_CONGESTION","bbbb-2","","1001","PCMA","PCMA","telekom","1772615703","0","1772615704""#
        for rows in [[a, b], [b, a]] {
            let (session, _) = try ingest(rows.joined(separator: "\n") + "\n", format: "freeswitch")
            #expect(session.store.record(0).disposition == .congestion)
            // On two threads too, where a B leg right after its A leg travels with it to the interning thread.
            let path = temporaryDirectory() + "/Master.csv"
            try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            for parallel in [false, true] {
                let (calls, count, merged) = try Self.calls(path, Self.chicago, parallel: parallel)
                #expect((count, merged) == (1, 1))
                #expect(calls.first?.disposition == .congestion, "two threads: \(parallel)")
            }
        }
    }

    @Test("a Genesys participant's side is told by its purpose in any case, and nothing else passes for one")
    func participantSides() {
        func check(_ word: String, _ internalSide: Bool, _ externalSide: Bool) {
            var bytes = Array(word.utf8)
            bytes.withUnsafeMutableBytes { p in
                let q = UnsafeRawBufferPointer(p)
                #expect(MappedReader.isInternalSide(q) == internalSide, "\(word)")
                #expect(MappedReader.isExternalSide(q) == externalSide, "\(word)")
            }
        }
        for w in ["agent", "Agent", "USER", "station"] { check(w, true, false) }
        for w in ["customer", "External", "EXTERNAL"] { check(w, false, true) }
        for w in ["", "agents", "agen", "acd", "ivr", "customers", "externa", "voicemail", "user1", "\u{0}agent"] {
            check(w, false, false)
        }
    }

    @Test("a Genesys export without a purpose column: the earliest row leads, an empty account is filled, either order")
    func genesysWithoutPurpose() throws {
        let header =
            "conversationId,conversationStart,conversationEnd,originatingDirection,userId,ani,dnis,edgeId,q850ResponseCodes"
        let customer =
            "c1,2026-03-05T15:02:11Z,2026-03-05T15:05:01Z,inbound,,tel:+13125550147,tel:+14085550100,edge-1,16"
        let agent =
            "c1,2026-03-05T15:02:11Z,2026-03-05T15:05:01Z,inbound,agent-7,tel:+13125550147,tel:+14085550100,edge-1,16"
        for rows in [[customer, agent], [agent, customer]] {
            let (session, report) = try ingest(
                ([header] + rows).joined(separator: "\n") + "\n",
                format: "genesys",
                declaration: Self.chicago
            )
            #expect((report.calls, report.mergedLegs) == (1, 1))
            #expect(session.store.record(0).account == "agent-7" && session.store.record(0).caller == "+13125550147")
        }
    }
}
