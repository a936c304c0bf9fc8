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
        guard p.count >= 19, let base = p.baseAddress, let wall = wallClock(base) else { return nil }
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
        let ms = wall + Int64(frac)
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

    /// `YYYY-MM-DD[T ]HH:MM:SS` in the 19 bytes at `base` as milliseconds on that wall clock; nil unless every
    /// digit is one, the separators are there, and the date and time exist (second 60 is read as 59).
    ///
    /// Three 8-byte loads checked with masks, where a byte-by-byte parse and the civil-date arithmetic took a
    /// tenth of the reading thread's time for local-time formats (three times a row): a date from 1970 to 2099
    /// finds its month's first day and length in ``MonthTable``.
    @inline(__always)
    static func wallClock(_ base: UnsafeRawPointer) -> Int64? {
        let a = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))  // YYYY-MM-
        let b = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))  // DD?HH:MM
        let c = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 11, as: UInt64.self))  // HH:MM:SS
        let separator = (b >> 16) & 0xFF
        guard allDigits(a, 0x00FF_FF00_FFFF_FFFF), a & 0xFF00_00FF_0000_0000 == 0x2D00_002D_0000_0000,
            allDigits(b, 0xFFFF), separator == 0x54 || separator == 0x20 || separator == 0x74,
            allDigits(c, 0xFFFF_00FF_FF00_FFFF), c & 0x0000_FF00_00FF_0000 == 0x0000_3A00_003A_0000
        else { return nil }
        @inline(__always) func digit(_ w: UInt64, _ k: UInt64) -> Int { Int((w >> (8 * k)) & 0x0F) }
        let year = digit(a, 0) * 1000 + digit(a, 1) * 100 + digit(a, 2) * 10 + digit(a, 3)
        let month = digit(a, 5) * 10 + digit(a, 6)
        let day = digit(b, 0) * 10 + digit(b, 1)
        let hour = digit(c, 0) * 10 + digit(c, 1)
        let minute = digit(c, 3) * 10 + digit(c, 4)
        let second = digit(c, 6) * 10 + digit(c, 7)
        guard hour < 24, minute < 60, second < 61, month >= 1, month <= 12, day >= 1 else { return nil }
        let days: Int64
        if let (first, length) = MonthTable.month(year: year, month: month) {
            guard day <= length else { return nil }
            days = first + Int64(day - 1)
        } else {
            guard CivilTime.isValid(year: year, month: month, day: day) else { return nil }
            days = CivilTime.days(year: year, month: month, day: day)
        }
        return (days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))) * 1000
    }

    /// Whether every byte of `w` where `mask` has 0xFF is an ASCII digit.
    @inline(__always)
    static func allDigits(_ w: UInt64, _ mask: UInt64) -> Bool {
        let d = w & mask
        return d & (mask & 0xF0F0_F0F0_F0F0_F0F0) == mask & 0x3030_3030_3030_3030
            && ((d & 0x0F0F_0F0F_0F0F_0F0F) &+ (mask & 0x0606_0606_0606_0606)) & 0xF0F0_F0F0_F0F0_F0F0 == 0
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

/// The first day (days since 1970-01-01) and the length of every month from 1970 to 2099, computed once: a CDR's
/// date is looked up, not computed.
enum MonthTable {
    static let firstYear = 1970
    static let years = 130
    /// `years` × 12 months and one more (January of the year after), so that a month's length is a difference.
    private static let firstDays: [Int64] = (0...(years * 12)).map {
        CivilTime.days(year: firstYear + $0 / 12, month: $0 % 12 + 1, day: 1)
    }

    /// The first day and the length of `month` (1–12) of `year`; nil outside the table.
    @inline(__always)
    static func month(year: Int, month: Int) -> (first: Int64, length: Int)? {
        let k = (year - firstYear) * 12 + month - 1
        guard year >= firstYear && year < firstYear + years else { return nil }
        return firstDays.withUnsafeBufferPointer { t in (t[k], Int(t[k + 1] - t[k])) }
    }
}
