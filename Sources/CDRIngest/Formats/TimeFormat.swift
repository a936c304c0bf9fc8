import CDRModel

/// How a format writes instants. Every parser returns milliseconds on the wall clock written and, when the text
/// carries one, the UTC offset in seconds; epoch forms are UTC (offset 0).
public enum TimeFormat: Sendable, Equatable {
    /// `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|±HH:MM]`.
    case iso
    /// Seconds since 1970-01-01 UTC, possibly with a fraction; `0` means "never" (CUCM `dateTimeConnect`).
    case epochSeconds
    /// Milliseconds since 1970-01-01 UTC; `0` means "never".
    case epochMillis
    /// `yyyymmddhhmmss[.mmm]` (BroadWorks).
    case compact
    /// RFC 2822, `Tue, 04 Mar 2025 14:15:02 +0000` (Twilio's API), the weekday optional.
    case rfc2822
    /// A strftime-like pattern of `%Y %y %m %d %H %I %M %S %p %f` and literal characters, e.g. `%d/%m/%Y %H:%M`.
    case pattern(String)
    /// Any of ISO 8601, RFC 2822, compact or epoch seconds, told apart by shape.
    case auto

    /// Parses the names used in mapping files: `iso`, `epoch`, `epoch_ms`, `compact`, `rfc2822`, `auto`, or a
    /// pattern containing `%`.
    public init?(name: String) {
        switch name {
        case "iso", "iso8601": self = .iso
        case "epoch", "epoch_s", "unix": self = .epochSeconds
        case "epoch_ms", "unix_ms": self = .epochMillis
        case "compact", "yyyymmddhhmmss": self = .compact
        case "rfc2822", "rfc822": self = .rfc2822
        case "auto": self = .auto
        default:
            guard name.contains("%") else { return nil }
            self = .pattern(name)
        }
    }

    /// Parses a field. `nil` for text that is not such a time; `.some(nil)` is never returned: "never" (epoch 0)
    /// is reported as `(Int64.min, 0)`.
    @inline(__always)
    public func parse(_ p: UnsafeRawBufferPointer) -> (ms: Int64, offset: Int?)? {
        switch self {
        case .iso: return FieldParse.isoDateTime(p)
        case .epochSeconds: return FieldParse.secondsAsMs(p).map { $0 == 0 ? (Int64.min, 0) : ($0, 0) }
        case .epochMillis:
            return FieldParse.integer(p).map { $0 == 0 ? (Int64.min, 0) : ($0, 0) }
        case .compact: return Self.compact(p)
        case .rfc2822: return Self.rfc2822(p)
        case .pattern(let pattern): return Self.pattern(Array(pattern.utf8), p)
        case .auto:
            if let v = FieldParse.isoDateTime(p) { return v }
            if let v = Self.rfc2822(p) { return v }
            if p.count >= 14, let v = Self.compact(p) { return v }
            return FieldParse.secondsAsMs(p).map { $0 == 0 ? (Int64.min, 0) : ($0, 0) }
        }
    }

    static func compact(_ p: UnsafeRawBufferPointer) -> (ms: Int64, offset: Int?)? {
        guard p.count >= 14, let y = FieldParse.digits(p, 0, 4), let mo = FieldParse.digits(p, 4, 2),
            let d = FieldParse.digits(p, 6, 2), let h = FieldParse.digits(p, 8, 2),
            let mi = FieldParse.digits(p, 10, 2),
            let s = FieldParse.digits(p, 12, 2), h < 24, mi < 60, s < 61, CivilTime.isValid(year: y, month: mo, day: d)
        else { return nil }
        var frac = 0
        if p.count > 14 {
            guard p[14] == UInt8(ascii: "."), p.count > 15 else { return nil }
            var scale = 100
            for i in 15..<p.count {
                guard p[i] >= 48 && p[i] <= 57 else { return nil }
                frac += (Int(p[i]) - 48) * scale
                scale /= 10
            }
        }
        let days = CivilTime.days(year: y, month: mo, day: d)
        return ((days * 86_400 + Int64(h * 3600 + mi * 60 + min(s, 59))) * 1000 + Int64(frac), nil)
    }

    static let monthKeys: [UInt32] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .map { w in w.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }

    /// `[Tue, ]04 Mar 2025 14:15:02 [+0000|GMT|UTC|UT|Z]`, read byte by byte.
    static func rfc2822(_ p: UnsafeRawBufferPointer) -> (ms: Int64, offset: Int?)? {
        var i = 0
        let n = p.count
        @inline(__always) func skipSpaces() { while i < n && p[i] == 0x20 { i += 1 } }
        @inline(__always) func number(_ maxDigits: Int) -> Int? {
            var v = 0
            var k = 0
            while k < maxDigits && i < n && p[i] >= 48 && p[i] <= 57 {
                v = v * 10 + Int(p[i]) - 48
                i += 1
                k += 1
            }
            return k == 0 ? nil : v
        }
        skipSpaces()
        if i + 3 < n, p[i + 3] == UInt8(ascii: ",") { i += 4 }
        skipSpaces()
        guard let day = number(2) else { return nil }
        skipSpaces()
        guard i + 3 <= n else { return nil }
        let key = (UInt32(p[i] | 0x20) << 16) | (UInt32(p[i + 1] | 0x20) << 8) | UInt32(p[i + 2] | 0x20)
        guard let month = monthKeys.firstIndex(of: key) else { return nil }
        i += 3
        skipSpaces()
        guard let year = number(4) else { return nil }
        skipSpaces()
        guard let h = number(2), i < n, p[i] == 0x3A else { return nil }
        i += 1
        guard let mi = number(2) else { return nil }
        var sec = 0
        if i < n && p[i] == 0x3A {
            i += 1
            guard let v = number(2) else { return nil }
            sec = v
        }
        guard h < 24, mi < 60, sec < 61, CivilTime.isValid(year: year, month: month + 1, day: day) else { return nil }
        skipSpaces()
        var offset: Int? = nil
        if i < n {
            if p[i] == 0x2B || p[i] == 0x2D {
                let sign = p[i] == 0x2B ? 1 : -1
                i += 1
                guard n - i == 4, let v = number(4) else { return nil }
                offset = sign * ((v / 100) * 3600 + (v % 100) * 60)
            } else {
                let zone = String(decoding: UnsafeRawBufferPointer(rebasing: p[i...]), as: UTF8.self)
                guard ["GMT", "UTC", "UT", "Z"].contains(zone) else { return nil }
                offset = 0
                i = n
            }
        }
        guard i == n else { return nil }
        let days = CivilTime.days(year: year, month: month + 1, day: day)
        return ((days * 86_400 + Int64(h * 3600 + mi * 60 + min(sec, 59))) * 1000, offset)
    }

    /// A strftime-like pattern (its bytes); `%p` (AM/PM) applies to `%I`.
    static func pattern(_ pattern: [UInt8], _ p: UnsafeRawBufferPointer) -> (ms: Int64, offset: Int?)? {
        var y = 1970
        var mo = 1
        var d = 1
        var h = 0
        var mi = 0
        var s = 0
        var frac = 0
        var pm: Bool? = nil
        var twelveHour = false
        var i = 0
        var it = pattern.makeIterator()
        func number(_ maxDigits: Int) -> Int? {
            var v = 0
            var n = 0
            while n < maxDigits, i < p.count, p[i] >= 48 && p[i] <= 57 {
                v = v * 10 + Int(p[i]) - 48
                i += 1
                n += 1
            }
            return n == 0 ? nil : v
        }
        while let c = it.next() {
            if c == UInt8(ascii: "%") {
                guard let spec = it.next() else { return nil }
                switch spec {
                case UInt8(ascii: "Y"):
                    guard let v = number(4) else { return nil }
                    y = v
                case UInt8(ascii: "y"):
                    guard let v = number(2) else { return nil }
                    y = 2000 + v
                case UInt8(ascii: "m"):
                    guard let v = number(2) else { return nil }
                    mo = v
                case UInt8(ascii: "d"):
                    guard let v = number(2) else { return nil }
                    d = v
                case UInt8(ascii: "H"):
                    guard let v = number(2) else { return nil }
                    h = v
                case UInt8(ascii: "I"):
                    guard let v = number(2) else { return nil }
                    h = v
                    twelveHour = true
                case UInt8(ascii: "M"):
                    guard let v = number(2) else { return nil }
                    mi = v
                case UInt8(ascii: "S"):
                    guard let v = number(2) else { return nil }
                    s = v
                case UInt8(ascii: "f"):
                    var scale = 100
                    let start = i
                    while i < p.count, p[i] >= 48 && p[i] <= 57 {
                        frac += (Int(p[i]) - 48) * scale
                        scale /= 10
                        i += 1
                    }
                    if i == start { return nil }
                case UInt8(ascii: "p"):
                    guard i + 1 < p.count else { return nil }
                    let a = p[i] | 0x20
                    guard a == UInt8(ascii: "a") || a == UInt8(ascii: "p"), p[i + 1] | 0x20 == UInt8(ascii: "m")
                    else { return nil }
                    pm = a == UInt8(ascii: "p")
                    i += 2
                case UInt8(ascii: "%"):
                    guard i < p.count, p[i] == c else { return nil }
                    i += 1
                default: return nil
                }
            } else {
                guard i < p.count, p[i] == c else { return nil }
                i += 1
            }
        }
        guard i == p.count else { return nil }
        if twelveHour {
            guard (1...12).contains(h) else { return nil }
            if let pm { h = (h % 12) + (pm ? 12 : 0) }
        }
        guard h < 24, mi < 60, s < 61, CivilTime.isValid(year: y, month: mo, day: d) else { return nil }
        let days = CivilTime.days(year: y, month: mo, day: d)
        return ((days * 86_400 + Int64(h * 3600 + mi * 60 + min(s, 59))) * 1000 + Int64(frac), nil)
    }
}
