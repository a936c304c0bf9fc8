import CDRModel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

extension RejectRecord {
    /// A rejected CSV record: its file, line and raw text.
    init(file: String, record: borrowing CSVRecord, reason: String, detail: String) {
        self.init(file: file, line: record.line, reason: reason, detail: detail, raw: record.rawText())
    }
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

    static let csvHeader = ["file", "line", "reason", "detail", "raw"]

    /// A reject's fields in the order of ``csvHeader``.
    static func csvFields(_ r: RejectRecord) -> [String] { [r.file, String(r.line), r.reason, r.detail, r.raw] }

    /// The rejects as CSV (`file,line,reason,detail,raw`), every field quoted and formula-guarded, so it opens
    /// safely in a spreadsheet.
    public func csv() -> String {
        var out = SpreadsheetCSV.Rows()
        out.row(Self.csvHeader, quoted: false)
        for r in records { out.row(Self.csvFields(r)) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Writes ``csv()`` to `path` a megabyte at a time (a million rejected rows are half a gigabyte of text),
    /// through a temporary file renamed into place when complete.
    public func write(to path: String) throws {
        try SpreadsheetCSV.File.write(path) { file in
            file.rows.row(Self.csvHeader, quoted: false)
            for r in records {
                file.rows.row(Self.csvFields(r))
                try file.flushIfLarge()
            }
        }
    }
}

/// A row merged into a call read before it (a further leg of the same call), kept for investigations.
public struct LegRecord: Sendable, Equatable {
    public let file: String
    public let line: Int
    /// The index of the call in the run's store.
    public let call: Int
    /// The row's raw text, at most 500 bytes.
    public let raw: String

    static let csvHeader = ["file", "line", "call_start_utc", "call_caller", "call_callee", "call_direction", "raw"]

    /// Writes the legs as CSV with the call each one was merged into (every field quoted and formula-guarded) to
    /// `path`, through a temporary file renamed into place when complete.
    public static func write(_ legs: [LegRecord], store: ColumnStore, to path: String) throws {
        try SpreadsheetCSV.File.write(path) { file in
            file.rows.row(csvHeader, quoted: false)
            for l in legs where l.call < store.count {
                let r = store.record(l.call)
                file.rows.row([
                    l.file, String(l.line), CivilTime.format(ms: r.startMs, suffix: "Z"), r.caller, r.callee,
                    r.direction.description, l.raw,
                ])
                try file.flushIfLarge()
            }
        }
    }
}

/// CSV meant to be opened in a spreadsheet: every field quoted, and text from CDRs guarded against formula
/// injection.
public enum SpreadsheetCSV {
    /// Quotes a CSV field; a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` in front so a spreadsheet shows it as
    /// text instead of evaluating it.
    public static func field(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 3)
        append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``field(_:)`` of `s` to `out`, byte by byte (no `Character` decoding: a rejects file of a million
    /// rows took half a minute through `String` appends).
    @inline(__always)
    public static func append(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var first = true
        for b in s.utf8 {
            if first {
                first = false
                // = + - @ tab CR
                if b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D { out.append(0x27) }
            }
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }

    /// CSV rows as bytes.
    public struct Rows {
        public var bytes: [UInt8] = []

        public init() {}

        /// Appends a row: every field quoted and formula-guarded, or (`quoted: false`, for a header of plain
        /// names) written as is.
        public mutating func row(_ fields: [String], quoted: Bool = true) {
            for (i, f) in fields.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                if quoted { SpreadsheetCSV.append(f, to: &bytes) } else { bytes.append(contentsOf: f.utf8) }
            }
            bytes.append(0x0A)
        }
    }

    /// A CSV file written a chunk at a time through an ``AtomicFile``: a run killed while writing leaves the
    /// earlier file as it was.
    public struct File {
        public var rows = Rows()
        let file: AtomicFile

        init(_ file: AtomicFile) { self.file = file }

        /// Writes the rows so far once they pass a megabyte.
        @inline(__always)
        public mutating func flushIfLarge() throws {
            if rows.bytes.count >= 1 << 20 { try flush() }
        }

        mutating func flush() throws {
            try file.write(rows.bytes)
            rows.bytes.removeAll(keepingCapacity: true)
        }

        /// Writes the file at `path` with `body`, then moves it into place; on an error the temporary file is
        /// removed and the earlier file at `path` stays as it was.
        public static func write(_ path: String, _ body: (inout File) throws -> Void) throws {
            try AtomicFile.write(path) { atomic in
                var file = File(atomic)
                try body(&file)
                try file.flush()
            }
        }
    }
}

extension String {
    /// The string with every `"` doubled (byte by byte: UTF-8 is untouched).
    func replacingOccurrencesOfQuote() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 2)
        for b in utf8 {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
