/// A site's business hours and public holidays, evaluated on wall-clock time in the site's zone.
///
/// The weekly schedule is written the way people say it: `"Mon-Fri 08:00-18:00"`, several parts separated by
/// `;` or `,` (`"Mon-Fri 08:00-18:00; Sat 09:00-13:00"`). An interval whose end is before its start wraps past
/// midnight into the next day (`"Sat 22:00-06:00"`). Holidays are whole local days outside business hours.
public struct BusinessCalendar: Sendable, Equatable {
    /// Open intervals per ISO weekday (index 1 = Monday … 7 = Sunday), minutes after local midnight.
    public private(set) var open: [[ClosedRange<Int>]] = Array(repeating: [], count: 8)
    /// Holidays as day numbers (days since 1970-01-01, local dates).
    public var holidays: Set<Int64>
    /// The schedule as written.
    public let text: String

    /// The default: Monday to Friday, 08:00 to 18:00.
    public static let defaultText = "Mon-Fri 08:00-18:00"

    /// Parses a schedule. Throws a message naming the part it could not read.
    public init(_ text: String = BusinessCalendar.defaultText, holidays: Set<Int64> = []) throws {
        self.text = text
        self.holidays = holidays
        let dayNames = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]
        for rawPart in text.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            let part = rawPart.trimmingCharacters(in: " ")
            if part.isEmpty || part.lowercased() == "closed" { continue }
            let pieces = part.split(separator: " ", omittingEmptySubsequences: true)
            guard pieces.count == 2 else { throw CalendarError(part: part) }
            var days: [Int] = []
            let dayParts = pieces[0].lowercased().split(separator: "-")
            guard let first = dayNames[String(dayParts[0].prefix(3))] else { throw CalendarError(part: part) }
            if dayParts.count == 2 {
                guard let last = dayNames[String(dayParts[1].prefix(3))] else { throw CalendarError(part: part) }
                var d = first
                while true {
                    days.append(d)
                    if d == last { break }
                    d = d % 7 + 1
                }
            } else {
                days = [first]
            }
            let times = pieces[1].split(separator: "-")
            guard times.count == 2, let a = Self.minutes(times[0]), let b = Self.minutes(times[1]) else {
                throw CalendarError(part: part)
            }
            for d in days {
                if b > a {
                    open[d].append(a...(b - 1))
                } else {  // wraps midnight
                    open[d].append(a...(24 * 60 - 1))
                    if b > 0 { open[d % 7 + 1].append(0...(b - 1)) }
                }
            }
        }
    }

    private static func minutes(_ s: Substring) -> Int? {
        let hm = s.split(separator: ":")
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }

    /// Whether a wall-clock instant (local milliseconds) is inside business hours.
    @inline(__always)
    public func isOpen(localMs: Int64) -> Bool {
        let secs = CivilTime.floorDiv(localMs, 1000)
        let day = CivilTime.floorDiv(secs, 86_400)
        if !holidays.isEmpty && holidays.contains(day) { return false }
        let minute = Int(secs - day * 86_400) / 60
        for r in open[CivilTime.weekday(days: day)] where r.contains(minute) { return true }
        return false
    }

    /// Open hours per week (for expectations and reports).
    public var openHoursPerWeek: Double {
        Double(open.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }) / 60
    }
}

/// A business-hours text that could not be read.
public struct CalendarError: Error, CustomStringConvertible {
    public let part: String
    public var description: String {
        "cannot read business hours '\(part)': expected days and times such as 'Mon-Fri 08:00-18:00'"
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
