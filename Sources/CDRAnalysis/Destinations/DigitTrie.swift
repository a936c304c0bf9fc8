/// A longest-prefix table over decimal digits (flattened ten-way trie), used for the numbering plan, the risk
/// list and rate decks.
///
/// - Complexity: insert and lookup are O(digits).
public struct DigitTrie: Sendable {
    private var children: [Int32] = [Int32](repeating: 0, count: 10)
    private var values: [Int32] = [-1]

    public init() {}

    /// Sets `value` for `prefix` (digits only; other characters are ignored).
    public mutating func insert(_ prefix: some StringProtocol, value: Int32) {
        var node = 0
        for c in prefix.utf8 {
            let d = Int(c) - 48
            guard d >= 0 && d < 10 else { continue }
            var child = Int(children[node * 10 + d])
            if child == 0 {
                child = values.count
                values.append(-1)
                children.append(contentsOf: repeatElement(0, count: 10))
                children[node * 10 + d] = Int32(child)
            }
            node = child
        }
        values[node] = value
    }

    /// The value of the longest prefix of `digits` in the table and that prefix's length.
    @inline(__always)
    public func longest(_ digits: some Sequence<UInt8>) -> (value: Int32, length: Int)? {
        var node = 0
        var best: (Int32, Int)? = nil
        var depth = 0
        for c in digits {
            let d = Int(c) - 48
            guard d >= 0 && d < 10 else { break }
            let child = Int(children[node * 10 + d])
            if child == 0 { break }
            node = child
            depth += 1
            let v = values[node]
            if v >= 0 { best = (v, depth) }
        }
        return best
    }
}
