import CDRModel

/// Exact concurrency of one group of calls (a trunk or a site) by a sweep over seizures and releases.
///
/// A call holds a channel over [start, end) of its whole holding time, ringing included; zero-length attempts hold
/// nothing. At equal instants releases are processed before seizures, so back-to-back calls need one channel.
public struct ChannelSweep: Sendable, Codable, Equatable {
    /// Highest number of simultaneous calls, and the first instant it was reached (UTC ms).
    public var peak = 0
    public var peakAtMs: Int64 = 0
    /// Milliseconds spent at each level of busy channels (index = channels busy).
    public var msAtLevel: [Int64] = []
    /// Milliseconds with at least `limit` channels busy, and how many separate episodes that made (a release and a
    /// seizure at the same instant do not end an episode).
    public var msAtOrOverLimit: Int64 = 0
    public var episodesAtLimit = 0
    /// Highest concurrency in each `stepMs` interval from `seriesStartMs` (for charts).
    public var series: [UInt32] = []
    public var seriesStartMs: Int64 = 0
    public var stepMs: Int64 = 60_000
    /// Highest concurrency per local day (day numbers in the site's zone).
    public var dailyPeaks: [Int64: Int] = [:]
    /// Congestion attempts that came while every contracted channel was busy, and those that did not.
    public var congestionAtLimit = 0
    public var congestionBelowLimit = 0

    /// The level of busy channels not exceeded during `q` (0…1) of the observed time.
    public func percentile(_ q: Double) -> Int {
        let total = msAtLevel.reduce(0, +)
        if total == 0 { return 0 }
        let target = Double(total) * q
        var acc: Int64 = 0
        for (level, ms) in msAtLevel.enumerated() {
            acc += ms
            if Double(acc) >= target { return level }
        }
        return msAtLevel.count - 1
    }

    /// Sweeps sorted seizure and release instants.
    ///
    /// - Parameters:
    ///   - starts: seizure instants of calls with a positive holding time, sorted.
    ///   - ends: their release instants, sorted.
    ///   - congestion: instants of attempts that failed with congestion, sorted.
    ///   - limit: contracted channels (0 when unknown: no limit figures).
    ///   - window: the period observed [from, to) for time-at-level figures and the series.
    ///   - zone: the site's zone, for daily peaks.
    /// - Complexity: O(n) over the events.
    public static func sweep(
        starts: [Int64],
        ends: [Int64],
        congestion: [Int64],
        limit: Int,
        window: Range<Int64>,
        stepMs: Int64 = 60_000,
        zone: ZoneResolver?
    ) -> ChannelSweep {
        var r = ChannelSweep()
        r.stepMs = stepMs
        r.seriesStartMs = CivilTime.floorDiv(window.lowerBound, stepMs) * stepMs
        let steps = Int(max(0, (window.upperBound - r.seriesStartMs + stepMs - 1) / stepMs))
        r.series = [UInt32](repeating: 0, count: steps)
        r.msAtLevel = [0]
        var active = 0
        var prev = window.lowerBound
        var i = 0
        var j = 0
        var k = 0
        var dayStart = Int64.min
        var dayEnd = Int64.min
        var day: Int64 = 0
        var dayPeak = 0
        var leftLimitAt = Int64.min  // an episode that ends and restarts at the same instant is one episode
        func account(until t: Int64) {
            let from = max(prev, window.lowerBound)
            let to = min(t, window.upperBound)
            if to > from {
                while r.msAtLevel.count <= active { r.msAtLevel.append(0) }
                r.msAtLevel[active] += to - from
                if limit > 0 && active >= limit { r.msAtOrOverLimit += to - from }
            }
            prev = max(prev, t)
        }
        func markSeries(_ t: Int64) {
            let idx = Int(CivilTime.floorDiv(t - r.seriesStartMs, stepMs))
            if idx >= 0 && idx < r.series.count && UInt32(active) > r.series[idx] { r.series[idx] = UInt32(active) }
        }
        /// Called before an event at t is applied: opens a new local day when t has passed midnight, its peak so far
        /// the calls up when it began. A day in which no call was up (only releases at its midnight) gets no peak.
        func rollDay(_ t: Int64) {
            if t >= dayEnd {
                if dayEnd != Int64.min && dayPeak > 0 { r.dailyPeaks[day] = max(r.dailyPeaks[day] ?? 0, dayPeak) }
                let local = zone?.localMs(fromUTC: t) ?? t
                day = CivilTime.floorDiv(local, 86_400_000)
                // This local midnight and the next in UTC, each at its own offset: with t's offset for both, the
                // day a DST change moves the clocks forward ended an hour late, and its next day's first hour's
                // calls counted in it.
                dayStart = zone?.utcMs(fromLocal: day * 86_400_000).ms ?? day * 86_400_000
                dayEnd = zone?.utcMs(fromLocal: (day + 1) * 86_400_000).ms ?? (day + 1) * 86_400_000
                dayPeak = active
            }
        }
        while i < starts.count || j < ends.count || k < congestion.count {
            let ts = i < starts.count ? starts[i] : Int64.max
            let te = j < ends.count ? ends[j] : Int64.max
            let tc = k < congestion.count ? congestion[k] : Int64.max
            if te <= ts && te <= tc {
                account(until: te)
                rollDay(te)
                if limit > 0 && active == limit { leftLimitAt = te }
                active -= 1
                j += 1
                // A call that ends at the day's first instant (midnight) holds nothing on that day.
                if te == dayStart { dayPeak = active }
            } else if tc < ts {
                // An attempt at tc is judged after the releases and the seizures at tc: in the same second, the
                // seizure is the one that took the last channel (as the generator's truth has it).
                account(until: tc)
                if limit > 0 && active >= limit { r.congestionAtLimit += 1 } else { r.congestionBelowLimit += 1 }
                k += 1
            } else {
                account(until: ts)
                rollDay(ts)
                let wasAt = limit > 0 && active >= limit
                active += 1
                i += 1
                if active > r.peak {
                    r.peak = active
                    r.peakAtMs = ts
                }
                if limit > 0 && !wasAt && active >= limit && leftLimitAt != ts { r.episodesAtLimit += 1 }
                markSeries(ts)
                dayPeak = max(dayPeak, active)
            }
        }
        account(until: window.upperBound)
        if dayEnd != Int64.min && dayPeak > 0 { r.dailyPeaks[day] = max(r.dailyPeaks[day] ?? 0, dayPeak) }
        // Calls already up at a step boundary keep the series at their level.
        var level = 0
        var si = 0
        var ei = 0
        for idx in 0..<r.series.count {
            let t = r.seriesStartMs + Int64(idx) * stepMs
            while ei < ends.count && ends[ei] <= t {
                ei += 1
                level -= 1
            }
            while si < starts.count && starts[si] <= t {
                si += 1
                level += 1
            }
            if UInt32(max(level, 0)) > r.series[idx] { r.series[idx] = UInt32(max(level, 0)) }
        }
        return r
    }
}
