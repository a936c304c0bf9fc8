import CDRModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads cdrscan's canonical CSV: a header, then one call per row, times in UTC.
///
/// Columns (any order, case-insensitive; unknown extra columns are ignored):
/// `start_utc, answer_utc, end_utc, duration_s, billsec_s, direction, caller, callee, trunk, account, site,
/// disposition`. Required: `start_utc`, `end_utc` or `duration_s`, `direction`, `caller`, `callee`,
/// `disposition`. Times are ISO 8601 with `Z` (or an explicit offset); `answer_utc` is empty when unanswered.
/// A missing `end_utc` is `start + duration_s`; a missing `answer_utc` with `billsec_s > 0` is `end − billsec`.
public struct CanonicalReader: FormatReader {
    public static let formatName = "canonical"
    public static let columns = [
        "start_utc", "answer_utc", "end_utc", "duration_s", "billsec_s", "direction", "caller", "callee", "trunk",
        "account", "site", "disposition",
    ]
    public var csvOptions = CSVOptions()
    private var index: [Int] = []  // per canonical column, the field index or -1
    private var fieldCount = 0
    private var sawHeader = false
    private var directions = WordCache<Direction>()
    private var dispositions = WordCache<Disposition>()

    public init() {}

    private enum C {
        static let start = 0, answer = 1, end = 2, duration = 3, billsec = 4, direction = 5, caller = 6, callee = 7
        static let trunk = 8, account = 9, site = 10, disposition = 11
    }

    /// Whether a first record looks like the canonical header.
    static func looksLikeHeader(_ fields: [String]) -> Bool {
        let names = Set(fields.map { $0.trimmingCharacters().lowercased() })
        return names.contains("start_utc") && (names.contains("callee") || names.contains("caller"))
    }

    public mutating func read(_ rec: inout CSVRecord, state session: inout IngestState, file: String) throws -> Bool {
        if !sawHeader {
            sawHeader = true
            var names: [String: Int] = [:]
            for i in 0..<rec.count { names[rec.string(i).trimmingCharacters().lowercased()] = i }
            index = Self.columns.map { names[$0] ?? -1 }
            fieldCount = rec.count
            var missing: [String] = []
            for required in ["start_utc", "direction", "caller", "callee", "disposition"] where names[required] == nil {
                missing.append(required)
            }
            if names["end_utc"] == nil && names["duration_s"] == nil { missing.append("end_utc or duration_s") }
            if !missing.isEmpty {
                throw IngestError(
                    .missingColumns,
                    file: file,
                    "canonical header is missing required column(s): \(missing.joined(separator: ", "))"
                )
            }
            return false
        }
        if let defect = rec.defect {
            session.reject(file, rec, RejectReason.malformedCSV, defect)
            return false
        }
        if rec.count != fieldCount {
            session.reject(
                file,
                rec,
                RejectReason.columnCount,
                "expected \(fieldCount) columns as in the header, found \(rec.count)"
            )
            return false
        }
        @inline(__always) func field(_ c: Int) -> UnsafeRawBufferPointer {
            let i = index[c]
            return i < 0 ? UnsafeRawBufferPointer(start: nil, count: 0) : rec[i]
        }
        // Times.
        let startField = field(C.start)
        if FieldParse.isBlank(startField) {
            session.reject(file, rec, RejectReason.missingTimestamp, "start_utc is empty")
            return false
        }
        guard let start = utc(startField) else {
            session.reject(
                file,
                rec,
                RejectReason.badTimestamp,
                "start_utc is not an ISO 8601 UTC time (e.g. 2026-03-01T09:15:02Z)"
            )
            return false
        }
        var end: Int64
        let endField = field(C.end)
        if !FieldParse.isBlank(endField) {
            guard let e = utc(endField) else {
                session.reject(file, rec, RejectReason.badTimestamp, "end_utc is not an ISO 8601 UTC time")
                return false
            }
            end = e
        } else {
            let d = field(C.duration)
            guard let dur = FieldParse.secondsAsMs(d) else {
                session.reject(file, rec, RejectReason.badNumber, "end_utc is empty and duration_s is not a number")
                return false
            }
            end = start + dur
        }
        let durField = field(C.duration)
        if !FieldParse.isBlank(durField) {
            guard let dur = FieldParse.secondsAsMs(durField) else {
                session.reject(file, rec, RejectReason.badNumber, "duration_s is not a number")
                return false
            }
            if dur < 0 {
                session.reject(file, rec, RejectReason.negativeDuration, "duration_s is negative")
                return false
            }
        }
        if end < start {
            session.reject(file, rec, RejectReason.endBeforeStart, "end_utc is before start_utc")
            return false
        }
        if end - start > maximumCallMs {
            session.reject(file, rec, RejectReason.tooLong, "holding time over 24 hours")
            return false
        }
        var answer: Int64 = -1
        let answerField = field(C.answer)
        if !FieldParse.isBlank(answerField) {
            guard let a = utc(answerField) else {
                session.reject(file, rec, RejectReason.badTimestamp, "answer_utc is not an ISO 8601 UTC time")
                return false
            }
            guard a >= start && a <= end else {
                session.reject(file, rec, RejectReason.answerOutsideCall, "answer_utc is outside start_utc..end_utc")
                return false
            }
            answer = a
        }
        let billField = field(C.billsec)
        if !FieldParse.isBlank(billField) {
            guard let b = FieldParse.secondsAsMs(billField) else {
                session.reject(file, rec, RejectReason.badNumber, "billsec_s is not a number")
                return false
            }
            if b < 0 {
                session.reject(file, rec, RejectReason.negativeDuration, "billsec_s is negative")
                return false
            }
            if answer < 0 && b > 0 { answer = max(start, end - b) }
        }
        // Words.
        guard let direction = directions.lookup(field(C.direction), Direction.init(word:)) else {
            session.reject(file, rec, RejectReason.unknownDirection, "direction must be inbound, outbound or internal")
            return false
        }
        var disposition: Disposition
        let dispField = field(C.disposition)
        if FieldParse.isBlank(dispField) {
            disposition = answer >= 0 ? .answered : .noAnswer
        } else {
            guard let d = dispositions.lookup(dispField, Disposition.init(word:)) else {
                session.reject(
                    file,
                    rec,
                    RejectReason.unknownDisposition,
                    "disposition is not one of answered, no_answer, busy, failed, congestion, cancel"
                )
                return false
            }
            disposition = d
        }
        if disposition != .answered { answer = -1 }
        // Strings.
        let siteField = field(C.site)
        let siteId: UInt16
        if index[C.site] >= 0 && !FieldParse.isBlank(siteField) {
            guard let s = session.internSite(siteField) else {
                session.reject(file, rec, RejectReason.tooManyValues, "more than 65535 distinct sites")
                return false
            }
            siteId = s
        } else {
            siteId = session.internSite(session.defaultSiteName)
        }
        guard let trunk = session.internTrunk(field(C.trunk)) else {
            session.reject(file, rec, RejectReason.tooManyValues, "more than 65535 distinct trunks")
            return false
        }
        let ctx = session.context(siteId: siteId)
        session.append(
            startMs: start,
            durationMs: end - start,
            ringMs: answer < 0 ? -1 : answer - start,
            callerRaw: session.internNumber(field(C.caller)),
            calleeRaw: session.internNumber(field(C.callee)),
            account: session.internAccount(field(C.account)),
            trunk: trunk,
            site: siteId,
            ctx: ctx,
            direction: direction,
            disposition: disposition
        )
        return true
    }

    @inline(__always)
    private func utc(_ p: UnsafeRawBufferPointer) -> Int64? {
        guard let (ms, offset) = FieldParse.isoDateTime(p), let offset else { return nil }
        return ms - Int64(offset) * 1000
    }
}

/// Remembers how a handful of distinct words parsed, so a column of repeated words (directions, dispositions)
/// costs a byte comparison per row instead of a string parse.
struct WordCache<T> {
    private var keys: [[UInt8]] = []
    private var values: [T?] = []

    @inline(__always)
    mutating func lookup(_ p: UnsafeRawBufferPointer, _ make: (String) -> T?) -> T? {
        for i in 0..<keys.count where keys[i].count == p.count {
            if keys[i].withUnsafeBytes({ k in p.count == 0 || memcmp(k.baseAddress!, p.baseAddress!, p.count) == 0 }) {
                return values[i]
            }
        }
        let v = make(String(decoding: p, as: UTF8.self))
        if keys.count < 64 {
            keys.append(Array(p))
            values.append(v)
        }
        return v
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{FEFF}" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
