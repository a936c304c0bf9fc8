import CDRModel

/// One rejected row: where it was, why, and what it said (cut to a sane length).
public struct RejectRecord: Sendable, Equatable, Codable {
    public let file: String
    public let line: Int
    /// Stable reason code, e.g. `bad_timestamp`.
    public let reason: String
    /// Human-readable detail, naming the column.
    public let detail: String
    /// The row's raw text, at most 500 bytes. Contains data from the CDR: written only to the rejects file.
    public let raw: String
}

/// Collects rejected rows and counts them by reason. Recoverable problems go here; they never throw.
public struct RejectCollector: Sendable {
    public private(set) var records: [RejectRecord] = []
    public private(set) var countsByReason: [String: Int] = [:]
    /// Rows kept in `records` at most; past that they are counted only (the count is always exact).
    public let keepLimit: Int
    public private(set) var dropped = 0

    public init(keepLimit: Int = 5_000_000) { self.keepLimit = keepLimit }

    public var count: Int { countsByReason.values.reduce(0, +) }

    /// Forgets the rejects added after the first `n` (a duplicate file's).
    public mutating func truncate(to n: Int) {
        guard n < records.count else { return }
        for r in records[n...] {
            countsByReason[r.reason]! -= 1
            if countsByReason[r.reason] == 0 { countsByReason[r.reason] = nil }
        }
        records.removeLast(records.count - n)
    }

    public mutating func add(_ r: RejectRecord) {
        countsByReason[r.reason, default: 0] += 1
        if records.count < keepLimit { records.append(r) } else { dropped += 1 }
    }

    /// The rejects as CSV (`file,line,reason,detail,raw`), every field quoted and formula-guarded, so it opens
    /// safely in a spreadsheet.
    public func csv() -> String {
        var out = "file,line,reason,detail,raw\n"
        for r in records {
            out += [r.file, String(r.line), r.reason, r.detail, r.raw].map(Self.quote).joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// Quotes a CSV field and guards it against spreadsheet formula injection (a leading `=`, `+`, `-`, `@`,
    /// tab or CR gets a `'` in front).
    public static func quote(_ s: String) -> String { SpreadsheetCSV.field(s) }
}

/// A row merged into a call read before it (a further leg of the same call), kept for investigations.
public struct LegRecord: Sendable, Equatable {
    public let file: String
    public let line: Int
    /// The index of the call in the run's store.
    public let call: Int
    /// The row's raw text, at most 500 bytes.
    public let raw: String

    /// The legs as CSV with the call each one was merged into (every field quoted and formula-guarded).
    public static func csv(_ legs: [LegRecord], store: ColumnStore) -> String {
        var out = "file,line,call_start_utc,call_caller,call_callee,call_direction,raw\n"
        for l in legs where l.call < store.count {
            let r = store.record(l.call)
            out +=
                [
                    l.file, String(l.line), CivilTime.format(ms: r.startMs, suffix: "Z"), r.caller, r.callee,
                    r.direction.description, l.raw,
                ].map(SpreadsheetCSV.field).joined(separator: ",") + "\n"
        }
        return out
    }
}

/// CSV meant to be opened in a spreadsheet: every field quoted, and text from CDRs guarded against formula
/// injection.
public enum SpreadsheetCSV {
    /// Quotes a CSV field; a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` in front so a spreadsheet shows it as
    /// text instead of evaluating it.
    public static func field(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@\t\r".contains(f) { v = "'" + v }
        return "\"" + v.replacingOccurrencesOfQuote() + "\""
    }
}

extension String {
    func replacingOccurrencesOfQuote() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for c in self {
            if c == "\"" { out += "\"\"" } else { out.append(c) }
        }
        return out
    }
}
