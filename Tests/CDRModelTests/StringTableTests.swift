import CDRModel
import Testing

extension StringTableTests {
    /// A released index changes nothing a caller can see: ids, bytes and lookups stay as they were, and interning
    /// afterwards finds the old strings and adds new ones (the oracle: a dictionary kept beside the table).
    @Test("a released index keeps every id, lookup and intern")
    func releasedIndexKeepsEveryId() {
        var table = StringTable()
        var oracle: [String: UInt32] = ["": 0]
        for k in 0..<5_000 {
            let s = "+49301\(k * 7919 % 100_000)"
            let id = table.intern(s)
            if let known = oracle[s] { #expect(id == known) } else { oracle[s] = id }
        }
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
}

extension StringTableTests {
    /// Slots hold an arena offset and, above it, a tag of the hash's upper bits: as the arena grows the offsets
    /// take more bits and the tags fewer (down to none on a 4 GiB arena). Every string must stay findable across
    /// those changes; the oracle is a dictionary. Lengths 0–63 make the arena cross many powers of two.
    @Test("ids stay findable while the arena outgrows the slots' offset bits")
    func offsetsWidenAsTheArenaGrows() {
        var table = StringTable()
        var oracle: [String: UInt32] = ["": 0]
        for k in 0..<120_000 {
            let s = String(repeating: "9", count: k % 64) + String(k % 90_000)
            let id = table.intern(s)
            if let known = oracle[s] { #expect(id == known) } else { oracle[s] = id }
        }
        #expect(table.count == oracle.count)
        #expect(table.byteSize > 4_000_000)
        var wrong = 0
        for (s, id) in oracle where table.lookup(s) != id || table[id] != s { wrong += 1 }
        #expect(wrong == 0)
        #expect(table.lookup("9" + String(90_001)) == nil)
    }
}
