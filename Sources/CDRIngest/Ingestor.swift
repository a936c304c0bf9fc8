import CDRModel
import Foundation

/// What happened to one input file.
public struct FileReport: Sendable, Codable, Equatable {
    public var path: String
    public var format: String = ""
    /// Why the format was chosen (detection) or `given with --format`.
    public var formatReason: String = ""
    public var gzip = false
    /// Bytes of CSV read (after decompression).
    public var bytes: Int64 = 0
    /// Bytes read from the file itself.
    public var fileBytes: Int64 = 0
    /// Data rows read (header and blank lines excluded); always `calls + rejected + mergedLegs`.
    public var rows = 0
    public var calls = 0
    public var rejected = 0
    /// Rows that were further legs of a call already read (merged into it, not counted again).
    public var mergedLegs = 0
    /// The fatal error that stopped this file, if any (rows before it are kept).
    public var error: String?
    public var errorKind: String?
    /// Content fingerprint of the file (`v2-size-hash`), the same for the same bytes under any name.
    public var fingerprint: String = ""
    /// Set when the file has the same content as an earlier file of the run; its rows were not kept again.
    public var duplicateOf: String?
    /// Physical lines read.
    public var lines = 0
}

/// Reads input files into an ``IngestSession``: byte source → CSV scanner → format reader → store.
///
/// One file's failure (missing, binary, truncated gzip) is recorded in its ``FileReport`` and never stops the
/// other files. Memory is bounded by the chunk size plus the longest record, whatever the file size.
public struct Ingestor {
    public let session: IngestSession
    /// `auto`, `canonical` or `asterisk`.
    public var format: String
    /// Bytes read at a time. 128 KiB: a chunk is hashed, then split and parsed while it is still in the core's
    /// second-level cache (with 1 MiB chunks a one-thread ingest waited on the bytes coming back from memory:
    /// 5–10 % of its time, canonical and FreeSWITCH alike).
    public var chunkSize: Int
    /// Bytes of CSV expected, for reserving the columns once (default: the file's size).
    public var expectedBytes: Int64? = nil

    /// The files read after this one in its group: with this file's size, the later ones of its format are what
    /// the leg index is reserved for.
    public var laterPaths: ArraySlice<String> = []

    /// The files read after this one in its group that the columns are reserved for too (the group's first file
    /// gets them): one reservation for a month of daily files instead of growing half again file after file,
    /// copying the columns into fresh pages each time (5–7 % of reading 30 daily files, canonical and FreeSWITCH).
    public var columnsLaterPaths: ArraySlice<String> = []

    /// Read canonical files on two threads in a pipeline (``PipelinedIngest``).
    public var pipelined = false
    /// Called after every chunk with the bytes read from the file so far and the calls in the store.
    public var onChunk: ((Int64, Int) -> Void)? = nil

    public init(session: IngestSession, format: String = "auto", chunkSize: Int = 1 << 17) {
        self.session = session
        self.format = format
        self.chunkSize = chunkSize
    }

    /// Reads one file (`-` is standard input). Never throws: errors are in the report.
    public func ingest(path: String) -> FileReport {
        var report = FileReport(path: path)
        do {
            let (source, raw, gzip) = try InputOpener.open(path)
            report.gzip = gzip
            try run(source: source, raw: raw, name: path, report: &report)
        } catch let e as IngestError {
            report.error = e.description
            report.errorKind = e.kind.rawValue
        } catch {
            report.error = "\(path): \(error)"
            report.errorKind = IngestError.Kind.unreadable.rawValue
        }
        return report
    }

    /// Reads from any byte source (tests, generated data).
    public func ingest(source: ByteSource, name: String) -> FileReport {
        var report = FileReport(path: name)
        do {
            try run(source: source, raw: source, name: name, report: &report)
        } catch let e as IngestError {
            report.error = e.description
            report.errorKind = e.kind.rawValue
        } catch {
            report.error = "\(name): \(error)"
        }
        return report
    }

    private func run(source: ByteSource, raw: ByteSource, name: String, report: inout FileReport) throws {
        var capacity = chunkSize * 2 + 128 * 1024
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var fill = 0
        var eof = false
        let inflating = source is GzipSource
        // Read enough to recognise the format. A fault on the way (a gzip file cut short) is kept for the reading
        // loop to meet at its first read, so that the rows before it are read, as for a fault later in the file.
        var fault: Error?
        while fill < 64 * 1024 && !eof {
            let n: Int
            do {
                n = try source.read(
                    into: UnsafeMutableRawBufferPointer(start: buffer + fill, count: min(64 * 1024, capacity - fill))
                )
            } catch {
                fault = error
                break
            }
            if n == 0 { eof = true }
            fill += n
        }
        if let fault, fill == 0 { throw fault }
        let source: ByteSource = fault.map { FailedSource($0, consumedBytes: raw.consumedBytes) } ?? source
        let chosen: String
        if format == "auto" {
            let head = Array(UnsafeRawBufferPointer(start: buffer, count: fill))
            let detected: (String, String)
            do {
                detected = try FormatDetector.detect(head, file: name, mappings: session.mappings)
            } catch {
                // Too little came before the fault to tell the format: the fault is the news.
                throw fault ?? error
            }
            let (f, why) = detected
            chosen = f
            report.formatReason = why
        } else {
            chosen = format
            report.formatReason = "given with --format"
        }
        report.format = chosen
        // Reserve the columns once from the file size and the first rows' length, so they do not double.
        if let size = expectedBytes ?? (raw as? FileSource)?.size, fill > 0 {
            let head = UnsafeRawBufferPointer(start: buffer, count: fill)
            let lines = max(1, head.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
            let bytesPerRow = Double(fill) / Double(lines)
            func rowsIn(_ bytes: Double) -> Double { bytes / bytesPerRow * 1.02 }
            let own = rowsIn(Double(size) * (inflating ? 5.5 : 1)) + 16
            var total = own
            if expectedBytes == nil {
                // A gzip file's CSV estimated at 5.5 times its size, as for this one. At most address space for the
                // calls that half the machine's memory holds (about 80 bytes a call with its numbers): a year of
                // files grows the columns past that as before, instead of asking for more than the system maps.
                let later = laterFiles(columnsLaterPaths, format: chosen).reduce(0) {
                    $0 + Double($1.bytes) * ($1.path.hasSuffix(".gz") ? 5.5 : 1)
                }
                let most = Double(ProcessInfo.processInfo.physicalMemory) / 160
                total = max(own, min(own + rowsIn(later), most))
            }
            let rows = Int(total)
            session.withState {
                $0.store.reserve(rows)
                // Distinct numbers (raw and normalized, 12-byte header each) rarely take 28 bytes a row: address
                // space for that much, so the arena is not copied while it fills (unused pages cost nothing).
                $0.store.numbers.reserve(bytes: rows * 28)
            }
        }
        let rejectsBefore = session.rejects.count
        let callsBefore = session.store.count
        let legsBefore = session.state.mergedLegs
        defer {
            report.calls = session.store.count - callsBefore
            report.rejected = session.rejects.count - rejectsBefore
            report.mergedLegs = session.state.mergedLegs - legsBefore
            report.rows = report.calls + report.rejected + report.mergedLegs
            report.fileBytes = raw.consumedBytes
            if let f = raw as? FileSource { report.fingerprint = f.fingerprint }
        }
        switch chosen {
        case CanonicalReader.formatName where pipelined:
            let producer = PipelinedIngest.CanonicalProducer()
            try twoThreads(producer, source, raw, name, buffer, fill, eof, &report) { batch, state in
                PipelinedIngest.consume(batch, &state, name)
            }
        case CanonicalReader.formatName:
            var reader = CanonicalReader()
            try loop(&reader, source, raw, name, &buffer, &capacity, &fill, eof, &report)
        case AsteriskReader.formatName:
            var reader = AsteriskReader(siteName: session.defaultSiteName)
            try read(&reader, oneSite: true, source, raw, name, &buffer, &capacity, &fill, eof, &report)
        case FreeSWITCHReader.formatName:
            let head = UnsafeRawBufferPointer(start: buffer, count: min(fill, 64))
            let insert = String(decoding: head, as: UTF8.self).trimmingCharacters().hasPrefix("INSERT INTO")
            var reader = FreeSWITCHReader(siteName: session.defaultSiteName, insertLines: insert)
            try read(&reader, oneSite: true, source, raw, name, &buffer, &capacity, &fill, eof, &report)
        default:
            guard let mapping = (session.mappings + VendorFormats.all).first(where: { $0.name == chosen }) else {
                let known = ["auto"] + FormatDetector.formats + session.mappings.map(\.name)
                throw IngestError(
                    .configuration,
                    file: name,
                    "unknown format '\(chosen)'; known: \(known.joined(separator: ", "))"
                )
            }
            var reader = MappedReader(format: mapping, siteName: session.defaultSiteName)
            let oneSite = mapping.columns[.site] == nil
            try read(&reader, oneSite: oneSite, source, raw, name, &buffer, &capacity, &fill, eof, &report)
        }
    }

    /// Reads an Asterisk or mapped-format file on two threads when it can (``pipeline(_:_:_:_:_:_:_:_:)``),
    /// else on this one: in a pipeline every row is of the declared site, so a format with a site column
    /// (`oneSite` false) reads on one thread, as does a run that keeps the merged legs' text (`--legs`).
    private func read<R: FormatReader & MappedRecordReader>(
        _ reader: inout R,
        oneSite: Bool,
        _ source: ByteSource,
        _ raw: ByteSource,
        _ name: String,
        _ buffer: inout UnsafeMutableRawPointer,
        _ capacity: inout Int,
        _ fill: inout Int,
        _ eof: Bool,
        _ report: inout FileReport
    ) throws {
        if pipelined && oneSite && session.state.keepLegs == 0 {
            try pipeline(reader, source, raw, name, buffer, fill, eof, &report)
        } else {
            try loop(&reader, source, raw, name, &buffer, &capacity, &fill, eof, &report)
        }
    }

    /// ``PipelinedIngest/run(_:source:raw:name:head:eof:chunkSize:session:onChunk:report:consume:)`` for the rest
    /// of a file whose first `fill` bytes are in `buffer`.
    private func twoThreads<P: PipelinedIngest.Producer>(
        _ producer: P,
        _ source: ByteSource,
        _ raw: ByteSource,
        _ name: String,
        _ buffer: UnsafeMutableRawPointer,
        _ fill: Int,
        _ eof: Bool,
        _ report: inout FileReport,
        consume: (PipelinedIngest.Batch<P.Row>, inout IngestState) -> Void
    ) throws {
        try PipelinedIngest.run(
            producer,
            source: source,
            raw: raw,
            name: name,
            head: UnsafeRawBufferPointer(start: buffer, count: fill),
            eof: eof,
            chunkSize: chunkSize,
            session: session,
            onChunk: onChunk,
            report: &report,
            consume: consume
        )
    }

    /// Reads an Asterisk or mapped-format file on two threads (``PipelinedIngest``): the reader's checks on one,
    /// interning and the legs of one call on this one, every row of the declared site.
    private func pipeline<R: MappedRecordReader>(
        _ reader: R,
        _ source: ByteSource,
        _ raw: ByteSource,
        _ name: String,
        _ buffer: UnsafeMutableRawPointer,
        _ fill: Int,
        _ eof: Bool,
        _ report: inout FileReport
    ) throws {
        let siteName = session.defaultSiteName
        let settings = session.state.siteSettings(siteName)
        let sink = PipelineRowSink(zone: settings.zone, trunks: settings.trunks, timesAreUTC: session.declaration.utc)
        // The site is interned with the file's first row, as on one thread (a file without rows adds no site).
        var site: (id: UInt16, ctx: Int)?
        let keysAtStart = session.state.legKeys
        var legsReserved = false
        let format = report.format
        let producer = PipelinedIngest.MappedProducer(reader: reader, sink: sink)
        try twoThreads(producer, source, raw, name, buffer, fill, eof, &report) { batch, state in
            if site == nil, !batch.rows.isEmpty {
                let id = state.internSite(siteName)
                site = (id, state.context(siteId: id))
            }
            PipelinedIngest.consumeMapped(batch, &state, name, site: site?.id ?? 0, ctx: site?.ctx ?? 0)
            // As on one thread: the leg index reserved from the keys the first megabyte or more added.
            if !legsReserved && batch.consumed >= 1 << 20 {
                legsReserved = true
                reserveLegs(&state, keys: state.legKeys - keysAtStart, read: batch.consumed, of: raw, format: format)
            }
        }
        if !legsReserved {
            session.withState {
                reserveLegs(&$0, keys: $0.legKeys - keysAtStart, read: raw.consumedBytes, of: raw, format: format)
            }
        }
    }

    private func loop<R: FormatReader>(
        _ reader: inout R,
        _ source: ByteSource,
        _ raw: ByteSource,
        _ name: String,
        _ buffer: inout UnsafeMutableRawPointer,
        _ capacity: inout Int,
        _ fill: inout Int,
        _ eofAtStart: Bool,
        _ report: inout FileReport
    ) throws {
        try session.withState { state in
            try loop(&reader, &state, source, raw, name, &buffer, &capacity, &fill, eofAtStart, &report)
        }
    }

    private func loop<R: FormatReader>(
        _ reader: inout R,
        _ state: inout IngestState,
        _ source: ByteSource,
        _ raw: ByteSource,
        _ name: String,
        _ buffer: inout UnsafeMutableRawPointer,
        _ capacity: inout Int,
        _ fill: inout Int,
        _ eofAtStart: Bool,
        _ report: inout FileReport
    ) throws {
        var scanner = CSVScanner(options: reader.csvOptions)
        var eof = eofAtStart
        var total = Int64(fill)
        // However the file ends (read to its end, a fault reading it, rows all rejected alike, a header its format
        // cannot read), its report has the bytes read until then, as on two threads.
        defer { report.bytes = total }
        let hopeless = HopelessFile(state)
        let keysAtStart = state.legKeys
        var legsReserved = false
        while true {
            let consumed = try scanner.scan(buffer, count: fill, isFinal: eof) { rec in
                _ = try reader.read(&rec, state: &state, file: name)
            }
            compact(buffer, fill: &fill, consumed: consumed)
            if !legsReserved, raw.consumedBytes >= 1 << 20 || eof {
                legsReserved = true
                reserveLegs(
                    &state,
                    keys: state.legKeys - keysAtStart,
                    read: raw.consumedBytes,
                    of: raw,
                    format: report.format
                )
            }
            if eof { break }
            ensureRoom(&buffer, &capacity, fill: fill, chunkSize: chunkSize)
            let n: Int
            do {
                n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + fill, count: capacity - fill))
            } catch {
                // Keep every complete record decoded before the fault; the cut-off tail is a reject.
                let done = try scanner.scan(buffer, count: fill, isFinal: false) { rec in
                    _ = try reader.read(&rec, state: &state, file: name)
                }
                let tail = UnsafeRawBufferPointer(start: buffer + done, count: fill - done)
                if let r = truncatedRecord(tail, file: name, line: scanner.linesConsumed + 1) { state.rejects.add(r) }
                throw error
            }
            if n == 0 {
                eof = true
            } else if let error = hopeless.check(state, file: name, format: report.format) {
                // More rows follow, and all would be rejected alike.
                report.lines = scanner.linesConsumed
                throw error
            }
            fill += n
            total += Int64(n)
            if let onChunk { onChunk(raw.consumedBytes, state.store.count) }
        }
        report.lines = scanner.linesConsumed
    }
}

extension Ingestor {
    /// Reserves the leg index for the keys this file and the group's later files of its format will add, at the
    /// rate the file's first chunks (a megabyte or more) added them (`keys` in `raw.consumedBytes`: compressed
    /// bytes for gzip, as the sizes are). Keys of one call's legs are new with every call, so they grow with the
    /// bytes: one table of the final size instead of doubling up to it (at 10 M FreeSWITCH calls a 384 MB table,
    /// where doubling also zeroed and filled 384 MB of smaller ones and held 192 MB and 384 MB at once). No
    /// margin: the table's size is a power of two, and a tenth to spare pushed Twilio's 10 M calls over one
    /// (601 MB → 798 MB); an estimate a little short doubles once at the end, as every table did before. Formats
    /// without legs add no keys and reserve nothing. With `--format auto` the later files' formats are recognised
    /// from their first lines (once each), so a file of another format (canonical files after a FreeSWITCH one)
    /// does not count.
    func reserveLegs(_ state: inout IngestState, keys: Int, read: Int64, of raw: ByteSource, format chosen: String) {
        guard keys > 0, read > 0, let size = (raw as? FileSource)?.size else { return }
        let rest = max(0, size - read) + laterFiles(laterPaths, format: chosen).reduce(0) { $0 + $1.bytes }
        let more = Double(keys) * Double(rest) / Double(read)
        guard more.isFinite, more < Double(Int32.max) else { return }
        state.reserveLegs(state.legKeys + Int(more))
    }

    /// The regular files among `paths` of the format `chosen` (with `--format auto` recognised from their first
    /// lines, once each), with their sizes.
    func laterFiles(_ paths: ArraySlice<String>, format chosen: String) -> [(path: String, bytes: Int64)] {
        paths.compactMap { path in
            guard let bytes = regularFileSize(path) else { return nil }
            if format == "auto" && session.recognisedFormat(of: path) != chosen { return nil }
            return (path, bytes)
        }
    }
}

/// A file whose first ``HopelessFile/limit`` rows or more were all rejected for one reason, with no call kept: a
/// setting is wrong for the whole file (Asterisk's local times with no time zone for the site, a file of records
/// that are not calls, the wrong `--format`), so every further row would be rejected the same way. Reading it on would
/// put millions of identical rows into the rejects file, so it stops with a file error that names the reason and
/// how many rows were read; the rows read are counted (kept + rejected), other files go on.
struct HopelessFile {
    static let limit = 1000
    let rejects: Int
    let kept: Int
    let reasons: [String: Int]

    init(_ state: IngestState) {
        rejects = state.rejects.count
        kept = state.store.count + state.mergedLegs
        reasons = state.rejects.countsByReason
    }

    /// Rows read since this check began: calls kept, legs merged and rows rejected.
    func rowsSince(_ state: IngestState) -> Int {
        state.store.count + state.mergedLegs - kept + state.rejects.count - rejects
    }

    /// The error to stop the file with, checked after each chunk (nil: read on).
    func check(_ state: IngestState, file: String, format: String) -> IngestError? {
        let rejected = state.rejects.count - rejects
        guard rejected >= Self.limit, state.store.count + state.mergedLegs == kept else { return nil }
        let grown = state.rejects.countsByReason.filter { $0.value > reasons[$0.key, default: 0] }
        guard grown.count == 1, let reason = grown.first?.key else { return nil }
        let detail = state.rejects.records.last { $0.file == file && $0.reason == reason }?.detail ?? reason
        let hint: String
        switch reason {
        case RejectReason.noTimeZone:
            hint = "\(format) times are local: give the site (--site with an inventory) or --timezone"
        case RejectReason.notACall: hint = "it holds no call records, only other record types; leave it out"
        default: hint = "is it \(format)? check --format, the mapping or the site's settings"
        }
        return IngestError(
            .notCDR,
            file: file,
            "stopped reading: the first \(rejected) rows were all rejected as \(reason) (\(detail)) and none was "
                + "kept, so something is wrong for the whole file: \(hint); those rows are in the rejects file"
        )
    }
}

/// Moves the bytes not yet consumed to the front of the buffer.
@inline(__always)
func compact(_ buffer: UnsafeMutableRawPointer, fill: inout Int, consumed: Int) {
    if consumed > 0 && consumed < fill { buffer.copyMemory(from: buffer + consumed, byteCount: fill - consumed) }
    fill -= consumed
}

/// Doubles the buffer when less than a chunk is free (a record longer than a chunk).
@inline(__always)
func ensureRoom(_ buffer: inout UnsafeMutableRawPointer, _ capacity: inout Int, fill: Int, chunkSize: Int) {
    guard capacity - fill < chunkSize else { return }
    let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
    bigger.copyMemory(from: buffer, byteCount: fill)
    buffer.deallocate()
    buffer = bigger
    capacity *= 2
}

/// The reject for the cut-off last record of a file that ended early (a truncated gzip), if there is one.
func truncatedRecord(_ tail: UnsafeRawBufferPointer, file: String, line: Int) -> RejectRecord? {
    guard !FieldParse.isBlank(tail) && !tail.allSatisfy({ $0 == 0x0A || $0 == 0x0D }) else { return nil }
    return RejectRecord(
        file: file,
        line: line,
        reason: "truncated_record",
        detail: "the file ends inside this record",
        raw: String(decoding: tail.prefix(500), as: UTF8.self)
    )
}

/// The rest of a stream whose read failed while its head was read to recognise the format: every read throws that
/// error.
final class FailedSource: ByteSource {
    let error: Error
    let consumedBytes: Int64

    init(_ error: Error, consumedBytes: Int64) {
        self.error = error
        self.consumedBytes = consumedBytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { throw error }
}
