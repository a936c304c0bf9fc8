import CPrefetch

#if canImport(Glibc)
import Glibc
#endif

/// The process's resident memory, as Linux reports it in `/proc/self/status`, so that each stage of a run can
/// report its own peak. Elsewhere (or when `/proc` is not readable) every reading is `nil`.
public enum ResidentMemory {
    /// The highest resident bytes since the process started or since the last ``resetPeak()`` (`VmHWM`).
    public static func peak() -> Int? { field("VmHWM:") }

    /// Starts a new peak from the current resident size (writes `5` to `/proc/self/clear_refs`). This resets what
    /// `getrusage` and `time -v` report as the maximum resident size too, so only runs that print their stage peaks
    /// (`--timings`) do it.
    public static func resetPeak() {
        #if os(Linux)
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return }
        _ = "5".withCString { write(fd, $0, 1) }
        close(fd)
        #endif
    }

    /// Makes the C allocator serve blocks of `bytes` or more from their own mappings, handed back to the system as
    /// soon as they are freed. By default glibc raises that threshold to the size of each large block freed (up
    /// to 32 MB), so arrays that grow by copying (caches, indexes, batches) leave freed blocks in its heaps that
    /// still count as resident: about 20 MB of the ingest's peak at ten million calls. Called once by the CLI.
    public static func returnLargeBlocks(from bytes: Int = 1 << 20) {
        _ = cdr_set_mmap_threshold(Int32(clamping: bytes))
    }

    /// The peak since the last reset, then a reset: the peak of the stage that just ended.
    public static func stagePeak() -> Int? {
        let p = peak()
        resetPeak()
        return p
    }

    private static func field(_ name: String) -> Int? {
        #if os(Linux)
        guard let f = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), f) != nil {
            let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard s.hasPrefix(name) else { continue }
            let kb = s.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                .first.flatMap { Int($0) }
            return kb.map { $0 * 1024 }
        }
        return nil
        #else
        return nil
        #endif
    }
}
