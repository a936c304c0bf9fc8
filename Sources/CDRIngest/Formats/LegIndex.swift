import CDRModel
import CPrefetch

/// Which call each leg key belongs to, for formats that write several rows for one call.
///
/// Keys are 64-bit hashes of the format's name and the key's bytes (``LegIndex/key(_:_:)``), kept in an
/// open-addressing table: no allocation per row. Two different keys share a hash with a probability of about
/// n²/2⁶⁵ (1 in 370,000 for ten million keys); they would merge two calls.
struct LegIndex {
    /// Slots of a key (8 bytes) and its call (4 bytes), packed one after another in memory from
    /// ``cdr_table_alloc`` (huge pages when large): a lookup is a random access into a table far larger than the
    /// caches, and a key and its call share a cache line (but for two slots in sixteen, which straddle two). A new
    /// leg's key, looked up and then added, costs one line where keys and calls in two arrays cost two.
    ///
    /// 12 bytes a slot, at most three quarters full: 16 to 32 bytes a key (16-byte key-and-call slots at most half
    /// full took 32 to 64: a 10 M-call FreeSWITCH month's 17.7 M keys, when both legs' ids were keys, needed 1 GiB).
    /// Any number of slots (a key's first slot is the high half of key × capacity), so a table reserved for its
    /// keys is sized to them, not to the next power of two: the kernel zeroes every page of it as the keys land
    /// (a FreeSWITCH site's month, 4 M keys: 8.4 M slots, 100 MB, before; 5.5 M slots, 66 MB, now).
    /// Shared between copies until one of them changes (copy on write).
    final class Table {
        let slots: UnsafeMutableRawPointer
        let capacity: Int
        private let mapped: Int
        static let stride = 12

        /// The job faulting in the table's pages on a thread of its own, when asked for.
        private var populating: UnsafeMutableRawPointer?

        init(capacity: Int, populate: Bool = false) {
            var m = 0
            guard let t = cdr_table_alloc(capacity * Self.stride, &m) else {
                fatalError("out of memory for a leg index of \(capacity) slots")
            }
            slots = t
            self.capacity = capacity
            mapped = m
            if populate { populating = cdr_populate_start(t, capacity * Self.stride) }
        }

        @inline(__always)
        func key(_ i: Int) -> UInt64 { slots.loadUnaligned(fromByteOffset: i &* Self.stride, as: UInt64.self) }

        @inline(__always)
        func call(_ i: Int) -> Int32 { slots.loadUnaligned(fromByteOffset: i &* Self.stride &+ 8, as: Int32.self) }

        @inline(__always)
        func set(_ i: Int, key k: UInt64, call c: Int32) {
            slots.storeBytes(of: k, toByteOffset: i &* Self.stride, as: UInt64.self)
            slots.storeBytes(of: c, toByteOffset: i &* Self.stride &+ 8, as: Int32.self)
        }

        /// Whether every page is present (always, unless made with `populate` and its job is still running).
        var isPopulated: Bool {
            guard let job = populating else { return true }
            guard cdr_populate_done(job) != 0 else { return false }
            cdr_populate_finish(job)
            populating = nil
            return true
        }

        func copy() -> Table {
            let t = Table(capacity: capacity)
            t.slots.copyMemory(from: slots, byteCount: capacity * Self.stride)
            return t
        }

        deinit {
            cdr_populate_finish(populating)
            cdr_table_free(slots, mapped)
        }
    }

    private var table = Table(capacity: 1024)
    private(set) var count = 0
    /// A table reserved for more keys whose pages fault in on a thread of their own (``reserve(_:)``): the keys
    /// move there once they have.
    private var pending: Table?

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
        let at = table.slots + Self.home(k, table.capacity) &* Table.stride
        cdr_prefetch(at)
        cdr_prefetch(at + (Table.stride - 1))
    }

    @inline(__always)
    func call(_ k: UInt64) -> Int? {
        guard count > 0, k != 0 else { return nil }
        let t = table
        let capacity = t.capacity
        var i = Self.home(k, capacity)
        while true {
            let v = t.key(i)
            if v == k { return Int(t.call(i)) }
            if v == 0 { return nil }
            i += 1
            if i == capacity { i = 0 }
        }
    }

    /// Maps `k` to `call` unless it is mapped already; returns the call `k` maps to now (−1 for the key 0).
    @inline(__always) @discardableResult
    mutating func insert(_ k: UInt64, call: Int) -> Int {
        guard k != 0 else { return -1 }
        if pending != nil { adoptPending() }
        if (count + 1) * 4 > table.capacity * 3 {
            grow()
        } else if !isKnownUniquelyReferenced(&table) {
            table = table.copy()
        }
        let t = table
        let capacity = t.capacity
        var i = Self.home(k, capacity)
        while true {
            let v = t.key(i)
            if v == 0 { break }
            if v == k { return Int(t.call(i)) }
            i += 1
            if i == capacity { i = 0 }
        }
        t.set(i, key: k, call: Int32(truncatingIfNeeded: call))
        count += 1
        return call
    }

    /// Moves the keys to the table ``reserve(_:)`` made once its pages are present (not when a copy of this index
    /// shares it: the copy may move its own keys there).
    @inline(never)
    private mutating func adoptPending() {
        guard var fresh = pending, fresh.isPopulated else { return }
        pending = nil
        if isKnownUniquelyReferenced(&fresh) && (count + 1) * 4 <= fresh.capacity * 3 {
            rebuild(from: table, into: fresh, keeping: Int32.max)
        }
    }

    /// Whether a reserved table waits for the keys (they move there on the first insert after its pages are in).
    var isReserving: Bool { pending != nil }

    /// Whether the pages of a reserved table are all in (or no table is reserved).
    var reservedPagesAreIn: Bool { pending?.isPopulated ?? true }

    /// Forgets the keys of calls at or after `n` (a duplicate file was dropped).
    mutating func removeCalls(from n: Int) {
        let limit = Int32(truncatingIfNeeded: n)
        let old = table
        guard count > 0, (0..<old.capacity).contains(where: { old.key($0) != 0 && old.call($0) >= limit })
        else { return }
        rebuild(from: old, capacity: old.capacity, keeping: limit)
    }

    /// Makes room for `total` keys in all without growing: one table of the final size, where doubling as keys
    /// arrive zeroes and fills every smaller size on the way and holds two tables at once while it copies.
    /// Below a huge page of slots (174,762) the table has a power of two slots; above, whole huge pages for
    /// `total` keys two thirds full (a key that is not there, every new leg, then probes about five slots, within
    /// a cache line or two; three quarters full, eight and a half), whose pages fault in on a thread of their own
    /// while the keys so far stay in the table they are in; they move on the first ``insert(_:call:)`` after.
    mutating func reserve(_ total: Int) {
        guard total * 4 > max(table.capacity, pending?.capacity ?? 0) * 3 else { return }
        let needed = total * 3 / 2
        let page = 2 << 20
        if needed * Table.stride <= page {
            var capacity = table.capacity
            while needed > capacity { capacity *= 2 }
            rebuild(from: table, capacity: capacity, keeping: Int32.max)
        } else {
            // Whole huge pages, faulted in on a thread of their own while the keys so far stay where they are:
            // tens of megabytes of fresh huge pages cost this thread a tenth of a FreeSWITCH file's reading.
            pending = Table(capacity: (needed * Table.stride + page - 1) / page * page / Table.stride, populate: true)
        }
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
        rebuild(from: old, into: Table(capacity: capacity), keeping: limit)
    }

    /// Moves the keys of `old` whose calls are below `limit` into `fresh` (an empty table).
    private mutating func rebuild(from old: Table, into fresh: Table, keeping limit: Int32) {
        table = fresh
        let capacity = fresh.capacity
        count = 0
        let t = table
        for j in 0..<old.capacity {
            let k = old.key(j)
            let c = old.call(j)
            guard k != 0 && c < limit else { continue }
            var i = Self.home(k, capacity)
            while t.key(i) != 0 {
                i += 1
                if i == capacity { i = 0 }
            }
            t.set(i, key: k, call: c)
            count += 1
        }
    }
}
