import CPrefetch
import Testing

/// `cdr_split_line`, the one-pass splitter for one-line records with quotes where RFC 4180 puts them, called
/// directly: the scanner falls back to its state machine whenever the splitter declines, so scanning alone would
/// not show that the splitter takes these records, nor catch it declining them all.
@Suite struct LineSplitTests {
    /// The splitter's answer for `line`: nil when it declines (−1), else the fields, doubled quotes collapsed in
    /// the fields it marks, and the marks.
    static func split(
        _ line: String,
        separator: UInt8 = UInt8(ascii: ","),
        quoting: Bool = true
    ) -> (
        result: Int, fields: [String], marked: Set<Int>, next: Int
    ) {
        let bytes = Array(line.utf8)
        var bounds = [Int](repeating: 0, count: 2 * 200)
        var next = 0
        var collapse: UInt64 = 0
        let n = bytes.withUnsafeBufferPointer { b in
            bounds.withUnsafeMutableBufferPointer { out in
                cdr_split_line(
                    b.baseAddress!,
                    b.count,
                    separator,
                    quoting ? 1 : 0,
                    0,
                    out.baseAddress!,
                    200,
                    &next,
                    &collapse
                )
            }
        }
        guard n > 0 else { return (n, [], [], next) }
        var fields: [String] = []
        var marked: Set<Int> = []
        for f in 0..<n {
            var text = String(decoding: bytes[bounds[2 * f]..<bounds[2 * f + 1]], as: UTF8.self)
            if f < 64 && collapse & (1 << UInt64(f)) != 0 {
                marked.insert(f)
                text = text.replacingOccurrences(of: "\"\"", with: "\"")
            }
            fields.append(text)
        }
        return (n, fields, marked, next)
    }

    /// Oracle: values encoded the RFC 4180 way (quoted at random, always when they hold a separator or a quote;
    /// quotes doubled) split back to the values, with exactly the fields that hold a quote marked for collapsing,
    /// over fields of 0–90 bytes (quotes, separators and doubled quotes at every offset of the 64-byte blocks),
    /// LF and CRLF.
    @Test("well-quoted lines split back to the values", arguments: [",", ";", "\t"])
    func roundTrip(separator: String) {
        var rng = SystemRandomNumberGenerator()
        let sep = Character(separator)
        let letters = Array("0123456789ab+ é-:")
        for _ in 0..<600 {
            let values: [String] = (0..<Int.random(in: 1...30, using: &rng)).map { _ in
                var v = String(
                    (0..<Int.random(in: 0...90, using: &rng)).map { _ in letters.randomElement(using: &rng)! }
                )
                if Int.random(in: 0..<5, using: &rng) == 0 {
                    let odd: [Character] = [sep, "\""]
                    v.insert(odd.randomElement(using: &rng)!, at: v.index(v.startIndex, offsetBy: v.count / 2))
                }
                return v
            }
            let encoded = values.map { v in
                v.contains(sep) || v.contains("\"") || Bool.random(using: &rng)
                    ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
            }
            let end = Bool.random(using: &rng) ? "\r\n" : "\n"
            let line = encoded.joined(separator: separator) + end
            let got = Self.split(line + "next,line\n", separator: UInt8(ascii: sep.unicodeScalars.first!))
            #expect(got.result == values.count, "\(line.debugDescription)")
            #expect(got.fields == values, "\(line.debugDescription)")
            let withQuote = Set(values.indices.filter { values[$0].contains("\"") })
            #expect(got.marked == withQuote, "\(line.debugDescription)")
            #expect(got.next == line.utf8.count)
        }
    }

    /// A doubled quote, a closing quote and a CR at every offset around the end of the first 64-byte block (the
    /// bits that carry from one block to the next).
    @Test("quotes across a block boundary")
    func blockBoundary() {
        for k in 0..<140 {
            let a = String(repeating: "a", count: k)
            #expect(Self.split("\"\(a)\"\"b\",x\n").fields == [a + "\"b", "x"], "k \(k)")
            #expect(Self.split("\(a),\"q\",\"\"\n").fields == [a, "q", ""], "k \(k)")
            #expect(Self.split("\(a),\"q,r\"\r\n").fields == [a, "q,r"], "k \(k)")
            #expect(Self.split("\"\(a)\"x,b\n").result == -1, "k \(k)")
        }
    }

    /// Lines whose quotes are not where RFC 4180 puts them are declined (−1), for the state machine to read (and
    /// flag or, in lenient mode, repair); so is a newline inside quotes. With no line end yet the answer is 0 (the test
    /// bytes end where the buffer does: a read past them shows under a sanitizer).
    @Test("declines what it does not read")
    func declines() {
        for bad in [
            "\"ab\"c,d\n", "a\"b,c\n", " \"a\",b\n", "\"a\"\"b,c\n", "x,\"ab\n", "\"a\"\rx,b\n", "\"a\" ,b\n",
            "\"two\nlines\",x\n", "\"FreeSWITCH \"quoted\" name\",1\n",
        ] {
            #expect(Self.split(bad).result == -1, "\(bad.debugDescription)")
        }
        #expect(Self.split("a,\"b\",c").result == 0)
        // The buffer ending right after a closing quote, or after the CR that follows one: no byte past it is read.
        #expect(Self.split("a,\"b\"").result == 0)
        #expect(Self.split("a,\"b\"\r").result == 0)
        #expect(Self.split("a,\"b,c\nd\n").result == -1)
        // Quotes as plain bytes.
        #expect(Self.split("a\"b,\"c\n", quoting: false).fields == ["a\"b", "\"c"])
    }
}
