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
