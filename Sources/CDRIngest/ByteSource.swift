import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stream of bytes read in chunks into a caller's buffer.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; returns 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes consumed from the underlying file so far (compressed bytes for gzip).
    var consumedBytes: Int64 { get }
}

/// Reads a file descriptor with `read(2)`, replaying bytes that were peeked first.
public final class FileSource: ByteSource {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var replay: [UInt8]
    private var replayOffset = 0
    public private(set) var consumedBytes: Int64 = 0
    public let path: String
    /// The file's size when it is a regular file (not standard input or a pipe).
    public private(set) var size: Int64?
    private var hash = ContentHash()

    /// A fingerprint of every byte read so far (all of the file once read to the end): `bytes-hash`.
    public var fingerprint: String { hash.fingerprint }

    /// Opens `path`, or standard input when `path` is `-`.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            // Local until the checks pass: a throwing initializer of a class whose properties are all set runs
            // `deinit`, which would close the descriptor a second time.
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                let e = errno
                throw IngestError(
                    e == ENOENT ? .notFound : .unreadable,
                    file: path,
                    e == ENOENT ? "no such file" : "cannot open: \(String(cString: strerror(e)))"
                )
            }
            var st = stat()
            if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                let dir = path.hasSuffix("/") ? String(path.dropLast()) : path
                throw IngestError(
                    .unreadable,
                    file: path,
                    "is a directory, not a CDR file; give the files in it (for example '\(dir)/*.csv')"
                )
            }
            self.fd = fd
            ownsDescriptor = true
            if (st.st_mode & S_IFMT) == S_IFREG { size = Int64(st.st_size) }
        }
        replay = []
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// Reads up to `n` bytes without consuming them (they are returned again by later reads).
    public func peek(_ n: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n)
        var got = 0
        while got < n {
            let r = out.withUnsafeMutableBytes { p in
                Glibc.read(fd, p.baseAddress! + got, n - got)
            }
            if r < 0 {
                if errno == EINTR { continue }
                throw IngestError(.unreadable, file: path, "read failed: \(String(cString: strerror(errno)))")
            }
            if r == 0 { break }
            got += r
        }
        out.removeLast(n - got)
        replay = out
        return out
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if replayOffset < replay.count {
            let n = min(buffer.count, replay.count - replayOffset)
            replay.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + replayOffset, byteCount: n)
            }
            hash.add(UnsafeRawBufferPointer(start: buffer.baseAddress!, count: n))
            replayOffset += n
            consumedBytes += Int64(n)
            if replayOffset == replay.count {
                replay = []
                replayOffset = 0
            }
            return n
        }
        while true {
            let r = Glibc.read(fd, buffer.baseAddress!, buffer.count)
            if r < 0 {
                if errno == EINTR { continue }
                throw IngestError(.unreadable, file: path, "read failed: \(String(cString: strerror(errno)))")
            }
            consumedBytes += Int64(r)
            if r > 0 { hash.add(UnsafeRawBufferPointer(start: buffer.baseAddress!, count: r)) }
            return r
        }
    }
}

/// Reads bytes from memory (tests, and data generated in-process).
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    private let chunk: Int
    public var consumedBytes: Int64 { Int64(offset) }

    /// - Parameter chunk: the most bytes one `read` returns, to exercise chunk boundaries.
    public init(_ bytes: [UInt8], chunk: Int = .max) {
        self.bytes = bytes
        self.chunk = max(1, chunk)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset, chunk)
        if n <= 0 { return 0 }
        bytes.withUnsafeBytes { src in buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

/// Inflates a gzip (or zlib) stream from another source with zlib, member after member.
///
/// Concatenated members (`cat a.gz b.gz`) are read as one stream. Zero bytes after the last complete member
/// (tape padding, which `zcat` accepts) end the stream. A stream that ends inside a member throws
/// ``IngestError/Kind/truncatedGzip``; undecodable data throws ``IngestError/Kind/corruptGzip``; both carry the
/// compressed byte offset. Bytes inflated before a fault have already been returned to the caller.
///
/// - Complexity: memory is one 256 KiB input buffer plus zlib's 32 KiB window, whatever the file size.
public final class GzipSource: ByteSource {
    private let inner: ByteSource
    private let name: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var eof = false
    private var memberEnded = false
    private var sawInput = false
    private var finished = false
    private var inputBase: Int64 = 0  // compressed bytes consumed before the current input buffer
    private var inputFill = 0

    public var consumedBytes: Int64 { inputBase + Int64(inputFill - Int(stream.pointee.avail_in)) }

    public init(_ inner: ByteSource, name: String, inputChunk: Int = 256 * 1024) throws {
        self.inner = inner
        self.name = name
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(byteCount: inputChunk, alignment: 16)
        let rc = czlib_inflateInit2(stream, 15 + 32)
        guard rc == Z_OK else {
            throw IngestError(.corruptGzip, file: name, "zlib could not start (code \(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    private func refill() throws {
        inputBase += Int64(inputFill)
        inputFill = 0
        let n = try inner.read(into: input)
        if n == 0 {
            eof = true
            return
        }
        sawInput = true
        inputFill = n
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(n)
    }

    /// True when the rest of the input is zero bytes (padding after the last member).
    private func restIsZeroPadding() throws -> Bool {
        while true {
            if stream.pointee.avail_in > 0 {
                let p = UnsafeRawPointer(stream.pointee.next_in!)
                for i in 0..<Int(stream.pointee.avail_in) where p.load(fromByteOffset: i, as: UInt8.self) != 0 {
                    return false
                }
                stream.pointee.next_in += Int(stream.pointee.avail_in)
                stream.pointee.avail_in = 0
            }
            if eof { return true }
            try refill()
            if eof { return true }
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished { return 0 }
        while true {
            if stream.pointee.avail_in == 0 && !eof { try refill() }
            if stream.pointee.avail_in == 0 && eof {
                if memberEnded || !sawInput {
                    finished = true
                    return 0
                }
                throw IngestError(
                    .truncatedGzip,
                    file: name,
                    offset: consumedBytes,
                    "gzip stream ends in the middle of a member (the file is truncated)"
                )
            }
            if memberEnded {
                let first = UnsafeRawPointer(stream.pointee.next_in!).load(as: UInt8.self)
                if first == 0, try restIsZeroPadding() {
                    finished = true
                    return 0
                }
                if stream.pointee.avail_in == 0 { continue }
                inflateReset(stream)
                memberEnded = false
            }
            stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(buffer.count)
            let rc = inflate(stream, Z_NO_FLUSH)
            let produced = buffer.count - Int(stream.pointee.avail_out)
            if rc == Z_STREAM_END {
                memberEnded = true
            } else if rc != Z_OK && rc != Z_BUF_ERROR {
                let msg = stream.pointee.msg.map { String(cString: $0) } ?? "code \(rc)"
                throw IngestError(.corruptGzip, file: name, offset: consumedBytes, "gzip data is corrupt: \(msg)")
            }
            if produced > 0 { return produced }
        }
    }
}

/// Opens an input as a byte source, telling gzip from plain text by its magic bytes (never by its name).
public enum InputOpener {
    /// Opens `path` (`-` for standard input). Returns the source and whether it was gzip.
    public static func open(_ path: String) throws -> (source: ByteSource, compressed: ByteSource, gzip: Bool) {
        let file = try FileSource(path: path)
        let head = try file.peek(2)
        if head.count == 2 && head[0] == 0x1F && head[1] == 0x8B {
            return (try GzipSource(file, name: path), file, true)
        }
        return (file, file, false)
    }
}

/// A streaming 64-bit content hash, independent of chunk boundaries: four multiply–xorshift lanes over the 8-byte
/// words of each 32-byte block (word `j` of a block to lane `j`), folded into one at the end with the length.
///
/// Every byte of every input file passes through it (a fingerprint is what says a file was read before), so its
/// speed counts per byte: the four lanes' multiplies overlap, where one lane's chain of dependent multiplies
/// (``LegacyContentHash``, fingerprints of cdrscan before 2026-11) took four times as long a byte. Fingerprints
/// are `v2-<bytes>-<16 hex digits>`; legacy ones are `<bytes>-<16 hex digits>`.
struct ContentHash {
    private var h0: UInt64 = 0x243F_6A88_85A3_08D3
    private var h1: UInt64 = 0x1319_8A2E_0370_7344
    private var h2: UInt64 = 0xA409_3822_299F_31D0
    private var h3: UInt64 = 0x082E_FA98_EC4E_6C89
    /// Bytes of a block not yet complete (the end of a chunk), `pendingCount` of them.
    private var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var pendingCount = 0
    private var total: Int64 = 0

    @inline(__always)
    private static func mix(_ h: UInt64, _ w: UInt64, _ shift: UInt64 = 29) -> UInt64 {
        let m = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        return m ^ (m >> shift)
    }

    /// One block. The lanes shift by different amounts: with equal ones the compiler pairs them in SSE2 registers,
    /// which have no 64-bit multiply (three 32-bit ones each), and the hash ran at half the speed of plain ones.
    @inline(__always)
    private mutating func block(_ p: UnsafeRawPointer) {
        h0 = Self.mix(h0, p.loadUnaligned(as: UInt64.self), 29)
        h1 = Self.mix(h1, p.loadUnaligned(fromByteOffset: 8, as: UInt64.self), 31)
        h2 = Self.mix(h2, p.loadUnaligned(fromByteOffset: 16, as: UInt64.self), 27)
        h3 = Self.mix(h3, p.loadUnaligned(fromByteOffset: 24, as: UInt64.self), 30)
    }

    mutating func add(_ p: UnsafeRawBufferPointer) {
        let n = p.count
        guard n > 0, let base = p.baseAddress else { return }
        total += Int64(n)
        var i = 0
        if pendingCount > 0 {
            // Complete the block a chunk ended in, byte by byte (once a chunk).
            let take = min(32 - pendingCount, n)
            withUnsafeMutableBytes(of: &pending) {
                $0.baseAddress!.advanced(by: pendingCount).copyMemory(from: base, byteCount: take)
            }
            pendingCount += take
            i = take
            if pendingCount < 32 { return }
            var full = pending
            withUnsafeBytes(of: &full) { block($0.baseAddress!) }
            pending = (0, 0, 0, 0)
            pendingCount = 0
        }
        while i + 32 <= n {
            block(base + i)
            i += 32
        }
        if i < n {
            withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.copyMemory(from: base + i, byteCount: n - i) }
            pendingCount = n - i
        }
    }

    var fingerprint: String {
        var c = self
        if c.pendingCount > 0 {
            // The last bytes, zero-padded, and their count (so that trailing zero bytes still count).
            var last = c.pending
            withUnsafeBytes(of: &last) { c.block($0.baseAddress!) }
            c.h0 = Self.mix(c.h0, UInt64(c.pendingCount) << 56)
        }
        var h = Self.mix(c.h0, UInt64(bitPattern: total))
        h = Self.mix(h, c.h1)
        h = Self.mix(h, c.h2)
        h = Self.mix(h, c.h3)
        h = Self.mix(h, UInt64(bitPattern: total))
        let hex = String(h, radix: 16)
        return "v2-\(total)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The content hash of cdrscan before 2026-11 (one multiply–xorshift chain over 8-byte words): fingerprints that
/// results databases written then hold, `<bytes>-<16 hex digits>`. Only ``FileFingerprint/withLegacy(path:)`` computes
/// it, to recognise files those runs read.
struct LegacyContentHash {
    private var h: UInt64 = 0x243F_6A88_85A3_08D3
    private var pending: UInt64 = 0
    private var pendingCount = 0
    private var total: Int64 = 0

    @inline(__always)
    private mutating func mix(_ w: UInt64) {
        h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
    }

    mutating func add(_ p: UnsafeRawBufferPointer) {
        total += Int64(p.count)
        var i = 0
        let n = p.count
        while pendingCount > 0 && pendingCount < 8 && i < n {
            pending |= UInt64(p[i]) << (8 * UInt64(pendingCount))
            pendingCount += 1
            i += 1
        }
        if pendingCount == 8 {
            mix(pending)
            pending = 0
            pendingCount = 0
        }
        while i + 8 <= n {
            mix(p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        while i < n {
            pending |= UInt64(p[i]) << (8 * UInt64(pendingCount))
            pendingCount += 1
            i += 1
        }
    }

    var fingerprint: String {
        var c = self
        if c.pendingCount > 0 { c.mix(c.pending ^ UInt64(c.pendingCount) << 56) }
        c.mix(UInt64(bitPattern: total))
        let hex = String(c.h, radix: 16)
        return "\(total)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// A byte range of a regular file, read with `pread` (for reading one file in parallel parts).
///
/// It hashes what it reads and counts quote characters, so the caller can check that the part ended outside a
/// quoted field.
public final class FileRangeSource: ByteSource {
    private let fd: Int32
    private var offset: Int64
    private let end: Int64
    private var prefix: [UInt8]
    private var hash = ContentHash()
    public private(set) var consumedBytes: Int64 = 0
    /// Number of `"` bytes read from the file range.
    public private(set) var quotes = 0
    public let path: String

    /// - Parameter prefix: bytes returned before the range (a header line for the second part).
    public init(path: String, range: Range<Int64>, prefix: [UInt8] = []) throws {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw IngestError(.unreadable, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        offset = range.lowerBound
        end = range.upperBound
        self.prefix = prefix
    }

    deinit { close(fd) }

    public var rangeHash: String { hash.fingerprint }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !prefix.isEmpty {
            let n = min(prefix.count, buffer.count)
            prefix.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            prefix.removeFirst(n)
            return n
        }
        let want = Int(min(Int64(buffer.count), end - offset))
        if want <= 0 { return 0 }
        while true {
            let r = pread(fd, buffer.baseAddress!, want, off_t(offset))
            if r < 0 {
                if errno == EINTR { continue }
                throw IngestError(.unreadable, file: path, "read failed: \(String(cString: strerror(errno)))")
            }
            let chunk = UnsafeRawBufferPointer(start: buffer.baseAddress!, count: r)
            hash.add(chunk)
            var p = chunk.baseAddress!
            var left = r
            while left > 0, let q = memchr(p, 0x22, left) {
                quotes += 1
                let next = UnsafeRawPointer(q) + 1
                left -= p.distance(to: next)
                p = next
            }
            offset += Int64(r)
            consumedBytes += Int64(r)
            return r
        }
    }
}

/// The content fingerprint of a file without parsing it: the same `v2-size-hash` an ingest records for it.
public enum FileFingerprint {
    public static func of(path: String) throws -> String {
        let file = try FileSource(path: path)
        try readAll(file) { _ in }
        return file.fingerprint
    }

    /// The fingerprint and the one cdrscan recorded for the file before 2026-11 (`size-hash`,
    /// ``LegacyContentHash``), from one read: results databases of that time hold the latter for the files their
    /// runs read.
    public static func withLegacy(path: String) throws -> (current: String, legacy: String) {
        let file = try FileSource(path: path)
        var hash = LegacyContentHash()
        try readAll(file) { hash.add($0) }
        return (file.fingerprint, hash.fingerprint)
    }

    /// Whether a recorded fingerprint is a legacy one (no `v2-` in front).
    public static func isLegacy(_ fingerprint: String) -> Bool { !fingerprint.isEmpty && !fingerprint.hasPrefix("v2-") }

    private static func readAll(_ file: FileSource, _ chunk: (UnsafeRawBufferPointer) -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { return }
            chunk(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n))
        }
    }
}
