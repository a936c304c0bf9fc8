/// A site's dialing conventions, used to turn numbers as PBXs log them into E.164.
///
/// Rules, in order (documented in `docs/formats.md`):
/// 1. Empty, `anonymous`, `unknown`, `private`, `restricted` → hidden (normalized to the empty string).
/// 2. `sip:`/`tel:` URIs → their user part. `(0)` after a country code is dropped (`+44 (0) 20…`).
/// 3. Separators (space, `-`, `.`, `(`, `)`, `/`) are removed; anything else that is not a digit (`*`, `#`,
///    letters) makes the value a feature code or name, kept as cleaned text.
/// 4. `+digits` → E.164 as is.
/// 5. The outside-line access digit (for example `9`), when configured, is stripped from longer numbers.
/// 6. At most `extensionMaxDigits` digits (default 6) → an internal extension or short code, kept as digits.
/// 7. An international prefix of the site's country (`00`, `011`, `0011`, …) → `+` and the rest.
/// 8. NANP sites: 11 digits starting with `1` → `+1…`; 10 digits → `+1` and the digits.
/// 9. The national (trunk) prefix (`0` in most of Europe, `1` in NANP) → `+CC` and the rest.
/// 10. Anything else is a national number without prefix → `+CC` and the digits (Italy keeps its leading 0).
public struct DialPlan: Sendable, Equatable {
    /// The site's country.
    public let country: CountryInfo
    /// International prefixes dialled at the site, longest first.
    public let iddPrefixes: [String]
    /// The national (trunk) prefix, empty when none.
    public let nationalPrefix: String
    /// Numbers with at most this many digits are internal extensions or short codes.
    public let extensionMaxDigits: Int
    /// Outside-line access digits stripped from dialled numbers (empty when none).
    public let accessPrefix: String
    private let _iddBytes: [[UInt8]]
    private let _accessBytes: [UInt8]
    private let _nationalBytes: [UInt8]
    private let _ccBytes: [UInt8]

    /// What kind of value a number normalized to.
    public enum Kind: UInt8, Sendable {
        case hidden, e164, short, other
    }

    public init(
        country: CountryInfo,
        iddPrefixes: [String]? = nil,
        nationalPrefix: String? = nil,
        extensionMaxDigits: Int = 6,
        accessPrefix: String = ""
    ) {
        self.country = country
        self.iddPrefixes = (iddPrefixes ?? country.iddPrefixes).sorted { $0.count > $1.count }
        self.nationalPrefix = nationalPrefix ?? country.nationalPrefix
        self.extensionMaxDigits = extensionMaxDigits
        self.accessPrefix = accessPrefix
        _iddBytes = self.iddPrefixes.map { Array($0.utf8) }
        _accessBytes = Array(accessPrefix.utf8)
        _nationalBytes = Array((nationalPrefix ?? country.nationalPrefix).utf8)
        _ccBytes = Array(country.callingCode.utf8)
    }

    /// The dial plan of a country by ISO code with its defaults, or nil when unknown.
    public init?(region: String) {
        guard let info = CountryTable.shared.info(region) else { return nil }
        self.init(country: info)
    }

    /// The fast path of ``normalize(_:)`` for the common shapes, digits only or `+` and digits, on bytes.
    ///
    /// Writes the normalized bytes to `out` and returns true; returns false (leaving `out` unspecified) for any
    /// other shape, which the caller then passes to ``normalize(_:)``. Both give the same result.
    @inline(__always)
    public func normalizeFast(_ p: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        let n = p.count
        if n == 0 { return false }
        var start = 0
        if p[0] == 0x2B {
            start = 1
            if n == 1 { return false }
        }
        for i in start..<n where p[i] < 0x30 || p[i] > 0x39 { return false }
        if start == 1 {
            out.append(contentsOf: p)
            return true
        }
        var digits = UnsafeRawBufferPointer(rebasing: p[0..<n])
        if !accessBytes.isEmpty && digits.count > extensionMaxDigits + accessBytes.count
            && hasPrefix(digits, accessBytes)
        {
            digits = UnsafeRawBufferPointer(rebasing: digits[accessBytes.count...])
        }
        if digits.count <= extensionMaxDigits {
            out.append(contentsOf: digits)
            return true
        }
        for idd in iddBytes where digits.count > idd.count + 3 && hasPrefix(digits, idd) {
            out.append(0x2B)
            out.append(contentsOf: digits[idd.count...])
            return true
        }
        if ccBytes == [0x31] {
            if digits.count == 11 && digits[0] == 0x31 {
                out.append(0x2B)
                out.append(contentsOf: digits)
                return true
            }
            if digits.count == 10 {
                out.append(contentsOf: [0x2B, 0x31])
                out.append(contentsOf: digits)
                return true
            }
        }
        out.append(0x2B)
        out.append(contentsOf: ccBytes)
        if !nationalBytes.isEmpty && hasPrefix(digits, nationalBytes) {
            out.append(contentsOf: digits[nationalBytes.count...])
        } else {
            out.append(contentsOf: digits)
        }
        return true
    }

    @inline(__always)
    private func hasPrefix(_ p: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        if p.count < prefix.count { return false }
        for i in 0..<prefix.count where p[i] != prefix[i] { return false }
        return true
    }

    private var iddBytes: [[UInt8]] { _iddBytes }
    private var accessBytes: [UInt8] { _accessBytes }
    private var nationalBytes: [UInt8] { _nationalBytes }
    private var ccBytes: [UInt8] { _ccBytes }

    /// Normalizes one number as written in a CDR.
    public func normalize(_ raw: String) -> (value: String, kind: Kind) {
        var s = Substring(raw)
        while let f = s.first, f == " " || f == "\t" || f == "\"" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\"" { s = s.dropLast() }
        if s.isEmpty { return ("", .hidden) }
        switch s.lowercased() {
        case "anonymous", "unknown", "private", "restricted", "unavailable", "withheld": return ("", .hidden)
        default: break
        }
        if let colon = s.firstIndex(of: ":"), ["sip", "sips", "tel"].contains(s[..<colon].lowercased()) {
            s = s[s.index(after: colon)...]
            if let cut = s.firstIndex(where: { $0 == "@" || $0 == ";" }) { s = s[..<cut] }
        }
        var text = String(s)
        if text.contains("(0)") { text = text.replacingAll("(0)", with: "") }
        var plus = false
        var digits = ""
        var other = false
        for (i, c) in text.enumerated() {
            if c == "+" && i == 0 {
                plus = true
                continue
            }
            if c.isASCII, let v = c.asciiValue, v >= 48 && v <= 57 {
                digits.append(c)
                continue
            }
            if c == " " || c == "-" || c == "." || c == "(" || c == ")" || c == "/" { continue }
            other = true
        }
        if other || digits.isEmpty { return (text, .other) }
        if plus { return ("+" + digits, .e164) }
        if !accessPrefix.isEmpty && digits.hasPrefix(accessPrefix)
            && digits.count > extensionMaxDigits + accessPrefix.count
        {
            digits.removeFirst(accessPrefix.count)
        }
        if digits.count <= extensionMaxDigits { return (digits, .short) }
        for idd in iddPrefixes where digits.hasPrefix(idd) && digits.count > idd.count + 3 {
            return ("+" + digits.dropFirst(idd.count), .e164)
        }
        let cc = country.callingCode
        if cc.isEmpty { return (digits, .other) }
        if cc == "1" {
            if digits.count == 11 && digits.hasPrefix("1") { return ("+" + digits, .e164) }
            if digits.count == 10 { return ("+1" + digits, .e164) }
        }
        if !nationalPrefix.isEmpty && digits.hasPrefix(nationalPrefix) {
            return ("+" + cc + digits.dropFirst(nationalPrefix.count), .e164)
        }
        return ("+" + cc + digits, .e164)
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Index>? {
        guard !target.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}
