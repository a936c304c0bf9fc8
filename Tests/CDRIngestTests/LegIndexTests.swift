import Foundation
import Testing

@testable import CDRIngest

/// The leg index against a dictionary: the same answers through several growths, for keys there and not there,
/// after dropping the calls of a duplicate file, and for a copy changed after the original.
@Suite struct LegIndexTests {
    @Test("agrees with a dictionary through growth, removal and copy on write")
    func oracle() {
        var rng = SystemRandomNumberGenerator()
        var index = LegIndex()
        var truth: [UInt64: Int] = [:]
        var absent: [UInt64] = []
        for call in 0..<60_000 {
            let k = UInt64.random(in: 1...UInt64.max, using: &rng)
            if Bool.random(using: &rng) || truth.isEmpty {
                index.insert(k, call: call)
                truth[k] = truth[k] ?? call
            } else {
                absent.append(k)
            }
            // Inserting a key again keeps its first call.
            if call % 7 == 0, let old = truth.keys.first {
                index.insert(old, call: call)
            }
        }
        #expect(index.count == truth.count)
        for (k, c) in truth { #expect(index.call(k) == c) }
        for k in absent where truth[k] == nil { #expect(index.call(k) == nil) }
        #expect(index.call(0) == nil)

        let before = index
        index.removeCalls(from: 30_000)
        for (k, c) in truth { #expect(index.call(k) == (c < 30_000 ? c : nil)) }
        #expect(index.count == truth.values.filter { $0 < 30_000 }.count)
        // The copy taken before still has every key.
        for (k, c) in truth { #expect(before.call(k) == c) }
    }
}

extension LegIndexTests {
    /// The previous row's keys answer a lookup only when the table maps them to that row's call: a key already
    /// mapped to an earlier call keeps answering that call.
    @Test("the previous row's keys answer as the table does")
    func recentKeys() throws {
        let session = try IngestSession()
        session.withState { s in
            s.registerLeg(11, call: 0)
            // A row that ties a new key (22) to call 1 and names 11, which belongs to call 0.
            s.registerLeg(22, 11, call: 1)
            #expect(s.callOfLeg(22) == 1)
            #expect(s.callOfLeg(11) == 0)
            #expect(s.callOfLeg(11, 22) == 0)
            #expect(s.callOfLeg(33) == nil)
            s.registerLeg(33, call: 2)
            #expect(s.callOfLeg(22) == 1 && s.callOfLeg(33) == 2 && s.callOfLeg(11) == 0)
        }
    }
}

extension LegIndexTests {
    @Test("reserve makes room without changing an answer")
    func reserve() {
        var index = LegIndex()
        for k in 1...5_000 { index.insert(UInt64(k) &* 0x9E37_79B9_7F4A_7C15, call: k) }
        index.reserve(40_000)
        let capacity = index.capacity
        #expect(capacity * 3 >= 40_000 * 4 && capacity * 3 < 40_000 * 4 * 2)
        for k in 5_001...40_000 { index.insert(UInt64(k) &* 0x9E37_79B9_7F4A_7C15, call: k) }
        #expect(index.capacity == capacity)
        #expect(index.count == 40_000)
        for k in 1...40_000 { #expect(index.call(UInt64(k) &* 0x9E37_79B9_7F4A_7C15) == k) }
        // Reserving less than there is changes nothing.
        index.reserve(10)
        #expect(index.capacity == capacity)
    }

    /// Above a huge page of slots the reserved table's pages fault in on another thread while keys keep arriving in
    /// the table they are in; they move on the first insert after. Every answer against a dictionary before, while
    /// and after; a copy taken while the table is reserved keeps its own keys (the copies share the reserved table,
    /// and only an index that holds it alone moves there); keys of dropped calls are forgotten either way.
    @Test("a large reserve moves the keys once its pages are in, answers unchanged, copies apart")
    func reserveLarge() {
        var index = LegIndex()
        var truth: [UInt64: Int] = [:]
        func key(_ i: Int) -> UInt64 { UInt64(i) &* 0x9E37_79B9_7F4A_7C15 | 1 }
        func add(_ range: ClosedRange<Int>, to index: inout LegIndex, _ truth: inout [UInt64: Int]) {
            for i in range {
                index.insert(key(i), call: i)
                truth[key(i)] = i
            }
        }
        add(1...10_000, to: &index, &truth)
        index.reserve(400_000)
        #expect(index.isReserving)
        // A copy shares the reserved table (keys move only on an insert): once the pages are in, the copy's first
        // insert leaves the table to the original, whose next insert moves its keys there.
        var copy = index
        var copyTruth = truth
        // The original drops the calls from 5,000 on (no insert: nothing moves yet).
        index.removeCalls(from: 5_000)
        truth = truth.filter { $0.value < 5_000 }
        var waited = 0
        while !index.reservedPagesAreIn && waited < 5_000 {
            usleep(1_000)
            waited += 1
        }
        add(10_001...20_000, to: &copy, &copyTruth)
        #expect(!copy.isReserving)
        #expect(index.isReserving)
        add(20_001...30_000, to: &index, &truth)
        #expect(!index.isReserving)
        #expect(index.capacity * 3 >= 400_000 * 4, "\(index.capacity) slots")
        add(30_001...300_000, to: &index, &truth)
        #expect(index.growths == 0 || index.capacity * 3 >= 400_000 * 4)
        #expect(index.count == truth.count)
        for (k, c) in truth { #expect(index.call(k) == c) }
        #expect(index.call(key(10_001)) == nil)
        // The copy kept its keys and none of the original's later ones.
        #expect(copy.count == copyTruth.count)
        for (k, c) in copyTruth { #expect(copy.call(k) == c) }
        #expect(copy.call(key(30_001)) == nil)
        for i in 5_000...10_000 { #expect(index.call(key(i)) == nil) }
        index.removeCalls(from: 100_000)
        for (k, c) in truth { #expect(index.call(k) == (c < 100_000 ? c : nil)) }
    }

    /// A FreeSWITCH file of 20,000 calls (A and B legs: one key a call, the B leg's id, 6 MB) and a later one of
    /// 10,000: after the first file's first megabyte or so the leg index is reserved for both, so it stops doubling
    /// there, and it is not reserved for much more than the keys that come (rounded up to a power of two).
    @Test("the leg index is reserved from the first megabyte, for this file and the later ones")
    func reservedFromFirstMegabyte() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func file(_ name: String, calls: Range<Int>) throws -> String {
            var text = ""
            for i in calls {
                let t = 1_790_805_709 + i * 10
                let numbers = "\"\",\"+4930111\(i)\",\"+4930222\(i)\","
                let times = "\"2026-10-01 00:01:49\",\"\",\"\",\"130\",\"120\",\"NORMAL_CLEARING\","
                text += numbers + "\"public\"," + times + "\"c\(i)-a\",\"c\(i)-b\",\"\",\"PCMA\",\"PCMA\",\"gw\","
                text += "\"\(t)\",\"\(t + 10)\",\"\(t + 130)\"\n"
                text += numbers + "\"default\"," + times + "\"c\(i)-b\",\"\",\"\",\"PCMA\",\"PCMA\",\"\","
                text += "\"\(t + 10)\",\"\(t + 10)\",\"\(t + 130)\"\n"
            }
            let path = dir + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let first = try file("a.csv", calls: 0..<20_000)
        let later = try file("b.csv", calls: 20_000..<30_000)
        let session = try IngestSession()
        var ingestor = Ingestor(session: session, format: "freeswitch", chunkSize: 1 << 16)
        ingestor.laterPaths = [later]
        let report = ingestor.ingest(path: first)
        #expect(report.error == nil && report.calls == 20_000 && report.mergedLegs == 20_000)
        let keys = 30_000  // one a call over both files
        var doublings = 0
        var minimal = 1024
        while keys * 4 > minimal * 3 {
            minimal *= 2
            doublings += 1
        }
        session.withState { s in
            #expect(s.legKeys == 20_000)
            #expect(s.legs.growths <= doublings - 2, "doubled \(s.legs.growths) times of \(doublings)")
            #expect(s.legs.capacity >= minimal && s.legs.capacity <= minimal * 2)
        }
        ingestor.laterPaths = []
        #expect(ingestor.ingest(path: later).calls == 10_000)
        session.withState { s in
            #expect(s.legKeys == keys)
            #expect(s.legs.growths <= doublings - 2)
        }

        // With `--format auto`, a later file of another format (7 MB of canonical calls) does not count: the index
        // is reserved for the FreeSWITCH file's 20,000 keys alone (32,768 slots; with the canonical bytes at the
        // FreeSWITCH rate it would be 65,536).
        var canonical = canonicalHeader
        for i in 0..<60_000 {
            canonical += "2026-10-01T08:00:00Z,2026-10-01T08:00:05Z,2026-10-01T08:01:00Z,60,55,outbound,"
            canonical += "+4930111\(i),+4930222\(i),gw,,ber,answered\n"
        }
        let other = dir + "/c.csv"
        try canonical.write(toFile: other, atomically: true, encoding: .utf8)
        let mixed = try IngestSession()
        var auto = Ingestor(session: mixed, format: "auto", chunkSize: 1 << 16)
        auto.laterPaths = [other]
        #expect(auto.ingest(path: first).format == "freeswitch")
        mixed.withState { s in
            #expect(s.legKeys == 20_000)
            #expect(s.legs.capacity == 32_768)
        }
    }
}

extension LegIndexTests {
    /// Keys are hashes of the id's bytes: equal bytes give equal keys, and ids that differ in one byte anywhere (in
    /// the 8-byte words or in the tail after them), or only in length, or in the format's seed, give different
    /// keys. Oracle: the ids themselves, over lengths 0–40 and every position of the changed byte.
    @Test("leg keys tell apart ids that differ in any one byte, in length or in format")
    func keysTellIdsApart() {
        func key(_ seed: UInt64, _ s: [UInt8]) -> UInt64 { s.withUnsafeBytes { LegIndex.key(seed, $0) } }
        let seed = LegIndex.seed("freeswitch")
        var seen: [UInt64: [UInt8]] = [:]
        for length in 0...40 {
            let id = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            #expect(key(seed, id) == key(seed, Array(id)))
            #expect(key(seed, id) != key(LegIndex.seed("genesys"), id))
            for variant in [id]
                + (0..<length).map({ i -> [UInt8] in
                    var v = id
                    v[i] ^= 0x01
                    return v
                })
            {
                let k = key(seed, variant)
                #expect(k != 0)
                if let other = seen[k] { #expect(other == variant, "\(variant) and \(other) share a key") }
                seen[k] = variant
            }
        }
        #expect(key(seed, Array("ber0-a".utf8)) != key(seed, Array("ber0-b".utf8)))
    }
}

extension LegIndexTests {
    /// A call's first leg is indexed by its peer's id alone when it names one, so every order of legs must still
    /// meet. Oracle: the calls counted by hand. Five calls: A and B leg adjacent; the B leg long before its A leg;
    /// the B leg after an unrelated row; a leg with no peer; a later file repeating three A legs (overlapping
    /// exports), one of them of the adjacent pair, which merge into their calls instead of counting again.
    @Test("FreeSWITCH legs meet in any order and across files, repeated legs count once")
    func legsMeetInAnyOrder() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func row(_ call: Int, own: String, peer: String, gateway: String = "") -> String {
            let t = 1_790_805_709 + call * 600
            return "\"\",\"+4930111\(call)\",\"+4930222\(call)\",\"public\",\"2026-10-01 00:01:49\",\"\",\"\",\"130\","
                + "\"120\",\"NORMAL_CLEARING\",\"\(own)\",\"\(peer)\",\"\",\"PCMA\",\"PCMA\",\"\(gateway)\","
                + "\"\(t)\",\"\(t + 10)\",\"\(t + 130)\"\n"
        }
        let first = [
            row(1, own: "a1", peer: "b1", gateway: "gw"), row(1, own: "b1", peer: ""),
            row(2, own: "b2", peer: ""), row(4, own: "a4", peer: ""), row(2, own: "a2", peer: "b2", gateway: "gw"),
            row(3, own: "a3", peer: "b3", gateway: "gw"), row(5, own: "a5", peer: ""), row(3, own: "b3", peer: ""),
        ]
        let second = [
            row(3, own: "a3", peer: "b3", gateway: "gw"), row(4, own: "a4", peer: ""),
            row(1, own: "a1", peer: "b1", gateway: "gw"),
        ]
        let one = dir + "/1.csv"
        let two = dir + "/2.csv"
        try first.joined().write(toFile: one, atomically: true, encoding: .utf8)
        try second.joined().write(toFile: two, atomically: true, encoding: .utf8)
        let session = try IngestSession()
        let ingestor = Ingestor(session: session, format: "freeswitch")
        let reports = [ingestor.ingest(path: one), ingestor.ingest(path: two)]
        #expect(reports.map(\.rows) == [8, 3])
        #expect(reports.map(\.calls) == [5, 0])
        #expect(reports.map(\.mergedLegs) == [3, 3])
        #expect(session.store.count == 5)
        // One call a caller: no leg was counted as a call of its own.
        #expect(Set(session.store.caller).count == 5)
    }
}
