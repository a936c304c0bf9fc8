import CDRModel
import Foundation
import Testing

/// Arrays grown onto huge pages keep their elements, and their storage carries the advice (Linux: the mapping's
/// `hg` flag in `/proc/self/smaps`).
@Suite struct HugePagesTests {
    @Test("growing keeps every element and the count; zeroed arrays are zero")
    func keepsElements() {
        var a: [UInt32] = Array(0..<100_000)
        a.reserveHugeCapacity(10)  // enough already: nothing changes
        #expect(a == Array(0..<100_000))
        a.reserveHugeCapacity(3_000_000)
        #expect(a.capacity >= 3_000_000)
        #expect(a == Array(0..<100_000))
        a.append(7)
        #expect(a.count == 100_001 && a.last == 7 && a[99_999] == 99_999)
        var empty: [Int64] = []
        empty.reserveHugeCapacity(5)
        #expect(empty.isEmpty && empty.capacity >= 5)
        let zeros = [UInt16].zeroedHuge(count: 2_000_000)
        #expect(zeros.count == 2_000_000 && zeros.allSatisfy { $0 == 0 })
        #expect([UInt8].zeroedHuge(count: 0).isEmpty)
    }

    #if os(Linux)
    /// Kernels built without transparent huge pages refuse the advice; the arrays work the same there.
    @Test(
        "the storage of a large array is advised for huge pages",
        .enabled(if: FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled"))
    )
    func advised() throws {
        var a: [UInt64] = [1, 2, 3]
        a.reserveHugeCapacity(4 << 20)  // 32 MiB
        let address = a.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress!) } + (8 << 20)
        // Read to the end (a /proc file has no size to read up to).
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        let smaps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        try handle.close()
        var inside = false
        var flags: String? = nil
        for line in smaps.split(separator: "\n") {
            let first = line.split(separator: " ").first ?? ""
            let range = first.split(separator: "-")
            if range.count == 2, let lo = UInt(range[0], radix: 16), let hi = UInt(range[1], radix: 16) {
                inside = lo <= address && address < hi
            } else if inside, line.hasPrefix("VmFlags:") {
                flags = String(line)
            }
        }
        let vmFlags = try #require(flags)
        #expect(vmFlags.split(separator: " ").contains("hg"), "\(vmFlags)")
        #expect(a[0...2] == [1, 2, 3])
    }
    #endif
}
