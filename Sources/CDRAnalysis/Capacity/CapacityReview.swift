import CDRModel

/// Settings of the capacity review, each with its default and reason (see `docs/capacity.md`).
public struct CapacityOptions: Sendable {
    /// Target grade of service (blocking probability) in the busy hour: 1 %, ITU practice for circuit groups.
    public var gos = 0.01
    /// Share of blocked callers who retry (Extended Erlang B); nil for plain Erlang B.
    public var retry: Double? = nil
    /// WARN when the 95th percentile of daily peaks reaches this share of the contracted channels.
    public var warnShare = 0.8
    /// Channels can be released when the high-load busy hour needs at most this share of them.
    public var releaseShare = 0.6
    /// Days averaged for the high-load busy hour (ITU-T E.500 reads high load from the busiest days).
    public var highLoadDays = 5
    /// The period reviewed, UTC ms [from, to); nil for the span of the data.
    public var window: Range<Int64>? = nil
    /// A calendar month (year, month) reviewed in each site's local time; overrides `window`.
    public var month: (year: Int, month: Int)? = nil
    /// Step of the concurrency series for charts.
    public var seriesStepMs: Int64 = 60_000

    public init() {}
}

/// The capacity figures and advice for one trunk (or the whole of a site when `trunk` is empty).
public struct TrunkCapacity: Sendable, Codable, Equatable {
    public var trunk: String
    public var site: String
    public var timeZone: String
    /// Contracted channels, nil when the trunk is not in the inventory.
    public var channels: Int?
    public var kind: String
    public var attempts: Int
    public var answered: Int
    public var congestionCalls: Int
    public var congestionWhileAtLimit: Int
    public var peakChannels: Int
    public var peakAtUtc: String
    public var p95Channels: Int
    public var p99Channels: Int
    public var secondsAtOrOverLimit: Double
    public var episodesAtLimit: Int
    public var daysAtLimit: Int
    public var p95DailyPeak: Int
    /// Busiest four consecutive quarter hours of the whole period.
    public var busiestHourStartUtc: String
    public var busiestHourErlangs: Double
    /// Mean of the daily busy hours over business days (ITU-T E.500 normal load).
    public var meanBusyHourErlangs: Double
    /// Mean of the busiest `highLoadDays` daily busy hours.
    public var highLoadErlangs: Double
    /// Time-consistent busy hour: the local clock hour with the highest mean over business days.
    public var timeConsistentBusyHourLocal: Int
    public var timeConsistentBusyHourErlangs: Double
    /// Offered traffic in the mean busy hour: carried plus congestion attempts × mean holding time.
    public var offeredErlangs: Double
    public var offeredHighLoadErlangs: Double
    public var meanHoldingSeconds: Double
    public var blockingAtContracted: Double?
    public var channelsNeeded: Int
    public var channelsNeededHighLoad: Int
    public var maxTrafficAtContracted: Double?
    public var headroomErlangs: Double?
    public var gos: Double
    /// `at_capacity`, `warn`, `right_size`, `fine`, or `unknown_trunk`.
    public var status: String
    public var advice: String
    public var dailyPeaks: [DayPeak]
    public var hourlyErlangs: [HourTraffic]
}

public struct DayPeak: Sendable, Codable, Equatable {
    public var day: String
    public var peak: Int
    public var busyHourStartLocal: String
    public var busyHourErlangs: Double
}

public struct HourTraffic: Sendable, Codable, Equatable {
    public var hourStartUtc: String
    public var erlangs: Double
}

/// The monthly (or any period's) capacity review.
public struct CapacityReport: Sendable, Encodable {
    public var periodStartUtc: String
    public var periodEndUtc: String
    public var gos: Double
    public var trunks: [TrunkCapacity]
    public var sites: [TrunkCapacity]
    /// Trunks in the inventory with no calls in the period.
    public var idleTrunks: [String]
    /// Trunks seen in the CDRs but missing from the inventory.
    public var unknownTrunks: [String]
    /// Concurrency series per trunk (not in JSON output; for charts and the results database).
    public var series: [String: ChannelSweep] = [:]

    enum CodingKeys: String, CodingKey {
        case periodStartUtc, periodEndUtc, gos, trunks, sites, idleTrunks, unknownTrunks
    }
}

/// Runs the capacity review over a store. Pure: store and configuration in, report out.
public enum CapacityReview {
    public static func run(
        store: ColumnStore,
        inventory: Inventory,
        options: CapacityOptions = CapacityOptions()
    )
        -> CapacityReport
    {
        let span = options.window ?? dataSpan(store)
        func window(_ site: Site?) -> Range<Int64> {
            guard let (y, m) = options.month else { return span }
            let zone = site.flatMap { ZoneResolver(identifier: $0.timeZone) }
            let first = CivilTime.days(year: y, month: m, day: 1) * 86_400_000
            let next = CivilTime.days(year: m == 12 ? y + 1 : y, month: m == 12 ? 1 : m + 1, day: 1) * 86_400_000
            let a = zone?.utcMs(fromLocal: first).ms ?? first
            let b = zone?.utcMs(fromLocal: next).ms ?? next
            return a..<b
        }
        // Group call indexes by trunk (each analysis keeps the calls that touch its site's window).
        let trunkCount = store.trunks.count
        var perTrunk = [[Int32]](repeating: [], count: trunkCount)
        for i in 0..<store.count {
            let t = Int(store.trunk[i])
            if t == 0 { continue }  // id 0 is the empty name: no trunk (internal calls)
            perTrunk[t].append(Int32(i))
        }
        var trunks: [TrunkCapacity] = []
        var series: [String: ChannelSweep] = [:]
        var unknown: [String] = []
        var siteGroups: [String: [Collected]] = [:]
        for t in 1..<max(trunkCount, 1) where !perTrunk[t].isEmpty {
            let name = store.trunks[UInt32(t)]
            let inv = inventory.trunk(named: name)
            if inv == nil { unknown.append(name) }
            let siteName = inv?.site ?? majoritySite(store, perTrunk[t])
            let site = inventory.site(named: siteName)
            let collected = collect(store, perTrunk[t], window: window(site))
            siteGroups[siteName, default: []].append(collected)
            let (cap, sweep) = analyse(
                collected,
                name: name,
                site: siteName,
                siteInfo: site,
                channels: inv?.channels,
                kind: inv?.kind ?? "",
                window: window(site),
                options: options
            )
            if cap.attempts == 0 && cap.peakChannels == 0 { continue }
            trunks.append(cap)
            series[name] = sweep
        }
        var sites: [TrunkCapacity] = []
        for (siteName, parts) in siteGroups.sorted(by: { $0.key < $1.key }) {
            let contracted = inventory.trunks(ofSite: siteName).reduce(0) { $0 + $1.channels }
            let w = window(inventory.site(named: siteName))
            let (cap, sweep) = analyse(
                Collected.merge(parts, window: w),
                name: "",
                site: siteName,
                siteInfo: inventory.site(named: siteName),
                channels: contracted > 0 ? contracted : nil,
                kind: "all trunks",
                window: window(inventory.site(named: siteName)),
                options: options
            )
            if cap.attempts == 0 && cap.peakChannels == 0 { continue }
            sites.append(cap)
            series["site:" + siteName] = sweep
        }
        let used = Set(trunks.map(\.trunk))
        let idle = inventory.trunks.map(\.name).filter { !used.contains($0) }
        let overall =
            options.month == nil
            ? span
            : inventory.sites.map { window($0) }.reduce(window(nil)) {
                min($0.lowerBound, $1.lowerBound)..<max($0.upperBound, $1.upperBound)
            }
        return CapacityReport(
            periodStartUtc: CivilTime.format(ms: overall.lowerBound, suffix: "Z"),
            periodEndUtc: CivilTime.format(ms: overall.upperBound, suffix: "Z"),
            gos: options.gos,
            trunks: trunks.sorted { ($0.site, $0.trunk) < ($1.site, $1.trunk) },
            sites: sites,
            idleTrunks: idle,
            unknownTrunks: unknown.sorted(),
            series: series
        )
    }

    static func dataSpan(_ store: ColumnStore) -> Range<Int64> {
        var lo = Int64.max
        var hi = Int64.min
        for i in 0..<store.count {
            lo = min(lo, store.startMs[i])
            hi = max(hi, store.startMs[i] + Int64(store.durationMs[i]))
        }
        if store.count == 0 { return 0..<0 }
        return lo..<max(hi, lo + 1)
    }

    static func majoritySite(_ store: ColumnStore, _ calls: [Int32]) -> String {
        var counts: [UInt16: Int] = [:]
        for i in calls.prefix(10_000) { counts[store.site[Int(i)], default: 0] += 1 }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? 0
        return store.sites[UInt32(best)]
    }

    /// The calls of one trunk inside a window, reduced to sorted instants and quarter-hour traffic.
    struct Collected {
        var starts: [Int64] = []
        var ends: [Int64] = []
        var congestion: [Int64] = []
        var traffic: QuarterTraffic
        var answered = 0
        var attempts = 0
        var heldMs: Int64 = 0
        var held = 0

        /// Several trunks of one site together (same window): sorted arrays merged, traffic added.
        static func merge(_ parts: [Collected], window: Range<Int64>) -> Collected {
            var out = Collected(traffic: QuarterTraffic(window: window))
            for p in parts {
                out.starts = mergeSorted(out.starts, p.starts)
                out.ends = mergeSorted(out.ends, p.ends)
                out.congestion = mergeSorted(out.congestion, p.congestion)
                for q in 0..<min(out.traffic.ms.count, p.traffic.ms.count) { out.traffic.ms[q] += p.traffic.ms[q] }
                out.answered += p.answered
                out.attempts += p.attempts
                out.heldMs += p.heldMs
                out.held += p.held
            }
            return out
        }
    }

    static func mergeSorted(_ a: [Int64], _ b: [Int64]) -> [Int64] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out = [Int64]()
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] <= b[j] {
                out.append(a[i])
                i += 1
            } else {
                out.append(b[j])
                j += 1
            }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    static func collect(_ store: ColumnStore, _ calls: [Int32], window: Range<Int64>) -> Collected {
        var c = Collected(traffic: QuarterTraffic(window: window))
        c.starts.reserveCapacity(calls.count)
        c.ends.reserveCapacity(calls.count)
        for idx in calls {
            let i = Int(idx)
            let s = store.startMs[i]
            let d = Int64(store.durationMs[i])
            if s >= window.upperBound || s + d <= window.lowerBound && s < window.lowerBound { continue }
            if s >= window.lowerBound { c.attempts += 1 }
            if store.disposition[i] == Disposition.answered.rawValue && s >= window.lowerBound { c.answered += 1 }
            if store.disposition[i] == Disposition.congestion.rawValue {
                if s >= window.lowerBound { c.congestion.append(s) }
                continue
            }
            if d > 0 {
                c.starts.append(s)
                c.ends.append(s + d)
                c.traffic.add(s, s + d)
                c.heldMs += d
                c.held += 1
            }
        }
        radixSort(&c.starts)
        radixSort(&c.ends)
        radixSort(&c.congestion)
        return c
    }

    static func analyse(
        _ c: Collected,
        name: String,
        site: String,
        siteInfo: Site?,
        channels: Int?,
        kind: String,
        window: Range<Int64>,
        options: CapacityOptions
    ) -> (TrunkCapacity, ChannelSweep) {
        let (starts, ends, congestion, traffic) = (c.starts, c.ends, c.congestion, c.traffic)
        let (answered, attempts, heldMs, held) = (c.answered, c.attempts, c.heldMs, c.held)
        let zone = siteInfo.flatMap { ZoneResolver(identifier: $0.timeZone) }
        let sweep = ChannelSweep.sweep(
            starts: starts,
            ends: ends,
            congestion: congestion,
            limit: channels ?? 0,
            window: window,
            stepMs: options.seriesStepMs,
            zone: zone
        )
        let busy = traffic.busyHours(zone: zone, calendar: siteInfo?.calendar, highLoadDays: options.highLoadDays)
        let meanHolding = held > 0 ? Double(heldMs) / Double(held) / 1000 : 0
        // Offered = carried + the holding time the congestion attempts would have had, per busy hour.
        let busyDays = max(1, busy.businessDays)
        let congestionInBusy = Double(traffic.countIn(congestion, windows: busy.dailyWindows))
        let offered = busy.meanBusyHour + congestionInBusy / Double(busyDays) * meanHolding / 3600
        let topCongestion = Double(traffic.countIn(congestion, windows: busy.highLoadWindows))
        let offeredHigh =
            busy.highLoad + topCongestion / Double(max(1, busy.highLoadWindows.count)) * meanHolding / 3600
        let need = ErlangB.channels(traffic: offered, gos: options.gos)
        let needHigh = ErlangB.channels(traffic: offeredHigh, gos: options.gos)
        var blocking: Double? = nil
        var maxTraffic: Double? = nil
        if let n = channels {
            if let r = options.retry {
                blocking = ErlangB.extended(channels: n, traffic: offered, retry: r).blocking
                maxTraffic = ErlangB.extendedMaxTraffic(channels: n, gos: options.gos, retry: r)
            } else {
                blocking = ErlangB.blocking(channels: n, traffic: offered)
                maxTraffic = ErlangB.maxTraffic(channels: n, gos: options.gos)
            }
        }
        let dailyPeakValues = sweep.dailyPeaks.values.sorted()
        let p95Daily =
            dailyPeakValues.isEmpty
            ? 0
            : dailyPeakValues[
                min(dailyPeakValues.count - 1, Int((Double(dailyPeakValues.count) * 0.95).rounded(.up)) - 1)
            ]
        let daysAtLimit = channels.map { n in sweep.dailyPeaks.values.filter { $0 >= n }.count } ?? 0
        var (status, advice) = Self.advice(
            channels: channels,
            congestion: congestion.count,
            congestionAtLimit: sweep.congestionAtLimit,
            daysAtLimit: daysAtLimit,
            p95Daily: p95Daily,
            need: need,
            needHigh: needHigh,
            offered: offered,
            offeredHigh: offeredHigh,
            peak: sweep.peak,
            options: options
        )
        if busy.busiest > 3 * max(busy.highLoad, 0.01) && busy.busiest > 1 {
            advice +=
                "; note: the busiest hour (\(fmt(busy.busiest)) E from \(CivilTime.format(ms: busy.busiestStartMs, suffix: "Z"))) is far above normal load, check it for fraud before sizing on it"
        }
        var days: [DayPeak] = []
        for (day, peak) in sweep.dailyPeaks.sorted(by: { $0.key < $1.key }) {
            let bh = busy.perDay[day]
            days.append(
                DayPeak(
                    day: CivilTime.formatDay(day),
                    peak: peak,
                    busyHourStartLocal: bh.map { CivilTime.format(ms: $0.startLocalMs, separator: " ") } ?? "",
                    busyHourErlangs: bh?.erlangs ?? 0
                )
            )
        }
        let cap = TrunkCapacity(
            trunk: name,
            site: site,
            timeZone: siteInfo?.timeZone ?? "UTC",
            channels: channels,
            kind: kind,
            attempts: attempts,
            answered: answered,
            congestionCalls: congestion.count,
            congestionWhileAtLimit: sweep.congestionAtLimit,
            peakChannels: sweep.peak,
            peakAtUtc: sweep.peak > 0 ? CivilTime.format(ms: sweep.peakAtMs, suffix: "Z") : "",
            p95Channels: sweep.percentile(0.95),
            p99Channels: sweep.percentile(0.99),
            secondsAtOrOverLimit: Double(sweep.msAtOrOverLimit) / 1000,
            episodesAtLimit: sweep.episodesAtLimit,
            daysAtLimit: daysAtLimit,
            p95DailyPeak: p95Daily,
            busiestHourStartUtc: CivilTime.format(ms: busy.busiestStartMs, suffix: "Z"),
            busiestHourErlangs: busy.busiest,
            meanBusyHourErlangs: busy.meanBusyHour,
            highLoadErlangs: busy.highLoad,
            timeConsistentBusyHourLocal: busy.tcbhHour,
            timeConsistentBusyHourErlangs: busy.tcbh,
            offeredErlangs: offered,
            offeredHighLoadErlangs: offeredHigh,
            meanHoldingSeconds: meanHolding,
            blockingAtContracted: blocking,
            channelsNeeded: need,
            channelsNeededHighLoad: needHigh,
            maxTrafficAtContracted: maxTraffic,
            headroomErlangs: maxTraffic.map { $0 - offered },
            gos: options.gos,
            status: status,
            advice: advice,
            dailyPeaks: days,
            hourlyErlangs: traffic.hourly()
        )
        return (cap, sweep)
    }

    /// The status and advice line, with the numbers behind it.
    static func advice(
        channels: Int?,
        congestion: Int,
        congestionAtLimit: Int,
        daysAtLimit: Int,
        p95Daily: Int,
        need: Int,
        needHigh: Int,
        offered: Double,
        offeredHigh: Double,
        peak: Int,
        options: CapacityOptions
    ) -> (String, String) {
        let gos = formatPercent(options.gos)
        guard let n = channels else {
            return (
                "unknown_trunk",
                "not in the inventory: add it with its contracted channels; peak \(peak) simultaneous calls, \(need) channels needed for \(gos) blocking at \(fmt(offered)) E"
            )
        }
        if congestion > 0 || daysAtLimit > 0 {
            let add = max(1, max(need, needHigh) - n)
            return (
                "at_capacity",
                "add \(counted(add, "channel")): all \(n) were busy on \(counted(daysAtLimit, "day")) and \(counted(congestion, "call")) failed with congestion (\(congestionAtLimit) while at the limit); the high-load busy hour offers \(fmt(offeredHigh)) E, which needs \(needHigh) channels for \(gos) blocking"
            )
        }
        if need > n || Double(p95Daily) >= options.warnShare * Double(n) {
            let add = max(0, max(need, needHigh) - n)
            return (
                "warn",
                "watch: the 95th percentile of daily peaks is \(p95Daily) of \(n) channels; \(fmt(offered)) E in the mean busy hour needs \(need) for \(gos) blocking\(add > 0 ? "; add \(add)" : "")"
            )
        }
        if Double(needHigh) <= options.releaseShare * Double(n) {
            let keep = max(needHigh, Int((Double(peak) * 1.1).rounded(.up)))
            let release = n - keep
            if release > 0 {
                return (
                    "right_size",
                    "can release \(counted(release, "channel")): the high-load busy hour offers \(fmt(offeredHigh)) E, which needs \(needHigh) for \(gos) blocking, and the peak was \(peak) (keeping \(keep) leaves 10% above it)"
                )
            }
        }
        return (
            "fine",
            "fine: \(fmt(offered)) E in the mean busy hour needs \(need) of \(n) channels for \(gos) blocking; peak \(peak)"
        )
    }

    static func fmt(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return String(r)
    }

    static func formatPercent(_ v: Double) -> String {
        let p = v * 100
        return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
    }
}
