import CPrefetch

/// Which call each leg key belongs to, for formats that write several rows for one call.
///
/// Keys are 64-bit hashes of the format's name and the key's bytes (``LegIndex/key(_:_:)``), kept in an
/// open-addressing table: no allocation per row. Two different keys share a hash with a probability of about
/// n²/2⁶⁵ (1 in 370,000 for ten million keys); they would merge two calls.
struct LegIndex {
    /// Key and call side by side, so a lookup touches one cache line.
    private var slots: [(key: UInt64, call: Int32)] = []
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
        guard k != 0, !slots.isEmpty else { return }
        slots.withUnsafeBufferPointer { b in
            cdr_prefetch(b.baseAddress! + (Int(truncatingIfNeeded: k) & (b.count - 1)))
        }
    }

    @inline(__always)
    func call(_ k: UInt64) -> Int? {
        guard count > 0, k != 0 else { return nil }
        return slots.withUnsafeBufferPointer { b in
            let mask = b.count - 1
            var i = Int(truncatingIfNeeded: k) & mask
            while true {
                let v = b[i]
                if v.key == k { return Int(v.call) }
                if v.key == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Maps `k` to `call` unless it is mapped already.
    @inline(__always)
    mutating func insert(_ k: UInt64, call: Int) {
        guard k != 0 else { return }
        if (count + 1) * 2 > slots.count { grow() }
        let inserted = slots.withUnsafeMutableBufferPointer { b -> Bool in
            let mask = b.count - 1
            var i = Int(truncatingIfNeeded: k) & mask
            while b[i].key != 0 {
                if b[i].key == k { return false }
                i = (i + 1) & mask
            }
            b[i] = (k, Int32(truncatingIfNeeded: call))
            return true
        }
        if inserted { count += 1 }
    }

    /// Forgets the keys of calls at or after `n` (a duplicate file was dropped).
    mutating func removeCalls(from n: Int) {
        let limit = Int32(truncatingIfNeeded: n)
        guard count > 0, slots.contains(where: { $0.key != 0 && $0.call >= limit }) else { return }
        let old = slots.filter { $0.key != 0 && $0.call < limit }
        slots = Array(repeating: (0, 0), count: slots.count)
        count = 0
        for (k, c) in old { insert(k, call: Int(c)) }
    }

    private mutating func grow() {
        let old = slots.filter { $0.key != 0 }
        slots = Array(repeating: (0, 0), count: max(1024, slots.count * 2))
        count = 0
        for (k, c) in old { insert(k, call: Int(c)) }
    }
}
