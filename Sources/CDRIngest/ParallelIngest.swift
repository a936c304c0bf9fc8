import CDRModel
import Foundation

/// Reads one large plain file in two parts on two threads, then merges the parts in file order.
///
/// Used for regular, uncompressed files of at least `minimumBytes` in a format whose records can be read
/// independently and one row is one call (canonical). The file is cut at the first newline after its middle; if the
/// first part holds an odd number of quote characters or a malformed row (its last record may have run into the cut
/// inside a quoted field), the file is read sequentially instead. Results are identical to a sequential read: calls in file order, rejects with their physical lines,
/// the same counts. Memory: the second part's store exists until it is merged.
public enum ParallelIngest {
    /// Files smaller than this are read sequentially.
    public static let minimumBytes: Int64 = 64 << 20

    struct Part: Sendable {
        var store: ColumnStore
        var rejects: RejectCollector
        var report: FileReport
        var quotes: Int
        var hash: String
        var ambiguous: Int
        var nonexistent: Int
        var secondOccurrences: Int
        var warnings: [String]
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var parts: [Part?] = [nil, nil]
        func set(_ i: Int, _ p: Part) {
            lock.lock()
            parts[i] = p
            lock.unlock()
        }
        var all: [Part?] {
            lock.lock()
            defer { lock.unlock() }
            return parts
        }
    }

    /// Reads `path` into `session` in two parallel parts; returns nil when the file must be read sequentially.
    static func ingest(path: String, format: String, session: IngestSession, size: Int64) throws -> FileReport? {
        // Find the format, the header and the cut.
        let head = try FileRangeSource(path: path, range: 0..<min(size, 65_536))
        var headBytes = [UInt8](repeating: 0, count: Int(min(size, 65_536)))
        let n = try headBytes.withUnsafeMutableBytes { try head.read(into: $0) }
        headBytes.removeLast(headBytes.count - n)
        if headBytes.starts(with: [0x1F, 0x8B]) { return nil }
        let chosen = format == "auto" ? try FormatDetector.detect(headBytes, file: path).format : format
        // Only formats with one row per call: legs of one call must not be split between the parts.
        guard chosen == CanonicalReader.formatName else { return nil }
        var header: [UInt8] = []
        if chosen == CanonicalReader.formatName {
            guard let nl = headBytes.firstIndex(of: 0x0A) else { return nil }
            header = Array(headBytes[...nl])
        }
        let headerLine = header
        let cut = try findCut(path: path, size: size)
        guard cut > Int64(header.count) && cut < size else { return nil }
        let inventory = session.inventory
        let declaration = session.declaration
        let results = Results()
        let failure = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            do {
                let part = try FileRangeSource(
                    path: path,
                    range: i == 0 ? 0..<cut : cut..<size,
                    prefix: i == 0 ? [] : headerLine
                )
                let s = try IngestSession(inventory: inventory, declaration: declaration)
                var ingestor = Ingestor(session: s, format: chosen)
                // The first part's store becomes the result: reserve it for the whole file, so that appending the
                // second part copies nothing but the second part.
                ingestor.expectedBytes = i == 0 ? size : size - cut
                var report = ingestor.ingest(source: part, name: path)
                report.fileBytes = part.consumedBytes
                results.set(
                    i,
                    Part(
                        store: s.takeStore(),
                        rejects: s.rejects,
                        report: report,
                        quotes: part.quotes,
                        hash: part.rangeHash,
                        ambiguous: s.ambiguousLocalTimes,
                        nonexistent: s.nonexistentLocalTimes,
                        secondOccurrences: s.secondOccurrences,
                        warnings: s.warnings
                    )
                )
            } catch {
                failure.set(
                    i,
                    Part(
                        store: ColumnStore(),
                        rejects: RejectCollector(),
                        report: FileReport(path: "\(error)"),
                        quotes: 0,
                        hash: "",
                        ambiguous: 0,
                        nonexistent: 0,
                        secondOccurrences: 0,
                        warnings: []
                    )
                )
            }
        }
        let parts = results.all
        // The second part was read from a record's start only if the first part's last record ended at the cut: a
        // cut inside a quoted field leaves that record unterminated (a malformed row). Quotes are no sure sign: a
        // quote inside an unquoted field, or after a closing one, is a literal to the scanner. So any malformed row
        // in the first part, or an odd number of quotes, and the file is read sequentially.
        guard let a = parts[0], let b = parts[1], failure.all.allSatisfy({ $0 == nil }), a.quotes % 2 == 0,
            a.rejects.countsByReason[RejectReason.malformedCSV, default: 0] == 0,
            a.report.error == nil, b.report.error == nil
        else { return nil }
        // Merge in file order. The second part's line numbers count from its header line.
        let lineOffset = a.report.lines - (header.isEmpty ? 0 : 1)
        session.withState { state in
            if state.store.count == 0 && state.store.numbers.count <= 1 {
                state.adoptStore(a.store)
            } else {
                state.store.append(contentsOf: a.store)
            }
            state.store.append(contentsOf: b.store)
            for r in a.rejects.records { state.rejects.add(r) }
            for r in b.rejects.records {
                state.rejects.add(
                    RejectRecord(
                        file: r.file,
                        line: r.line + lineOffset,
                        reason: r.reason,
                        detail: r.detail,
                        raw: r.raw
                    )
                )
            }
            state.addCounters(
                ambiguous: a.ambiguous + b.ambiguous,
                nonexistent: a.nonexistent + b.nonexistent,
                second: a.secondOccurrences + b.secondOccurrences,
                warnings: a.warnings + b.warnings
            )
        }
        var report = a.report
        report.rows = a.report.rows + b.report.rows
        report.calls = a.report.calls + b.report.calls
        report.rejected = a.report.rejected + b.report.rejected
        report.bytes = a.report.bytes + b.report.bytes - Int64(header.count)
        report.fileBytes = size
        report.lines = a.report.lines + b.report.lines - (header.isEmpty ? 0 : 1)
        report.fingerprint =
            "\(size)-p\(a.hash.split(separator: "-").last ?? "")\(b.hash.split(separator: "-").last ?? "")"
        report.formatReason += "; read in two parallel parts"
        return report
    }

    /// The offset just after the first newline at or after the middle of the file.
    static func findCut(path: String, size: Int64) throws -> Int64 {
        let src = try FileRangeSource(path: path, range: (size / 2)..<size)
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        var pos = size / 2
        while true {
            let n = try buf.withUnsafeMutableBytes { try src.read(into: $0) }
            if n == 0 { return size }
            if let i = buf[0..<n].firstIndex(of: 0x0A) { return pos + Int64(i) + 1 }
            pos += Int64(n)
        }
    }
}
