/// A fatal problem with one input file (unreadable, corrupt, or not CDRs).
///
/// Bad *rows* are never errors: they go to the ``RejectCollector``. An `IngestError` stops one file; other files
/// of the run still go through. Its description names the file and what was expected, and never contains
/// phone numbers from the data.
public struct IngestError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Stable kinds, usable in scripts and tests.
    public enum Kind: String, Sendable {
        case notFound = "not_found"
        case unreadable
        case truncatedGzip = "truncated_gzip"
        case corruptGzip = "corrupt_gzip"
        case notCDR = "not_cdr"
        case unknownFormat = "unknown_format"
        case missingColumns = "missing_columns"
        case configuration
    }

    public let kind: Kind
    /// The file's path, or `-` for standard input.
    public let file: String
    /// Byte offset in the *compressed* file for gzip faults, else in the file, when known.
    public let offset: Int64?
    public let message: String

    public init(_ kind: Kind, file: String, offset: Int64? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.offset = offset
        self.message = message
    }

    public var description: String {
        var s = "\(file): \(message)"
        if let offset { s += " (at compressed byte \(offset))" }
        return s
    }
}
