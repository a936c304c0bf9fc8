import CDRModel

/// What the truth file says about one injected scenario.
public struct ScenarioTruth: Sendable, Codable, Equatable {
    public var type: ScenarioKind
    /// `account` (an extension or account code), `site`, or `range` (a calling number range).
    public var subjectKind: String
    public var subject: String
    public var site: String
    public var trunk: String?
    /// ISO 3166-1 alpha-2 countries involved (or `+881` style network codes).
    public var countries: [String]
    public var windowStartUtc: String
    public var windowEndUtc: String
    public var calls: Int
    /// Wangiri: the callbacks that followed.
    public var callbacks: Int?
    public var callbackWindowStartUtc: String?
    public var callbackWindowEndUtc: String?
    public var description: String
}

/// Builds the calls of each injected scenario and its truth entry.
enum Scenarios {
    /// The scenario's site; nil means the scenario belongs to another site.
    static func siteName(_ kind: ScenarioKind) -> String {
        switch kind {
        case .pbxHack: return "ber"
        case .intlBurst: return "nyc"
        case .afterHours: return "sin"
        case .wangiri: return "ber"
        case .lowAndSlow: return "sin"
        }
    }

    static func inject(
        _ kind: ScenarioKind,
        site: SampleSite,
        sites: [SampleSite],
        options: GeneratorOptions,
        _ rng: inout SampleRandom
    ) -> ([GenCall], ScenarioTruth)? {
        guard siteName(kind) == site.name, let zone = ZoneResolver(identifier: site.timeZone) else { return nil }
        let first = options.startDay
        let days = Int64(options.days)
        func local(_ day: Int64, _ seconds: Int) -> Int64 {
            zone.utcMs(fromLocal: (day * 86_400 + Int64(seconds)) * 1000).ms
        }
        /// First day at or after `from` with an ISO weekday in `weekdays`, inside the period.
        func day(from: Int64, weekdays: Set<Int>) -> Int64 {
            var d = min(max(from, first), first + days - 1)
            while !weekdays.contains(CivilTime.weekday(days: d)) && d < first + days - 1 { d += 1 }
            return d
        }
        var calls: [GenCall] = []
        func add(
            _ start: Int64,
            caller: NumberSpec,
            callee: NumberSpec,
            account: Int,
            trunk: Int,
            dir: Direction,
            disposition: Disposition,
            ringS: Int,
            talkS: Int
        ) {
            let answered = disposition == .answered
            calls.append(
                GenCall(
                    start: start,
                    ring: answered ? Int32(ringS * 1000) : -1,
                    duration: Int32((ringS + (answered ? talkS : 0)) * 1000),
                    caller: caller,
                    callee: callee,
                    account: Int32(account),
                    trunk: Int8(trunk),
                    direction: dir,
                    disposition: disposition
                )
            )
        }
        func trunkIndex(_ name: String) -> Int { site.trunks.firstIndex { $0.name == name } ?? 0 }
        func spec(_ digits: String, _ ccLen: Int, _ form: NumberForm) -> NumberSpec {
            NumberSpec(digits: UInt64(digits)!, ccLength: UInt8(ccLen), form: form)
        }
        func digits(_ n: Int, _ rng: inout SampleRandom) -> String {
            var s = ""
            for _ in 0..<n { s.append(Character(String(rng.int(0...9)))) }
            return s
        }
        var truth: ScenarioTruth
        switch kind {
        case .pbxHack:
            // The last Saturday night of the period: Sat 23:30 to Sun 04:00 local.
            var sat = day(from: first + days - 8, weekdays: [6])
            if sat + 1 > first + days - 1 { sat = first + days - 2 }
            let t0 = local(sat, 23 * 3600 + 30 * 60)
            let ext = 2042
            let trunk = trunkIndex("ber-telekom")
            var t = t0
            for i in 0..<300 {
                t += Int64(rng.int(20...75)) * 1000
                let callee: NumberSpec
                switch i % 10 {
                // sequential satellite
                case 0, 1, 2, 3: callee = spec("8816312340" + (i / 4 < 10 ? "0" : "") + String(i / 4), 3, .idd)
                case 4, 5: callee = spec("88216" + digits(6, &rng), 3, .idd)  // Thuraya
                case 6, 7: callee = spec("1876555" + String(1000 + i), 1, .idd)  // Jamaica, sequential
                default: callee = spec("37190" + digits(6, &rng), 3, .idd)  // Latvian premium
                }
                let answered = rng.uniform() < 0.7
                add(
                    t,
                    caller: .ext(ext),
                    callee: callee,
                    account: ext,
                    trunk: trunk,
                    dir: .outbound,
                    disposition: answered ? .answered : .noAnswer,
                    ringS: rng.int(3...20),
                    talkS: rng.int(180...1200)
                )
            }
            truth = ScenarioTruth(
                type: kind,
                subjectKind: "account",
                subject: String(ext),
                site: site.name,
                trunk: "ber-telekom",
                countries: ["+881", "+882", "JM", "LV"],
                windowStartUtc: "",
                windowEndUtc: "",
                calls: 300,
                description: "Compromised extension 2042 calls satellite, Jamaican and Latvian premium ranges all night"
            )
        case .intlBurst:
            let d = day(from: first + days * 7 / 10, weekdays: [2, 3, 4])
            let t0 = local(d, 14 * 3600 + 5 * 60)
            let ext = 3117
            let n = 180
            for _ in 0..<n {
                let t = t0 + Int64(rng.int(0...3540)) * 1000
                let answered = rng.uniform() < 0.6
                add(
                    t,
                    caller: .ext(ext),
                    callee: spec("3706" + digits(7, &rng), 3, .idd),
                    account: ext,
                    trunk: trunkIndex("nyc-lumen"),
                    dir: .outbound,
                    disposition: answered ? .answered : .noAnswer,
                    ringS: rng.int(4...20),
                    talkS: rng.int(40...240)
                )
            }
            truth = ScenarioTruth(
                type: kind,
                subjectKind: "account",
                subject: String(ext),
                site: site.name,
                trunk: "nyc-lumen",
                countries: ["LT"],
                windowStartUtc: "",
                windowEndUtc: "",
                calls: n,
                description: "Extension 3117 calls Lithuania, never called before, 180 times within an hour"
            )
        case .afterHours:
            let sat = day(from: first + days / 2, weekdays: [6])
            let t0 = local(sat, 19 * 3600 + 30 * 60)
            let n = 60
            for _ in 0..<n {
                let t = t0 + Int64(rng.int(0...7000)) * 1000
                let ext = 5010 + rng.int(0...5)
                var callee =
                    rng.uniform() < 0.5
                    ? site.domestic.draw(&rng) : site.partners[rng.int(0...(site.partners.count - 1))].draw(&rng)
                callee.form = .plus
                let answered = rng.uniform() < 0.75
                add(
                    t,
                    caller: .ext(ext),
                    callee: callee,
                    account: ext,
                    trunk: rng.int(0...1),
                    dir: .outbound,
                    disposition: answered ? .answered : .noAnswer,
                    ringS: rng.int(4...20),
                    talkS: rng.int(60...900)
                )
            }
            truth = ScenarioTruth(
                type: kind,
                subjectKind: "site",
                subject: site.name,
                site: site.name,
                trunk: nil,
                countries: ["SG", "MY", "AU", "CN", "GB"],
                windowStartUtc: "",
                windowEndUtc: "",
                calls: n,
                description:
                    "Six extensions of sin call out on a Saturday evening, about ten times the usual after-hours rate"
            )
        case .wangiri:
            let d = day(from: first + days * 4 / 10, weekdays: [2, 3, 4])
            let t0 = local(d, 10 * 3600 + 40 * 60)
            let n = 250
            var callers: [String] = []
            for i in 0..<n {
                let t = t0 + Int64(i) * 7000 + Int64(rng.int(0...3)) * 1000
                let num = "23276123" + (i < 10 ? "00" : (i < 100 ? "0" : "")) + String(i)
                callers.append(num)
                let ext = rng.int(site.extensions)
                let did = NumberSpec(digits: UInt64(site.didPrefix + String(ext))!, ccLength: 2, form: .plus)
                let r = rng.uniform()
                let disposition: Disposition = r < 0.6 ? .cancel : (r < 0.88 ? .noAnswer : .answered)
                add(
                    t,
                    caller: spec(num, 3, .plus),
                    callee: did,
                    account: -1,
                    trunk: rng.int(0...1),
                    dir: .inbound,
                    disposition: disposition,
                    ringS: rng.int(2...5),
                    talkS: rng.int(1...3)
                )
            }
            // Callbacks the next working morning.
            let next = day(from: d + 1, weekdays: [1, 2, 3, 4, 5])
            var cbStart = Int64.max
            var cbEnd = Int64.min
            for k in 0..<4 {
                let t = local(next, 9 * 3600 + k * 2700 + rng.int(0...600))
                let ext = rng.int(site.extensions)
                let talk = rng.int(240...720)
                add(
                    t,
                    caller: .ext(ext),
                    callee: spec(callers[k * 37 + 5], 3, .idd),
                    account: ext,
                    trunk: 0,
                    dir: .outbound,
                    disposition: .answered,
                    ringS: 6,
                    talkS: talk
                )
                cbStart = min(cbStart, t)
                cbEnd = max(cbEnd, t + Int64(6 + talk) * 1000)
            }
            truth = ScenarioTruth(
                type: kind,
                subjectKind: "range",
                subject: "+23276123",
                site: site.name,
                trunk: nil,
                countries: ["SL"],
                windowStartUtc: "",
                windowEndUtc: "",
                calls: n,
                callbacks: 4,
                callbackWindowStartUtc: CivilTime.format(ms: cbStart, suffix: "Z"),
                callbackWindowEndUtc: CivilTime.format(ms: cbEnd, suffix: "Z"),
                description:
                    "250 one-ring calls from +232 76 123 xxx (Sierra Leone) to many DIDs within 30 minutes, then 4 callbacks"
            )
            let inbound = calls.prefix(n)
            truth.windowStartUtc = CivilTime.format(ms: inbound.map(\.start).min()!, suffix: "Z")
            truth.windowEndUtc = CivilTime.format(ms: inbound.map { $0.start + Int64($0.duration) }.max()!, suffix: "Z")
            return (calls, truth)
        case .lowAndSlow:
            let d0 = day(from: first + days * 3 / 10, weekdays: [1, 2, 3, 4, 5, 6, 7])
            let ext = 5077
            for night in 0..<7 {
                let dayN = min(d0 + Int64(night), first + days - 1)
                for _ in 0..<10 {
                    let t = local(dayN, 3600 + rng.int(0...(4 * 3600 - 1)))
                    add(
                        t,
                        caller: .ext(ext),
                        callee: spec("449098" + digits(6, &rng), 2, .idd),
                        account: ext,
                        trunk: 0,
                        dir: .outbound,
                        disposition: .answered,
                        ringS: rng.int(4...12),
                        talkS: rng.int(120...360)
                    )
                }
            }
            truth = ScenarioTruth(
                type: kind,
                subjectKind: "account",
                subject: String(ext),
                site: site.name,
                trunk: site.trunks[0].name,
                countries: ["GB"],
                windowStartUtc: "",
                windowEndUtc: "",
                calls: 70,
                description: "Extension 5077 makes about ten UK premium-rate calls every night for a week"
            )
        }
        truth.windowStartUtc = CivilTime.format(ms: calls.map(\.start).min()!, suffix: "Z")
        truth.windowEndUtc = CivilTime.format(ms: calls.map { $0.start + Int64($0.duration) }.max()!, suffix: "Z")
        truth.calls = calls.count
        return (calls, truth)
    }
}
