/// A dictionary encoder for strings: each distinct byte string gets a dense `UInt32` id.
///
/// Bytes live in one arena, so a million distinct phone numbers cost their bytes plus about 16 bytes each,
/// and interning a field straight from a CSV buffer allocates nothing when the string was seen before.
/// Id 0 is always the empty string.
///
/// - Complexity: `intern` is O(length) expected; lookups by id are O(1).
public struct StringTable: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [UInt32] = [0]
    private var hashes: [UInt64] = []
    private var slots: [UInt32]  // 0 = empty, else id + 1
    private var mask: Int

    public init() {
        slots = Array(repeating: 0, count: 1024)
        mask = 1023
        _ = intern("")
    }

    /// Number of distinct strings, the empty string included.
    public var count: Int { hashes.count }

    /// Bytes used by the arena, offsets, hashes and hash slots.
    public var byteSize: Int { arena.capacity + offsets.capacity * 4 + hashes.capacity * 8 + slots.count * 4 }

    @inline(__always)
    static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        let n = p.count
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return h
    }

    /// Returns the id of `bytes`, adding it when new.
    @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let h = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == h && equals(id, bytes) { return UInt32(id) }
            slot = (slot + 1) & mask
        }
        let id = UInt32(hashes.count)
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
        hashes.append(h)
        slots[slot] = id + 1
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    /// Returns the id of `string`, adding it when new.
    public mutating func intern(_ string: String) -> UInt32 {
        var s = string
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// Returns the id of `string` when present, without adding it.
    public func lookup(_ string: String) -> UInt32? {
        var s = string
        return s.withUTF8 { buf -> UInt32? in
            let bytes = UnsafeRawBufferPointer(buf)
            let h = Self.hash(bytes)
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 { return nil }
                let id = Int(entry - 1)
                if hashes[id] == h && equals(id, bytes) { return UInt32(id) }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let lo = Int(offsets[id])
        let hi = Int(offsets[id + 1])
        guard hi - lo == bytes.count else { return false }
        if bytes.count == 0 { return true }
        return arena.withUnsafeBytes { a in
            memcmpBytes(a.baseAddress! + lo, bytes.baseAddress!, bytes.count)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [UInt32](repeating: 0, count: size)
        let m = size - 1
        for id in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & m
            while fresh[slot] != 0 { slot = (slot + 1) & m }
            fresh[slot] = UInt32(id + 1)
        }
        slots = fresh
        mask = m
    }

    /// The string for `id`. Invalid UTF-8 is repaired with U+FFFD, never trapped on.
    public subscript(id: UInt32) -> String {
        let lo = Int(offsets[Int(id)])
        let hi = Int(offsets[Int(id) + 1])
        return String(decoding: arena[lo..<hi], as: UTF8.self)
    }

    /// Calls `body` with the bytes of `id`.
    public func withBytes<R>(_ id: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let lo = Int(offsets[Int(id)])
        let hi = Int(offsets[Int(id) + 1])
        return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lo..<hi])) }
    }

    /// Every string in id order.
    public var all: [String] { (0..<count).map { self[UInt32($0)] } }
}

@inline(__always)
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
