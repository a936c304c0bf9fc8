import CDRModel
import Foundation
import Testing

/// ``ZoneResolver`` (offsets cached per quarter hour) against Foundation's `TimeZone` asked directly, in zones with
/// every kind of change: DST of an hour, of half an hour (Lord Howe) and of two (Troll), offsets of quarter hours
/// (Kathmandu, Chatham), changes at midnight (Havana, Santiago), southern summers, negative DST in the tz
/// database (Dublin), DST abolished (Tehran, Mexico City, São Paulo), standard offsets moved (Caracas, Volgograd,
/// Pyongyang, Samoa's skipped day in 2011), and changes a minute past the hour (Newfoundland, New Brunswick and
/// Labrador until 2011, Gaza in 2010).
@Suite("ZoneResolver against the tz database asked directly")
struct ZoneResolverOracleTests {
    static let zones = [
        "Europe/Berlin", "America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London",
        "Europe/Dublin", "Australia/Sydney", "Australia/Adelaide", "Australia/Lord_Howe", "Antarctica/Troll",
        "Pacific/Chatham", "Asia/Kathmandu", "Asia/Kolkata", "America/St_Johns", "America/Havana",
        "America/Santiago", "America/Asuncion", "Asia/Tehran", "America/Mexico_City", "America/Sao_Paulo",
        "America/Caracas", "Europe/Volgograd", "Asia/Pyongyang", "Pacific/Apia", "Africa/Casablanca",
        "Pacific/Kiritimati", "Asia/Gaza", "Europe/Moscow", "America/Goose_Bay", "America/Moncton", "UTC",
    ]

    /// The offsets a wall-clock time can have in `zone`: every offset `o` near it with `o` in force at `local - o`.
    static func validOffsets(_ zone: TimeZone, localSeconds l: Int64) -> [Int] {
        var candidates = Set<Int>()
        for d in stride(from: -2 * 86_400, through: 2 * 86_400, by: 3_600) {
            candidates.insert(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(l + Int64(d)))))
        }
        return candidates.filter { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(l - Int64($0)))) == $0 }
            .sorted()
    }

    /// Every change of offset in `zone` between two UTC instants (seconds), found hour by hour and pinned to the
    /// second by bisection.
    static func changes(_ zone: TimeZone, from: Int64, to: Int64) -> [Int64] {
        func offset(_ t: Int64) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t))) }
        var out: [Int64] = []
        var t = from
        var o = offset(t)
        while t < to {
            let next = t + 3_600
            let p = offset(next)
            if p != o {
                var lo = t
                var hi = next
                while hi - lo > 1 {
                    let mid = (lo + hi) / 2
                    if offset(mid) == o { lo = mid } else { hi = mid }
                }
                out.append(hi)
                o = p
            }
            t = next
        }
        return out
    }

    @Test("UTC to wall clock at random instants, 1995-2037", arguments: zones)
    func localFromUTC(zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let resolver = try #require(ZoneResolver(identifier: zoneName))
        // Instants spread by a multiplicative hash of the draw's number (Weyl sequence): reproducible, no generator.
        let seed = zoneName.utf8.reduce(UInt64(7)) { $0 &* 31 &+ UInt64($1) }
        let from: Int64 = 788_918_400_000  // 1995-01-01
        let span: UInt64 = 1_325_376_000_000  // to 2037
        for k in 0..<3_000 as Range<UInt64> {
            let ms = from + Int64((seed &+ k &* 0x9E37_79B9_7F4A_7C15) % span)
            let expected = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms / 1000)))) * 1000
            #expect(resolver.localMs(fromUTC: ms) == ms + expected, "\(zoneName) at \(ms)")
        }
    }

    @Test("both ways around every change of offset, 2000-2037, minute by minute", arguments: zones)
    func aroundChanges(zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let resolver = try #require(ZoneResolver(identifier: zoneName))
        let changes = Self.changes(zone, from: 946_684_800, to: 2_114_380_800)  // 2000-01-01 to 2037-01-01
        if !["UTC", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Kiritimati"].contains(zoneName) {
            #expect(!changes.isEmpty, "\(zoneName)")
        }
        var failures = 0
        for change in changes {
            let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(change - 1)))
            let wall = change + Int64(before)
            // UTC instants on each side of the change, the same way.
            for step in stride(from: -3 * 60, through: 3 * 60, by: 1) {
                let ms = (change + Int64(step) * 60 + Int64((step * 7) % 60 + 60) % 60) * 1000 + 999
                let expected = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms / 1000)))
                if resolver.localMs(fromUTC: ms) != ms + Int64(expected) * 1000 {
                    failures += 1
                    if failures <= 3 { Issue.record("\(zoneName) change at \(change)Z: UTC \(ms) to local") }
                }
            }
            // Three hours of wall-clock time on each side of the change, a minute and some seconds apart.
            for step in stride(from: -3 * 60, through: 3 * 60, by: 1) {
                let local = wall + Int64(step) * 60 + Int64((step * 7) % 60 + 60) % 60
                let ms = local * 1000 + Int64(step & 0x3FF)
                let valid = Self.validOffsets(zone, localSeconds: local)
                let (utc, resolution) = resolver.utcMs(fromLocal: ms)
                let expected: (Int64, ZoneResolver.Resolution, Int64?)
                switch valid.count {
                case 1: expected = (ms - Int64(valid[0]) * 1000, .exact, nil)
                case 2:
                    // A fold: the first occurrence (the larger offset), the second one on request.
                    expected = (ms - Int64(valid[1]) * 1000, .ambiguous, ms - Int64(valid[0]) * 1000)
                case 0:
                    // A gap: read with the offset in force before the change.
                    expected = (ms - Int64(before) * 1000, .nonexistent, nil)
                default:
                    Issue.record("\(zoneName): \(valid.count) offsets at \(local)")
                    continue
                }
                let later = resolver.laterUTCMs(fromLocal: ms)
                if utc != expected.0 || resolution != expected.1 || later != expected.2 {
                    failures += 1
                    if failures <= 3 {
                        Issue.record(
                            "\(zoneName) change at \(change)Z, wall \(CivilTime.format(ms: ms, suffix: "")): got \(utc) \(resolution) \(later.map(String.init) ?? "-"), expected \(expected.0) \(expected.1) \(expected.2.map(String.init) ?? "-")"
                        )
                    }
                }
            }
        }
        #expect(failures == 0, "\(zoneName): \(failures) wall-clock times resolved otherwise")
    }
}
