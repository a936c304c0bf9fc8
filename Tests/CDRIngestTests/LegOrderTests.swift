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
        for (file, parallel) in [(VendorFormatTests.dir + name, true), (path, false), (path, true)] {
            let other = try Self.calls(file, decl, parallel: parallel)
            #expect(other.1 == forward.1 && other.2 == forward.2)
            for (a, b) in zip(forward.0, other.0) {
                #expect(a == b, "\(name), reversed: \(file == path), two threads: \(parallel)")
            }
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
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
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
            let dialed = pick(["0114930901820", "13125550100", ext, "\(1000 + rng.next() % 50)"])
            let a = Self.freeswitchRow(
                pick([ext, "+13125550123"]),
                dialed,
                pick(["default", "public"]),
                times(),
                pick(causes),
                "a\(n)",
                rng.next() % 5 == 0 ? "" : "b\(n)",
                pick(["", ext]),
                pick(["", "", "carrier1"])
            )
            let b = Self.freeswitchRow(
                pick(["+13125550100", ext]),
                pick([dialed, "+4930901820"]),
                "default",
                times(),
                pick(causes),
                "b\(n)",
                "",
                pick(["", ext]),
                pick(["carrier1", "carrier2", ""])
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
        let path = temporaryDirectory() + "/Master.csv"
        try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let one = try Self.calls(path, Self.chicago, parallel: false)
        let two = try Self.calls(path, Self.chicago, parallel: true)
        #expect(one.2 > 2_000, "legs merged")
        #expect((two.1, two.2) == (one.1, one.2))
        var differing = 0
        for (x, y) in zip(one.0, two.0) where x != y {
            differing += 1
            if differing <= 3 { Issue.record("seed \(seed): one thread \(x), two threads \(y)") }
        }
        #expect(differing == 0, "seed \(seed): \(differing) calls differ")
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
