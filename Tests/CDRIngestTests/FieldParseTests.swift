import CDRModel
import Foundation
import Testing

@testable import CDRIngest

@Suite struct FieldParseTests {
    @Test("epoch seconds: the eight-digits-at-once path agrees with a plain integer parse")
    func epochSeconds() {
        var rng = SystemRandomNumberGenerator()
        // Digits, and the bytes next to them in ASCII ('/' and ':'), and others a field may hold.
        let alphabet = Array("0123456789") + ["/", ":", "a", "?", " ", "-"]
        var cases = [
            "1790892460", "0000000000", "9999999999", "0123456789", "179089246/", "179089246:", "17908924:0",
            "1790:92460",
            "/790892460", "179089?460", "-179089246",
        ]
        for _ in 0..<20_000 {
            let digitsOnly = Bool.random(using: &rng)
            let letters = digitsOnly ? Array(alphabet.prefix(10)) : alphabet
            cases.append(String((0..<10).map { _ in letters.randomElement(using: &rng)! }))
        }
        for text in cases {
            let expected = Int64(text).map { $0 * 1000 }
            let got = Array(text.utf8).withUnsafeBytes { FieldParse.secondsAsMs($0) }
            #expect(got == expected, "\(text)")
        }
    }
}

extension FieldParseTests {
    /// ISO 8601 times against Foundation's calendar: random instants from 1901 to 2199 (leap days and century
    /// years among them), written with `T`, a space or `t`, with 0 to 6 fraction digits (after `.` or `,`), and
    /// with `Z`, an offset in each of its forms, or no zone; the milliseconds since the epoch and the offset are
    /// what Foundation computes from the same fields. Dates that do not exist (30 February, 29 February of a
    /// common year, month 13, hour 24) are refused.
    @Test("ISO 8601 times agree with Foundation's calendar")
    func isoTimes() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var rng = SystemRandomNumberGenerator()
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        for _ in 0..<20_000 {
            let seconds = Int64.random(in: -2_145_916_800...7_258_118_399, using: &rng)  // 1902 … 2199
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let fractionDigits = Int.random(in: 0...6, using: &rng)
            let fraction = String((0..<fractionDigits).map { _ in "0123456789".randomElement(using: &rng)! })
            let fractionMs = fractionDigits == 0 ? 0 : Int(String((fraction + "000").prefix(3)))!
            let offsetMinutes = [0, 60, -300, 330, 345, -570, 840, -720].randomElement(using: &rng)!
            let sign = offsetMinutes < 0 ? "-" : "+"
            let oh = two(abs(offsetMinutes) / 60)
            let om = two(abs(offsetMinutes) % 60)
            let zones: [(String, Int?)] =
                [
                    ("", nil), ("Z", 0), ("z", 0), ("\(sign)\(oh):\(om)", offsetMinutes * 60),
                    ("\(sign)\(oh)\(om)", offsetMinutes * 60),
                ] + (offsetMinutes % 60 == 0 ? [("\(sign)\(oh)", offsetMinutes * 60)] : [])
            let (zone, offset) = zones.randomElement(using: &rng)!
            let separator = ["T", " ", "t"].randomElement(using: &rng)!
            var text =
                "\(c.year!)-\(two(c.month!))-\(two(c.day!))\(separator)\(two(c.hour!)):\(two(c.minute!)):\(two(c.second!))"
            if fractionDigits > 0 { text += (Bool.random(using: &rng) ? "." : ",") + fraction }
            text += zone
            let got = Array(text.utf8).withUnsafeBytes { FieldParse.isoDateTime($0) }
            #expect(got?.ms == seconds * 1000 + Int64(fractionMs), "\(text)")
            #expect(got?.offset == offset, "\(text)")
        }
        for bad in [
            "2026-02-29 10:00:00", "2100-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T10:60:00Z",
            "2026-03-01T10:00:00.Z", "2026-03-01T10:00:00+1", "2026-03-01T10:00:00+15:00", "2026-03-01T10:00:00Zx",
            "2026-03-01X10:00:00", "2026-3-01T10:00:00Z",
        ] {
            #expect(Array(bad.utf8).withUnsafeBytes { FieldParse.isoDateTime($0) } == nil, "\(bad)")
        }
        // Leap days of leap years, 2000 among them, are read.
        for good in ["2024-02-29T12:00:00Z", "2000-02-29T00:00:00Z", "1904-02-29 23:59:59"] {
            #expect(Array(good.utf8).withUnsafeBytes { FieldParse.isoDateTime($0) } != nil, "\(good)")
        }
    }
}

extension FieldParseTests {
    /// The number part of a field eight bytes at a time against the rule byte by byte: after the first colon among
    /// the first eight bytes, up to the first `@` or `;`; on random text of 0–30 bytes from digits, `+`, letters,
    /// the three marks and bytes next to them in ASCII (`9`, `?`, `A`, `<`).
    @Test("a number's part of a tel:, sip: or client: field agrees with the byte-by-byte rule")
    func cleanNumber() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("0123456789+abcsiptel:@;9?A<:::@@;".utf8) + [0xC3, 0xA9, 0x80, 0xFF]
        func reference(_ b: [UInt8]) -> [UInt8] {
            var start = 0
            if let colon = b.prefix(8).firstIndex(of: 0x3A) { start = colon + 1 }
            var end = start
            while end < b.count && b[end] != 0x40 && b[end] != 0x3B { end += 1 }
            return Array(b[start..<end])
        }
        var cases: [[UInt8]] = [
            "tel:+15551234567", "sip:+4930123@pbx.example;user=phone", "client:alice", "", ":", "1234567:89",
        ]
        .map { Array($0.utf8) }
        for _ in 0..<30_000 {
            cases.append((0..<Int.random(in: 0...30, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
        }
        for b in cases {
            let got = b.withUnsafeBytes { Array(MappedReader.cleanNumber($0)) }
            #expect(got == reference(b), "\(String(decoding: b, as: UTF8.self).debugDescription)")
        }
    }
}

extension FieldParseTests {
    /// The masked parse of `YYYY-MM-DD HH:MM:SS` against a byte-by-byte one (the parser cdrscan had before):
    /// valid times from 1900 to 2199 with one byte changed anywhere in the 19, to a digit, a separator or any
    /// other byte, give the same answer, instants and refusals alike.
    @Test("the masked wall-clock parse agrees with a byte-by-byte one on damaged times")
    func wallClockAgainstBytes() {
        func bytewise(_ p: [UInt8]) -> Int64? {
            func digits(_ at: Int, _ n: Int) -> Int? {
                var v = 0
                for i in at..<(at + n) {
                    guard p[i] >= 48 && p[i] <= 57 else { return nil }
                    v = v * 10 + Int(p[i]) - 48
                }
                return v
            }
            guard p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54 || p[10] == 0x20 || p[10] == 0x74, p[13] == 0x3A,
                p[16] == 0x3A, let y = digits(0, 4), let mo = digits(5, 2), let d = digits(8, 2),
                let h = digits(11, 2), let mi = digits(14, 2), let s = digits(17, 2), h < 24, mi < 60, s < 61,
                CivilTime.isValid(year: y, month: mo, day: d)
            else { return nil }
            return (CivilTime.days(year: y, month: mo, day: d) * 86_400 + Int64(h * 3600 + mi * 60 + min(s, 59))) * 1000
        }
        var rng = SystemRandomNumberGenerator()
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let replacements = Array("0123456789-: Tt/.\u{7F}".utf8) + [0x00, 0x2F, 0x3A, 0xB0, 0xFF]
        var refused = 0
        for _ in 0..<50_000 {
            let text =
                "\(Int.random(in: 1900...2199, using: &rng))-\(two(Int.random(in: 0...13, using: &rng)))-"
                + "\(two(Int.random(in: 0...32, using: &rng)))\(["T", " ", "t"].randomElement(using: &rng)!)"
                + "\(two(Int.random(in: 0...24, using: &rng))):\(two(Int.random(in: 0...60, using: &rng))):"
                + two(Int.random(in: 0...61, using: &rng))
            var bytes = Array(text.utf8)
            if Bool.random(using: &rng) {
                bytes[Int.random(in: 0..<19, using: &rng)] = replacements.randomElement(using: &rng)!
            }
            let expected = bytewise(bytes)
            if expected == nil { refused += 1 }
            #expect(bytes.withUnsafeBytes { FieldParse.wallClock($0.baseAddress!) } == expected, "\(text)")
        }
        #expect(refused > 10_000 && refused < 45_000)  // both answers were exercised
    }
}
