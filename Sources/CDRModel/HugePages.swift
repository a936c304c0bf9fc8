import CPrefetch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Array where Element: BitwiseCopyable {
    /// Room for at least `n` elements in new storage marked for transparent huge pages before it is touched
    /// (`cdr_advise_huge`), the elements moved there; nothing when the capacity suffices.
    ///
    /// For the large arrays read at random (the string tables'). On 4 KiB pages a random access into tens of
    /// megabytes misses the TLB nearly every time, and under virtualization the page walk costs more than the
    /// cache miss. Growing by `append` would copy the elements into new 4 KiB pages first, before any advice could
    /// apply. Not for arrays written and read in order (the store's columns, ``ColumnStore/reserve(_:)``): their
    /// pages cost few TLB misses, and a fresh huge page can cost several times what small ones do to fault in.
    public mutating func reserveHugeCapacity(_ n: Int) {
        guard n > capacity else { return }
        let old = self
        self = Array(unsafeUninitializedCapacity: n) { buffer, count in
            let stride = MemoryLayout<Element>.stride
            cdr_advise_huge(UnsafeMutableRawPointer(buffer.baseAddress), n * stride)
            old.withUnsafeBytes { src in
                if let from = src.baseAddress { _ = memcpy(buffer.baseAddress!, from, src.count) }
            }
            count = old.count
        }
    }

    /// `n` elements of all-zero bytes (0 for integers) in storage marked for huge pages before it is written (see
    /// ``reserveHugeCapacity(_:)``).
    public static func zeroedHuge(count n: Int) -> [Element] {
        Array(unsafeUninitializedCapacity: n) { buffer, count in
            let bytes = n * MemoryLayout<Element>.stride
            cdr_advise_huge(UnsafeMutableRawPointer(buffer.baseAddress), bytes)
            if let base = buffer.baseAddress { _ = memset(base, 0, bytes) }
            count = n
        }
    }
}
