import CDRModel
import CPrefetch

/// Which call each leg key belongs to, for formats that write several rows for one call.
///
/// Keys are 64-bit hashes of the format's name and the key's bytes (``LegIndex/key(_:_:)``), kept in an
/// open-addressing table: no allocation per row. Two different keys share a hash with a probability of about
/// n²/2⁶⁵ (1 in 370,000 for ten million keys); they would merge two calls.
struct LegIndex {
    /// The keys and their calls in two arrays from ``cdr_table_alloc`` (huge pages when large): a lookup is a
    /// random access into tables far larger than the caches. A key that is not there (every new leg) probes the
    /// keys only, eight to a cache line; a key that is there reads its call from the second array.
    ///
    /// 12 bytes a slot, at most three quarters full: 16 to 32 bytes a key (16-byte key-and-call slots at most half
    /// full took 32 to 64: a 10 M-call FreeSWITCH month's 17.7 M keys, when both legs' ids were keys, needed 1 GiB).
    /// Any number of slots (a key's first slot is the high half of key × capacity), so a table reserved for its
    /// keys is sized to them, not to the next power of two: the kernel zeroes every page of it as the keys land
    /// (a FreeSWITCH site's month, 4 M keys: 8.4 M slots, 100 MB, before; 5.5 M slots, 66 MB, now).
    /// Shared between copies until one of them changes (copy on write).
    final class Table {
        let keys: UnsafeMutablePointer<UInt64>
        let calls: UnsafeMutablePointer<Int32>
        let capacity: Int
        private let mappedKeys: Int
        private let mappedCalls: Int

        init(capacity: Int) {
            var mk = 0
            var mc = 0
            guard let k = cdr_table_alloc(capacity * 8, &mk), let c = cdr_table_alloc(capacity * 4, &mc) else {
                fatalError("out of memory for a leg index of \(capacity) slots")
            }
            keys = k.bindMemory(to: UInt64.self, capacity: capacity)
            calls = c.bindMemory(to: Int32.self, capacity: capacity)
            self.capacity = capacity
            mappedKeys = mk
            mappedCalls = mc
        }

        func copy() -> Table {
            let t = Table(capacity: capacity)
            t.keys.update(from: keys, count: capacity)
            t.calls.update(from: calls, count: capacity)
            return t
        }

        deinit {
            cdr_table_free(keys, mappedKeys)
            cdr_table_free(calls, mappedCalls)
        }
    }

    private var table = Table(capacity: 1024)
    private(set) var count = 0

    /// A key for the bytes of a leg id under `seed` (the format's, or the key of the columns before): the string
    /// table's hash of the bytes (eight bytes a step: real leg ids are mostly 36-byte UUIDs, three times the work
    /// byte by byte), the seed mixed in, then a final mix; never 0.
    @inline(__always)
    static func key(_ seed: UInt64, _ p: UnsafeRawBufferPointer) -> UInt64 {
        var h = StringTable.hash(p) ^ (seed &* 0x9E37_79B9_7F4A_7C15)
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

    /// The slot where the probe for `k` starts in a table of `capacity` slots.
    @inline(__always)
    static func home(_ k: UInt64, _ capacity: Int) -> Int {
        Int(truncatingIfNeeded: k.multipliedFullWidth(by: UInt64(capacity)).high)
    }

    /// Starts loading the slot where a lookup of `k` begins: the table is far larger than the caches, and a row's
    /// other work hides the miss when the key is known early.
    @inline(__always)
    func prefetch(_ k: UInt64) {
        guard k != 0 else { return }
        let i = Self.home(k, table.capacity)
        cdr_prefetch(table.keys + i)
        cdr_prefetch(table.calls + i)
    }

    @inline(__always)
    func call(_ k: UInt64) -> Int? {
        guard count > 0, k != 0 else { return nil }
        let keys = table.keys
        let capacity = table.capacity
        var i = Self.home(k, capacity)
        while true {
            let v = keys[i]
            if v == k { return Int(table.calls[i]) }
            if v == 0 { return nil }
            i += 1
            if i == capacity { i = 0 }
        }
    }

    /// Maps `k` to `call` unless it is mapped already; returns the call `k` maps to now (−1 for the key 0).
    @inline(__always) @discardableResult
    mutating func insert(_ k: UInt64, call: Int) -> Int {
        guard k != 0 else { return -1 }
        if (count + 1) * 4 > table.capacity * 3 {
            grow()
        } else if !isKnownUniquelyReferenced(&table) {
            table = table.copy()
        }
        let keys = table.keys
        let capacity = table.capacity
        var i = Self.home(k, capacity)
        while keys[i] != 0 {
            if keys[i] == k { return Int(table.calls[i]) }
            i += 1
            if i == capacity { i = 0 }
        }
        keys[i] = k
        table.calls[i] = Int32(truncatingIfNeeded: call)
        count += 1
        return call
    }

    /// Forgets the keys of calls at or after `n` (a duplicate file was dropped).
    mutating func removeCalls(from n: Int) {
        let limit = Int32(truncatingIfNeeded: n)
        let old = table
        guard count > 0, (0..<old.capacity).contains(where: { old.keys[$0] != 0 && old.calls[$0] >= limit })
        else { return }
        rebuild(from: old, capacity: old.capacity, keeping: limit)
    }

    /// Makes room for `total` keys in all without growing: one table of the final size, where doubling as keys
    /// arrive zeroes and fills every smaller size on the way and holds two tables at once while it copies.
    /// Below a huge page of keys (262,144 slots) the table has a power of two slots; above, whole huge pages for
    /// `total` keys two thirds full (a key that is not there, every new leg, then probes about five slots, within
    /// a cache line or two; three quarters full, eight and a half).
    mutating func reserve(_ total: Int) {
        guard total * 4 > table.capacity * 3 else { return }
        let needed = total * 3 / 2
        let page = (2 << 20) / 8
        var capacity = table.capacity
        if needed <= page {
            while needed > capacity { capacity *= 2 }
        } else {
            capacity = (needed + page - 1) / page * page
        }
        rebuild(from: table, capacity: capacity, keeping: Int32.max)
    }

    /// Slots in the table (keys it holds at most three quarters of).
    var capacity: Int { table.capacity }

    /// Times the table doubled because keys arrived (not counting ``reserve(_:)``).
    private(set) var growths = 0

    private mutating func grow() {
        growths += 1
        rebuild(from: table, capacity: table.capacity * 2, keeping: Int32.max)
    }

    /// A new table of `capacity` slots with the keys of `old` whose calls are below `limit`.
    private mutating func rebuild(from old: Table, capacity: Int, keeping limit: Int32) {
        table = Table(capacity: capacity)
        count = 0
        let keys = table.keys
        let calls = table.calls
        for j in 0..<old.capacity {
            let k = old.keys[j]
            let c = old.calls[j]
            guard k != 0 && c < limit else { continue }
            var i = Self.home(k, capacity)
            while keys[i] != 0 {
                i += 1
                if i == capacity { i = 0 }
            }
            keys[i] = k
            calls[i] = c
            count += 1
        }
    }
}
