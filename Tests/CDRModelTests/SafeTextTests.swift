import CDRModel
import Testing

@Suite struct SafeTextTests {
    @Test("controls and bidirectional formatting characters become U+FFFD; text in any script stays")
    func shown() {
        #expect(SafeText.shown("Müller 漢字 😀 +49 30\t1") == "Müller 漢字 😀 +49 30\t1")
        #expect(SafeText.shown("a\u{1B}[2Jb\u{7}") == "a\u{FFFD}[2Jb\u{FFFD}")
        #expect(SafeText.shown("\u{0}\u{7F}\u{9B}31m") == "\u{FFFD}\u{FFFD}\u{FFFD}31m")
        #expect(SafeText.shown("+1\u{202E}0987") == "+1\u{FFFD}0987")
        #expect(SafeText.shown("\u{2066}x\u{2069}\u{200F}\u{61C}") == "\u{FFFD}x\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(SafeText.shown("line\nnext") == "line\nnext")
        // Every scalar below U+3000 against the rule written out.
        for v in UInt32(0)..<0x3000 {
            guard let u = Unicode.Scalar(v) else { continue }
            let unsafe =
                (v < 0x20 && v != 0x0A && v != 0x09) || (0x7F...0x9F).contains(v)
                || [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
                    .contains(v)
            #expect(SafeText.isUnsafe(u) == unsafe, "U+\(String(v, radix: 16))")
        }
    }
}
