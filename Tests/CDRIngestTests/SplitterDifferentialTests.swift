import CPrefetch
import Testing

@testable import CDRIngest

/// The scanner with its C splitters against the same scanner with them off (every record through the state
/// machine, the reference): on random damaged CSV (stray, doubled and unclosed quotes, CR without LF, spaces
/// before quotes, separators and newlines inside quotes, invalid UTF-8, lines longer than a block or than the
/// record limit), in strict and lenient mode, with and without quoting, for three separators and four chunk
/// sizes, both give the same records: fields byte for byte, line numbers, defects and raw text, and consume the
/// same lines. The splitters may decline anything, but what they take must be what the state machine reads.
@Suite struct SplitterDifferentialTests {
    /// A record as the scanner reports it, with its fields' bytes (not repaired to valid UTF-8: two different
    /// invalid bytes must not compare equal).
    struct Record: Equatable, CustomStringConvertible {
        var line: Int
        var fields: [[UInt8]]
        var defect: String?
        var raw: String

        var description: String {
            let shown = fields.map { "[" + String(decoding: $0, as: UTF8.self).debugDescription + "]" }
            return "line \(line) \(shown.joined(separator: " ")) defect \(defect ?? "none") raw \(raw.debugDescription)"
        }
    }

    /// A small seeded generator (SplitMix64), so that a failure names a seed that reproduces it.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func scan(_ bytes: [UInt8], chunk: Int, options: CSVOptions, splitters: Bool) -> ([Record], Int) {
        var scanner = CSVScanner(options: options)
        scanner.splitters = splitters
        var out: [Record] = []
        feed(bytes, chunk: chunk, to: &scanner) { rec in
            out.append(
                Record(
                    line: rec.line,
                    fields: (0..<rec.count).map { Array(rec[$0]) },
                    defect: rec.defect,
                    raw: rec.rawText(limit: 1000)
                )
            )
        }
        return (out, scanner.linesConsumed)
    }

    /// Random text made of the pieces CSV damage is made of, with whole well-formed fields among them so that
    /// lines the splitters take are common too. Lines of 0 to about 1,000 bytes: many cross a 64-byte block.
    static func document(_ rng: inout SplitMix, separator: UInt8) -> [UInt8] {
        let sep = [separator]
        let pieces: [[UInt8]] = [
            [0x22], [0x22, 0x22], sep, sep, sep, [0x0A], [0x0A], [0x0D, 0x0A], [0x0D], [0x20], [0x09],
            Array("abc".utf8), Array("1".utf8), Array("+4930123".utf8), [0xC3, 0xA9], [0xFF], [0xE2, 0x82],
            Array(",".utf8), Array(";".utf8),
        ]
        var out: [UInt8] = []
        if rng.next() % 16 == 0 { out += [0xEF, 0xBB, 0xBF] }
        let lines = Int(rng.next() % 8) + 1
        for _ in 0..<lines {
            if rng.next() % 3 == 0 {
                out += quotedLine(&rng, separator: separator)
                continue
            }
            // Mostly short lines; one in eight with 60 to 110 fields (past the 64 a splitter's field bit sets hold).
            let fields = Int(rng.next() % 8 == 0 ? 60 + rng.next() % 50 : rng.next() % 24)
            for f in 0..<fields {
                if f > 0 { out += sep }
                switch rng.next() % 4 {
                case 0:
                    // A well-quoted field, maybe with doubled quotes, separators or a newline inside.
                    out.append(0x22)
                    for _ in 0..<Int(rng.next() % 12) {
                        let inner: [[UInt8]] = [Array("xy".utf8), [0x22, 0x22], sep, [0x0A], [0x20], [0xC3, 0xA9]]
                        out += inner[Int(rng.next() % UInt64(rng.next() % 8 == 0 ? inner.count : 3))]
                    }
                    out.append(0x22)
                case 1:
                    out += Array("field\(rng.next() % 1000)".utf8)
                case 2:
                    break
                default:
                    for _ in 0..<Int(rng.next() % 6) { out += pieces[Int(rng.next() % UInt64(pieces.count))] }
                }
            }
            switch rng.next() % 6 {
            case 0: out += [0x0D, 0x0A]
            case 1: if rng.next() % 2 == 1 { out.append(0x0A) }  // else the line runs into the next
            default: out.append(0x0A)
            }
        }
        return out
    }

    /// A line of quoted fields as FreeSWITCH writes them (what `cdr_split_quoted` takes), of 1 to 70 fields so
    /// that separators and quotes fall on every offset of a 64-byte block; half of them well formed, the others
    /// with one field damaged: a quote, doubled quotes, a separator, a newline or a CR inside, a byte after the
    /// closing quote, a space before the opening one, no quotes.
    static func quotedLine(_ rng: inout SplitMix, separator: UInt8) -> [UInt8] {
        let contents: [[UInt8]] = [
            [], Array("2203".utf8), Array("2026-10-01 00:00:02".utf8), Array("NORMAL_CLEARING".utf8), Array("a".utf8),
            Array("sofia/gateway/ber-sipgate/0049".utf8), Array("1790805602".utf8), [0xC3, 0xA9],
        ]
        var out: [UInt8] = []
        let fields = Int(rng.next() % 70) + 1
        let damaged = rng.next() % 2 == 0 ? Int(rng.next() % UInt64(fields)) : -1
        for f in 0..<fields {
            if f > 0 { out.append(separator) }
            let content = contents[Int(rng.next() % UInt64(contents.count))]
            switch f == damaged ? rng.next() % 8 : 8 {
            case 0: out += [0x22] + content + [0x22, 0x22] + content + [0x22]  // a doubled quote inside
            case 1: out += [0x22] + content + [0x22] + content + [0x22]  // a stray quote inside
            case 2: out += [0x22] + content + [separator] + content + [0x22]  // a separator inside
            case 3: out += [0x22] + content + [0x0A] + content + [0x22]  // a newline inside
            case 4: out += [0x22] + content + [0x0D] + [0x22]  // a CR inside
            case 5: out += [0x22] + content + [0x22, 0x78]  // a byte after the closing quote
            case 6: out += content  // unquoted
            case 7: out += [0x20, 0x22] + content + [0x22]  // a space before the quote
            default: out += [0x22] + content + [0x22]
            }
        }
        switch rng.next() % 8 {
        case 0: out += [0x0D, 0x0A]
        case 1: break  // the line runs into the next
        case 2: out += [0x0D]
        default: out.append(0x0A)
        }
        return out
    }

    /// Both builds of the splitters where the CPU has AVX2: the baseline one (SSE2) and the AVX2 one.
    @Test("the splitters read what the state machine reads, on random damaged CSV", .serialized, arguments: [0, 1])
    func splittersAgreeWithStateMachine(wide: Int32) {
        let before = cdr_split_wide(-1)
        defer { _ = cdr_split_wide(before) }
        if cdr_split_wide(wide) != wide {
            // No AVX2 here: the baseline build was checked with the argument 0.
            return
        }
        let seed = UInt64.random(in: 1...UInt64.max)
        var rng = SplitMix(state: seed)
        var failures = 0
        for i in 0..<2000 {
            let separator: UInt8 = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09][i % 3]
            let options = CSVOptions(
                delimiter: separator,
                lenient: (i / 3) % 2 == 1,
                maxRecordBytes: [48, 64 * 1024, 100, 64 * 1024, 20][i % 5],
                quoting: (i / 6) % 4 != 3
            )
            let text = Self.document(&rng, separator: separator)
            for chunk in [1, 7, 64, text.count + 1] {
                let reference = Self.scan(text, chunk: chunk, options: options, splitters: false)
                let fast = Self.scan(text, chunk: chunk, options: options, splitters: true)
                guard fast.0 != reference.0 || fast.1 != reference.1 else { continue }
                failures += 1
                if failures <= 3 {
                    let firstDiff =
                        (0..<min(fast.0.count, reference.0.count)).first { fast.0[$0] != reference.0[$0] }
                        ?? min(fast.0.count, reference.0.count)
                    Issue.record(
                        """
                        wide \(wide), seed \(seed), document \(i), chunk \(chunk), options \(options): \
                        \(String(decoding: text, as: UTF8.self).debugDescription)
                        splitters:     \(firstDiff < fast.0.count ? fast.0[firstDiff].description : "no record") \
                        (\(fast.0.count) records, \(fast.1) lines)
                        state machine: \(firstDiff < reference.0.count ? reference.0[firstDiff].description : "no record") \
                        (\(reference.0.count) records, \(reference.1) lines)
                        """
                    )
                }
            }
        }
        #expect(failures == 0, "seed \(seed)")
    }
}
