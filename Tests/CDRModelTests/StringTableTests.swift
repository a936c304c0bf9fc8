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
