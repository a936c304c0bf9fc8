import CDRAnalysis
import CDRIngest
import CDRModel
import CDROutput
import CDRSamples
import Foundation
import Testing

/// Reports of calls whose every CDR-written value (calling and called numbers as written, account, trunk, site)
/// is random hostile text: HTML and Markdown syntax, quotes, control characters, URLs, spreadsheet formulas. The
/// HTML must hold exactly the elements and attributes a report of harmless values holds, and each Markdown table
/// row as many cells as its header.
@Suite("reports of hostile CDR values: no markup gets through")
struct ReportFuzzTests {
    static let pieces = [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>", "'", "\"", "&amp;",
        "&lt;b&gt;", "</td></tr></table>", "<!--", "-->", "]]>", "<![CDATA[", "|", "||", "`", "```",
        "[x](http://e.example)",
        "![i](http://e.example/i.png)", "*", "**", "_", "__", "~~", "#", "> ", "- ", "1. ", "\\", "\n", "\r\n", "\t",
        "\u{0}", "\u{7}", "\u{1B}[31m", "\u{202E}", "\u{200B}", "=cmd|' /C calc'!A0", "+1", "-2", "@SUM(1)",
        "javascript:alert(1)", "http://evil.example", "www.evil.example", "{{x}}", "${x}", "%s", "Ünïcödé", "漢字",
        "😀", "0049", "+881", "2042",
    ]

    static func hostile(_ rng: inout SampleRandom) -> String {
        (0..<rng.int(1...4)).map { _ in pieces[rng.int(0...(pieces.count - 1))] }.joined()
    }

    /// A night of calls to satellite and Latvian numbers from hostile accounts, calling numbers, trunks and sites
    /// (incidents, alerts, top lists, charts); `harmless` writes plain letters instead.
    static func calls(seed: UInt64, harmless: Bool) -> [CallRecord] {
        var rng = SampleRandom(seed: seed)
        let night = CivilTime.days(year: 2026, month: 10, day: 6) * 86_400_000 + 1 * 3_600_000
        var out: [CallRecord] = []
        for k in 0..<60 {
            var text = SampleRandom(seed: seed &+ UInt64(k / 6))  // six calls share their hostile values
            func value(_ plain: String) -> String { harmless ? plain : hostile(&text) }
            let t = night + Int64(k) * 45_000 + Int64(rng.int(0...19_999))
            let callee = k % 3 == 0 ? "+88163123\(4000 + k)" : "+3712\(9_000_000 + k)"
            out.append(
                CallRecord(
                    startMs: t,
                    answerMs: t + 4000,
                    endMs: t + 240_000,
                    direction: .outbound,
                    disposition: .answered,
                    caller: value("ext\(k / 6)"),
                    callee: callee,
                    callerRaw: value("raw\(k / 6)"),
                    calleeRaw: value("dialled\(k / 6)"),
                    trunk: k % 2 == 0 ? "ber-telekom" : value("trunk\(k / 6)"),
                    account: value("account\(k / 6)"),
                    site: k % 5 == 0 ? value("site\(k / 6)") : "ber"
                )
            )
        }
        return out
    }

    /// Every element name and attribute name in `html`. Attribute values are read as quoted: a value whose quote an
    /// unescaped CDR value closed early leaves the rest of it as attributes of their own.
    static func markup(_ html: String) -> (elements: Set<String>, attributes: Set<String>) {
        var elements = Set<String>()
        var attributes = Set<String>()
        let tag = try! Regex(#"<(/?[A-Za-z!][A-Za-z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#)
        let attribute = try! Regex(#"([^\s=>"'/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?"#)
        for m in html.matches(of: tag) {
            elements.insert(String(html[m.output[1].range!]).lowercased())
            let rest = String(html[m.output[2].range!])
            for a in rest.matches(of: attribute) { attributes.insert(String(rest[a.output[1].range!]).lowercased()) }
        }
        return (elements, attributes)
    }

    /// Cells of a Markdown table row: `|` not escaped by a backslash, less the row's outer two.
    static func cells(_ line: Substring) -> Int {
        var n = 0
        var escaped = false
        for c in line {
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "|" {
                n += 1
            }
        }
        return n - 1
    }

    @Test("random hostile values in every CDR field", arguments: [1, 2, 3] as [UInt64])
    func hostileValues(seed: UInt64) throws {
        let plain = try Fixture.reports(Self.calls(seed: seed, harmless: true))
        let bad = try Fixture.reports(Self.calls(seed: seed, harmless: false))
        let want = Self.markup(plain.html)
        let got = Self.markup(bad.html)
        #expect(got.elements.subtracting(want.elements).isEmpty, "elements only with hostile values")
        #expect(got.attributes.subtracting(want.attributes).isEmpty, "attributes only with hostile values")
        #expect(!bad.html.unicodeScalars.contains(where: SafeText.isUnsafe))
        // The hostile values are in the report (escaped), not dropped.
        #expect(bad.html.contains("&lt;") && bad.html.contains("&quot;"))
        // Markdown: each table keeps its columns; no line starts a heading, list, quote or code block of its own.
        var columns: Int? = nil
        for line in bad.markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                columns = nil
                continue
            }
            let n = Self.cells(line)
            if let columns { #expect(n == columns, "\(line)") } else { columns = n }
        }
        #expect(!bad.markdown.unicodeScalars.contains(where: SafeText.isUnsafe))
        // No link, image or bare URL a renderer would make a link of, and no line of CDR text starting a block.
        for pattern in [#"(^|[^\\])\]\("#, "://", #"(?i)www\."#, #"(^|[^\\])<[A-Za-z!/]"#] {
            #expect(bad.markdown.firstMatch(of: try Regex(pattern)) == nil, "\(pattern)")
        }
        let plainLines = Set(plain.markdown.split(separator: "\n").map { $0.prefix(3) })
        for line in bad.markdown.split(separator: "\n") where line.hasPrefix("```") || line.hasPrefix("    ") {
            #expect(plainLines.contains(line.prefix(3)), "\(line)")
        }
    }
}
