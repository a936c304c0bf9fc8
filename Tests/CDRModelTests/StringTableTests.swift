import CDRModel
import Testing

extension StringTableTests {
    /// A table filled with `strings` in order, and the oracle beside it: each distinct string's id, checked to be
    /// the same at every repeat.
    static func filled(_ strings: some Sequence<String>) -> (StringTable, [String: UInt32]) {
        var table = StringTable()
        var oracle: [String: UInt32] = ["": 0]
        for s in strings {
            let id = table.intern(s)
            if let known = oracle[s] { #expect(id == known) } else { oracle[s] = id }
        }
        return (table, oracle)
    }

    /// A released index changes nothing a caller can see: ids, bytes and lookups stay as they were, and interning
    /// afterwards finds the old strings and adds new ones (the oracle: a dictionary kept beside the table).
    @Test("a released index keeps every id, lookup and intern")
    func releasedIndexKeepsEveryId() {
        var (table, oracle) = Self.filled((0..<5_000).map { "+49301\($0 * 7919 % 100_000)" })
        let sizeBefore = table.byteSize
        table.releaseIndex()
        #expect(table.byteSize < sizeBefore)
        for (s, id) in oracle {
            #expect(table[id] == s)
            #expect(table.lookup(s) == id)
        }
        #expect(table.lookup("not there") == nil)
        for (s, id) in oracle { #expect(table.intern(s) == id) }
        let fresh = table.intern("+4989000")
        #expect(Int(fresh) == oracle.count)
        #expect(table.lookup("+4989000") == fresh)
        #expect(table.count == oracle.count + 1)
    }

    /// The index is rebuilt with the next strings' slots prefetched a few strings ahead: a table with fewer
    /// strings than that look-ahead, and one with a few more, must come back whole.
    @Test("an index rebuilt from fewer or more strings than its look-ahead finds them all", arguments: [3, 16, 17, 40])
    func rebuiltIndexAroundTheLookAhead(strings: Int) {
        var (table, oracle) = Self.filled((1..<strings).map { "+1212555\($0)" })
        table.releaseIndex()
        for (s, id) in oracle { #expect(table.intern(s) == id) }
        #expect(Int(table.intern("+12125550000")) == oracle.count)
    }
}

extension StringTableTests {
    /// Slots hold an arena offset and, above it, a tag of the hash's upper bits: as the arena grows the offsets
    /// take more bits and the tags fewer (down to none on a 4 GiB arena). Every string must stay findable across
    /// those changes; the oracle is a dictionary. Lengths 0–63 make the arena cross many powers of two.
    @Test("ids stay findable while the arena outgrows the slots' offset bits")
    func offsetsWidenAsTheArenaGrows() {
        let (table, oracle) = Self.filled(
            (0..<120_000).map { String(repeating: "9", count: $0 % 64) + String($0 % 90_000) }
        )
        #expect(table.count == oracle.count)
        #expect(table.byteSize > 4_000_000)
        var wrong = 0
        for (s, id) in oracle where table.lookup(s) != id || table[id] != s { wrong += 1 }
        #expect(wrong == 0)
        #expect(table.lookup("9" + String(90_001)) == nil)
    }
}

extension StringTableTests {
    /// Notes against a dictionary: 0 until set; set and read right after an intern (the two most recent strings'
    /// offsets are remembered) or long after (the offset from the entries), through the index's growth and the
    /// arena's; clearing sets every note back to 0 and keeps every string.
    @Test("notes are kept per string through growth, read recent or not, and cleared")
    func notes() {
        var table = StringTable()
        var oracle: [UInt32: UInt32] = [:]
        var rng = SystemRandomNumberGenerator()
        for i in 0..<50_000 {
            let id = table.intern("+4930\(i % 20_000)")
            if i % 3 == 0 {
                let value = UInt32.random(in: 1...UInt32.max, using: &rng)
                table.setNote(id, value)
                oracle[id] = value
            }
            #expect(table.note(id) == oracle[id] ?? 0)
            // One string interned in between: the first is the older of the two remembered.
            let other = table.intern("x\(i % 7)")
            #expect(table.note(id) == oracle[id] ?? 0)
            #expect(table.note(other) == oracle[other] ?? 0)
        }
        var wrong = 0
        for id in 0..<UInt32(table.count) where table.note(id) != oracle[id] ?? 0 { wrong += 1 }
        #expect(wrong == 0)
        table.clearNotes()
        for id in 0..<UInt32(table.count) where table.note(id) != 0 { wrong += 1 }
        #expect(wrong == 0)
        #expect(table.lookup("+493019999").map { table[$0] } == "+493019999")
    }
}

extension StringTableTests {
    /// The oracle: the hash with its last bytes folded in one at a time, as it was written before the tail took
    /// at most three loads. Hashes are compared, not only tables' answers: a changed hash would still intern
    /// correctly, but two equal strings in different places (the leg index, the tables) must hash alike.
    static func bytewiseHash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        while i + 8 <= p.count {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < p.count {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    @Test("the hash of every length up to 40 bytes equals the byte-by-byte oracle, wherever the bytes lie")
    func hashMatchesBytewiseOracle() {
        var rng = SystemRandomNumberGenerator()
        let buffer = (0..<64).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var mismatches = 0
        buffer.withUnsafeBytes { all in
            for length in 0...40 {
                for start in 0...(64 - length) {
                    let p = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                    if StringTable.hash(p) != Self.bytewiseHash(p) { mismatches += 1 }
                }
            }
        }
        #expect(mismatches == 0)
    }
}
