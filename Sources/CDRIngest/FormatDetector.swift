import CDRModel

/// Recognises a CDR format from the first bytes of a file, and says why.
public enum FormatDetector {
    /// The formats cdrscan reads (custom mappings come on top, by their names).
    public static let formats = [
        CanonicalReader.formatName, AsteriskReader.formatName, FreeSWITCHReader.formatName, VendorFormats.cucm.name,
        VendorFormats.broadworks.name, VendorFormats.twilio.name, VendorFormats.genesys.name,
    ]

    /// What each format looks like, for error messages.
    static let expectations = """
        cdrscan reads canonical (a header with start_utc, direction, caller, callee, disposition), asterisk \
        (Master.csv: no header, 16-21 columns, start time in column 10, disposition in column 15), freeswitch \
        (mod_cdr_csv: no header, 13, 15, 18 or 19 quoted fields, or INSERT INTO cdr lines), cucm (a header with \
        cdrRecordType and dateTimeOrigination, then a line of types), broadworks (no header, 24 or more fields, \
        Normal records, Originating/Terminating), twilio (a header with from, to, direction, status, start_time), \
        genesys (a header with conversationId, conversationStart, ani, dnis). Name the format with --format, or \
        describe the file in a mapping (a `mappings:` entry in a pipeline file, or --mapping FILE; see \
        docs/formats.md, "Custom mappings").
        """

    /// The format `--format auto` would choose for the file at `path`, from its first 64 KiB (decompressed when it
    /// is gzip); nil when it cannot be read or recognised. For looking ahead at files not read yet.
    static func detect(path: String, mappings: [MappedFormat]) -> String? {
        guard let (source, _, _) = try? InputOpener.open(path) else { return nil }
        var head = [UInt8](repeating: 0, count: 64 * 1024)
        var fill = 0
        while fill < head.count,
            let n = try? head.withUnsafeMutableBytes({
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[fill...]))
            }),
            n > 0
        {
            fill += n
        }
        return (try? detect(Array(head[..<fill]), file: path, mappings: mappings))?.format
    }

    /// Detects the format of a file from its first bytes (up to 64 KiB).
    /// - Parameter mappings: custom mappings with a header, recognised by their column names.
    /// - Throws: ``IngestError`` `.notCDR` for binary data, `.unknownFormat` when no format fits.
    public static func detect(
        _ head: [UInt8],
        file: String,
        mappings: [MappedFormat] = []
    ) throws
        -> (format: String, reason: String)
    {
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
        let records = firstRecords(head, CSVOptions(lenient: true))
        let fields = records.first ?? []
        if CanonicalReader.looksLikeHeader(fields) {
            return (CanonicalReader.formatName, "the header names start_utc and the caller/callee columns")
        }
        for m in mappings {
            var options = m.csv
            options.lenient = true
            let own = firstRecords(head, options)
            if own.count > m.skipLinesBefore, m.matches(header: own[m.skipLinesBefore]) {
                return (m.name, "the header has the columns of the mapping '\(m.name)'")
            }
        }
        for f in VendorFormats.headed where f.matches(header: fields) {
            let named = f.required.compactMap { f.columns[$0]?.first?.description }.prefix(4)
            return (f.name, "the header names \(named.joined(separator: ", "))")
        }
        if (16...21).contains(fields.count), isTime(fields[9]), Disposition(word: fields[14]) != nil {
            return (
                AsteriskReader.formatName,
                "no header, \(fields.count) columns, a start time in column 10 and a disposition in column 15"
            )
        }
        if let first = fields.first, first.hasPrefix("INSERT INTO") {
            return (FreeSWITCHReader.formatName, "INSERT INTO lines of the mod_cdr_csv sql template")
        }
        if VendorFormats.freeswitch(fields: fields.count) != nil {
            let (time, cause) = fields.count == 18 ? (9, 14) : (4, 9)
            if isTime(fields[time]), isCauseName(fields[cause]) {
                return (
                    FreeSWITCHReader.formatName,
                    "no header, \(fields.count) fields (a mod_cdr_csv template), a start stamp in field \(time + 1) and a hangup cause in field \(cause + 1)"
                )
            }
        }
        for r in records.prefix(3) where r.count >= 24 {
            let direction = r[5].lowercased()
            if r[2].lowercased() == "normal" && (direction == "originating" || direction == "terminating") {
                return (
                    VendorFormats.broadworks.name,
                    "no header, \(r.count) fields, Normal records with an Originating/Terminating direction"
                )
            }
        }
        throw IngestError(
            .unknownFormat,
            file: file,
            "is not a CDR format cdrscan recognises: \(hint(fields, mappings)); \(expectations)"
        )
    }

    /// The first few records of the head, as text.
    static func firstRecords(_ head: [UInt8], _ options: CSVOptions) -> [[String]] {
        var records: [[String]] = []
        var scanner = CSVScanner(options: options)
        var bytes = head
        bytes.withUnsafeMutableBytes { p in
            _ = scanner.scan(p.baseAddress!, count: p.count, isFinal: true) { rec in
                if records.count < 4 { records.append((0..<rec.count).map { rec.string($0) }) }
            }
        }
        return records
    }

    /// Why a first line fits no format, naming the nearest headed formats.
    static func hint(_ fields: [String], _ mappings: [MappedFormat]) -> String {
        var hint = "its first line has \(fields.count) column(s)"
        let names = Set(fields.map(MappedFormat.key))
        var nearest: [(String, Int, [String])] = []
        for f in mappings + VendorFormats.headed where f.hasHeader {
            var have = 0
            var lack: [String] = []
            for role in f.required {
                let cands = f.columns[role, default: []]
                if cands.contains(where: {
                    if case .name(let n) = $0 { return names.contains(MappedFormat.key(n)) } else { return false }
                }) {
                    have += 1
                } else {
                    lack.append(cands.first?.description ?? role.rawValue)
                }
            }
            if have > 0 { nearest.append((f.name, have, lack)) }
        }
        nearest.sort { $0.1 > $1.1 }
        if !nearest.isEmpty {
            hint +=
                "; nearest: "
                + nearest.prefix(3).map { "\($0.0) (lacks \($0.2.joined(separator: ", ")))" }
                .joined(separator: ", ")
        }
        return hint
    }

    static func isTime(_ s: String) -> Bool {
        var b = Array(s.utf8)
        return b.withUnsafeMutableBytes { FieldParse.isoDateTime(UnsafeRawBufferPointer($0)) != nil }
    }

    /// A FreeSWITCH hangup cause name: upper-case words joined by `_` (`NORMAL_CLEARING`).
    static func isCauseName(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { ($0.isUppercase && $0.isASCII) || $0 == "_" || $0.isNumber }
            && s.first!.isLetter
    }
}
