import CDRModel

/// A fraud or anomaly detector: a pure function of the detection context.
///
/// Each detector lives in its own file with its id, a one-line summary, its parameters (in ``DetectorConfig``,
/// with defaults and reasons) and examples that the generic detector test runs.
public protocol Detector: Sendable {
    /// Stable id, used in the results (`toll_fraud`, `intl_burst`, `after_hours`, `wangiri`).
    static var id: String { get }
    /// One line for `--help` and the docs.
    static var summary: String { get }
    func run(_ context: DetectionContext) -> [Alert]
}

/// The detectors cdrscan runs, in order.
public let allDetectors: [any Detector] = [
    TollFraudDetector(), IntlBurstDetector(), AfterHoursDetector(), WangiriDetector(),
]

extension Array where Element == Int32 {
    /// Splits calls sorted by start into clusters whose consecutive starts are at most `gapMs` apart.
    func clusters(_ start: (Int32) -> Int64, gapMs: Int64) -> [[Int32]] {
        var out: [[Int32]] = []
        var cur: [Int32] = []
        var last = Int64.min
        for c in self {
            let s = start(c)
            if !cur.isEmpty && s - last > gapMs {
                out.append(cur)
                cur = []
            }
            cur.append(c)
            last = s
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }
}

/// Groups alerting hours (local hour index, item) into runs of consecutive hours, in hour order, so that one burst
/// spanning several hours becomes one alert.
func consecutiveHours(_ items: [(hour: Int64, item: Int)]) -> [[Int]] {
    var groups: [[Int]] = []
    var lastHour = Int64.min
    for (hour, item) in items.sorted(by: { $0.hour < $1.hour }) {
        if !groups.isEmpty && lastHour + 1 >= hour {
            groups[groups.count - 1].append(item)
        } else {
            groups.append([item])
        }
        lastHour = hour
    }
    return groups
}

/// The local time span of calls as text: `Sat 23:31–Sun 03:40 Europe/Berlin`.
func span(_ ctx: DetectionContext, _ calls: [Int32]) -> String {
    guard let first = calls.first, let last = calls.last else { return "" }
    let a = Int(first)
    let b = Int(last)
    let endLocal = ctx.local(b) + Int64(ctx.store.durationMs[b])
    let sameDay = CivilTime.floorDiv(ctx.local(a), 86_400_000) == CivilTime.floorDiv(endLocal, 86_400_000)
    let end = DetectionContext.label(endLocal, withDate: false)
    return "\(ctx.localLabel(a, withDate: true))–\(sameDay ? String(end.dropFirst(4)) : end) \(ctx.zoneName(a))"
}
