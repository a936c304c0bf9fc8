import CPrefetch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How strictly a CSV dialect is read.
public struct CSVOptions: Sendable, Equatable {
    /// Field separator byte (`,` by default).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Lenient mode accepts the damage real exports carry: a quote inside a quoted field that is not followed by
    /// a separator is kept as a literal quote (FreeSWITCH templates do not escape quotes), spaces before an
    /// opening quote are skipped, and a quote inside an unquoted field is kept. Strict mode (RFC 4180) flags
    /// those rows as defective.
    public var lenient = false
    /// Longest record accepted, in bytes, counted up to the line feed that ends it (a CR before it counts, the
    /// LF does not), on every path the scanner reads a record by; a longer one (usually an unterminated quote) is
    /// reported as defective and reading resumes at the next line.
    public var maxRecordBytes = 64 * 1024
    /// Whether `"` quotes fields; when false every line is one record and quotes are plain characters.
    public var quoting = true

    public init(
        delimiter: UInt8 = UInt8(ascii: ","),
        lenient: Bool = false,
        maxRecordBytes: Int = 64 * 1024,
        quoting: Bool = true
    ) {
        self.delimiter = delimiter
        self.lenient = lenient
        self.maxRecordBytes = maxRecordBytes
        self.quoting = quoting
    }
}

/// One CSV record, valid only inside the scanner's callback: fields point into the scanner's buffer, and their
/// bounds live in storage the scanner frees when ``CSVScanner/scan(_:count:isFinal:_:)`` returns.
public struct CSVRecord {
    /// Physical line (1-based) on which the record starts.
    public internal(set) var line: Int = 0
    /// Why the record is malformed, when it is (the fields are then best effort).
    public internal(set) var defect: String?
    @usableFromInline var base: UnsafeMutableRawPointer
    /// Start and end offsets (into `base`) of field `i` at `2i` and `2i + 1`: plain memory, so adding a field
    /// checks no array uniqueness (that cost 3–4 % of reading a 19-field row).
    @usableFromInline var bounds: UnsafeMutablePointer<Int>
    @usableFromInline var capacity: Int
    @usableFromInline var fieldCount = 0
    @usableFromInline var rawStart = 0
    @usableFromInline var rawEnd = 0

    init(base: UnsafeMutableRawPointer, capacity: Int = 64) {
        self.base = base
        self.capacity = capacity
        bounds = .allocate(capacity: 2 * capacity)
    }

    /// Frees the bounds storage (the scanner calls it once it is done with the record).
    func deallocate() { bounds.deallocate() }

    /// Number of fields.
    @inlinable public var count: Int { fieldCount }

    /// The bytes of field `i` (unquoted, doubled quotes collapsed).
    @inlinable @inline(__always) public subscript(i: Int) -> UnsafeRawBufferPointer {
        precondition(i >= 0 && i < fieldCount, "field index out of range")
        return UnsafeRawBufferPointer(start: base + bounds[2 &* i], count: bounds[2 &* i &+ 1] &- bounds[2 &* i])
    }

    /// Field `i` as a string; invalid UTF-8 is repaired, never trapped on.
    public func string(_ i: Int) -> String { String(decoding: self[i], as: UTF8.self) }

    /// The record's raw text (cut to `limit` bytes), for the rejects file.
    public func rawText(limit: Int = 500) -> String {
        let n = min(rawEnd - rawStart, limit)
        let text = String(decoding: UnsafeRawBufferPointer(start: base + rawStart, count: max(0, n)), as: UTF8.self)
        return n < rawEnd - rawStart ? text + "…" : text
    }

    @inline(__always)
    mutating func append(_ start: Int, _ end: Int) {
        if fieldCount == capacity { grow() }
        bounds[2 &* fieldCount] = start
        bounds[2 &* fieldCount &+ 1] = end
        fieldCount &+= 1
    }

    @inline(__always)
    mutating func removeAllFields() { fieldCount = 0 }

    /// The start offset of field `i` in the buffer.
    @inline(__always)
    func start(_ i: Int) -> Int { bounds[2 &* i] }
    /// The end offset of field `i` in the buffer.
    @inline(__always)
    func end(_ i: Int) -> Int { bounds[2 &* i &+ 1] }
    /// Moves the end of field `i` (its doubled quotes were collapsed).
    @inline(__always)
    mutating func setEnd(_ i: Int, _ e: Int) { bounds[2 &* i &+ 1] = e }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: 4 * capacity)
        bigger.update(from: bounds, count: 2 * fieldCount)
        bounds.deallocate()
        bounds = bigger
        capacity *= 2
    }
}

/// The offset of the first byte equal to the byte repeated in `pattern` (`byte &* 0x0101_0101_0101_0101`) in
/// `b[from..<end]`, or `end`: eight bytes a step (fields are short, and a `memchr` call per field cost more than
/// the search).
@inline(__always)
func firstByte(_ b: UnsafeRawPointer, _ from: Int, _ end: Int, _ pattern: UInt64) -> Int {
    var i = from
    while i &+ 8 <= end {
        let x = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ pattern
        // The lowest set high bit marks the first zero byte of x (bits above it may be false positives).
        let hits = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
        if hits != 0 { return i &+ hits.trailingZeroBitCount >> 3 }
        i &+= 8
    }
    let byte = UInt8(truncatingIfNeeded: pattern)
    while i < end {
        if b.load(fromByteOffset: i, as: UInt8.self) == byte { return i }
        i &+= 1
    }
    return end
}

/// The offset of the first byte in `b[from..<end]` equal to one of three bytes (patterns as in
/// ``firstByte(_:_:_:_:)``), or `end`.
@inline(__always)
func firstOfThree(_ b: UnsafeRawPointer, _ from: Int, _ end: Int, _ p1: UInt64, _ p2: UInt64, _ p3: UInt64) -> Int {
    var i = from
    @inline(__always) func zeros(_ x: UInt64) -> UInt64 { (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 }
    while i &+ 8 <= end {
        let w = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        // Each term's lowest set bit is exact, so the lowest of their union is the first match.
        let hits = zeros(w ^ p1) | zeros(w ^ p2) | zeros(w ^ p3)
        if hits != 0 { return i &+ hits.trailingZeroBitCount >> 3 }
        i &+= 8
    }
    let (b1, b2, b3) = (UInt8(truncatingIfNeeded: p1), UInt8(truncatingIfNeeded: p2), UInt8(truncatingIfNeeded: p3))
    while i < end {
        let c = b.load(fromByteOffset: i, as: UInt8.self)
        if c == b1 || c == b2 || c == b3 { return i }
        i &+= 1
    }
    return end
}

/// A streaming RFC 4180 CSV scanner: a pure state machine over a caller-owned buffer.
///
/// The caller fills a buffer, calls ``scan(_:count:isFinal:_:)`` which reports every *complete* record and
/// returns how many bytes it consumed; the caller keeps the unconsumed tail, appends more input after it and
/// calls again. With `isFinal` the last record needs no newline. The scanner handles quoted fields, doubled
/// quotes, separators and newlines inside quotes, LF and CRLF, a UTF-8 byte-order mark at the start, blank
/// lines (skipped, not records) and a maximum record length.
///
/// One-line records are split in one pass over 64-byte blocks by C splitters: lines with no quote, lines whose
/// every field is quoted (FreeSWITCH's), then any line whose quotes are all where RFC 4180 puts them. The rest
/// (a newline inside quotes, the damage lenient mode accepts, a record cut by the buffer's end) go through the
/// full state machine. Doubled quotes are collapsed in place once the record is complete.
///
/// - Complexity: O(n) over the bytes; memory is two small index arrays.
public struct CSVScanner {
    public let options: CSVOptions
    /// Physical lines consumed so far.
    public private(set) var linesConsumed = 0
    private var atStart = true
    private var skippingOverlong = false
    /// Lines in a row that `cdr_split_plain` gave back for a quote (a file of quoted lines stops trying at 4, but
    /// for every 64th line).
    private var plainMisses = 0
    /// Records in a row starting with a quote that `cdr_split_quoted` gave back (a file whose rows mix quoted
    /// and unquoted fields stops trying at 4, but for every 64th line).
    private var quotedMisses = 0
    /// Records in a row that `cdr_split_line` gave back for the state machine.
    private var lineMisses = 0
    private var overlongLine = 0
    /// Whether the C splitters are tried at all (off: every record goes through the state machine, the reference
    /// the splitters are tested against).
    var splitters = true

    public init(options: CSVOptions = CSVOptions()) { self.options = options }

    /// Scans `buffer[0..<count]`, calling `onRecord` for each complete record. Returns the bytes consumed.
    public mutating func scan(
        _ buffer: UnsafeMutableRawPointer,
        count: Int,
        isFinal: Bool,
        _ onRecord: (inout CSVRecord) throws -> Void
    ) rethrows -> Int {
        var p = 0
        let end = count
        let delim = options.delimiter
        var rec = CSVRecord(base: buffer)
        defer { rec.deallocate() }
        let overlongDefect = "record longer than \(options.maxRecordBytes) bytes"
        if atStart {
            if end < 3 && !isFinal { return 0 }
            atStart = false
            if end >= 3 && buffer.load(as: UInt8.self) == 0xEF && buffer.load(fromByteOffset: 1, as: UInt8.self) == 0xBB
                && buffer.load(fromByteOffset: 2, as: UInt8.self) == 0xBF
            {
                p = 3
            }
        }
        while p < end {
            if skippingOverlong {
                guard let nl = memchr(buffer + p, 0x0A, end - p) else {
                    if isFinal {
                        skippingOverlong = false
                        return end
                    }
                    return end
                }
                let nlPos = buffer.distance(to: nl)
                linesConsumed += countNewlines(buffer, p, nlPos + 1)
                p = nlPos + 1
                skippingOverlong = false
                continue
            }
            let c0 = buffer.load(fromByteOffset: p, as: UInt8.self)
            if c0 == 0x0A {  // blank line
                p += 1
                linesConsumed += 1
                continue
            }
            if c0 == 0x0D && p + 1 < end && buffer.load(fromByteOffset: p + 1, as: UInt8.self) == 0x0A {
                p += 2
                linesConsumed += 1
                continue
            }
            if c0 == 0x0D && p + 1 == end && isFinal { return end }
            // Every field quoted, none with a quote or newline inside (FreeSWITCH's rows): split from the quote
            // bits of 64 bytes at a time, with no newline search first and no state machine.
            if splitters && c0 == 0x22 && options.quoting && trying(quotedMisses, 4) {
                var next = 0
                let n = cdr_split_quoted(
                    buffer.assumingMemoryBound(to: UInt8.self) + p,
                    end - p,
                    delim,
                    p,
                    rec.bounds,
                    rec.capacity,
                    &next
                )
                if n > 0 {
                    quotedMisses = 0
                    let rawEnd = rec.end(n - 1) + 1
                    took(
                        &rec,
                        fields: n,
                        from: p,
                        to: rawEnd,
                        defect: next - 1 > options.maxRecordBytes ? overlongDefect : nil
                    )
                    p += next
                    try onRecord(&rec)
                    continue
                }
                quotedMisses += 1
            }
            // A line with no quote: split from the separator, quote and newline bits of 64 bytes at a time, in one
            // pass. Lines with quotes (which the state machine reads) stop the attempts after a few in a row.
            if splitters && trying(plainMisses, 4) && (c0 != 0x22 || !options.quoting) {
                var next = 0
                let n = cdr_split_plain(
                    buffer.assumingMemoryBound(to: UInt8.self) + p,
                    end - p,
                    delim,
                    options.quoting ? 1 : 0,
                    p,
                    rec.bounds,
                    rec.capacity,
                    &next
                )
                if n > 0 {
                    plainMisses = 0
                    let rawEnd = rec.end(n - 1)
                    took(
                        &rec,
                        fields: n,
                        from: p,
                        to: rawEnd,
                        defect: next - 1 > options.maxRecordBytes ? overlongDefect : nil
                    )
                    p += next
                    try onRecord(&rec)
                    continue
                }
                if n < 0 { plainMisses += 1 }
            }
            // Any other one-line record whose quotes are all where RFC 4180 puts them (fields quoted where they
            // need it, doubled quotes inside): split in one pass too, the bytes inside quotes from the quote bits.
            // Records it gives back (a newline inside quotes, the damage lenient mode accepts) go to the state
            // machine; after a few in a row, only every 64th line tries again.
            if splitters && trying(lineMisses, 8) {
                var next = 0
                var collapse: UInt64 = 0
                let n = cdr_split_line(
                    buffer.assumingMemoryBound(to: UInt8.self) + p,
                    end - p,
                    delim,
                    options.quoting ? 1 : 0,
                    p,
                    rec.bounds,
                    rec.capacity,
                    &next,
                    &collapse
                )
                if n > 0 {
                    lineMisses = 0
                    var rawEnd = p + next - 1
                    if rawEnd > p && buffer.load(fromByteOffset: rawEnd - 1, as: UInt8.self) == 0x0D { rawEnd -= 1 }
                    took(
                        &rec,
                        fields: n,
                        from: p,
                        to: rawEnd,
                        defect: next - 1 > options.maxRecordBytes ? overlongDefect : nil
                    )
                    if collapse != 0 { finish(buffer, &rec, Unescape(bits: collapse)) }
                    p += next
                    try onRecord(&rec)
                    continue
                }
                if n < 0 { lineMisses += 1 }
            }
            let nlPtr = memchr(buffer + p, 0x0A, end - p)
            let lineEnd = nlPtr.map { buffer.distance(to: $0) } ?? end
            if nlPtr == nil && !isFinal {
                if end - p > options.maxRecordBytes { return try overlong(buffer, p, end, &rec, onRecord) }
                return p
            }
            rec.removeAllFields()
            rec.defect = nil
            rec.line = linesConsumed + 1
            rec.rawStart = p
            if !options.quoting || memchr(buffer + p, 0x22, lineEnd - p) == nil {
                // Fast path: no quote on this line (or quotes are plain characters).
                var contentEnd = lineEnd
                if contentEnd > p && buffer.load(fromByteOffset: contentEnd - 1, as: UInt8.self) == 0x0D {
                    contentEnd -= 1
                }
                var f = p
                // The separators eight bytes at a time (fields are short: a call to memchr per field cost more
                // than the search), then the tail byte by byte.
                var i = p
                let pattern = UInt64(delim) &* 0x0101_0101_0101_0101
                while i + 8 <= contentEnd {
                    let x = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ pattern
                    var hits = FieldParse.zeroBytes(x)  // the separators
                    while hits != 0 {
                        let dp = i + hits.trailingZeroBitCount >> 3
                        rec.append(f, dp)
                        f = dp + 1
                        hits &= hits &- 1
                    }
                    i += 8
                }
                while i < contentEnd {
                    if buffer.load(fromByteOffset: i, as: UInt8.self) == delim {
                        rec.append(f, i)
                        f = i + 1
                    }
                    i += 1
                }
                rec.append(f, contentEnd)
                rec.rawEnd = contentEnd
                linesConsumed += 1
                p = nlPtr == nil ? end : lineEnd + 1
                if lineEnd - rec.rawStart > options.maxRecordBytes {
                    rec.defect = overlongDefect
                }
                try onRecord(&rec)
                continue
            }
            // Slow path: the quoted state machine, which may run past this line.
            guard let next = parseQuoted(buffer, p, end, isFinal, &rec) else {
                if end - p > options.maxRecordBytes { return try overlong(buffer, p, end, &rec, onRecord) }
                return p
            }
            let endsWithLF = next > p && buffer.load(fromByteOffset: next - 1, as: UInt8.self) == 0x0A
            if next - p - (endsWithLF ? 1 : 0) > options.maxRecordBytes && rec.defect == nil {
                rec.defect = overlongDefect
            }
            // Most quoted records end at the line's newline, found above: no need to count again.
            linesConsumed += next <= lineEnd + 1 ? 1 : max(1, countNewlines(buffer, p, next))
            p = next
            try onRecord(&rec)
        }
        return p
    }

    /// Whether to try a C splitter that gave back `misses` records in a row: below `limit`, and on every 64th
    /// line (a file whose first lines are odd does not lose the splitter for good).
    @inline(__always)
    private func trying(_ misses: Int, _ limit: Int) -> Bool { misses < limit || linesConsumed & 63 == 0 }

    /// Completes a one-line record that a C splitter wrote the `n` field bounds of (raw text `p..<rawEnd`).
    @inline(__always)
    private mutating func took(_ rec: inout CSVRecord, fields n: Int, from p: Int, to rawEnd: Int, defect: String?) {
        rec.fieldCount = n
        rec.defect = defect
        rec.line = linesConsumed + 1
        rec.rawStart = p
        rec.rawEnd = rawEnd
        linesConsumed += 1
    }

    private mutating func overlong(
        _ buffer: UnsafeMutableRawPointer,
        _ p: Int,
        _ end: Int,
        _ rec: inout CSVRecord,
        _ onRecord: (inout CSVRecord) throws -> Void
    ) rethrows -> Int {
        rec.removeAllFields()
        rec.line = linesConsumed + 1
        rec.rawStart = p
        rec.rawEnd = min(end, p + 200)
        rec.defect =
            "record longer than \(options.maxRecordBytes) bytes (an unterminated quote?); skipped to the next line"
        try onRecord(&rec)
        // Resume after the first newline following the record start.
        if let nl = memchr(buffer + p, 0x0A, end - p) {
            let pos = buffer.distance(to: nl)
            linesConsumed += 1
            return pos + 1
        }
        skippingOverlong = true
        return end
    }

    @inline(__always)
    private func countNewlines(_ buffer: UnsafeMutableRawPointer, _ from: Int, _ to: Int) -> Int {
        var n = 0
        var i = from
        while i < to, let q = memchr(buffer + i, 0x0A, to - i) {
            n += 1
            i = buffer.distance(to: q) + 1
        }
        return n
    }

    /// Parses one record that contains a quote. Returns the offset after its terminator, or nil when the record
    /// is incomplete and more input is needed.
    private func parseQuoted(
        _ b: UnsafeMutableRawPointer,
        _ start: Int,
        _ end: Int,
        _ isFinal: Bool,
        _ rec: inout CSVRecord
    ) -> Int? {
        let delim = options.delimiter
        let lenient = options.lenient
        var i = start
        // Fields whose doubled quotes collapse once the record is complete (collapsing earlier would corrupt the
        // bytes rescanned when the record turns out to need more input): a bit each for the first 64 fields.
        var unescape = Unescape()
        let quotes: UInt64 = 0x2222_2222_2222_2222
        let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let delims = UInt64(delim) &* 0x0101_0101_0101_0101
        @inline(__always) func at(_ k: Int) -> UInt8 { b.load(fromByteOffset: k, as: UInt8.self) }
        while true {
            // Fields quoted with no quote inside and followed by a separator or the line's end (FreeSWITCH writes
            // every value so): the closing quote, then the next field, with none of the checks below (what they
            // would do here).
            while i < end && at(i) == 0x22 {
                let qp = firstByte(b, i &+ 1, end, quotes)
                guard qp &+ 1 < end else { break }
                let c = at(qp &+ 1)
                if c == delim {
                    rec.append(i &+ 1, qp)
                    i = qp &+ 2
                    continue
                }
                let next = c == 0x0A ? qp &+ 2 : (c == 0x0D && qp &+ 2 < end && at(qp &+ 2) == 0x0A ? qp &+ 3 : -1)
                guard next > 0 else { break }
                rec.append(i &+ 1, qp)
                rec.rawEnd = qp &+ 1
                finish(b, &rec, unescape)
                return next
            }
            // Start of a field at i.
            if lenient {
                var k = i
                while k < end && at(k) == 0x20 { k += 1 }
                if k < end && at(k) == 0x22 { i = k }
            }
            if i < end && at(i) == 0x22 {
                let contentStart = i + 1
                var j = contentStart
                var doubled = false
                while true {
                    let qp = firstByte(b, j, end, quotes)
                    guard qp < end else {
                        if !isFinal { return nil }
                        if rec.defect == nil { rec.defect = "unterminated quoted field" }
                        rec.append(contentStart, end)
                        rec.rawEnd = end
                        if doubled { unescape.insert(rec.count - 1) }
                        finish(b, &rec, unescape)
                        return end
                    }
                    let k = qp + 1
                    if k >= end {
                        if !isFinal { return nil }
                        rec.append(contentStart, qp)
                        rec.rawEnd = end
                        if doubled { unescape.insert(rec.count - 1) }
                        finish(b, &rec, unescape)
                        return end
                    }
                    let c = at(k)
                    if c == 0x22 {
                        doubled = true
                        j = k + 1
                        continue
                    }
                    if c == delim {
                        rec.append(contentStart, qp)
                        if doubled { unescape.insert(rec.count - 1) }
                        i = k + 1
                        break
                    }
                    if c == 0x0A || c == 0x0D {
                        if c == 0x0D {
                            if k + 1 >= end && !isFinal { return nil }
                            if k + 1 < end && at(k + 1) != 0x0A {
                                // A bare CR after a closing quote: treat as junk inside the record.
                                if !lenient && rec.defect == nil {
                                    rec.defect = "unexpected character after closing quote"
                                }
                                j = k + 1
                                continue
                            }
                        }
                        rec.append(contentStart, qp)
                        if doubled { unescape.insert(rec.count - 1) }
                        rec.rawEnd = qp + 1
                        finish(b, &rec, unescape)
                        return c == 0x0D ? min(end, k + 2) : k + 1
                    }
                    // A quote followed by something else: a literal quote in lenient mode.
                    if !lenient && rec.defect == nil { rec.defect = "unescaped quote inside a quoted field" }
                    doubled = true  // collapse any doubled quotes; single ones stay literal
                    j = k
                }
                continue
            }
            // Unquoted field from i to the next separator or newline.
            var k = firstOfThree(b, i, end, delims, newlines, quotes)
            while k < end && at(k) == 0x22 {
                if !lenient && rec.defect == nil { rec.defect = "quote inside an unquoted field" }
                k = firstOfThree(b, k + 1, end, delims, newlines, quotes)
            }
            if k >= end && !isFinal { return nil }
            if k < end && at(k) == delim {
                rec.append(i, k)
                i = k + 1
                continue
            }
            var fieldEnd = k
            if fieldEnd > i && at(fieldEnd - 1) == 0x0D { fieldEnd -= 1 }
            rec.append(i, fieldEnd)
            rec.rawEnd = fieldEnd
            finish(b, &rec, unescape)
            return k < end ? k + 1 : end
        }
    }

    /// A set of field indices: bits for the first 64, an array (rarely allocated) beyond.
    private struct Unescape {
        var bits: UInt64 = 0
        var more: [Int] = []

        @inline(__always)
        mutating func insert(_ f: Int) {
            if f < 64 { bits |= 1 << UInt64(f) } else { more.append(f) }
        }
    }

    /// Collapses doubled quotes in place in the listed fields.
    private func finish(_ b: UnsafeMutableRawPointer, _ rec: inout CSVRecord, _ fields: Unescape) {
        var bits = fields.bits
        while bits != 0 {
            collapse(b, &rec, bits.trailingZeroBitCount)
            bits &= bits - 1
        }
        for f in fields.more { collapse(b, &rec, f) }
    }

    private func collapse(_ b: UnsafeMutableRawPointer, _ rec: inout CSVRecord, _ f: Int) {
        var r = rec.start(f)
        var w = r
        let e = rec.end(f)
        while r < e {
            let c = b.load(fromByteOffset: r, as: UInt8.self)
            b.storeBytes(of: c, toByteOffset: w, as: UInt8.self)
            w += 1
            if c == 0x22 && r + 1 < e && b.load(fromByteOffset: r + 1, as: UInt8.self) == 0x22 {
                r += 2
            } else {
                r += 1
            }
        }
        rec.setEnd(f, w)
    }
}
