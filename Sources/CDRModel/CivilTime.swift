/// Calendar arithmetic on proleptic Gregorian dates, in integers (no Foundation, no allocation).
///
/// A *day number* counts days since 1970-01-01; *local milliseconds* are milliseconds since 1970-01-01T00:00
/// on a wall clock (what a UTC instant would be if the wall clock were UTC).
public enum CivilTime {
    /// Days since 1970-01-01 for a civil date (algorithm by Howard Hinnant).
    @inline(__always)
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    public static func date(days z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// ISO weekday of a day number: 1 = Monday … 7 = Sunday.
    @inline(__always)
    public static func weekday(days: Int64) -> Int {
        let w = (days + 3) % 7  // 1970-01-01 was a Thursday (ISO 4)
        return Int(w < 0 ? w + 7 : w) + 1
    }

    /// Floor division for negative instants.
    @inline(__always)
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Whether a civil date exists (month 1–12, day within the month).
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        // No table: an array literal here was built on every call (several times a CDR row).
        if month == 2 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return day <= (leap ? 29 : 28)
        }
        return day <= (month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31)
    }

    /// Formats UTC or local milliseconds as `YYYY-MM-DDTHH:MM:SS` (seconds precision), with `suffix` appended.
    public static func format(ms: Int64, suffix: String = "", separator: Character = "T") -> String {
        let secs = floorDiv(ms, 1000)
        let day = floorDiv(secs, 86400)
        let sod = Int(secs - day * 86400)
        let (y, m, d) = date(days: day)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var year = String(y)
        while year.count < 4 { year = "0" + year }
        return
            "\(year)-\(two(m))-\(two(d))\(separator)\(two(sod / 3600)):\(two(sod / 60 % 60)):\(two(sod % 60))\(suffix)"
    }

    /// Formats a day number as `YYYY-MM-DD`.
    public static func formatDay(_ days: Int64) -> String {
        String(format(ms: days * 86_400_000).prefix(10))
    }

    /// Parses `YYYY-MM-DD` into a day number.
    public static func parseDay(_ s: String) -> Int64? {
        let parts = s.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            isValid(year: y, month: m, day: d)
        else { return nil }
        return days(year: y, month: m, day: d)
    }
}
