/// Ids that are mostly equal to the ids of another column, stored only where they differ: a bit per row and the
/// differing ids in row order, with a count per 64 rows so that reading one is O(1) (a bit test and a popcount).
///
/// The calling number as written is the normalized calling number for most calls (E.164 from the carrier, an
/// extension); where it is not (a national form, a prefix), it is kept here. About 0.19 bytes a row plus 4 bytes
/// a differing row, against 4 bytes a row for a full column.
public struct ExceptionIds: Sendable {
    /// Bit `r % 64` of word `r / 64`: row `r` differs.
    @usableFromInline var bits: [UInt64] = []
    /// Differing rows before each word.
    @usableFromInline var before: [UInt32] = []
    /// The differing ids, in row order.
    @usableFromInline var ids: [UInt32] = []
    /// Rows.
    public private(set) var count = 0
    /// Rows set after they left the last 64 (``set(_:_:)``), with their ids (nil: the same as the other column's):
    /// read through ``id(_:else:)``, moved into place by ``settle()`` in one pass for them all.
    @usableFromInline var changed: [Int: UInt32?] = [:]

    public init() {}

    /// Rows that differ.
    public var exceptions: Int { ids.count }

    /// Bytes held (allocated room not yet written takes no memory and is not counted).
    public var byteSize: Int { bits.count * 8 + before.count * 4 + ids.count * 4 }

    /// Appends a row: `id` when it differs from the other column's, else nil.
    @inline(__always)
    public mutating func append(_ id: UInt32?) {
        if count & 63 == 0 {
            bits.append(0)
            before.append(UInt32(ids.count))
        }
        if let id {
            bits[count >> 6] |= 1 << UInt64(count & 63)
            ids.append(id)
        }
        count += 1
    }

    /// Row `r`'s id, or `same` (the other column's id) when it does not differ.
    @inlinable
    public func id(_ r: Int, else same: UInt32) -> UInt32 {
        if !changed.isEmpty, let c = changed[r] { return c ?? same }
        let word = bits[r >> 6]
        let bit = UInt64(1) << UInt64(r & 63)
        guard word & bit != 0 else { return same }
        return ids[Int(before[r >> 6]) + (word & (bit &- 1)).nonzeroBitCount]
    }

    /// Sets row `r`'s id (nil: the same as the other column's, `same` read there). A row among the last 64 is set
    /// in place; an earlier one is kept aside until ``settle()``: setting it in place moves the ids of every
    /// differing row after it, and a file whose calls' first rows all come late would take quadratic time.
    public mutating func set(_ r: Int, _ id: UInt32?) {
        precondition(r < count, "row \(r) of \(count)")
        let word = r >> 6
        guard word == bits.count - 1 else {
            changed[r] = .some(id)
            return
        }
        if !changed.isEmpty { changed.removeValue(forKey: r) }
        let bit = UInt64(1) << UInt64(r & 63)
        let at = Int(before[word]) + (bits[word] & (bit &- 1)).nonzeroBitCount
        switch (bits[word] & bit != 0, id) {
        case (true, let id?): ids[at] = id
        case (true, nil):
            ids.remove(at: at)
            bits[word] &= ~bit
        case (false, let id?):
            ids.insert(id, at: at)
            bits[word] |= bit
        case (false, nil): break
        }
    }

    /// Moves the rows set aside by ``set(_:_:)`` into place (nothing to do when there are none).
    public mutating func settle() {
        guard !changed.isEmpty else { return }
        var out = ExceptionIds()
        out.reserveCapacity(count)
        out.ids.reserveCapacity(ids.count + changed.count)
        let rows = changed.keys.sorted()
        var k = 0  // the next of `rows`
        var next = 0  // the next of `ids`, in row order
        for r in 0..<count {
            var id: UInt32? = nil
            if bits[r >> 6] & (UInt64(1) << UInt64(r & 63)) != 0 {
                id = ids[next]
                next += 1
            }
            if k < rows.count && rows[k] == r {
                id = changed[r]!
                k += 1
            }
            out.append(id)
        }
        self = out
    }

    /// Differing rows before row `r`.
    private func rank(_ r: Int) -> Int {
        guard r < count else { return ids.count }
        return Int(before[r >> 6]) + (bits[r >> 6] & ((UInt64(1) << UInt64(r & 63)) &- 1)).nonzeroBitCount
    }

    /// Keeps the first `n` rows.
    public mutating func truncate(to n: Int) {
        guard n < count else { return }
        ids.removeLast(ids.count - rank(n))
        let words = (n + 63) >> 6
        bits.removeLast(bits.count - words)
        before.removeLast(before.count - words)
        if n & 63 != 0 { bits[words - 1] &= (UInt64(1) << UInt64(n & 63)) &- 1 }
        count = n
        if !changed.isEmpty { changed = changed.filter { $0.key < n } }
    }

    public mutating func reserveCapacity(_ n: Int) {
        bits.reserveCapacity((n + 63) >> 6)
        before.reserveCapacity((n + 63) >> 6)
    }
}
