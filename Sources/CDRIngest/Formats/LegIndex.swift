import CPrefetch

/// Which call each leg key belongs to, for formats that write several rows for one call.
///
/// Keys are 64-bit hashes of the format's name and the key's bytes (``LegIndex/key(_:_:)``), kept in an
/// open-addressing table: no allocation per row. Two different keys share a hash with a probability of about
/// n²/2⁶⁵ (1 in 370,000 for ten million keys); they would merge two calls.
struct LegIndex {
    /// Key and call side by side, so a lookup touches one cache line.
    struct Slot {
        var key: UInt64
        var call: Int32
    }

    /// The slots, in memory from ``cdr_table_alloc`` (huge pages when large): a lookup is a random access into a
    /// table of two slots a key, tens of megabytes at a few million calls. Shared between copies until one of
    /// them changes (copy on write).
    final class Table {
        let slots: UnsafeMutablePointer<Slot>
        let capacity: Int
        private let mapped: Int

        init(capacity: Int) {
            var mapped = 0
            guard let p = cdr_table_alloc(capacity * MemoryLayout<Slot>.stride, &mapped) else {
                fatalError("out of memory for a leg index of \(capacity) slots")
            }
            slots = p.bindMemory(to: Slot.self, capacity: capacity)
            self.capacity = capacity
            self.mapped = mapped
        }

        func copy() -> Table {
            let t = Table(capacity: capacity)
            t.slots.update(from: slots, count: capacity)
            return t
        }

        deinit { cdr_table_free(slots, mapped) }
    }

    private var table = Table(capacity: 1024)
    private(set) var count = 0

    /// A key for the bytes of a leg id (FNV-1a, then a final mix); never 0.
    @inline(__always)
    static func key(_ seed: UInt64, _ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for b in p { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h == 0 ? 1 : h
    }

    /// A seed for a format name.
    static func seed(_ name: String) -> UInt64 {
        var s = Array(name.utf8)
        return s.withUnsafeMutableBytes { key(0x9E37_79B9_7F4A_7C15, UnsafeRawBufferPointer($0)) }
    }

    /// Starts loading the slot where a lookup of `k` begins: the table is far larger than the caches, and a row's
    /// other work hides the miss when the key is known early.
    @inline(__always)
    func prefetch(_ k: UInt64) {
        guard k != 0 else { return }
        cdr_prefetch(table.slots + (Int(truncatingIfNeeded: k) & (table.capacity - 1)))
    }

    @inline(__always)
    func call(_ k: UInt64) -> Int? {
        guard count > 0, k != 0 else { return nil }
        let b = table.slots
        let mask = table.capacity - 1
        var i = Int(truncatingIfNeeded: k) & mask
        while true {
            let v = b[i]
            if v.key == k { return Int(v.call) }
            if v.key == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Maps `k` to `call` unless it is mapped already.
    @inline(__always)
    mutating func insert(_ k: UInt64, call: Int) {
        guard k != 0 else { return }
        if (count + 1) * 2 > table.capacity {
            grow()
        } else if !isKnownUniquelyReferenced(&table) {
            table = table.copy()
        }
        let b = table.slots
        let mask = table.capacity - 1
        var i = Int(truncatingIfNeeded: k) & mask
        while b[i].key != 0 {
            if b[i].key == k { return }
            i = (i + 1) & mask
        }
        b[i] = Slot(key: k, call: Int32(truncatingIfNeeded: call))
        count += 1
    }

    /// Forgets the keys of calls at or after `n` (a duplicate file was dropped).
    mutating func removeCalls(from n: Int) {
        let limit = Int32(truncatingIfNeeded: n)
        let old = table
        guard count > 0, (0..<old.capacity).contains(where: { old.slots[$0].key != 0 && old.slots[$0].call >= limit })
        else { return }
        rebuild(from: old, capacity: old.capacity, keeping: limit)
    }

    private mutating func grow() { rebuild(from: table, capacity: table.capacity * 2, keeping: Int32.max) }

    /// A new table of `capacity` slots with the keys of `old` whose calls are below `limit`.
    private mutating func rebuild(from old: Table, capacity: Int, keeping limit: Int32) {
        table = Table(capacity: capacity)
        count = 0
        let b = table.slots
        let mask = capacity - 1
        for j in 0..<old.capacity {
            let v = old.slots[j]
            guard v.key != 0 && v.call < limit else { continue }
            var i = Int(truncatingIfNeeded: v.key) & mask
            while b[i].key != 0 { i = (i + 1) & mask }
            b[i] = v
            count += 1
        }
    }
}
