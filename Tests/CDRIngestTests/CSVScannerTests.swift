import CDRIngest
import Testing

@Suite struct CSVScannerTests {
    static let chunks = [1, 2, 3, 64, 65_536]

    @Test("RFC 4180 cases", arguments: chunks)
    func rfc4180(chunk: Int) {
        let text = "a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"two\nlines\"\n,,\nlast,row"
        let recs = scanAll(Array(text.utf8), chunk: chunk)
        #expect(
            recs.map(\.fields) == [
                ["a", "b", "c"], ["x, y", "he said \"hi\"", "two\nlines"], ["", "", ""], ["last", "row"],
            ]
        )
        #expect(recs.map(\.line) == [1, 2, 4, 5])
        #expect(recs.allSatisfy { $0.defect == nil })
    }

    @Test("a UTF-8 byte-order mark is skipped", arguments: chunks)
    func bom(chunk: Int) {
        let recs = scanAll([0xEF, 0xBB, 0xBF] + Array("h1,h2\n1,2\n".utf8), chunk: chunk)
        #expect(recs.map(\.fields) == [["h1", "h2"], ["1", "2"]])
    }

    @Test("blank lines are skipped but counted for line numbers", arguments: chunks)
    func blankLines(chunk: Int) {
        let recs = scanAll(Array("a\n\n\r\nb\n".utf8), chunk: chunk)
        #expect(recs.map(\.fields) == [["a"], ["b"]])
        #expect(recs.map(\.line) == [1, 4])
    }

    @Test("invalid UTF-8 never crashes and is repaired", arguments: chunks)
    func invalidUTF8(chunk: Int) {
        let bytes: [UInt8] =
            Array("x,".utf8) + [0xFF, 0xC3, 0x28] + Array(",\"".utf8) + [0xE2, 0x82] + Array("\"\n".utf8)
        let recs = scanAll(bytes, chunk: chunk)
        #expect(recs.count == 1)
        #expect(recs[0].fields.count == 3)
        #expect(recs[0].fields[1].contains("\u{FFFD}"))
    }

    @Test("strict mode flags a stray quote; lenient mode keeps it", arguments: chunks)
    func lenient(chunk: Int) {
        let text = "\"FreeSWITCH \"quoted\" name\",1\n  \"spaced\",2\n"
        let strict = scanAll(Array(text.utf8), chunk: chunk)
        #expect(strict[0].defect != nil)
        let lenient = scanAll(Array(text.utf8), chunk: chunk, options: CSVOptions(lenient: true))
        #expect(lenient.map(\.fields) == [["FreeSWITCH \"quoted\" name", "1"], ["spaced", "2"]])
        #expect(lenient.allSatisfy { $0.defect == nil })
    }

    @Test("an unterminated quote is reported once and reading resumes")
    func unterminated() {
        var text = "ok,1\n\"never closed," + String(repeating: "x", count: 300) + "\nnext,2\n"
        text += String(repeating: "y,3\n", count: 3)
        let recs = scanAll(Array(text.utf8), chunk: 64, options: CSVOptions(maxRecordBytes: 100))
        #expect(recs.first?.fields == ["ok", "1"])
        #expect(recs.filter { $0.defect != nil }.count == 1)
        #expect(recs.last?.fields == ["y", "3"])
    }

    /// Oracle: on quote-free text the scanner must agree with the standard library's split.
    @Test("agrees with split on quote-free data", arguments: chunks)
    func oracle(chunk: Int) {
        var rng = SystemRandomNumberGenerator()
        var lines: [String] = []
        for _ in 0..<300 {
            let n = Int.random(in: 1...8, using: &rng)
            lines.append((0..<n).map { _ in String(Int.random(in: 0...99999, using: &rng)) }.joined(separator: ","))
        }
        let text = lines.joined(separator: "\n") + "\n"
        let expected = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(scanAll(Array(text.utf8), chunk: chunk).map(\.fields) == expected)
    }

    /// Oracle for the separator search (64 bytes at a time for lines without quotes, eight at a time otherwise):
    /// every separator the mapped formats use, empty and long fields, separators next to each other and at every
    /// offset of a block, bytes above 0x7F, more fields than a record first has room for, LF and CRLF line ends, a
    /// last line with no line end, with quotes read as quotes or as plain bytes.
    @Test("agrees with split for any separator and field shape", arguments: [",", ";", "\t", "|"])
    func oracleSeparators(separator: String) {
        var rng = SystemRandomNumberGenerator()
        let sep = Character(separator)
        let alphabet = Array("0123456789abc+ é€-") + [sep == "," ? ";" : ","]
        var lines: [String] = []
        for _ in 0..<500 {
            let n = Int.random(in: 1...(Bool.random(using: &rng) ? 60 : 150), using: &rng)
            lines.append(
                (0..<n).map { _ in
                    String(
                        (0..<Int.random(in: 0...(Bool.random(using: &rng) ? 3 : 40), using: &rng)).map { _ in
                            alphabet.randomElement(using: &rng)!
                        }
                    )
                }.joined(separator: separator)
            )
        }
        lines = lines.filter { !$0.isEmpty }  // a blank line is not a record
        let expected = lines.map { $0.split(separator: sep, omittingEmptySubsequences: false).map(String.init) }
        for crlf in [false, true] {
            let ends = lines.map { _ in crlf && Bool.random(using: &rng) ? "\r\n" : "\n" }
            let text = zip(lines, ends).map { $0 + $1 }.joined()
            for final in [true, false] {
                // Bytes, not characters: CR LF is one `Character`.
                let bytes = Array(Array(text.utf8).dropLast(final ? 0 : ends.last!.utf8.count))
                for quoting in [false, true] {
                    let options = CSVOptions(delimiter: UInt8(ascii: sep.unicodeScalars.first!), quoting: quoting)
                    for chunk in [7, 64, 1 << 20] {
                        let got = scanAll(bytes, chunk: chunk, options: options).map(\.fields)
                        #expect(got == expected, "crlf \(crlf), final line end \(final), chunk \(chunk)")
                    }
                }
            }
        }
    }
}

extension CSVScannerTests {
    /// Oracle for quoted records: values encoded the RFC 4180 way (quoted at random, always when they hold a
    /// separator, a quote, CR or LF; quotes doubled) must scan back to the same values, over LF and CRLF line
    /// ends, every chunk size (records cut anywhere, inside quotes too) and three separators.
    @Test("quoted fields scan back to the values that were encoded", arguments: [",", ";", "\t"])
    func quotedRoundTrip(separator: String) {
        var rng = SystemRandomNumberGenerator()
        let sep = Character(separator)
        let alphabet = Array("0123456789ab+ é-:") + [sep, "\"", "\n"]
        func encode(_ v: String) -> String {
            let must = v.contains(sep) || v.contains("\"") || v.contains("\n") || v.contains("\r")
            guard must || Bool.random(using: &rng) else { return v }
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var records: [[String]] = []
        for _ in 0..<400 {
            let n = Int.random(in: 1...25, using: &rng)
            records.append(
                (0..<n).map { _ in
                    let rare = Int.random(in: 0..<6, using: &rng) == 0  // now and then a quote, separator or newline
                    let letters = rare ? alphabet : Array(alphabet.dropLast(3))
                    return String(
                        (0..<Int.random(in: 0...14, using: &rng)).map { _ in letters.randomElement(using: &rng)! }
                    )
                }
            )
        }
        records = records.filter { $0 != [""] }  // an empty line is not a record
        for lineEnd in ["\n", "\r\n"] {
            let text = records.map { $0.map(encode).joined(separator: separator) }.joined(separator: lineEnd) + lineEnd
            let options = CSVOptions(delimiter: UInt8(ascii: sep.unicodeScalars.first!))
            for chunk in [5, 64, 1 << 20] {
                let got = scanAll(Array(text.utf8), chunk: chunk, options: options)
                #expect(got.map(\.fields) == records)
                #expect(got.allSatisfy { $0.defect == nil })
            }
        }
        // Lines that are almost well quoted: strict mode must flag each.
        for bad in ["\"ab\"c,d\n", "a\"b,c\n", " \"a\",b\n", "\"a\"\"b,c\n", "x,\"ab\n", "\"a\"\rx,b\n"] {
            let got = scanAll(Array(bad.utf8), chunk: 1 << 20)
            #expect(got.first?.defect != nil, "\(bad.debugDescription) is malformed")
        }
    }
}

extension CSVScannerTests {
    /// Records whose every field is quoted (FreeSWITCH writes every row so) are split from the quote bits of 64
    /// bytes at a time; any other record, and one whose end is not in the buffer yet, goes to the state machine.
    /// Oracle: the values written, and each record's line (1 + the newlines before it), for fields of 0–90 bytes
    /// (records across several 64-byte blocks), now and then a separator, a doubled quote, a newline or CR inside,
    /// an unquoted field or a space after a closing quote, every chunk size, LF and CRLF, strict and lenient.
    @Test("records quoted field by field scan back with their lines", arguments: [",", "\t"])
    func everyFieldQuoted(separator: String) {
        var rng = SystemRandomNumberGenerator()
        let sep = Character(separator)
        let plain = Array("0123456789abcdef+-:é ")
        var records: [[String]] = []
        var bare: [Set<Int>] = []  // fields written without quotes
        for _ in 0..<300 {
            let n = Int.random(in: 1...22, using: &rng)
            records.append(
                (0..<n).map { _ in
                    var v = String(
                        (0..<Int.random(in: 0...90, using: &rng)).map { _ in plain.randomElement(using: &rng)! }
                    )
                    if Int.random(in: 0..<40, using: &rng) == 0 {
                        let odd: [Character] = [sep, "\"", "\n", "\r"]
                        v.insert(odd.randomElement(using: &rng)!, at: v.index(v.startIndex, offsetBy: v.count / 2))
                    }
                    return v
                }
            )
            bare.append(
                Int.random(in: 0..<20, using: &rng) == 0 ? [Int.random(in: 0..<n, using: &rng)] : []
            )
        }
        for lineEnd in ["\n", "\r\n"] {
            var text = ""
            var lines: [Int] = []
            var line = 1
            for (r, fields) in records.enumerated() {
                lines.append(line)
                let encoded = fields.enumerated().map { i, v in
                    let mustQuote = v.contains(sep) || v.contains("\"") || v.contains("\n") || v.contains("\r")
                    if bare[r].contains(i) && !mustQuote && !v.isEmpty { return v }
                    return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                }
                let record = encoded.joined(separator: separator) + lineEnd
                line += record.filter { $0 == "\n" || $0 == "\r\n" }.count
                text += record
            }
            for lenient in [false, true] {
                let options = CSVOptions(delimiter: UInt8(ascii: sep.unicodeScalars.first!), lenient: lenient)
                for chunk in [7, 64, 200, 1 << 20] {
                    let got = scanAll(Array(text.utf8), chunk: chunk, options: options)
                    #expect(got.map(\.fields) == records)
                    #expect(got.map(\.line) == lines)
                    #expect(got.allSatisfy { $0.defect == nil })
                }
            }
        }
        // A space after a closing quote is damage: strict mode flags it, lenient mode keeps the field.
        let damaged = "\"a\",\"b\" ,\"c\"\n\"d\",\"e\",\"f\"\n"
        let strict = scanAll(Array(damaged.utf8), chunk: 1 << 20)
        #expect(strict.first?.defect != nil)
        #expect(strict.last?.fields == ["d", "e", "f"])
        #expect(strict.last?.line == 2)
    }
}

extension CSVScannerTests {
    /// A quoted one-line record (split in one pass) and a quoted record over two lines (read by the state machine)
    /// of the same length get the same verdict on the length limit: counted up to the line feed, without it (a CR
    /// before it counts). Unquoted lines are counted the same way (the splitter differential tests).
    @Test("a quoted record's length is counted one way on every path", arguments: ["\n", "\r\n"])
    func quotedLength(lineEnd: String) {
        let options = CSVOptions(maxRecordBytes: 11 + lineEnd.utf8.count - 1)
        for (text, overlong) in [
            ("x,\"abcdefg\"", false), ("x,\"abcde\ng\"", false), ("x,\"abcdefgh\"", true), ("x,\"abcdef\ngh\"", true),
        ] {
            let got = scanAll(Array((text + lineEnd + "ok\n").utf8), chunk: 1 << 20, options: options)
            #expect((got.first?.defect != nil) == overlong, "\(text.debugDescription)")
            #expect(got.last?.fields == ["ok"])
        }
    }
}
