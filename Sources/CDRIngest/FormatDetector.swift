import CDRModel

/// Recognises a CDR format from the first bytes of a file, and says why.
public enum FormatDetector {
    /// The formats cdrscan reads.
    public static let formats = [CanonicalReader.formatName, AsteriskReader.formatName]

    /// What each format looks like, for error messages.
    static let expectations = """
        expected one of: canonical (a header line with start_utc, direction, caller, callee, disposition, …), \
        asterisk (Master.csv: no header, 16-21 columns, start time in column 10, disposition in column 15). \
        Name the format with --format, or convert the file to the canonical format (docs/formats.md).
        """

    /// Detects the format of a file from its first bytes (up to 64 KiB).
    /// - Throws: ``IngestError`` `.notCDR` for binary data, `.unknownFormat` when no format fits.
    public static func detect(_ head: [UInt8], file: String) throws -> (format: String, reason: String) {
        let sample = head.prefix(4096)
        if sample.isEmpty { return (CanonicalReader.formatName, "empty file") }
        var control = 0
        for b in sample {
            if b == 0 {
                throw IngestError(
                    .notCDR,
                    file: file,
                    "contains binary data (NUL bytes), not CSV CDRs; \(expectations)"
                )
            }
            if b < 0x09 || (b > 0x0D && b < 0x20) { control += 1 }
        }
        if control * 20 > sample.count {
            throw IngestError(.notCDR, file: file, "looks like binary data, not CSV CDRs; \(expectations)")
        }
        // First non-blank record.
        var fields: [String] = []
        var scanner = CSVScanner(options: CSVOptions(lenient: true))
        var bytes = Array(head)
        bytes.withUnsafeMutableBytes { p in
            _ = scanner.scan(p.baseAddress!, count: p.count, isFinal: true) { rec in
                if fields.isEmpty { fields = (0..<rec.count).map { rec.string($0) } }
            }
        }
        if CanonicalReader.looksLikeHeader(fields) {
            return (CanonicalReader.formatName, "the header names start_utc and the caller/callee columns")
        }
        if (16...21).contains(fields.count) {
            var f9 = Array(fields[9].utf8)
            let isTime = f9.withUnsafeMutableBytes { FieldParse.isoDateTime(UnsafeRawBufferPointer($0)) != nil }
            if isTime && Disposition(word: fields[14]) != nil {
                return (
                    AsteriskReader.formatName,
                    "no header, \(fields.count) columns, a start time in column 10 and a disposition in column 15"
                )
            }
        }
        var hint = "its first line has \(fields.count) column(s)"
        let lower = Set(fields.map { $0.lowercased() })
        if lower.contains("start") || lower.contains("caller") || lower.contains("from") {
            hint += " and a header, but not the canonical column names (start_utc, caller, callee, …)"
        }
        throw IngestError(
            .unknownFormat,
            file: file,
            "is not a CDR format cdrscan recognises: \(hint); \(expectations)"
        )
    }
}
