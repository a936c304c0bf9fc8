import CDRModel

/// Carried traffic per quarter hour (UTC-aligned, which is also local-aligned in every zone whose offset is a
/// multiple of 15 minutes), each call's seconds split over the quarters it spans.
struct QuarterTraffic {
    let firstQuarter: Int64
    var ms: [Int64]

    init(window: Range<Int64>) {
        firstQuarter = CivilTime.floorDiv(window.lowerBound, 900_000)
        let last = CivilTime.floorDiv(max(window.upperBound - 1, window.lowerBound), 900_000)
        ms = [Int64](repeating: 0, count: Int(last - firstQuarter + 1))
    }

    /// Adds the part of [s, e) inside the window's quarter hours (the window itself when it is whole quarter hours,
    /// as a month of local days is; the data's own span has no traffic outside it).
    @inline(__always)
    mutating func add(_ s: Int64, _ e: Int64) {
        var q = CivilTime.floorDiv(s, 900_000)
        let lastQ = CivilTime.floorDiv(e - 1, 900_000)
        while q <= lastQ {
            let idx = Int(q - firstQuarter)
            if idx >= ms.count { break }
            if idx >= 0 {
                let lo = max(s, q * 900_000)
                let hi = min(e, (q + 1) * 900_000)
                ms[idx] += hi - lo
            }
            q += 1
        }
    }

    func erlangs(_ idx: Int) -> Double { idx >= 0 && idx < ms.count ? Double(ms[idx]) / 900_000 : 0 }

    /// Carried Erlangs per clock hour (UTC).
    func hourly() -> [HourTraffic] {
        var out: [HourTraffic] = []
        var q = 0
        while q < ms.count {
            let start = (firstQuarter + Int64(q)) * 900_000
            let hourStart = CivilTime.floorDiv(start, 3_600_000) * 3_600_000
            var sum: Int64 = 0
            var k = q
            while k < ms.count
                && CivilTime.floorDiv((firstQuarter + Int64(k)) * 900_000, 3_600_000) * 3_600_000 == hourStart
            {
                sum += ms[k]
                k += 1
            }
            out.append(
                HourTraffic(
                    hourStartUtc: CivilTime.format(ms: hourStart, suffix: "Z"),
                    erlangs: Double(sum) / 3_600_000
                )
            )
            q = k
        }
        return out
    }

    struct DayBusyHour {
        var startLocalMs: Int64
        var startUtcQuarter: Int
        var erlangs: Double
    }

    struct BusyHours {
        var busiest = 0.0
        var busiestStartMs: Int64 = 0
        var perDay: [Int64: DayBusyHour] = [:]
        var meanBusyHour = 0.0
        var highLoad = 0.0
        var businessDays = 0
        var tcbhHour = 0
        var tcbh = 0.0
        var dailyWindows: [Range<Int64>] = []
        var highLoadWindows: [Range<Int64>] = []
    }

    /// Daily busy hours (four consecutive quarter hours with the most traffic, ITU-T E.500), their mean over
    /// business days, the high-load mean of the busiest days, and the time-consistent busy hour.
    func busyHours(zone: ZoneResolver?, calendar: BusinessCalendar?, highLoadDays: Int) -> BusyHours {
        var r = BusyHours()
        if ms.isEmpty { return r }
        var window: Int64 = 0
        var perHourOfDay = [[Double]](repeating: [], count: 24)
        var hourSums: [Int64: [Int: Int64]] = [:]
        for q in 0..<ms.count {
            window += ms[q]
            if q >= 4 { window -= ms[q - 4] }
            let startQ = q - min(q, 3)
            let startMs = (firstQuarter + Int64(startQ)) * 900_000
            let value = Double(window) / 3_600_000
            if q >= 3 && value > r.busiest {
                r.busiest = value
                r.busiestStartMs = startMs
            }
            let qStart = (firstQuarter + Int64(q)) * 900_000
            let local = zone?.localMs(fromUTC: qStart) ?? qStart
            let day = CivilTime.floorDiv(local, 86_400_000)
            let hour = Int((local - day * 86_400_000) / 3_600_000)
            hourSums[day, default: [:]][hour, default: 0] += ms[q]
            if q >= 3 {
                let sLocal = zone?.localMs(fromUTC: startMs) ?? startMs
                let sDay = CivilTime.floorDiv(sLocal, 86_400_000)
                if value > r.perDay[sDay]?.erlangs ?? -1 {
                    r.perDay[sDay] = DayBusyHour(startLocalMs: sLocal, startUtcQuarter: startQ, erlangs: value)
                }
            }
        }
        func isBusinessDay(_ day: Int64) -> Bool {
            guard let calendar else { return CivilTime.weekday(days: day) <= 5 }
            return !calendar.holidays.contains(day) && !calendar.open[CivilTime.weekday(days: day)].isEmpty
        }
        var values: [(Double, Int)] = []
        for (day, bh) in r.perDay where isBusinessDay(day) {
            values.append((bh.erlangs, bh.startUtcQuarter))
            r.dailyWindows.append(self.range(bh.startUtcQuarter))
        }
        if values.isEmpty {
            for (_, bh) in r.perDay {
                values.append((bh.erlangs, bh.startUtcQuarter))
                r.dailyWindows.append(self.range(bh.startUtcQuarter))
            }
        }
        r.businessDays = values.count
        if !values.isEmpty {
            r.meanBusyHour = values.reduce(0) { $0 + $1.0 } / Double(values.count)
            let top = values.sorted { $0.0 > $1.0 }.prefix(highLoadDays)
            r.highLoad = top.reduce(0) { $0 + $1.0 } / Double(top.count)
            r.highLoadWindows = top.map { self.range($0.1) }
        }
        for (day, hours) in hourSums where isBusinessDay(day) {
            for (h, v) in hours { perHourOfDay[h].append(Double(v) / 3_600_000) }
        }
        for h in 0..<24 where !perHourOfDay[h].isEmpty {
            let mean = perHourOfDay[h].reduce(0, +) / Double(perHourOfDay[h].count)
            if mean > r.tcbh {
                r.tcbh = mean
                r.tcbhHour = h
            }
        }
        return r
    }

    func range(_ startQuarter: Int) -> Range<Int64> {
        let s = (firstQuarter + Int64(startQuarter)) * 900_000
        return s..<(s + 3_600_000)
    }

    /// How many of the sorted instants fall inside any of the windows.
    func countIn(_ sorted: [Int64], windows: [Range<Int64>]) -> Int {
        var n = 0
        for w in windows {
            var lo = 0
            var hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] < w.lowerBound { lo = mid + 1 } else { hi = mid }
            }
            var i = lo
            while i < sorted.count && sorted[i] < w.upperBound {
                n += 1
                i += 1
            }
        }
        return n
    }
}
