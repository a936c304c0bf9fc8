import CDRModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The period one run covers: a night, a month, or everything the inputs hold.
public struct RunPeriod: Sendable, Equatable, CustomStringConvertible {
    public var kind: PipelineSpec.Period
    /// `YYYY-MM-DD` for a night, `YYYY-MM` for a month, empty for all.
    public var value: String

    public init(kind: PipelineSpec.Period, value: String) {
        self.kind = kind
        self.value = value
    }

    /// The night of a date (`2026-10-24`); nil when it is not a valid date.
    public static func night(_ date: String) -> RunPeriod? {
        guard date.count == 10, CivilTime.parseDay(date) != nil else { return nil }
        return RunPeriod(kind: .night, value: date)
    }

    /// A calendar month (`2026-10`); nil when it is not one.
    public static func month(_ month: String) -> RunPeriod? {
        let p = month.split(separator: "-")
        guard month.count == 7, p.count == 2, let y = Int(p[0]), let m = Int(p[1]), y > 1900, (1...12).contains(m)
        else { return nil }
        return RunPeriod(kind: .month, value: month)
    }

    public static let all = RunPeriod(kind: .all, value: "")

    /// The default period of a pipeline at `now`: yesterday or last month in `timezone`, or all.
    public static func defaultFor(_ kind: PipelineSpec.Period, timezone: String, now: Date) -> RunPeriod {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")!
        switch kind {
        case .all: return .all
        case .night:
            let d = calendar.dateComponents(
                [.year, .month, .day],
                from: calendar.date(byAdding: .day, value: -1, to: now)!
            )
            return RunPeriod(kind: .night, value: String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!))
        case .month:
            let d = calendar.dateComponents(
                [.year, .month],
                from: calendar.date(byAdding: .month, value: -1, to: now)!
            )
            return RunPeriod(kind: .month, value: String(format: "%04d-%02d", d.year!, d.month!))
        }
    }

    /// The results scope of a run of this period (nil for all: the run's span of local days).
    public var scope: String? {
        switch kind {
        case .night: return "night:\(value)"
        case .month: return "month:\(value)"
        case .all: return nil
        }
    }

    public var description: String { kind == .all ? "all inputs" : "\(kind.rawValue) \(value)" }

    /// An input pattern with its placeholders filled in as glob patterns (`{date}` of a month matches its days).
    public func inputPattern(_ pattern: String, pipeline: String) -> String {
        let date: String
        let month: String
        switch kind {
        case .night:
            date = value
            month = String(value.prefix(7))
        case .month:
            date = value + "-[0-3][0-9]"
            month = value
        case .all:
            date = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]"
            month = "[0-9][0-9][0-9][0-9]-[0-1][0-9]"
        }
        return fill(pattern, date: date, month: month, period: kind == .all ? "*" : value, pipeline: pipeline)
    }

    /// An output path with its placeholders filled in (`{date}` of a month is the month; of all runs, `all`).
    public func outputPath(_ pattern: String, pipeline: String) -> String {
        let v = kind == .all ? "all" : value
        return fill(
            pattern,
            date: v,
            month: kind == .night ? String(value.prefix(7)) : v,
            period: v,
            pipeline: pipeline
        )
    }

    private func fill(_ s: String, date: String, month: String, period: String, pipeline: String) -> String {
        s.replacingOccurrences(of: "{date}", with: date).replacingOccurrences(of: "{month}", with: month)
            .replacingOccurrences(of: "{period}", with: period).replacingOccurrences(of: "{pipeline}", with: pipeline)
    }
}

/// Expands a shell-style pattern (`*`, `?`, `[...]`) to the regular files it matches, sorted; a path without
/// pattern characters is returned as it is (so a missing file is reported as missing).
public func expandPattern(_ pattern: String) -> [String] {
    if pattern == "-" || !pattern.contains(where: { "*?[".contains($0) }) { return [pattern] }
    var g = glob_t()
    defer { globfree(&g) }
    guard glob(pattern, 0, nil, &g) == 0 else { return [] }
    var out: [String] = []
    for k in 0..<Int(g.gl_pathc) {
        guard let p = g.gl_pathv[k] else { continue }
        let path = String(cString: p)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            out.append(path)
        }
    }
    return out.sorted()
}
