import Foundation
import Testing

@testable import CDRIngest

/// Content fingerprints: the same for the same bytes however they arrive, different when any byte differs, and
/// the legacy ones exactly those earlier versions recorded (results databases hold them).
@Suite struct ContentHashTests {
    /// Reproducible bytes (splitmix64).
    static func bytes(_ n: Int, seed: UInt64) -> [UInt8] {
        var s = seed
        return (0..<n).map { _ in
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }

    static func fingerprint(_ data: [UInt8], cuts: [Int] = []) -> (String, String) {
        var current = ContentHash()
        var legacy = LegacyContentHash()
        var start = 0
        data.withUnsafeBytes { all in
            for end in cuts.sorted() + [data.count] where end >= start {
                let piece = UnsafeRawBufferPointer(rebasing: all[start..<end])
                current.add(piece)
                legacy.add(piece)
                start = end
            }
        }
        return (current.fingerprint, legacy.fingerprint)
    }

    @Test("the same bytes give the same fingerprint in any chunks", arguments: [0, 1, 7, 8, 31, 32, 33, 64, 100, 4099])
    func chunking(length: Int) {
        let data = Self.bytes(length, seed: UInt64(length))
        let whole = Self.fingerprint(data)
        #expect(whole.0.hasPrefix("v2-\(length)-"))
        #expect(whole.1.hasPrefix("\(length)-"))
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let cuts = (0..<Int.random(in: 1...6, using: &rng)).map { _ in Int.random(in: 0...length, using: &rng) }
            let pieces = Self.fingerprint(data, cuts: cuts)
            #expect(pieces == whole, "cut at \(cuts.sorted())")
        }
    }

    @Test("any changed byte, an added zero byte or words in another order give another fingerprint")
    func everyByteCounts() {
        let data = Self.bytes(100, seed: 7)
        let base = Self.fingerprint(data)
        var seen: Set<String> = [base.0]
        for i in data.indices {
            var changed = data
            changed[i] ^= 0x01
            seen.insert(Self.fingerprint(changed).0)
        }
        #expect(seen.count == data.count + 1)
        #expect(Self.fingerprint(data + [0]).0 != base.0)
        // The same words in each lane, the blocks in the other order.
        let swapped = Array(data[32..<64] + data[0..<32] + data[64...])
        #expect(Self.fingerprint(swapped).0 != base.0)
    }

    @Test("legacy fingerprints are the ones cdrscan recorded before v2")
    func legacy() throws {
        // Recorded by cdrscan 2026-11-27 (commit 1acf9af) for these bytes and for a shipped sample file.
        let csv = """
            start_utc,answer_utc,end_utc,duration_s,billsec_s,direction,caller,callee,trunk,account,site,disposition
            2026-03-01T09:00:00Z,2026-03-01T09:00:05Z,2026-03-01T09:01:00Z,60,55,outbound,+4930123456,+4989765432,\
            t1,acc,ber,answered

            """
        #expect(Self.fingerprint(Array(csv.utf8)).1 == "227-6c289fd87b8a6da4")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let sample = root.appendingPathComponent("sample-cdrs/month/sin/sin-2026-10-05.csv.gz").path
        let (current, legacy) = try FileFingerprint.withLegacy(path: sample)
        #expect(legacy == "13281-e3f45ea17ab1635d")
        #expect(current == (try FileFingerprint.of(path: sample)))
        #expect(current.hasPrefix("v2-13281-"))
        #expect(!FileFingerprint.isLegacy(current))
        #expect(FileFingerprint.isLegacy("13281-e3f45ea17ab1635d"))
    }
}
