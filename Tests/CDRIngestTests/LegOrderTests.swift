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
        try calls(paths: [path], decl, parallel: parallel)
    }

    static func calls(
        paths: [String],
        _ decl: SiteDeclaration,
        parallel: Bool,
        mappings: [MappedFormat] = []
    ) throws -> ([CallRecord], Int, Int) {
        let r = try IngestRun.run(
            paths: paths,
            format: "auto",
            declaration: decl,
            parallel: parallel,
            mappings: mappings
        )
        // Sorted by every field (calls that tie on their times and numbers still have one order).
        let records = (0..<r.store.count).map { r.store.record($0) }.map { ($0, "\($0)") }.sorted {
            ($0.0.startMs, $0.0.endMs, $0.1) < ($1.0.startMs, $1.0.endMs, $1.1)
        }.map(\.0)
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

extension SplitterDifferentialTests.SplitMix {
    /// One of `xs`, at random.
    mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
}

extension LegOrderTests {
    /// Random calls of one to three rows in the shapes a format writes, with random outcomes, times and trunks: a
    /// file of them gives the same calls read with its rows reversed, split into three files at random lines,
    /// shuffled, converted to canonical, and on two threads as on one.
    static func checkRandomCalls(
        _ format: String,
        header: String?,
        rows: [String],
        seed: UInt64,
        _ decl: SiteDeclaration = chicago,
        mappings: [MappedFormat] = []
    ) throws -> [CallRecord] {
        let dir = temporaryDirectory()
        let forward = dir + "/\(format)-Master.csv"
        let backward = dir + "/reversed-\(format)-Master.csv"
        let head = header.map { [$0] } ?? []
        func write(_ lines: [String], _ path: String) throws {
            try (head + lines).joined(separator: "\n").appending("\n").write(
                toFile: path,
                atomically: true,
                encoding: .utf8
            )
        }
        try write(rows, forward)
        try write(rows.reversed(), backward)
        // The rows cut into three files at random lines: a call's rows in two files are still one call.
        var rng = SplitterDifferentialTests.SplitMix(state: seed &* 7919)
        let cuts = [0] + [rng.next(), rng.next()].map { Int($0 % UInt64(rows.count)) }.sorted() + [rows.count]
        let parts = (0..<3).map { dir + "/\(format)-\($0)-Master.csv" }
        for k in 0..<3 { try write(Array(rows[cuts[k]..<cuts[k + 1]]), parts[k]) }
        // And shuffled: every call's rows in another order, among other calls' rows.
        let shuffled = dir + "/shuffled-\(format)-Master.csv"
        try write(rows.shuffled(using: &rng), shuffled)
        let (one, two) = try MappedPipelineTests.bothWays([forward], decl, mappings: mappings)
        #expect(one.summary.mergedLegs > 100 && one.summary.rejected == 0, "\(format) seed \(seed)")
        MappedPipelineTests.expectSame(one, two, "\(format) seed \(seed)")
        let sorted = try Self.calls(paths: [forward], decl, parallel: false, mappings: mappings)
        // And converted to canonical (`cdrscan export`): one row a call, read back as the same calls.
        var text = CanonicalWriter.header
        for i in 0..<one.store.count { CanonicalWriter().line(one.store, i, into: &text) }
        let converted = dir + "/converted-\(format).csv"
        try text.write(toFile: converted, atomically: true, encoding: .utf8)
        for (paths, label) in [
            ([backward], "reversed"), (parts, "split"), ([shuffled], "shuffled"), ([converted], "converted"),
        ] {
            for parallel in [false, true] {
                let other = try Self.calls(paths: paths, decl, parallel: parallel, mappings: mappings)
                // A converted file has one row a call: no legs to merge.
                #expect(other.1 == sorted.1, "\(format) seed \(seed) \(label)")
                #expect(other.2 == (label == "converted" ? 0 : sorted.2), "\(format) seed \(seed) \(label)")
                var differing = 0
                for (a, b) in zip(sorted.0, other.0) where a != b {
                    differing += 1
                    if differing <= 2 { Issue.record("\(format) seed \(seed): as written \(a), \(label) \(b)") }
                }
                #expect(differing == 0, "\(format) seed \(seed) \(label), two threads \(parallel): \(differing) differ")
            }
        }
        return sorted.0
    }

    static func twilioRows(_ rng: inout SplitterDifferentialTests.SplitMix) -> [String] {
        func rfc(_ t: Int) -> String {
            let c = CivilTime.format(ms: Int64(t) * 1000, separator: " ")
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            let parts = c.split(separator: " ")
            let ymd = parts[0].split(separator: "-").map { Int($0)! }
            // The weekday is not read.
            return "\"Wed, \(ymd[2] < 10 ? "0" : "")\(ymd[2]) \(months[ymd[1] - 1]) \(ymd[0]) \(parts[1]) +0000\""
        }
        var rows: [String] = []
        for n in 0..<1_500 {
            let start = 1_772_615_700 + n * 5
            func row(
                _ sid: String,
                _ parent: String,
                _ from: String,
                _ to: String,
                _ direction: String,
                trunk: String
            )
                -> String
            {
                let status = rng.pick(["completed", "completed", "busy", "no-answer", "canceled", "failed"])
                let s = start + Int(rng.next() % 3)
                let talk = status == "completed" ? Int(rng.next() % 400) : 0
                let e = s + talk + Int(rng.next() % 20)
                return [
                    sid, rfc(s), parent, "AC1", from, to, direction, status, rfc(s), rfc(e), "\(talk)", "", "USD",
                    trunk,
                ].joined(separator: ",")
            }
            let caller = rng.pick(["+13125550147", "+14085551001", "client:alice"])
            let dialed = rng.pick(["+442079460123", "+14085550100", "+881631234567"])
            let parent = "CA\(n)p"
            switch rng.next() % 4 {
            case 0:
                // A call to a Twilio number forwarded out: the parent comes in, its child dials out.
                rows.append(row(parent, "", caller, "+14085550100", "inbound", trunk: ""))
                rows.append(
                    row("CA\(n)c", parent, "+14085550100", dialed, "outbound-dial", trunk: rng.pick(["", "TK1"]))
                )
            case 1:
                // An API call with one or two dialed children.
                rows.append(row(parent, "", "+14085550100", caller, "outbound-api", trunk: ""))
                for k in 0..<(1 + Int(rng.next() % 2)) {
                    rows.append(row("CA\(n)c\(k)", parent, caller, dialed, "outbound-dial", trunk: ""))
                }
            case 2: rows.append(row(parent, "", "+14085550100", dialed, "trunking-terminating", trunk: "TK1"))
            default: rows.append(row(parent, "", caller, "+14085550100", "trunking-originating", trunk: "TK2"))
            }
        }
        return rows
    }

    static func genesysRows(_ rng: inout SplitterDifferentialTests.SplitMix) -> [String] {
        func iso(_ t: Int) -> String { CivilTime.format(ms: Int64(t) * 1000, suffix: ".000Z") }
        var rows: [String] = []
        for n in 0..<1_500 {
            let start = 1_772_615_700 + n * 5
            let end = start + 5 + Int(rng.next() % 400)
            let id = "conv-\(n)"
            let outbound = rng.next() % 2 == 0
            let customer = rng.pick(["tel:+13125550147", "tel:+442079460123", "sip:+14085551001@carrier"])
            let line = "tel:+14085550100"
            func row(_ purpose: String, user: String, ani: String, dnis: String) -> String {
                let code = rng.pick(["16", "16", "17", "19", "31", "34", "21"])
                return [
                    id, iso(start), iso(end), outbound ? "outbound" : "inbound", purpose, user, ani, dnis, dnis,
                    rng.pick(["edge-1", "edge-2"]), "Edge", "voice", rng.pick(["endpoint", "peer", "client"]), code, "",
                    "",
                ].joined(separator: ",")
            }
            let agent = rng.pick(["user-1", "user-2", "user-3"])
            var parts: [String] = []
            if outbound {
                parts.append(row("agent", user: agent, ani: line, dnis: customer))
                parts.append(row("external", user: "", ani: line, dnis: customer))
            } else {
                parts.append(row("customer", user: "", ani: customer, dnis: line))
                if rng.next() % 2 == 0 { parts.append(row("ivr", user: "", ani: customer, dnis: line)) }
                parts.append(row("agent", user: agent, ani: customer, dnis: line))
            }
            rows += rng.next() % 3 == 0 ? parts.reversed() : parts
        }
        return rows
    }
}

extension LegOrderTests {
    static func asteriskRows(_ rng: inout SplitterDifferentialTests.SplitMix) -> [String] {
        // Berlin's wall clock (CEST, UTC+2) of a UTC second.
        func local(_ t: Int) -> String { CivilTime.format(ms: Int64(t + 7_200) * 1000, separator: " ") }
        var rows: [String] = []
        var channel = 0
        func row(
            _ account: String,
            _ src: String,
            _ dst: String,
            _ context: String,
            _ from: String,
            _ to: String,
            _ start: Int,
            _ id: String,
            _ linked: String
        ) -> String {
            channel += 2
            let disposition = rng.pick(["ANSWERED", "ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"])
            let ring = Int(rng.next() % 15)
            let talk = disposition == "ANSWERED" ? 1 + Int(rng.next() % 300) : 0
            let answer = disposition == "ANSWERED" ? "\"\(local(start + ring))\"" : "\"\""
            let fields = [
                "\"\(account)\"", "\"\(src)\"", "\"\(dst)\"", "\"\(context)\"", "\"\"\"X\"\" <\(src)>\"",
                "\"\(from)-\(channel)\"", "\"\(to)-\(channel + 1)\"", "\"Dial\"", "\"\(to)\"",
                "\"\(local(start))\"", answer, "\"\(local(start + ring + talk))\"", "\(ring + talk)",
                "\(talk)", "\"\(disposition)\"", "\"DOCUMENTATION\"", "\"\(id)\"", "\"\"", "\"\"", "\"\(linked)\"",
                "\"\(channel)\"",
            ]
            return fields.joined(separator: ",")
        }
        for n in 0..<1_500 {
            let start = 1_791_194_400 + n * 5
            let linked = "\(start).\(n)"
            let ext = "20\(10 + rng.next() % 50)"
            let other = "20\(10 + rng.next() % 50)"
            let caller = rng.pick(["+4930123456", "+4930123457", "+491701112233"])
            let dialed = rng.pick(["00442079460958", "01701234567", "+4930999888"])
            var parts: [String] = []
            let kind = rng.next() % 4
            if kind == 0 || kind == 3 {
                parts.append(
                    row(ext, ext, dialed, "from-internal", "PJSIP/\(ext)", "PJSIP/telekom", start, linked, linked)
                )
                if kind == 3 {
                    // Out again through the second trunk (a failover): the further row's trunk is the call's.
                    parts.append(
                        row(
                            ext,
                            ext,
                            dialed,
                            "from-internal",
                            "PJSIP/\(ext)",
                            "PJSIP/backup",
                            start + 2,
                            "\(linked)1",
                            linked
                        )
                    )
                }
            } else {
                // In from the trunk to an extension, then forwarded: to another extension, or back out through
                // the trunk.
                let back = kind == 2
                parts.append(
                    row("", caller, ext, "from-pstn", "PJSIP/telekom", "PJSIP/\(ext)", start, linked, linked)
                )
                parts.append(
                    row(
                        "",
                        caller,
                        back ? dialed : other,
                        "from-internal",
                        back ? "Local/\(ext)@from-internal" : "PJSIP/\(ext)",
                        back ? "PJSIP/telekom" : "PJSIP/\(other)",
                        start + 20,
                        "\(linked)1",
                        linked
                    )
                )
            }
            rows += rng.next() % 3 == 0 ? parts.reversed() : parts
        }
        return rows
    }
}

extension LegOrderTests {
    static func broadworksRows(_ rng: inout SplitterDifferentialTests.SplitMix) -> [String] {
        func compact(_ t: Int) -> String {
            CivilTime.format(ms: Int64(t) * 1000).filter { $0.isNumber } + ".000"
        }
        // A Normal record (positions as the specification numbers them, 1-based).
        func record(
            _ id: String,
            user: String,
            _ direction: String,
            calling: String,
            called: String,
            start: Int,
            local: String,
            remote: String,
            trunk: String
        ) -> String {
            var f = Array(repeating: "", count: 140)
            let answered = rng.next() % 3 != 0
            let ring = Int(rng.next() % 20)
            let end = start + ring + (answered ? 1 + Int(rng.next() % 300) : 0)
            f[0] = id
            f[1] = "AcmeSP"
            f[2] = "Normal"
            f[3] = user
            f[4] = "+14085550100"
            f[5] = direction
            f[6] = calling
            f[7] = "Public"
            f[8] = called
            f[9] = compact(start)
            f[10] = "1-050000"
            f[11] = answered ? rng.pick(["Yes", "Yes-PostRedirection"]) : "No"
            f[12] = answered ? compact(start + ring) : ""
            f[13] = compact(end)
            f[14] = answered ? "016" : rng.pick(["017", "019", "031", "034", "041"])
            f[23] = trunk
            f[33] = rng.pick(["", "4711"])
            f[44] = local
            f[45] = remote
            f[134] = trunk
            return f.joined(separator: ",")
        }
        var rows: [String] = []
        for n in 0..<1_500 {
            let start = 1_772_615_700 + n * 5
            let a = "+1408555\(1000 + rng.next() % 50)"
            let b = "+1408555\(1000 + rng.next() % 50)"
            let outside = rng.pick(["+13125550147", "+442079460123", "+881631234567"])
            switch rng.next() % 3 {
            case 0:
                // Between two users: an Originating and a Terminating record naming each other.
                let pair = [
                    record(
                        "AS01-\(n)o",
                        user: a,
                        "Originating",
                        calling: a,
                        called: String(b.suffix(4)),
                        start: start,
                        local: "L\(n)",
                        remote: "R\(n)",
                        trunk: ""
                    ),
                    record(
                        "AS01-\(n)t",
                        user: b,
                        "Terminating",
                        calling: a,
                        called: b,
                        start: start + Int(rng.next() % 2),
                        local: "R\(n)",
                        remote: "L\(n)",
                        trunk: ""
                    ),
                ]
                rows += rng.next() % 2 == 0 ? pair : pair.reversed()
            case 1:
                rows.append(
                    record(
                        "AS01-\(n)o",
                        user: a,
                        "Originating",
                        calling: a,
                        called: outside,
                        start: start,
                        local: "L\(n)",
                        remote: "N\(n)",
                        trunk: rng.pick(["SIPTrunkGroup-ITSP1", "SIPTrunkGroup-ITSP2"])
                    )
                )
            default:
                rows.append(
                    record(
                        "AS01-\(n)t",
                        user: b,
                        "Terminating",
                        calling: outside,
                        called: b,
                        start: start,
                        local: "L\(n)",
                        remote: "N\(n)",
                        trunk: "SIPTrunkGroup-ITSP1"
                    )
                )
            }
        }
        return rows
    }
}

extension LegOrderTests {
    /// CUCM sub-calls: out through a trunk, in from one, in and transferred to a second phone (a later sub-call
    /// of the same global call id), and phone to phone. Sub-calls of one call start at different seconds (of rows
    /// that start together, the first read leads).
    static func cucmRows(_ rng: inout SplitterDifferentialTests.SplitMix) -> [String] {
        var rows: [String] = []
        var leg = 30_000_000
        func row(_ id: Int, _ start: Int, _ calling: String, _ called: String, _ from: String, _ to: String) -> String {
            leg += 2
            let answered = rng.next() % 3 != 0
            let ring = Int(rng.next() % 20)
            let talk = answered ? 1 + Int(rng.next() % 300) : 0
            let cause = answered ? "16" : rng.pick(["17", "19", "31", "34", "1174405137"])
            return [
                "1", "1", "\(id)", "\(leg)", "\(start)", "0", "\"\(calling)\"", "0", "\(leg + 1)", cause,
                "\"\(called)\"", "\"\(called)\"", answered ? "\(start + ring)" : "0", "\(start + ring + talk)",
                "\"\(called)\"", "\(talk)", "\"\(from)\"", "\"\(to)\"", rng.pick(["\"\"", "\"Sales\""]),
            ].joined(separator: ",")
        }
        for n in 0..<1_500 {
            let start = 1_772_644_500 + n * 5
            let id = 2_000_000 + n
            let phone = "SEP00AA11BB\(10 + rng.next() % 50)"
            let other = "SEP00AA11CC\(10 + rng.next() % 50)"
            let trunk = rng.pick(["SIPTrunk_ITSP_Primary", "SIPTrunk_ITSP_Backup"])
            let outside = rng.pick(["+13125550147", "9011442079460123", "900881631234567"])
            switch rng.next() % 4 {
            case 0: rows.append(row(id, start, "4085551001", outside, phone, trunk))
            case 1: rows.append(row(id, start, outside, "4085551005", trunk, phone))
            case 2:
                let parts = [
                    row(id, start, outside, "4085551005", trunk, phone),
                    row(id, start + 1 + Int(rng.next() % 60), "4085551005", "4085551009", phone, other),
                ]
                rows += rng.next() % 2 == 0 ? parts : parts.reversed()
            default: rows.append(row(id, start, "4085551001", "4085551002", phone, other))
            }
        }
        return rows
    }
}

extension LegOrderTests {
    /// Rows of the hand-written custom mapping (`acme-pbx`: `;`, Berlin wall-clock times, German words, one
    /// `Ruf-ID` a call): out, in, in and passed on to a second extension (a later row of the same id, in either
    /// order), extension to extension.
    static func acmeRows(_ rng: inout SplitterDifferentialTests.SplitMix) -> [String] {
        // Berlin's wall clock (CEST, UTC+2) of a UTC second.
        func local(_ t: Int) -> String {
            let iso = CivilTime.format(ms: Int64(t + 7_200) * 1000, separator: " ")
            let date = iso.prefix(10).split(separator: "-")
            return "\(date[2]).\(date[1]).\(date[0]) \(iso.suffix(8))"
        }
        func row(_ id: String, _ start: Int, _ direction: String, _ from: String, _ to: String, trunk: String) -> String
        {
            let status = rng.pick(["OK", "OK", "BESETZT", "KEINE ANTWORT"])
            let talk = status == "OK" ? 1 + Int(rng.next() % 300) : 0
            let end = start + talk + Int(rng.next() % 20)
            let account = direction == "EIN" ? "" : rng.pick(["", from])
            return [id, local(start), local(end), "\(talk)", direction, from, to, status, trunk, account]
                .joined(separator: ";")
        }
        var rows: [String] = []
        for n in 0..<1_500 {
            let start = 1_791_194_400 + n * 5
            let ext = "20\(10 + rng.next() % 50)"
            let other = "20\(10 + rng.next() % 50)"
            let outside = rng.pick(["030901820", "00442079460958", "0170 1234567"])
            switch rng.next() % 4 {
            case 0: rows.append(row("A-\(n)", start, "AUS", ext, outside, trunk: "ber-telekom"))
            case 1: rows.append(row("A-\(n)", start, "EIN", outside, ext, trunk: "ber-telekom"))
            case 2:
                let parts = [
                    row("A-\(n)", start, "EIN", outside, ext, trunk: "ber-telekom"),
                    row("A-\(n)", start + 1 + Int(rng.next() % 60), "INTERN", ext, other, trunk: ""),
                ]
                rows += rng.next() % 2 == 0 ? parts : parts.reversed()
            default: rows.append(row("A-\(n)", start, "INTERN", ext, other, trunk: ""))
            }
        }
        return rows
    }
}

extension LegOrderTests {
    @Test(
        "random multi-row calls: the same calls reversed, split into files, on one thread and two",
        arguments: ["asterisk", "broadworks", "cucm", "acme-pbx", "twilio", "genesys"],
        [1, 2] as [UInt64]
    )
    func randomCalls(format: String, seed: UInt64) throws {
        var rng = SplitterDifferentialTests.SplitMix(state: seed)
        let file = try Self.randomFile(format, &rng)
        let calls = try Self.checkRandomCalls(
            format,
            header: file.header,
            rows: file.rows,
            seed: seed,
            file.declaration,
            mappings: file.mappings
        )
        switch format {
        case "asterisk":
            #expect(
                Set(calls.map { "\($0.direction) \($0.trunk)" })
                    == ["outbound telekom", "inbound telekom", "outbound backup"]
            )
        case "broadworks", "cucm", "acme-pbx":
            #expect(Set(calls.map(\.direction)) == [.outbound, .inbound, .internal_])
        default: break
        }
    }

    /// A file of random multi-row calls in `format` (`freeswitch`, `asterisk`, `broadworks`, `cucm`, `acme-pbx`,
    /// `twilio`, `genesys`): its header line or lines, its rows, the site to read it as and the mappings it needs.
    static func randomFile(
        _ format: String,
        _ rng: inout SplitterDifferentialTests.SplitMix
    ) throws -> (header: String?, rows: [String], declaration: SiteDeclaration, mappings: [MappedFormat]) {
        switch format {
        case "freeswitch": return (nil, MappedPipelineTests.freeswitchRows(&rng), chicago, [])
        case "asterisk": return (nil, asteriskRows(&rng), berlin, [])
        case "broadworks":
            // Files start with a line that is not a record.
            return ("AS01-000000000000,AcmeSP,Start,20260305000000.000", broadworksRows(&rng), chicago, [])
        case "cucm":
            let header = [
                "\"cdrRecordType\",\"globalCallID_callManagerId\",\"globalCallID_callId\",\"origLegCallIdentifier\","
                    + "\"dateTimeOrigination\",\"origIpAddr\",\"callingPartyNumber\",\"origCause_value\","
                    + "\"destLegIdentifier\",\"destCause_value\",\"originalCalledPartyNumber\",\"finalCalledPartyNumber\","
                    + "\"dateTimeConnect\",\"dateTimeDisconnect\",\"lastRedirectDn\",\"duration\",\"origDeviceName\","
                    + "\"destDeviceName\",\"authCodeDescription\"",
                "INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,VARCHAR(50),INTEGER,INTEGER,INTEGER,VARCHAR(50),"
                    + "VARCHAR(50),INTEGER,INTEGER,VARCHAR(50),INTEGER,VARCHAR(129),VARCHAR(129),VARCHAR(50)",
            ].joined(separator: "\n")
            return (header, cucmRows(&rng), chicago, [])
        case "acme-pbx":
            let mappings = try MappingLoader.load(path: VendorFormatTests.dir + "acme-pbx.mapping.yaml")
            let header = "Ruf-ID;Beginn;Ende;Dauer;Richtung;Von;Nach;Status;Leitung;Nebenstelle"
            return (header, acmeRows(&rng), berlin, mappings)
        case "twilio":
            let header =
                "sid,date_created,parent_call_sid,account_sid,from,to,direction,status,start_time,end_time,duration,price,price_unit,trunk_sid"
            return (header, twilioRows(&rng), chicago, [])
        default:
            let header =
                "conversationId,conversationStart,conversationEnd,originatingDirection,purpose,userId,ani,dnis,sessionDnis,edgeId,provider,mediaType,disconnectType,q850ResponseCodes,sipResponseCodes,queueId"
            return (header, genesysRows(&rng), chicago, [])
        }
    }
}
