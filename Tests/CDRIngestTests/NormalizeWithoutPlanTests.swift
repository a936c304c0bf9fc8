import Testing

@testable import CDRIngest

/// Numbers of a site with no country, normalized byte by byte, against the rule written with `Character`s (the
/// form it had before it was rewritten for speed): the same text for every valid UTF-8 input.
@Suite struct NormalizeWithoutPlanTests {
    /// The rule over `Character`s: `+` first, ASCII digits and the separators space `-` `.` `(` `)` `/`; anything
    /// else keeps the text as written; `00` and more than eight digits is international.
    static func oracle(_ text: String) -> String {
        var digits = ""
        var plus = false
        for (i, c) in text.enumerated() {
            if c == "+" && i == 0 {
                plus = true
            } else if c.isNumber && c.isASCII {
                digits.append(c)
            } else if " -.()/".contains(c) {
                continue
            } else {
                return text
            }
        }
        if plus { return "+" + digits }
        if digits.hasPrefix("00") && digits.count > 8 { return "+" + digits.dropFirst(2) }
        return digits
    }

    static func bytes(_ text: String) -> String {
        var out: [UInt8] = []
        IngestState.normalizeWithoutPlan(Array(text.utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("written cases")
    func cases() {
        let expected = [
            "+49 (30) 1234-567": "+49301234567",
            "0049 30 1234567": "+49301234567",
            "00 49": "0049",  // too short for international
            "030/1234567": "0301234567",
            "2001": "2001",
            "": "",
            "+": "+",
            "1+2": "1+2",  // a plus not first: as written
            "anonymous": "anonymous",
            "12\r\n": "12\r\n",
            "5\u{0303}5": "5\u{0303}5",  // a digit with a combining mark is not a digit
            "٣٣٣": "٣٣٣",  // Arabic-Indic digits are not ASCII
            "00491701234567": "+491701234567",
            "00123456": "00123456",  // eight digits: national
            "001234567": "+1234567",  // nine: international
        ]
        for (input, output) in expected {
            #expect(Self.bytes(input) == output, "\(input)")
            #expect(Self.oracle(input) == output, "\(input)")
        }
    }

    @Test("agrees with the Character rule on random text")
    func random() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [String] = [
            "0", "0", "1", "4", "9", "+", " ", "-", ".", "(", ")", "/", "a", "#", "\r", "\n",
            "\u{0303}", "é", "٣", "\u{200D}", "👍",
        ]
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...14, using: &rng)
            let text = (0..<n).map { _ in
                Bool.random(using: &rng)
                    ? String(Int.random(in: 0...9, using: &rng)) : alphabet.randomElement(using: &rng)!
            }.joined()
            #expect(Self.bytes(text) == Self.oracle(text), "\(text.unicodeScalars.map { $0.value })")
        }
    }
}
