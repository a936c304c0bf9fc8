import CDRModel
import Foundation

/// Options of `cdrscan generate`.
public struct GeneratorOptions: Sendable {
    public var seed: UInt64 = 1
    /// Expected number of ordinary calls (injected scenarios come on top).
    public var calls = 60_000
    public var days = 31
    /// First local day of the period (day number); default 2026-10-01.
    public var startDay: Int64 = CivilTime.days(year: 2026, month: 10, day: 1)
    /// Injected scenarios; empty for a clean sample.
    public var scenarios: Set<ScenarioKind> = Set(ScenarioKind.allCases)

    public init() {}
}

/// The injected fraud and anomaly scenarios.
public enum ScenarioKind: String, CaseIterable, Sendable, Codable {
    case pbxHack = "pbx_hack"
    case intlBurst = "intl_burst"
    case afterHours = "after_hours"
    case wangiri
    case lowAndSlow = "low_and_slow"
}

/// One generated call (compact; numbers are rendered only when written).
struct GenCall {
    var start: Int64  // UTC ms
    var ring: Int32  // ms from start to answer, -1 when unanswered
    var duration: Int32  // holding time, ms
    var caller: NumberSpec
    var callee: NumberSpec
    var account: Int32  // extension, -1 when none
    var trunk: Int8  // index in the site's trunks, -1 when none
    var direction: Direction
    var disposition: Disposition
}

/// Everything generated for one site.
struct SiteTraffic {
    var site: SampleSite
    var calls: [GenCall]
}

/// The generated organization: traffic per site, the inventory and the truth.
public struct GeneratedSample {
    var sites: [SiteTraffic]
    public var truth: Truth
    public let options: GeneratorOptions

    /// Calls between two extensions of a site (Twilio and Genesys Cloud logs have none).
    public var internalCalls: Int { sites.reduce(0) { $0 + $1.calls.filter { $0.direction == .internal_ }.count } }

    /// The inventory of the sample as cdrscan reads it.
    public var inventory: Inventory {
        var inv = Inventory()
        for st in sites {
            let s = st.site
            let plan = DialPlan(region: s.country)!
            let holidays = HolidayTable.shared.holidays(s.country) ?? []
            inv.sites.append(
                Site(
                    name: s.name,
                    timeZone: s.timeZone,
                    dialPlan: plan,
                    calendar: try! BusinessCalendar(holidays: holidays)
                )
            )
            for t in s.trunks {
                inv.trunks.append(Trunk(name: t.name, site: s.name, channels: t.channels, kind: t.kind))
            }
        }
        return inv
    }

    /// Total calls written (ordinary and injected).
    public var callCount: Int { sites.reduce(0) { $0 + $1.calls.count } }
}

/// Generates a deterministic organization's CDRs with injected scenarios (see `docs/sample-cdrs.md`).
public enum Generator {
    static let directionWeights = [0.38, 0.50, 0.12]  // inbound, outbound, internal
    static let dispositionWeights = [0.70, 0.15, 0.06, 0.04, 0.05]  // answered, no answer, busy, failed, cancel

    public static func generate(_ options: GeneratorOptions) -> GeneratedSample {
        var sites = SampleOrganization.sites()
        let profileTotal = normalizer(sites, options)
        let meanHolding = meanHoldingSeconds()
        // Size trunks from the expected busy hour.
        for si in sites.indices {
            let peak = Double(options.calls) * sites[si].weight * SampleOrganization.weekdayHours.max()! / profileTotal
            for ti in sites[si].trunks.indices {
                let erlangs = peak * 0.88 * sites[si].trunks[ti].share * meanHolding / 3600
                let n: Int
                switch sites[si].trunks[ti].role {
                case .tight: n = SampleOrganization.packs.last { Double($0) <= erlangs } ?? 2
                case .roomy: n = SampleOrganization.packs.first { Double($0) >= 5 * erlangs + 6 } ?? 20000
                case .normal:
                    n = SampleOrganization.packs.first { Double($0) >= erlangs + 3 * erlangs.squareRoot() + 3 } ?? 20000
                }
                sites[si].trunks[ti].channels = n
                sites[si].trunks[ti].kind = SampleOrganization.packName(n)
            }
        }
        var traffic: [SiteTraffic] = []
        var scenarioTruth: [ScenarioTruth] = []
        for (si, site) in sites.enumerated() {
            var rng = SampleRandom(seed: options.seed &* 1_000_003 &+ UInt64(si) &* 7919)
            var calls = ordinaryCalls(site, options, profileTotal, &rng)
            var srng = SampleRandom(seed: options.seed &* 31 &+ UInt64(si) &+ 17)
            for kind in ScenarioKind.allCases where options.scenarios.contains(kind) {
                if let (extra, truth) = Scenarios.inject(kind, site: site, sites: sites, options: options, &srng) {
                    calls.append(contentsOf: extra)
                    scenarioTruth.append(truth)
                }
            }
            calls.sort { $0.start < $1.start || ($0.start == $1.start && $0.duration < $1.duration) }
            applyTrunkLimits(&calls, site)
            traffic.append(SiteTraffic(site: site, calls: calls))
        }
        let truth = Truth.compute(traffic, scenarios: scenarioTruth, options: options)
        return GeneratedSample(sites: traffic, truth: truth, options: options)
    }

    /// Sum of site weight × hour weights over the period, so that volumes add up to the requested calls.
    static func normalizer(_ sites: [SampleSite], _ options: GeneratorOptions) -> Double {
        var total = 0.0
        for site in sites {
            let holidays = HolidayTable.shared.holidays(site.country) ?? []
            for d in 0..<Int64(options.days) {
                total += site.weight * profile(options.startDay + d, holidays).reduce(0, +)
            }
        }
        return total
    }

    static func profile(_ day: Int64, _ holidays: Set<Int64>) -> [Double] {
        if holidays.contains(day) { return SampleOrganization.sundayHours }
        switch CivilTime.weekday(days: day) {
        case 6: return SampleOrganization.saturdayHours
        case 7: return SampleOrganization.sundayHours
        default: return SampleOrganization.weekdayHours
        }
    }

    /// Mean holding time of an ordinary call (seconds), by simulation with a fixed seed.
    static func meanHoldingSeconds() -> Double {
        var rng = SampleRandom(seed: 42)
        var total = 0.0
        let n = 20_000
        for _ in 0..<n { total += Double(times(&rng, disposition: drawDisposition(&rng)).duration) / 1000 }
        return total / Double(n)
    }

    static func drawDisposition(_ rng: inout SampleRandom) -> Disposition {
        [Disposition.answered, .noAnswer, .busy, .failed, .cancel][rng.pick(dispositionWeights)]
    }

    /// Ring and holding times in ms for a disposition.
    static func times(_ rng: inout SampleRandom, disposition: Disposition) -> (ring: Int32, duration: Int32) {
        switch disposition {
        case .answered:
            let ring = min(45, max(1, Int(rng.lognormal(median: 7, sigma: 0.5).rounded())))
            let talk = min(14_400, max(3, Int(rng.lognormal(median: 75, sigma: 1.0).rounded())))
            return (Int32(ring * 1000), Int32((ring + talk) * 1000))
        case .noAnswer: return (-1, Int32(rng.int(15...45) * 1000))
        case .cancel: return (-1, Int32(rng.int(2...15) * 1000))
        case .busy: return (-1, Int32(rng.int(1...5) * 1000))
        case .failed, .congestion: return (-1, Int32(rng.int(0...3) * 1000))
        }
    }

    static func ordinaryCalls(
        _ site: SampleSite,
        _ options: GeneratorOptions,
        _ profileTotal: Double,
        _ rng: inout SampleRandom
    ) -> [GenCall] {
        guard let zone = ZoneResolver(identifier: site.timeZone) else { return [] }
        let holidays = HolidayTable.shared.holidays(site.country) ?? []
        var calls: [GenCall] = []
        let expected = Double(options.calls) * site.weight
        calls.reserveCapacity(Int(expected * 1.05) + 64)
        let book = ContactBook(site: site, expectedCalls: expected, &rng)
        let scale = Double(options.calls) * site.weight / profileTotal
        for d in 0..<Int64(options.days) {
            let day = options.startDay + d
            let hours = profile(day, holidays)
            for h in 0..<24 {
                let n = rng.poisson(scale * hours[h])
                for _ in 0..<n {
                    let local = (day * 86_400 + Int64(h * 3600 + rng.int(0...3599))) * 1000
                    let start = zone.utcMs(fromLocal: local).ms
                    calls.append(makeCall(site, start: start, book, &rng))
                }
            }
        }
        return calls
    }

    static func makeCall(_ site: SampleSite, start: Int64, _ book: ContactBook, _ rng: inout SampleRandom) -> GenCall {
        let dir = [Direction.inbound, .outbound, .internal_][rng.pick(directionWeights)]
        let disp = drawDisposition(&rng)
        let (ring, duration) = times(&rng, disposition: disp)
        let ext = rng.int(site.extensions)
        var call = GenCall(
            start: start,
            ring: ring,
            duration: duration,
            caller: .ext(ext),
            callee: .ext(ext),
            account: Int32(ext),
            trunk: -1,
            direction: dir,
            disposition: disp
        )
        switch dir {
        case .outbound:
            call.callee = outboundNumber(site, book, &rng)
            call.trunk = pickTrunk(site, &rng)
        case .inbound:
            call.account = -1
            call.trunk = pickTrunk(site, &rng)
            let r = rng.uniform()
            if r < 0.05 {
                call.caller = .hidden
            } else {
                var n = r < 0.85 ? book.pick(book.domestic, &rng) : book.pick(book.partners, &rng)
                n.form =
                    rng.uniform() < 0.7 || n.digits.description.prefix(site.callingCode.count) != site.callingCode
                    ? .plus : (site.nationalPrefix.isEmpty ? .bare : .national)
                call.caller = n
            }
            call.callee = did(site, ext, &rng)
        case .internal_:
            var other = rng.int(site.extensions)
            if other == ext { other = other == site.extensions.upperBound ? other - 1 : other + 1 }
            call.callee = .ext(other)
        }
        return call
    }

    static func did(_ site: SampleSite, _ ext: Int, _ rng: inout SampleRandom) -> NumberSpec {
        NumberSpec(
            digits: UInt64(site.didPrefix + String(ext))!,
            ccLength: UInt8(site.callingCode.count),
            form: rng.uniform() < 0.5
                ? .plus : (site.nationalPrefix.isEmpty || site.callingCode == "1" ? .bare : .national)
        )
    }

    static func pickTrunk(_ site: SampleSite, _ rng: inout SampleRandom) -> Int8 {
        Int8(rng.pick(site.trunks.map(\.share)))
    }

    /// A dialled outbound number: mostly domestic, some partner countries, toll-free and emergency.
    static func outboundNumber(_ site: SampleSite, _ book: ContactBook, _ rng: inout SampleRandom) -> NumberSpec {
        let r = rng.uniform()
        if r < 0.0005 {
            return .ext(site.country == "US" ? 911 : (site.country == "SG" ? 995 : 112))
        }
        var n: NumberSpec
        var international = false
        if r < 0.87 {
            n = book.pick(book.domestic, &rng)
        } else if r < 0.98 {
            n = book.pick(book.partners, &rng)
            international = !(site.callingCode == "1" && n.digits.description.hasPrefix("1"))
        } else {
            n = book.pick(book.tollFree, &rng)
        }
        n.form = writtenForm(site, international: international, &rng)
        return n
    }

    static func writtenForm(_ site: SampleSite, international: Bool, _ rng: inout SampleRandom) -> NumberForm {
        let forms: [NumberForm] = [.plus, .idd, .national, .bare, .nanp11]
        var w = site.formWeights
        if international {
            w = [w[0] + 0.1, w[1] + w[2] + w[3] + w[4] + 0.1, 0, 0, 0]
        }
        return forms[rng.pick(w)]
    }

    /// Replays each trunk's calls in time order: a call that finds every contracted channel busy fails with
    /// congestion and holds no channel (a zero-length attempt). A release at t frees its channel before a seizure
    /// at t.
    static func applyTrunkLimits(_ calls: inout [GenCall], _ site: SampleSite) {
        var heaps = site.trunks.map { _ in Heap() }
        for i in calls.indices where calls[i].trunk >= 0 && calls[i].duration > 0 {
            let t = Int(calls[i].trunk)
            let start = calls[i].start
            while let top = heaps[t].min, top <= start { heaps[t].popMin() }
            if heaps[t].count >= site.trunks[t].channels {
                calls[i].disposition = .congestion
                calls[i].ring = -1
                calls[i].duration = 0
            } else {
                heaps[t].push(start + Int64(calls[i].duration))
            }
        }
    }
}

/// A binary min-heap of instants.
struct Heap {
    private var items: [Int64] = []
    var count: Int { items.count }
    var min: Int64? { items.first }

    mutating func push(_ v: Int64) {
        items.append(v)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[p] <= items[i] { break }
            items.swapAt(p, i)
            i = p
        }
    }

    mutating func popMin() {
        let last = items.removeLast()
        if items.isEmpty { return }
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < items.count && items[l] < items[m] { m = l }
            if r < items.count && items[r] < items[m] { m = r }
            if m == i { break }
            items.swapAt(m, i)
            i = m
        }
    }
}

/// The numbers a site's people call and are called from: a finite address book with skewed popularity, as in
/// real traffic (a few numbers are called daily, most rarely).
struct ContactBook {
    var domestic: [NumberSpec] = []
    var partners: [NumberSpec] = []
    var tollFree: [NumberSpec] = []

    init(site: SampleSite, expectedCalls: Double, _ rng: inout SampleRandom) {
        let size = max(300, Int(expectedCalls / 6))
        for _ in 0..<size { domestic.append(site.domestic.draw(&rng)) }
        for _ in 0..<max(60, size / 10) {
            partners.append(site.partners[rng.int(0...(site.partners.count - 1))].draw(&rng))
        }
        let tf = Destination(
            region: site.country,
            callingCode: site.callingCode,
            ranges: site.country == "US" ? [("800", 10), ("888", 10)] : [("800", 10)]
        )
        for _ in 0..<max(20, size / 100) { tollFree.append(tf.draw(&rng)) }
    }

    /// A number from a pool, popular ones more often (index skewed towards the front).
    func pick(_ pool: [NumberSpec], _ rng: inout SampleRandom) -> NumberSpec {
        let u = rng.uniform()
        return pool[min(pool.count - 1, Int(Double(pool.count) * u * u * u))]
    }
}
