/// CDR text made safe to show: caller names, numbers, accounts, trunk and site names are written by whoever
/// places the call, so they may hold bytes that act on the screen rather than show on it.
///
/// Replaced with U+FFFD (�): C0 control characters but line feed and tab (ESC starts the terminal's control
/// sequences: colours, a cleared screen, a title, hyperlinks; BEL rings), DEL, the C1 controls U+0080–U+009F (CSI
/// among them), and the bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
/// which can make a number read backwards ("Trojan Source"). Every other character is kept, so names in any
/// script read as written.
public enum SafeText {
    /// Whether a character acts on the display instead of showing (see the type's discussion).
    @inlinable
    public static func isUnsafe(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x20 { return v != 0x0A && v != 0x09 }
        if v < 0x7F { return false }
        if v <= 0x9F { return true }
        if v < 0x061C { return false }
        return v == 0x061C || v == 0x200E || v == 0x200F || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v)
    }

    /// `s` with every unsafe character replaced by U+FFFD; `s` itself when it has none.
    public static func shown(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isUnsafe) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(isUnsafe(u) ? "\u{FFFD}" : u) }
        return String(out)
    }
}
