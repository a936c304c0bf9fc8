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
