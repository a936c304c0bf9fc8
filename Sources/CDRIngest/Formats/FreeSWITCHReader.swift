import CDRModel

/// Reads FreeSWITCH `mod_cdr_csv` files: picks the template from the first row's number of fields
/// (``VendorFormats/freeswitch(fields:)``) and reads the `sql` template's `INSERT INTO cdr VALUES (…);` lines as
/// their values. Fields are read leniently: FreeSWITCH does not escape quotes inside values, and its built-in
/// template puts a space before the last quote.
public struct FreeSWITCHReader: FormatReader, MappedRecordReader {
    public static let formatName = "freeswitch"
    public var csvOptions = CSVOptions(lenient: true)
    let siteName: String
    /// The template's reader, once the first row has told which template it is (`fieldCount` > 0); until then a
    /// placeholder. A plain stored property, so that reading a row mutates it in place: through an optional every
    /// row copied the whole reader, and in a class every row paid the runtime's exclusive-access check.
    private var reader: MappedReader
    private static let insertPrefix = Array("INSERT INTO".utf8)
    private var fieldCount = 0

    /// - Parameter insertLines: the file holds the `sql` template's `INSERT INTO` lines: each line is one record.
    public init(siteName: String, insertLines: Bool = false) {
        self.siteName = siteName
        reader = MappedReader(format: MappedFormat(name: "freeswitch"), siteName: siteName)
        if insertLines { csvOptions = CSVOptions(lenient: true, quoting: false) }
    }

    public mutating func read(_ rec: inout CSVRecord, state s: inout IngestState, file: String) throws -> Bool {
        try read(&rec, sink: &s, file: file)
    }

    mutating func read<S: MappedRowSink>(_ rec: inout CSVRecord, sink s: inout S, file: String) throws -> Bool {
        if rec.count > 0, rec[0].first == UInt8(ascii: "I"), rec[0].starts(with: Self.insertPrefix) {
            return try readInsert(&rec, &s, file)
        }
        return try readFields(&rec, &s, file)
    }

    private mutating func readFields<S: MappedRowSink>(
        _ rec: inout CSVRecord,
        _ s: inout S,
        _ file: String
    ) throws -> Bool {
        if fieldCount == 0 {
            guard let f = VendorFormats.freeswitch(fields: rec.count) else {
                s.reject(
                    file,
                    rec,
                    RejectReason.columnCount,
                    "FreeSWITCH templates have 13 (default, sql), 15 (example), 18 (asterisk) or 19 (cdrscan) fields, found \(rec.count)"
                )
                return false
            }
            reader = MappedReader(format: f, siteName: siteName)
            fieldCount = rec.count
        }
        guard rec.count == fieldCount else {
            s.reject(
                file,
                rec,
                RejectReason.columnCount,
                "expected \(fieldCount) fields like the file's first row, found \(rec.count)"
            )
            return false
        }
        return try reader.read(&rec, sink: &s, file: file)
    }

    /// `INSERT INTO cdr VALUES ("a","b",…, "x");` read as the CSV between the parentheses.
    private mutating func readInsert<S: MappedRowSink>(
        _ rec: inout CSVRecord,
        _ s: inout S,
        _ file: String
    ) throws -> Bool {
        let text = Array(rec.rawText(limit: 64 * 1024).utf8)
        guard let open = text.firstIndex(of: UInt8(ascii: "(")), let close = text.lastIndex(of: UInt8(ascii: ")")),
            open < close
        else {
            s.reject(file, rec, RejectReason.malformedCSV, "an INSERT line without (values)")
            return false
        }
        var values = Array(text[(open + 1)..<close]) + [0x0A]
        var scanner = CSVScanner(options: CSVOptions(lenient: true))
        var kept = false
        let line = rec.line
        try values.withUnsafeMutableBytes { p in
            _ = try scanner.scan(p.baseAddress!, count: p.count, isFinal: true) { fields in
                fields.line = line
                kept = try readFields(&fields, &s, file)
            }
        }
        return kept
    }
}
