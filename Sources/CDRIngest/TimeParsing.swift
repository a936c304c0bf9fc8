import CDRModel

/// Byte-level parsers for the timestamp and number shapes CDRs use. They never allocate.
enum FieldParse {
    @inline(__always)
    static func digits(_ p: UnsafeRawBufferPointer, _ at: Int, _ n: Int) -> Int? {
        guard at + n <= p.count else { return nil }
        var v = 0
        for i in at..<(at + n) {
            let d = Int(p[i]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
        }
        return v
    }

    /// Parses `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|±HH:MM|±HHMM]`.
    /// Returns milliseconds on the wall clock written, and the zone offset in seconds when one was written.
    @inline(__always)
    static func isoDateTime(_ p: UnsafeRawBufferPointer) -> (ms: Int64, offset: Int?)? {
        guard p.count >= 19, p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54 || p[10] == 0x20 || p[10] == 0x74,
            p[13] == 0x3A, p[16] == 0x3A,
            let y = digits(p, 0, 4), let mo = digits(p, 5, 2), let d = digits(p, 8, 2),
            let h = digits(p, 11, 2), let mi = digits(p, 14, 2), let s = digits(p, 17, 2),
            h < 24, mi < 60, s < 61, CivilTime.isValid(year: y, month: mo, day: d)
        else { return nil }
        var i = 19
        var frac = 0
        if i < p.count && (p[i] == 0x2E || p[i] == 0x2C) {
            i += 1
            var scale = 100
            let fracStart = i
            while i < p.count, p[i] >= 48 && p[i] <= 57 {
                if scale > 0 {
                    frac += (Int(p[i]) - 48) * scale
                    scale /= 10
                }
                i += 1
            }
            if i == fracStart { return nil }
        }
        let days = CivilTime.days(year: y, month: mo, day: d)
        let ms = (days * 86_400 + Int64(h * 3600 + mi * 60 + min(s, 59))) * 1000 + Int64(frac)
        if i == p.count { return (ms, nil) }
        if p[i] == 0x5A || p[i] == 0x7A { return i + 1 == p.count ? (ms, 0) : nil }
        guard p[i] == 0x2B || p[i] == 0x2D else { return nil }
        let sign = p[i] == 0x2B ? 1 : -1
        i += 1
        guard let oh = digits(p, i, 2) else { return nil }
        i += 2
        var om = 0
        if i < p.count && p[i] == 0x3A { i += 1 }
        if i < p.count {
            guard let m = digits(p, i, 2) else { return nil }
            om = m
            i += 2
        }
        guard i == p.count, oh <= 14, om < 60 else { return nil }
        return (ms, sign * (oh * 3600 + om * 60))
    }

    /// The high bit of each zero byte of `x`, exactly (no false positives from a borrow): with `x` a word of
    /// bytes XOR a byte repeated eight times, where that byte is.
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x | 0x7F7F_7F7F_7F7F_7F7F)
    }

    /// The value of the eight decimal digits at `p`, or nil when one of the bytes is not a digit: one load and
    /// three multiply steps, pairs of digits, then fours, then the eight.
    @inline(__always)
    static func eightDigits(_ p: UnsafeRawPointer) -> Int64? {
        let w = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
        // Every byte 0x30–0x39: high nibble 3, and low nibble + 6 still below 16.
        guard (w & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030,
            (((w & 0x0F0F_0F0F_0F0F_0F0F) &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) == 0
        else { return nil }
        var x = w & 0x0F0F_0F0F_0F0F_0F0F  // byte k: the k-th digit, the first the most significant
        x = (x &* 10 &+ (x >> 8)) & 0x00FF_00FF_00FF_00FF
        x = (x &* 100 &+ (x >> 16)) & 0x0000_FFFF_0000_FFFF
        x = (x &* 10_000 &+ (x >> 32)) & 0xFFFF_FFFF
        return Int64(x)
    }

    /// Parses a non-negative decimal such as `42` or `42.5` into milliseconds; nil for anything else.
    /// A leading `-` yields a negative value so callers can reject it with a precise reason.
    @inline(__always)
    static func secondsAsMs(_ p: UnsafeRawBufferPointer) -> Int64? {
        guard p.count > 0 else { return nil }
        // Ten digits, an epoch second of this era (CUCM, FreeSWITCH): eight of them at once.
        if p.count == 10, let base = p.baseAddress, let high = eightDigits(base) {
            let d8 = Int64(p[8]) - 48
            let d9 = Int64(p[9]) - 48
            if d8 >= 0 && d8 <= 9 && d9 >= 0 && d9 <= 9 { return (high * 100 + d8 * 10 + d9) * 1000 }
        }
        var i = 0
        var negative = false
        if p[0] == 0x2D {
            negative = true
            i = 1
        }
        var whole: Int64 = 0
        var any = false
        while i < p.count, p[i] >= 48 && p[i] <= 57 {
            whole = whole &* 10 &+ Int64(p[i] - 48)
            any = true
            i += 1
            if whole > 10_000_000_000 { return nil }
        }
        var frac: Int64 = 0
        if i < p.count && p[i] == 0x2E {
            i += 1
            var scale: Int64 = 100
            while i < p.count, p[i] >= 48 && p[i] <= 57 {
                frac += Int64(p[i] - 48) * scale
                scale /= 10
                any = true
                i += 1
            }
        }
        guard any, i == p.count else { return nil }
        let v = whole * 1000 + frac
        return negative ? -v : v
    }

    /// A plain integer (optional leading `-`), nil for anything else.
    @inline(__always)
    static func integer(_ p: UnsafeRawBufferPointer) -> Int64? {
        guard p.count > 0, p.count < 19 else { return nil }
        var i = 0
        let negative = p[0] == 0x2D
        if negative { i = 1 }
        guard i < p.count else { return nil }
        var v: Int64 = 0
        while i < p.count {
            guard p[i] >= 48 && p[i] <= 57 else { return nil }
            v = v * 10 + Int64(p[i] - 48)
            i += 1
        }
        return negative ? -v : v
    }

    @inline(__always)
    static func isBlank(_ p: UnsafeRawBufferPointer) -> Bool {
        for b in p where b != 0x20 && b != 0x09 { return false }
        return true
    }
}

/// Instants as people type them on a command line or in a pipeline file.
public enum Instant {
    /// Parses `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]` (UTC when no offset is
    /// written) into UTC milliseconds.
    public static func parse(_ text: String) -> Int64? {
        if let day = CivilTime.parseDay(text) { return day * 86_400_000 }
        var s = text
        if s.count == 16 || (s.count == 17 && (s.hasSuffix("Z") || s.hasSuffix("z"))) {
            // Minutes only: add the seconds.
            s = String(s.prefix(16)) + ":00" + String(s.dropFirst(16))
        }
        return Array(s.utf8).withUnsafeBytes { p in
            FieldParse.isoDateTime(p).map { $0.ms - Int64($0.offset ?? 0) * 1000 }
        }
    }
}
