import CDRAnalysis
import CDRIngest
import CDRModel
import Foundation

/// Ad-hoc questions about calls, asked of CDR files or of the calls kept in a results file: the calls behind a
/// number or account (`cdrscan calls`, `cdrscan trace`) and who or what used the service most (`cdrscan top`).
///
/// Every call carries its site-local time (with the zone's name) next to UTC, its destination class, risk tier,
/// country and estimated cost.
public struct Investigation: Sendable {
    public let context: DetectionContext

    /// - Parameter siteCountry: the country of each store site id (for number classes).
    public init(
        store: ColumnStore,
        inventory: Inventory,
        siteCountry: [String],
        classifier: DestinationClassifier = DestinationClassifier(),
        defaultZone: String? = nil
    ) {
        let destinations = CallDestinations.build(store: store, siteCountry: siteCountry, classifier: classifier)
        context = DetectionContext(
            store: store,
            destinations: destinations,
            inventory: inventory,
            defaultZone: defaultZone
        )
    }

    public var store: ColumnStore { context.store }
    public var destinations: CallDestinations { context.destinations }

    /// The matching calls in start order.
    public func calls(_ filter: CallFilter) -> [Int] {
        filter.indices(store, destinations).sorted { (store.startMs[$0], $0) < (store.startMs[$1], $1) }
    }

    public static let callColumns = [
        "start_utc", "start_local", "zone", "site", "trunk", "direction", "disposition", "caller", "callee",
        "dialled", "account", "ring_s", "talk_s", "class", "country", "risk", "cost", "currency",
    ]

    /// One row per call.
    public func callTable(_ indices: [Int]) -> ResultTable {
        let s = store
        let d = destinations
        let rows: [[ResultTable.Cell]] = indices.map { i in
            let ring = s.ringMs[i] < 0 ? Int64(s.durationMs[i]) : Int64(s.ringMs[i])
            return [
                .text(CivilTime.format(ms: s.startMs[i], suffix: "Z")),
                .text(CivilTime.format(ms: context.local(i), separator: " ")),
                .text(context.zoneName(i)),
                .text(s.sites[UInt32(s.site[i])]),
                .text(s.trunks[UInt32(s.trunk[i])]),
                .text(s.directionOf(i).description),
                .text(s.dispositionOf(i).description),
                .text(s.numbers[s.caller[i]]),
                .text(s.numbers[s.callee[i]]),
                .text(s.numbers[s.calleeRaw[i]]),
                .text(s.accounts[s.account[i]]),
                .int(ring / 1000),
                .int(s.billableMs(i) / 1000),
                .text(d.numberClass(i).rawValue),
                .text(d.region(i)),
                .text(d.allowed[i] ? "allow" : d.tier(i).rawValue),
                .number(Double(d.costs[i]), decimals: 4),
                .text(d.currency),
            ]
        }
        return ResultTable(columns: Self.callColumns, rows: rows)
    }

    /// What `top` groups calls by.
    public enum Grouping: String, Sendable, CaseIterable {
        case country, account, trunk, destination, hour, caller, site, `class`, day
    }

    /// What `top` ranks the groups by.
    public enum Ranking: String, Sendable, CaseIterable {
        case calls, minutes, cost
    }

    /// Groups the calls and ranks the groups, busiest first.
    ///
    /// `hour` is the hour of the day and `day` the date, both in each call's site-local time; `country` is the
    /// called number's country; `destination` the called number.
    public func top(
        _ indices: [Int],
        by grouping: Grouping,
        rankedBy ranking: Ranking = .calls,
        limit: Int = 20
    )
        -> ResultTable
    {
        struct Group {
            var calls = 0
            var answered = 0
            var talkMs: Int64 = 0
            var cost = 0.0
            var first = Int64.max
            var last = Int64.min
        }
        var groups: [String: Group] = [:]
        let s = store
        let d = destinations
        for i in indices {
            let key: String
            switch grouping {
            case .country: key = d.region(i).isEmpty ? "(none)" : d.region(i)
            case .account: key = s.accounts[s.account[i]]
            case .trunk: key = s.trunks[UInt32(s.trunk[i])]
            case .destination: key = s.numbers[s.callee[i]]
            case .caller: key = s.numbers[s.caller[i]]
            case .site: key = s.sites[UInt32(s.site[i])]
            case .class: key = d.numberClass(i).rawValue
            case .hour:
                let h = CivilTime.floorDiv(context.local(i), 3_600_000) % 24
                key = String(format: "%02d:00", Int(h))
            case .day: key = CivilTime.formatDay(CivilTime.floorDiv(context.local(i), 86_400_000))
            }
            var g = groups[key, default: Group()]
            g.calls += 1
            if s.dispositionOf(i) == .answered { g.answered += 1 }
            g.talkMs += s.billableMs(i)
            g.cost += Double(d.costs[i])
            g.first = min(g.first, s.startMs[i])
            g.last = max(g.last, s.startMs[i])
            groups[key] = g
        }
        let ranked = groups.sorted { a, b in
            switch ranking {
            case .calls: return (a.value.calls, b.key) > (b.value.calls, a.key)
            case .minutes: return (a.value.talkMs, b.key) > (b.value.talkMs, a.key)
            case .cost: return (a.value.cost, b.key) > (b.value.cost, a.key)
            }
        }
        let keyName = grouping == .hour ? "hour_local" : (grouping == .day ? "day_local" : grouping.rawValue)
        var table = ResultTable(columns: [
            keyName, "calls", "answered", "minutes", "cost", "currency", "first_utc", "last_utc",
        ])
        for (key, g) in ranked.prefix(limit) {
            table.rows.append([
                .text(key), .int(Int64(g.calls)), .int(Int64(g.answered)),
                .number(Double(g.talkMs) / 60_000, decimals: 1), .number(g.cost, decimals: 2), .text(d.currency),
                .text(CivilTime.format(ms: g.first, suffix: "Z")), .text(CivilTime.format(ms: g.last, suffix: "Z")),
            ])
        }
        return table
    }

    /// A few lines about the calls of a trace: how many each way, when, minutes and cost.
    public func traceSummary(_ query: String, _ indices: [Int]) -> String {
        guard let first = indices.first, let last = indices.last else {
            return "No calls to or from \(terminalSafe(query)).\n"
        }
        let s = store
        var inbound = 0
        var outbound = 0
        var talkMs: Int64 = 0
        var cost = 0.0
        var countries: [String: Int] = [:]
        for i in indices {
            switch s.directionOf(i) {
            case .inbound: inbound += 1
            case .outbound: outbound += 1
            case .internal_: break
            }
            talkMs += s.billableMs(i)
            cost += Double(destinations.costs[i])
            if s.directionOf(i) == .outbound, !destinations.region(i).isEmpty {
                countries[destinations.region(i), default: 0] += 1
            }
        }
        let topCountries = countries.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5)
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var out = "\(counted(indices.count, "call")) to or from \(terminalSafe(query)): "
        out += "\(outbound) outbound, \(inbound) inbound, "
        out += "\(indices.count - inbound - outbound) internal\n"
        out += "from \(CivilTime.format(ms: s.startMs[first], suffix: "Z")) to "
        out += "\(CivilTime.format(ms: s.startMs[last], suffix: "Z")) (UTC; local times below in each site's zone)\n"
        out += String(
            format: "%.1f minutes talked, estimated cost %.2f %@",
            Double(talkMs) / 60_000,
            cost,
            destinations.currency
        )
        out += " (\(destinations.rateSource))\n"
        if !topCountries.isEmpty { out += "outbound countries: \(topCountries)\n" }
        return out
    }
}
