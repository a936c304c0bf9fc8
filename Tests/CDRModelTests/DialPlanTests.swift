import CDRModel
import Testing

@Suite struct DialPlanTests {
    static let de = DialPlan(region: "DE")!
    static let us = DialPlan(region: "US")!
    static let gb = DialPlan(region: "GB")!
    static let it = DialPlan(region: "IT")!

    @Test(
        "Germany: +, 00, national prefix, extensions",
        arguments: [
            ("+49 30 1234567", "+49301234567"), ("0049301234567", "+49301234567"), ("030 1234567", "+49301234567"),
            ("0171-1234567", "+491711234567"), ("0044 20 7946 0958", "+442079460958"), ("2042", "2042"),
            ("112", "112"), ("0034688886392", "+34688886392"), ("+34688886392", "+34688886392"),
            ("34688886392", "+4934688886392"), ("sip:+4930123456@pbx.example", "+4930123456"), ("anonymous", ""),
        ]
    )
    func germany(raw: String, expected: String) {
        #expect(Self.de.normalize(raw).value == expected)
    }

    @Test(
        "United States: 011, 1+10, 10 digits, NANP abroad",
        arguments: [
            ("011 44 20 7946 0958", "+442079460958"), ("12125550123", "+12125550123"),
            ("(212) 555-0123", "+12125550123"),
            ("876-555-1234", "+18765551234"), ("1 876 555 1234", "+18765551234"), ("+1 876 555 1234", "+18765551234"),
            ("0034688886392", "+10034688886392"), ("911", "911"), ("3117", "3117"),
        ]
    )
    func unitedStates(raw: String, expected: String) {
        #expect(Self.us.normalize(raw).value == expected)
    }

    @Test(
        "United Kingdom: (0) after the country code, 00, national",
        arguments: [
            ("+44 (0) 20 7946 0958", "+442079460958"), ("020 7946 0958", "+442079460958"),
            ("00 33 1 42 68 53 00", "+33142685300"), ("999", "999"), ("09012345678", "+449012345678"),
        ]
    )
    func unitedKingdom(raw: String, expected: String) {
        #expect(Self.gb.normalize(raw).value == expected)
    }

    @Test("Italy keeps its leading zero")
    func italy() {
        #expect(Self.it.normalize("06 1234 5678").value == "+390612345678")
    }

    @Test("kinds: hidden, short, e164, other")
    func kinds() {
        #expect(Self.de.normalize("").kind == .hidden)
        #expect(Self.de.normalize("Restricted").kind == .hidden)
        #expect(Self.de.normalize("2042").kind == .short)
        #expect(Self.de.normalize("+4930123").kind == .e164)
        #expect(Self.de.normalize("*97#").kind == .other)
    }

    @Test("an access digit is stripped when configured")
    func accessDigit() {
        let plan = DialPlan(country: CountryTable.shared.info("US")!, accessPrefix: "9")
        #expect(plan.normalize("912125550123").value == "+12125550123")
        #expect(plan.normalize("9011442079460958").value == "+442079460958")
        #expect(plan.normalize("9100").value == "9100")
    }
}

@Suite struct ZoneResolverTests {
    @Test("fold resolves to the first occurrence, gap shifts forward (New York)")
    func newYork() {
        let z = ZoneResolver(identifier: "America/New_York")!
        let fold = CivilTime.days(year: 2025, month: 11, day: 2) * 86_400_000 + 5_400_000  // 01:30
        let (a, ka) = z.utcMs(fromLocal: fold)
        #expect(CivilTime.format(ms: a, suffix: "Z") == "2025-11-02T05:30:00Z")
        #expect(ka == .ambiguous)
        let gap = CivilTime.days(year: 2025, month: 3, day: 9) * 86_400_000 + 9_000_000  // 02:30
        let (b, kb) = z.utcMs(fromLocal: gap)
        #expect(CivilTime.format(ms: b, suffix: "Z") == "2025-03-09T07:30:00Z")
        #expect(kb == .nonexistent)
        let plain = CivilTime.days(year: 2025, month: 7, day: 1) * 86_400_000 + 43_200_000
        #expect(z.utcMs(fromLocal: plain) == (plain + 4 * 3_600_000, .exact))
    }

    @Test("UTC to local across a fall-back: two instants show the same wall clock")
    func toLocal() {
        let z = ZoneResolver(identifier: "America/New_York")!
        let d = CivilTime.days(year: 2025, month: 11, day: 2) * 86_400_000
        #expect(z.localMs(fromUTC: d + 5 * 3_600_000 + 900_000) == z.localMs(fromUTC: d + 6 * 3_600_000 + 900_000))
    }

    @Test("Berlin in October 2026: the fold on the 25th")
    func berlin() {
        let z = ZoneResolver(identifier: "Europe/Berlin")!
        let local = CivilTime.days(year: 2026, month: 10, day: 25) * 86_400_000 + 2 * 3_600_000 + 1_800_000
        let (u, k) = z.utcMs(fromLocal: local)
        #expect(k == .ambiguous)
        #expect(CivilTime.format(ms: u, suffix: "Z") == "2026-10-25T00:30:00Z")
        #expect(z.label(atUTC: u) == "Europe/Berlin (UTC+02:00)")
    }

    @Test("unknown zones are refused")
    func unknown() { #expect(ZoneResolver(identifier: "Mars/Olympus") == nil) }
}

@Suite struct CivilTimeTests {
    @Test("day numbers round-trip and weekdays are right")
    func days() {
        for d in stride(from: Int64(-800_000), to: 800_000, by: 997) {
            let (y, m, dd) = CivilTime.date(days: d)
            #expect(CivilTime.days(year: y, month: m, day: dd) == d)
        }
        #expect(CivilTime.weekday(days: 0) == 4)  // 1970-01-01 Thursday
        #expect(CivilTime.weekday(days: CivilTime.days(year: 2026, month: 11, day: 27)) == 5)  // Friday
        #expect(CivilTime.isValid(year: 2028, month: 2, day: 29))
        #expect(!CivilTime.isValid(year: 2026, month: 2, day: 29))
        // A date exists exactly when its day number maps back to it (the leap rules of 1900 and 2000 included).
        for y in [1899, 1900, 1999, 2000, 2023, 2024, 2026, 2100, 2400] {
            for m in 0...13 {
                for d in 0...32 {
                    let back =
                        (1...12).contains(m) && d >= 1
                        ? CivilTime.date(days: CivilTime.days(year: y, month: m, day: d)) : nil
                    #expect(
                        CivilTime.isValid(year: y, month: m, day: d) == (back.map { $0 == (y, m, d) } ?? false),
                        "\(y)-\(m)-\(d)"
                    )
                }
            }
        }
    }

    @Test("business hours: weekdays, holidays, overnight intervals")
    func calendar() throws {
        let holiday = CivilTime.days(year: 2026, month: 10, day: 5)  // a Monday
        let cal = try BusinessCalendar("Mon-Fri 08:00-18:00; Sat 22:00-02:00", holidays: [holiday])
        func at(_ day: Int, _ h: Int, _ m: Int = 0) -> Int64 {
            (CivilTime.days(year: 2026, month: 10, day: day) * 86_400 + Int64(h * 3600 + m * 60)) * 1000
        }
        #expect(cal.isOpen(localMs: at(6, 8)))
        #expect(!cal.isOpen(localMs: at(6, 7, 59)))
        #expect(!cal.isOpen(localMs: at(6, 18)))
        #expect(!cal.isOpen(localMs: at(5, 10)))  // holiday
        #expect(cal.isOpen(localMs: at(10, 23)))  // Saturday night
        #expect(cal.isOpen(localMs: at(11, 1, 30)))  // wraps into Sunday
        #expect(!cal.isOpen(localMs: at(11, 2)))
        #expect(throws: CalendarError.self) { try BusinessCalendar("Weekdays 9-5") }
    }

    @Test("shipped holiday calendars include observed days")
    func holidays() {
        let us = HolidayTable.shared.holidays("US")!
        #expect(us.contains(CivilTime.days(year: 2026, month: 7, day: 3)))
        #expect(HolidayTable.shared.holidays("DE")!.contains(CivilTime.days(year: 2026, month: 10, day: 3)))
    }
}

@Suite struct StringTableTests {
    @Test("interning is stable and dense; lookups by id give the string back")
    func interning() {
        var t = StringTable()
        var ids: [String: UInt32] = [:]
        for i in 0..<50_000 {
            let s = "+49301\(i % 20_000)"
            let id = t.intern(s)
            if let old = ids[s] { #expect(old == id) } else { ids[s] = id }
        }
        #expect(t.count == 20_001)
        #expect(t[ids["+493011234"]!] == "+493011234")
        #expect(t.intern("") == 0)
        #expect(t.lookup("+493011234") == ids["+493011234"])
        #expect(t.lookup("nope") == nil)
    }
}

extension DialPlanTests {
    /// The fast path on bytes against the full rules: for random digit strings with and without `+`, built from
    /// the prefixes the rules look at (international, national, access digits, NANP's 1), for plans with and
    /// without an access digit and with short and long extensions, whenever ``DialPlan/normalizeFast(_:into:)``
    /// answers, it answers what ``DialPlan/normalize(_:)`` does, and it answers for plain digits and `+digits`.
    @Test("the fast path gives what the full rules give", arguments: ["DE", "US", "GB", "IT", "AU", "JP", "FR", "CH"])
    func fastPathAgrees(region: String) {
        let base = DialPlan(region: region)!
        let plans = [
            base,
            DialPlan(country: base.country, extensionMaxDigits: 4, accessPrefix: "9"),
            DialPlan(country: base.country, extensionMaxDigits: 7, accessPrefix: "0"),
        ]
        let heads = ["", "+", "0", "00", "011", "0011", "1", "9", "90", "900", "+1", "+0", "010", "001"]
        var rng = SystemRandomNumberGenerator()
        var answered = 0
        for plan in plans {
            for _ in 0..<3000 {
                let head = heads.randomElement(using: &rng)!
                let digits = String(
                    (0..<Int.random(in: 0...14, using: &rng)).map { _ in "0123456789".randomElement(using: &rng)! }
                )
                let raw = head + digits
                var out: [UInt8] = []
                let fast = Array(raw.utf8).withUnsafeBytes { plan.normalizeFast($0, into: &out) }
                let isDigits =
                    !raw.isEmpty && raw != "+" && raw.dropFirst(raw.hasPrefix("+") ? 1 : 0).allSatisfy(\.isNumber)
                #expect(fast == isDigits, "\(raw) in \(region)")
                guard fast else { continue }
                answered += 1
                #expect(
                    String(decoding: out, as: UTF8.self) == plan.normalize(raw).value,
                    "\(raw) in \(region), access '\(plan.accessPrefix)'"
                )
            }
        }
        #expect(answered > 8000)
    }
}
