import CPrefetch

/// A dictionary encoder for strings: each distinct byte string gets a dense `UInt32` id.
///
/// Bytes live in one arena, so a million distinct phone numbers cost their bytes plus about 20 bytes each,
/// and interning a field straight from a CSV buffer allocates nothing when the string was seen before.
/// Id 0 is always the empty string.
///
/// - Complexity: `intern` is O(length) expected; lookups by id are O(1).
public struct StringTable: Sendable {
    /// Entries: `[id: UInt32][length: UInt32][note: UInt32][bytes…]`, so that a probe finds the id and the bytes in
    /// one place, and the note (``note(_:)``) is in the cache line the probe just read.
    @usableFromInline var arena: [UInt8] = []
    /// Arena offset of each id's entry.
    @usableFromInline var entries: [UInt32] = []
    /// Open addressing, 4 bytes a slot: the arena offset + 1 in the low ``offsetBits`` bits (0 = empty slot) and,
    /// above them, as many upper bits of the hash as are left (a tag that saves most probes a look at the arena:
    /// 5 bits for a 75 MB arena, 16 for a small table). Empty after ``releaseIndex()`` until the next
    /// ``intern(_:hash:)`` rebuilds it.
    @usableFromInline var slots: [UInt32]
    @usableFromInline var mask: Int
    /// Bits of a slot that hold the offset; one more (and a fresh index) each time the arena outgrows them.
    @usableFromInline var offsetBits = 16 {
        didSet { offsetMask = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(offsetBits)) - 1) }
    }
    /// The ids and entry offsets of the last two strings interned (found or added), newest first: their notes are
    /// read without a look at ``entries`` (a random access of its own).
    @usableFromInline var recentId: (UInt32, UInt32) = (UInt32.max, UInt32.max)
    @usableFromInline var recentAt: (UInt32, UInt32) = (0, 0)
    /// Bytes of an entry before its string, and where in them the note is.
    @usableFromInline static let header = 12
    @usableFromInline static let noteAt = 8

    public init() {
        slots = Array(repeating: 0, count: 1024)
        mask = 1023
        _ = intern("")
    }

    /// Number of distinct strings, the empty string included.
    public var count: Int { entries.count }

    /// Bytes used by the arena's strings, the entry offsets and the hash slots (arena room reserved and not yet
    /// written is not counted: it takes no memory).
    public var byteSize: Int { arena.count + entries.capacity * 4 + slots.count * 4 }

    /// The bits of a slot that hold the offset (``offsetBits`` of them): stored, because computed it was left out
    /// of line in the other modules' loops, a call for each prefetch of an entry.
    @usableFromInline private(set) var offsetMask: UInt32 = 0xFFFF

    /// The tag of hash `h`: its upper bits, where a slot holds them.
    @inline(__always)
    private func tag(_ h: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: h >> 32) & ~offsetMask }

    /// Reserves room for `bytes` more bytes of strings (plus their entry headers) in the arena, so that it is not
    /// copied to a buffer twice its size while it fills: pages reserved and never written take no memory.
    public mutating func reserve(bytes: Int) {
        let want = arena.count + bytes
        // At least half again, so that reserving file after file does not copy the arena once per file.
        if want > arena.capacity { arena.reserveHugeCapacity(max(want, arena.capacity + arena.capacity / 2)) }
    }

    /// The hash ``intern(_:hash:)`` expects: computed ahead (on another thread, say) to save the interning
    /// thread the work.
    @inlinable
    public static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        let n = p.count
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        // The last n − i (< 8) bytes as a little-endian word, with at most three loads instead of a loop byte by
        // byte (the same value: numbers are a dozen bytes, and the loop was half of hashing one).
        var tail: UInt64 = 0
        let rest = n - i
        if rest > 0, let base = p.baseAddress {
            if n >= 8 {
                // The word ending at the last byte, its first 8 − rest bytes (already hashed) shifted out.
                tail = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64(64 - 8 * rest)
            } else if rest >= 4 {
                // Two overlapping 4-byte words: the bytes they share land in the same places.
                let low = UInt64(base.loadUnaligned(as: UInt32.self))
                let high = UInt64(base.loadUnaligned(fromByteOffset: rest - 4, as: UInt32.self))
                tail = low | high << UInt64(8 * (rest - 4))
            } else {
                // One to three bytes: the first, the middle one and the last (some of them the same byte).
                tail = UInt64(base.load(as: UInt8.self))
                tail |= UInt64(base.load(fromByteOffset: rest / 2, as: UInt8.self)) << UInt64(8 * (rest / 2))
                tail |= UInt64(base.load(fromByteOffset: rest - 1, as: UInt8.self)) << UInt64(8 * (rest - 1))
            }
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return h
    }

    /// Finds `bytes`; returns (id, slot, entry offset) when present, else (nil, the empty slot to fill, 0).
    @inline(__always)
    private func find(_ bytes: UnsafeRawBufferPointer, _ h: UInt64) -> (UInt32?, Int, Int) {
        if slots.isEmpty {
            let id = scan(bytes)
            return (id, 0, id.map { Int(entries[Int($0)]) } ?? 0)
        }
        let low = offsetMask
        let tag = tag(h)
        return slots.withUnsafeBufferPointer { sl in
            arena.withUnsafeBytes { a in
                var slot = Int(truncatingIfNeeded: h) & mask
                while true {
                    let entry = sl[slot]
                    if entry == 0 { return (nil, slot, 0) }
                    if entry & ~low == tag {
                        let at = Int(entry & low) - 1
                        if Self.entry(a, at, is: bytes) {
                            return (a.loadUnaligned(fromByteOffset: at, as: UInt32.self), slot, at)
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Returns the id of `bytes`, adding it when new.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        intern(bytes, hash: Self.hash(bytes))
    }

    /// Starts loading the slot that interning a string of hash `h` reads first (a prefetch: it does not wait).
    @inlinable
    public func prefetchSlot(hash h: UInt64) {
        slots.withUnsafeBufferPointer { sl in
            guard let base = sl.baseAddress else { return }
            cdr_prefetch(base + (Int(truncatingIfNeeded: h) & mask))
        }
    }

    /// Starts loading the entry the slot of hash `h` points at (call it some time after ``prefetchSlot(hash:)``).
    @inlinable
    public func prefetchEntry(hash h: UInt64) {
        slots.withUnsafeBufferPointer { sl in
            guard !sl.isEmpty else { return }
            let entry = sl[Int(truncatingIfNeeded: h) & mask]
            guard entry != 0 else { return }
            arena.withUnsafeBytes { a in cdr_prefetch(a.baseAddress! + Int(entry & offsetMask) - 1) }
        }
    }

    /// Starts loading the entry offset of `id` (a prefetch: it does not wait).
    @inlinable
    public func prefetchEntry(id: UInt32) {
        entries.withUnsafeBufferPointer { cdr_prefetch($0.baseAddress! + Int(id)) }
    }

    /// Starts loading the bytes of `id` (call it some time after ``prefetchEntry(id:)``: it reads the offset).
    @inlinable
    public func prefetchBytes(id: UInt32) {
        let at = Int(entries[Int(id)])
        arena.withUnsafeBytes { cdr_prefetch($0.baseAddress! + at) }
    }

    /// Returns the id of `bytes` whose ``hash(_:)`` is `h`, adding it when new. With `remember` false the string is
    /// not one of the two whose notes are read without a look at the entries (``note(_:)``): for a string interned
    /// on the side, between interning two strings and reading their notes.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer, hash h: UInt64, remember: Bool = true) -> UInt32 {
        if slots.isEmpty { rebuildIndex() }
        let (found, slot, foundAt) = find(bytes, h)
        if let found {
            if remember { self.remember(found, foundAt) }
            return found
        }
        let id = UInt32(entries.count)
        let at = arena.count
        let size = Self.header + bytes.count
        // Grown here rather than by `append`, so that the new storage is on huge pages.
        if at + size > arena.capacity { arena.reserveHugeCapacity(max(at + size, 2 * at)) }
        if entries.count == entries.capacity { entries.reserveHugeCapacity(max(1024, 2 * entries.count)) }
        // The header (id, length, note 0) in one append: an append each cost 75 instructions a call.
        let head = (id.littleEndian, UInt32(bytes.count).littleEndian, UInt32(0))
        withUnsafeBytes(of: head) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: bytes)
        if remember { self.remember(id, at) }
        precondition(arena.count < Int(UInt32.max), "string table over 4 GiB")
        entries.append(UInt32(at))
        slots[slot] = tag(h) | UInt32(at + 1)
        if arena.count >= Int(offsetMask) { widenOffsets() }
        if entries.count * 2 > slots.count { grow() }
        return id
    }

    @inline(__always)
    private mutating func remember(_ id: UInt32, _ at: Int) {
        recentId = (id, recentId.0)
        recentAt = (UInt32(truncatingIfNeeded: at), recentAt.0)
    }

    /// The entry offset of `id`: from the last two interned without a look at ``entries``.
    @inlinable @inline(__always)
    func offset(_ id: UInt32) -> Int {
        if id == recentId.0 { return Int(recentAt.0) }
        if id == recentId.1 { return Int(recentAt.1) }
        return Int(entries[Int(id)])
    }

    /// A number the caller keeps with string `id` (0 until set): the store's numbers keep the id each raw number
    /// normalizes to. Reading it right after interning the string costs no cache miss: it sits beside the bytes
    /// the intern compared.
    @inlinable @inline(__always)
    public func note(_ id: UInt32) -> UInt32 {
        let at = offset(id)
        return arena.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at + Self.noteAt, as: UInt32.self) }
    }

    /// Sets the note of `id`.
    public mutating func setNote(_ id: UInt32, _ value: UInt32) {
        let at = offset(id)
        arena.withUnsafeMutableBytes { $0.storeBytes(of: value, toByteOffset: at + Self.noteAt, as: UInt32.self) }
    }

    /// Sets every note back to 0.
    public mutating func clearNotes() {
        let offsets = entries
        arena.withUnsafeMutableBytes { a in
            for at in offsets { a.storeBytes(of: UInt32(0), toByteOffset: Int(at) + Self.noteAt, as: UInt32.self) }
        }
    }

    /// Returns the id of `string`, adding it when new.
    public mutating func intern(_ string: String) -> UInt32 {
        var s = string
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// Returns the id of `string` when present, without adding it.
    public func lookup(_ string: String) -> UInt32? {
        var s = string
        return s.withUTF8 { buf in
            let bytes = UnsafeRawBufferPointer(buf)
            return find(bytes, Self.hash(bytes)).0
        }
    }

    /// Frees the hash index (4 bytes a slot, at least two slots a string): ids, bytes and ``lookup(_:)`` keep
    /// working (a lookup scans the strings until the index is back), and the next ``intern(_:hash:)`` rebuilds it.
    /// For a table that is complete, such as a store's numbers once its CDRs are read.
    public mutating func releaseIndex() {
        slots = []
        mask = 0
    }

    /// The id of `bytes` by a scan of every string (only while the index is released).
    private func scan(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        for id in 0..<entries.count {
            let same = withBytes(UInt32(id)) {
                $0.count == bytes.count
                    && (bytes.isEmpty || memcmpBytes($0.baseAddress!, bytes.baseAddress!, bytes.count))
            }
            if same { return UInt32(id) }
        }
        return nil
    }

    private mutating func rebuildIndex() {
        while arena.count >= Int(offsetMask) { offsetBits += 1 }
        var size = 1024
        while size < entries.count * 2 { size *= 2 }
        reindex(size: size)
    }

    /// One more bit of every slot for offsets, one less for the tag: the next entry's offset would not fit. Slots
    /// stay where they are (they are placed by the hash's low bits); the tag's lowest bit is cleared.
    private mutating func widenOffsets() {
        let bit = UInt32(truncatingIfNeeded: UInt64(1) << UInt64(offsetBits))
        offsetBits += 1
        slots.withUnsafeMutableBufferPointer { sl in
            for i in sl.indices { sl[i] &= ~bit }
        }
    }

    private mutating func grow() { reindex(size: slots.count * 2) }

    /// Places every string in a fresh index of `size` slots (a power of two), in id order so the arena is read
    /// front to back. Each string's slot is a random place in an index far larger than the caches: the hashes of
    /// the next ``reindexAhead`` strings are computed first and their slots prefetched, so that those misses
    /// overlap instead of coming one after the other.
    private mutating func reindex(size: Int) {
        var fresh = [UInt32].zeroedHuge(count: size)
        let m = size - 1
        let n = entries.count
        let ahead = Self.reindexAhead
        arena.withUnsafeBytes { a in
            entries.withUnsafeBufferPointer { e in
                fresh.withUnsafeMutableBufferPointer { f in
                    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: ahead) { ring in
                        @inline(__always) func hashOf(_ k: Int) -> UInt64 {
                            let at = Int(e[k])
                            let len = Int(a.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self))
                            let start = at + Self.header
                            return Self.hash(UnsafeRawBufferPointer(rebasing: a[start..<(start + len)]))
                        }
                        @inline(__always) func load(_ k: Int) {
                            let h = hashOf(k)
                            ring[k & (ahead - 1)] = h
                            cdr_prefetch(f.baseAddress! + (Int(truncatingIfNeeded: h) & m))
                        }
                        for k in 0..<min(ahead, n) { load(k) }
                        for k in 0..<n {
                            let h = ring[k & (ahead - 1)]
                            if k + ahead < n { load(k + ahead) }
                            var slot = Int(truncatingIfNeeded: h) & m
                            while f[slot] != 0 { slot = (slot + 1) & m }
                            f[slot] = tag(h) | UInt32(Int(e[k]) + 1)
                        }
                    }
                }
            }
        }
        slots = fresh
        mask = m
    }

    /// Strings whose index slots ``reindex(size:)`` prefetches ahead of placing them (a power of two).
    static let reindexAhead = 16

    /// The string for `id`. Invalid UTF-8 is repaired with U+FFFD, never trapped on.
    public subscript(id: UInt32) -> String {
        withBytes(id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of `id`.
    public func withBytes<R>(_ id: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let at = Int(entries[Int(id)])
        return try arena.withUnsafeBytes { a in
            let len = Int(a.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self))
            let start = at + Self.header
            return try body(UnsafeRawBufferPointer(rebasing: a[start..<(start + len)]))
        }
    }

    /// Whether string `id` is `bytes` (the last two interned are found without a look at the entries).
    @inlinable @inline(__always)
    public func holds(_ id: UInt32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let at = offset(id)
        return arena.withUnsafeBytes { Self.entry($0, at, is: bytes) }
    }

    /// Whether the entry at offset `at` of arena `a` holds `bytes`.
    @usableFromInline @inline(__always)
    static func entry(_ a: UnsafeRawBufferPointer, _ at: Int, is bytes: UnsafeRawBufferPointer) -> Bool {
        let len = Int(a.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self))
        return len == bytes.count && (len == 0 || memcmpBytes(a.baseAddress! + at + header, bytes.baseAddress!, len))
    }

    /// Every string in id order.
    public var all: [String] { (0..<count).map { self[UInt32($0)] } }
}

@usableFromInline @inline(__always)
func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
