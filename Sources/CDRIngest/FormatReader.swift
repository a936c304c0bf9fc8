import CDRModel

/// Reads one CDR format's records into an ``IngestSession``.
///
/// A reader sees each CSV record once. It either appends a normalized call to the session's store or records a
/// reject with a stable reason; it throws only when the whole file cannot be read as this format (for example a
/// header without the required columns).
public protocol FormatReader {
    /// The format's name as users type it (`canonical`, `asterisk`).
    static var formatName: String { get }
    /// The CSV dialect of the format.
    var csvOptions: CSVOptions { get }
    /// Reads one record. Returns true when a call was kept, false when the row was rejected or was a header.
    mutating func read(_ record: inout CSVRecord, state session: inout IngestState, file: String) throws -> Bool
}

/// Longest call accepted: 24 hours. Longer holding times are almost always clock faults.
let maximumCallMs: Int64 = 86_400_000

/// Reject reason codes shared by the readers (stable: they appear in the rejects file and the summary).
public enum RejectReason {
    public static let malformedCSV = "malformed_csv"
    public static let columnCount = "wrong_column_count"
    public static let badTimestamp = "bad_timestamp"
    public static let missingTimestamp = "missing_timestamp"
    public static let endBeforeStart = "end_before_start"
    public static let negativeDuration = "negative_duration"
    public static let badNumber = "bad_number"
    public static let tooLong = "duration_over_24h"
    public static let unknownDisposition = "unknown_disposition"
    public static let unknownDirection = "unknown_direction"
    public static let answerOutsideCall = "answer_outside_call"
    public static let noTimeZone = "no_time_zone"
    /// The detail of a ``noTimeZone`` reject when the row's site is not known at all.
    static let noSiteDetail = "local time but no site given (use --site with an inventory, or --timezone)"
    public static let tooManyValues = "too_many_distinct_values"
    /// A row that is not a call (CUCM CMR records, BroadWorks intermediate records).
    public static let notACall = "not_a_call_record"
    /// The file's header line again, or the line of column types after it (files joined with `cat`).
    public static let repeatedHeader = "repeated_header"
}

/// A file's header line, to tell it when it comes again further down (files joined with `cat`, each with its own
/// header): the readers ask only for a row that failed anyway, so rows that read cost nothing.
struct HeaderEcho {
    /// The reject detail of a repeated header line.
    static let detail = "the header line again (files joined with cat?): not a call"
    private var fields: [[UInt8]] = []

    init() {}

    init(_ rec: borrowing CSVRecord) {
        fields = (0..<rec.count).map { Array(Self.withoutBOM(rec[$0])) }
    }

    /// Whether `rec` has the header's fields, byte for byte (a byte-order mark before the first ignored: the
    /// joined file's own header keeps its mark).
    func matches(_ rec: borrowing CSVRecord) -> Bool {
        guard !fields.isEmpty, rec.count == fields.count else { return false }
        for i in 0..<rec.count {
            let f = i == 0 ? Self.withoutBOM(rec[i]) : rec[i]
            guard f.count == fields[i].count, fields[i].withUnsafeBytes({ $0.elementsEqual(f) }) else { return false }
        }
        return true
    }

    private static func withoutBOM(_ p: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard p.count >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF else { return p }
        return UnsafeRawBufferPointer(rebasing: p[3...])
    }
}
