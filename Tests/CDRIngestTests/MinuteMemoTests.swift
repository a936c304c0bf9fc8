import CDRIngest
import CDRModel
import Foundation
import Testing

/// Wall-clock times of 19 bytes are read through a memo of their minute (``MinuteMemo``); the same times with
/// `.000` after them are always parsed in full. Both files must give the same calls, rejects and DST counters,
/// on one thread and on two, across Berlin's spring gap and autumn fold.
@Suite struct MinuteMemoTests {
    /// FreeSWITCH rows of the default template whose times start near Berlin's DST changes of 2026 (the fold's
    /// hour twice over) and on two ordinary days a month apart whose rows alternate (the same day of the month and
    /// time of day, an hour apart in UTC), a B leg after many A legs with the A leg's times, some seconds 60 (read
    /// as 59) and some not times at all.
    static func rows(fraction: String, asterisk: Bool = false) -> String {
        let windows = [
            [CivilTime.days(year: 2026, month: 3, day: 29)],  // 02:00–02:59 do not exist
            [CivilTime.days(year: 2026, month: 10, day: 25)],  // 02:00–02:59 come twice
            [CivilTime.days(year: 2026, month: 10, day: 1), CivilTime.days(year: 2026, month: 11, day: 1)],
        ]
        func stamp(_ day: Int64, _ second: Int, _ mangle: Int) -> String {
            let h = second / 3600
            let m = second / 60 % 60
            var s = String(format: "%02d", second % 60)
            if mangle == 1 { s = "60" }
            if mangle == 2 { s = "6x" }
            return CivilTime.formatDay(day) + String(format: " %02d:%02d:", h, m) + s + fraction
        }
        return foldCalls(windows, from: 1 * 3600 + 55 * 60, seed: 0x5EED) { days, i, t, rng in  // from 01:55 local
            let w = days[i % days.count]
            let ring = rng.next(4) == 0 ? -1 : rng.next(20)
            let talk = rng.next(400)
            let end = t + max(ring, 0) + talk
            let mangle = rng.next(60) == 0 ? 1 : (rng.next(200) == 0 ? 2 : 0)
            let start = stamp(w, t, mangle)
            let answer = ring < 0 ? "" : stamp(w, t + ring, 0)
            let stop = stamp(w, end, rng.next(90) == 0 ? 1 : 0)
            let cause = ring < 0 ? "NO_ANSWER" : "NORMAL_CLEARING"
            let billsec = ring < 0 ? 0 : talk
            let a = "a-\(w)-\(i)"
            let b = rng.next(3) == 0 ? "" : "b-\(w)-\(i)"
            if asterisk {
                // One row a call (no B legs); a start that is not a time is a reject, as for FreeSWITCH.
                return "\"2001\",\"2001\",\"004930\(100_000 + i)\",\"from-internal\",\"Ext\",\"PJSIP/2001-1\","
                    + "\"PJSIP/ber-telekom-1\",\"Dial\",\"x\",\"\(start)\",\"\(answer)\",\"\(stop)\",\(end - t),"
                    + "\(billsec),\"\(ring < 0 ? "NO ANSWER" : "ANSWERED")\",\"DOCUMENTATION\"\n"
            }
            func line(_ uuid: String, _ peer: String) -> String {
                "\"Ext\",\"2001\",\"004930\(100_000 + i)\",\"default\",\"\(start)\",\"\(answer)\",\"\(stop)\","
                    + "\"\(end - t)\",\"\(billsec)\",\"\(cause)\",\"\(uuid)\",\"\(peer)\",\"2001\",\"PCMA\",\"PCMA\"\n"
            }
            return line(a, b) + (b.isEmpty ? "" : line(b, ""))
        }
    }

    /// 1,500 calls in each window of days, from second `first` of the day, one every 0 to 24 seconds, that pass
    /// 03:05 once and go back to 02:00: the hour that comes twice when DST ends, a second time (read as its second
    /// occurrence). `call` writes call `i` of a window, starting at second `t`, drawing from `rng`.
    static func foldCalls(
        _ windows: [[Int64]],
        from first: Int,
        seed: UInt64,
        _ call: (_ days: [Int64], _ i: Int, _ t: Int, _ rng: inout RowRandom) -> String
    ) -> String {
        var rng = RowRandom(state: seed)
        var text = ""
        for days in windows {
            var t = first
            var again = true
            for i in 0..<1_500 {
                t += rng.next(25)
                if again && t > 3 * 3600 + 5 * 60 {
                    t = 2 * 3600
                    again = false
                }
                text += call(days, i, t, &rng)
            }
        }
        return text
    }

    @Test(
        "wall-clock times read through their minute's memo give what the full parse gives, across DST changes",
        arguments: ["freeswitch", "asterisk"]
    )
    func memoAgreesWithTheFullParse(format: String) throws {
        let asterisk = format == "asterisk"
        let results = try Self.compare(
            Self.rows(fraction: "", asterisk: asterisk),
            Self.rows(fraction: ".000", asterisk: asterisk),
            format: format
        )
        for memo in results {
            #expect(memo.store.count > 3_000, "\(format)")
            #expect(memo.summary.ambiguousLocalTimes > 100, "\(format)")
            #expect(memo.summary.nonexistentLocalTimes > 100, "\(format)")
            #expect(memo.summary.secondOccurrences > 0, "\(format)")
        }
    }

    /// Reads `memoText` (times the memo reads) and `fullText` (the same rows with times it never reads) as `format`
    /// on one thread and on two, expects the same calls, rejects (lines and reasons), merged legs and DST counters,
    /// and returns the memo file's results (one thread, then two) for checks of their own.
    static func compare(
        _ memoText: String,
        _ fullText: String,
        format: String,
        mappings: [MappedFormat] = []
    ) throws -> [IngestResult] {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let memoPath = dir + "/memo.csv"
        let fullPath = dir + "/full.csv"
        try memoText.write(toFile: memoPath, atomically: true, encoding: .utf8)
        try fullText.write(toFile: fullPath, atomically: true, encoding: .utf8)
        let decl = SiteDeclaration(name: "ber", timeZone: "Europe/Berlin", country: "DE")
        var results: [IngestResult] = []
        for parallel in [false, true] {
            func run(_ path: String) throws -> IngestResult {
                try IngestRun.run(
                    paths: [path],
                    format: format,
                    declaration: decl,
                    parallel: parallel,
                    mappings: mappings
                )
            }
            let memo = try run(memoPath)
            let full = try run(fullPath)
            let label = "\(format), " + (parallel ? "two threads" : "one thread")
            #expect(memo.rejects.count > 10, "\(label)")
            #expect(memo.store.count == full.store.count, "\(label)")
            for i in 0..<min(memo.store.count, full.store.count) where memo.store.record(i) != full.store.record(i) {
                Issue.record("\(label): call \(i) differs: \(memo.store.record(i)) vs \(full.store.record(i))")
                break
            }
            #expect(memo.rejects.records.map(\.line) == full.rejects.records.map(\.line), "\(label)")
            #expect(memo.rejects.records.map(\.reason) == full.rejects.records.map(\.reason), "\(label)")
            #expect(memo.summary.mergedLegs == full.summary.mergedLegs, "\(label)")
            #expect(memo.summary.ambiguousLocalTimes == full.summary.ambiguousLocalTimes, "\(label)")
            #expect(memo.summary.nonexistentLocalTimes == full.summary.nonexistentLocalTimes, "\(label)")
            #expect(memo.summary.secondOccurrences == full.summary.secondOccurrences, "\(label)")
            results.append(memo)
        }
        return results
    }
}

extension MinuteMemoTests {
    /// Genesys Cloud rows whose UTC times end in `Z`, with and without milliseconds (read through the memo), and
    /// the same rows with a fourth digit of milliseconds (parsed in full), some seconds 60 and some not times.
    static func genesysRows(full: Bool) -> String {
        let header =
            "conversationId,conversationStart,conversationEnd,originatingDirection,purpose,userId,ani,dnis,"
            + "sessionDnis,edgeId,provider,mediaType,disconnectType,q850ResponseCodes,sipResponseCodes,queueId,tTalk\n"
        let day = CivilTime.days(year: 2026, month: 10, day: 25)
        return calls(seed: 0xC0FFEE, header: header, gap: 30) { i, t, talk, rng in
            func stamp(_ second: Int) -> String {
                let s = rng.seconds(second)
                let ms = rng.next(2) == 0 ? "" : "." + String(format: "%03d", rng.next(1000))
                let tail = full ? (ms.isEmpty ? ".0000" : ms + "0") : ms
                return CivilTime.formatDay(day + Int64(second / 86_400))
                    + String(format: "T%02d:%02d:", second / 3600 % 24, second / 60 % 60) + s + tail + "Z"
            }
            return "c\(i),\(stamp(t)),\(stamp(t + 5 + talk)),inbound,customer,,tel:+41795416753,tel:+4930901\(i),"
                + "tel:+4930901\(i),ber-sipgate,Edge,voice,peer,16,,,\(talk)\n"
        }
    }

    /// 4,000 calls from 2026-10-25, one every 0 to `gap` − 1 seconds, each with 0 to 599 s of talk, after `header`:
    /// `row` writes call `i` starting at second `t`, its times' random parts drawn from `rng`.
    static func calls(
        seed: UInt64,
        header: String,
        gap: UInt64,
        _ row: (_ i: Int, _ t: Int, _ talk: Int, _ rng: inout RowRandom) -> String
    ) -> String {
        var rng = RowRandom(state: seed)
        var text = header
        var t = 0
        for i in 0..<4_000 {
            t += rng.next(gap)
            let talk = rng.next(600)
            text += row(i, t, talk, &rng)
        }
        return text
    }

    /// Vendor rows whose times the memo reads (UTC with `Z`, RFC 2822 with numeric offsets) against the same rows
    /// written so that they are parsed in full.
    @Test(
        "times read through the memo give what the full parse gives: Genesys Cloud's UTC with Z, Twilio's RFC 2822",
        arguments: ["genesys", "twilio"]
    )
    func vendorMemoAgreesWithTheFullParse(format: String) throws {
        let rows = format == "genesys" ? Self.genesysRows(full:) : Self.twilioRows(full:)
        let results = try Self.compare(rows(false), rows(true), format: format)
        for memo in results { #expect(memo.store.count > 3_000) }
    }
}

extension MinuteMemoTests {
    /// Rows of a custom mapping with compact local times (`yyyymmddhhmmss`, with or without `.fff`, BroadWorks's
    /// form) across Berlin's 2026 gap and fold, and the same rows with a fourth digit of milliseconds (parsed in
    /// full), some seconds 60 and some not times.
    static func compactRows(full: Bool) -> String {
        let windows = [
            [CivilTime.days(year: 2026, month: 3, day: 29)], [CivilTime.days(year: 2026, month: 10, day: 25)],
        ]
        let rows = foldCalls(windows, from: 1 * 3600 + 50 * 60, seed: 0xBEEF) { days, i, t, rng in
            func stamp(_ second: Int) -> String {
                let s = rng.seconds(second)
                let ms = rng.next(2) == 0 ? "" : "." + String(format: "%03d", rng.next(1000))
                let tail = full ? (ms.isEmpty ? ".0000" : ms + "0") : ms
                return CivilTime.formatDay(days[0]).replacingOccurrences(of: "-", with: "")
                    + String(format: "%02d%02d", second / 3600, second / 60 % 60) + s + tail
            }
            return "\(stamp(t)),\(stamp(t + 5 + rng.next(300))),+4930100\(i),+4930200\(i),outbound\n"
        }
        return "start,end,caller,callee,direction\n" + rows
    }

    @Test("compact local times read through the memo give what the full parse gives, across DST changes")
    func compactMemoAgreesWithTheFullParse() throws {
        try Self.compareLocalTimes(
            mapping: """
                name: compact-local
                header: true
                time_format: compact
                time_zone: site
                columns:
                  start: start
                  end: end
                  caller: caller
                  callee: callee
                  direction: direction
                """,
            Self.compactRows(full: false),
            Self.compactRows(full: true)
        )
    }

    /// ``compare(_:_:format:mappings:)`` of two files of local times across Berlin's gap and fold read with the
    /// custom mapping `mapping` (YAML), which must see both: more than 2,000 calls, a hundred times in the fold and
    /// a hundred in the gap.
    static func compareLocalTimes(mapping: String, _ memoRows: String, _ fullRows: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let mappingPath = dir + "/local.mapping.yaml"
        try mapping.write(toFile: mappingPath, atomically: true, encoding: .utf8)
        let mappings = try MappingLoader.load(path: mappingPath)
        let results = try compare(memoRows, fullRows, format: mappings[0].name, mappings: mappings)
        for memo in results {
            #expect(memo.store.count > 2_000)
            #expect(memo.summary.ambiguousLocalTimes > 100)
            #expect(memo.summary.nonexistentLocalTimes > 100)
        }
    }
}

extension MinuteMemoTests {
    /// Twilio rows whose RFC 2822 times have numeric offsets (read through the memo), and the same rows with a
    /// second space after the weekday's comma (parsed in full), some seconds 60 and some not times.
    static func twilioRows(full: Bool) -> String {
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let offsets = ["+0000", "+0200", "-0500", "+0530"]
        let header =
            "sid,date_created,parent_call_sid,account_sid,from,to,direction,status,start_time,end_time,"
            + "duration,price,price_unit,trunk_sid\n"
        let day = CivilTime.days(year: 2026, month: 10, day: 25)
        return calls(seed: 0xFACE, header: header, gap: 40) { i, t, talk, rng in
            let offset = offsets[i / 700 % offsets.count]
            func stamp(_ second: Int) -> String {
                let d = day + Int64(second / 86_400)
                let (y, m, dd) = CivilTime.date(days: d)
                let s = rng.seconds(second)
                let weekday = weekdays[Int(d % 7)] + (full ? ",  " : ", ")
                return weekday + String(format: "%02d ", dd) + months[m - 1] + " \(y) "
                    + String(format: "%02d:%02d:", second / 3600 % 24, second / 60 % 60) + s + " " + offset
            }
            return "CA\(i),\"\(stamp(t))\",,ACx,+41795416753,+4930901\(i),trunking-originating,completed,"
                + "\"\(stamp(t))\",\"\(stamp(t + 5 + talk))\",\(talk + 5),,USD,ber-sipgate\n"
        }
    }
}

/// The rows' random source (a linear congruential generator: the same rows every run), and the seconds of a
/// time: mostly two digits, now and then 60 (read as 59) or not digits at all (a reject).
struct RowRandom {
    var state: UInt64

    mutating func next(_ n: UInt64) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % n)
    }

    mutating func seconds(_ second: Int) -> String {
        let mangle = next(150)
        return mangle == 0 ? "60" : (mangle == 1 ? "6x" : String(format: "%02d", second % 60))
    }
}

extension MinuteMemoTests {
    /// Rows of a custom mapping with pattern times (`pattern`, with `%d`, `%m`, `%Y`, `%H`, `%M`, `%S`) across
    /// Berlin's 2026 gap and fold, and the same rows with the hour not padded to two digits (another width, so
    /// parsed in full), some seconds 60 and some not times.
    static func patternRows(_ pattern: String, full: Bool) -> String {
        let windows = [
            [CivilTime.days(year: 2026, month: 3, day: 29)], [CivilTime.days(year: 2026, month: 10, day: 25)],
        ]
        let rows = foldCalls(windows, from: 1 * 3600 + 50 * 60, seed: 0xCAFE) { days, i, t, rng in
            func stamp(_ second: Int) -> String {
                let (y, m, d) = CivilTime.date(days: days[0])
                let hour = full ? String(second / 3600) : String(format: "%02d", second / 3600)
                return pattern.replacingOccurrences(of: "%d", with: String(format: "%02d", d))
                    .replacingOccurrences(of: "%m", with: String(format: "%02d", m))
                    .replacingOccurrences(of: "%Y", with: String(y))
                    .replacingOccurrences(of: "%H", with: hour)
                    .replacingOccurrences(of: "%M", with: String(format: "%02d", second / 60 % 60))
                    .replacingOccurrences(of: "%S", with: rng.seconds(second))
            }
            return "\(stamp(t));\(stamp(t + 5 + rng.next(300)));+4930100\(i);+4930200\(i);AUS\n"
        }
        return "Beginn;Ende;Von;Nach;Richtung\n" + rows
    }

    @Test(
        "pattern times of fixed width read through the memo give what the full parse gives, across DST changes",
        arguments: ["%d.%m.%Y %H:%M:%S", "%d%m%Y %H:%M:%S"]
    )
    func patternMemoAgreesWithTheFullParse(pattern: String) throws {
        let memoRows = Self.patternRows(pattern, full: false)
        #expect(memoRows.contains("25.10.2026 02:") || memoRows.contains("25102026 02:"))
        try Self.compareLocalTimes(
            mapping: """
                name: pattern-local
                header: true
                delimiter: ";"
                time_format: "\(pattern)"
                time_zone: site
                columns:
                  start: Beginn
                  end: Ende
                  caller: Von
                  callee: Nach
                  direction: Richtung
                direction_values: {AUS: outbound}
                """,
            memoRows,
            Self.patternRows(pattern, full: true)
        )
    }
}
