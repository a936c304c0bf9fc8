import CDRModel
import Foundation

/// Everything one ingest produced: the store, the summary and the rejects.
public struct IngestResult: Sendable {
    public var store: ColumnStore
    public var summary: IngestSummary
    public var rejects: RejectCollector
    public init(store: ColumnStore, summary: IngestSummary, rejects: RejectCollector) {
        self.store = store
        self.summary = summary
        self.rejects = rejects
    }

    /// Whether any file failed as a whole (missing, not CDRs, truncated).
    public var hadFileErrors: Bool { summary.files.contains { $0.error != nil } }
}

/// The ingest stage as one call: files in, normalized store out. Used by every command that reads CDRs.
public enum IngestRun {
    /// Reads `paths` (files or `-`) into one store.
    ///
    /// - Parameters:
    ///   - rejectsFile: where to write the rejects CSV when there are any (nil: do not write).
    ///   - parallel: read large plain files in two parallel parts (``ParallelIngest``).
    /// - Throws: ``IngestError`` `.configuration` for unusable options; file problems are in the summary.
    public static func run(
        paths: [String],
        format: String = "auto",
        inventory: Inventory = Inventory(),
        declaration: SiteDeclaration = SiteDeclaration(),
        rejectsFile: String? = nil,
        parallel: Bool = true,
        parallelMinimumBytes: Int64 = ParallelIngest.minimumBytes
    ) throws -> IngestResult {
        let session = try IngestSession(inventory: inventory, declaration: declaration)
        let ingestor = Ingestor(session: session, format: format)
        let clock = ContinuousClock()
        let t0 = clock.now
        var reports: [FileReport] = []
        var seen: [String: String] = [:]
        for path in paths {
            let calls = session.store.count
            let rejects = session.rejects.count
            var report: FileReport
            if parallel, path != "-", let size = regularFileSize(path), size >= parallelMinimumBytes,
                let r = try? ParallelIngest.ingest(path: path, format: format, session: session, size: size)
            {
                report = r
            } else {
                report = ingestor.ingest(path: path)
            }
            // The same content under another name is read once: drop what this copy added.
            if report.error == nil, !report.fingerprint.isEmpty, let first = seen[report.fingerprint] {
                session.withState { $0.truncate(calls: calls, rejects: rejects) }
                report.duplicateOf = first
                report.calls = 0
                report.rejected = 0
                report.rows = 0
            } else if !report.fingerprint.isEmpty {
                seen[report.fingerprint] = path
            }
            reports.append(report)
        }
        let elapsed = clock.now - t0
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let store = session.takeStore()
        var written: String?
        if let rejectsFile, session.rejects.count > 0 {
            try session.rejects.csv().write(toFile: rejectsFile, atomically: true, encoding: .utf8)
            written = rejectsFile
        }
        let summary = IngestSummary(
            session: session,
            store: store,
            files: reports,
            seconds: seconds,
            rejectsFile: written
        )
        return IngestResult(store: store, summary: summary, rejects: session.rejects)
    }
}

/// The size of a regular file, nil for anything else (pipes, devices, missing files).
func regularFileSize(_ path: String) -> Int64? {
    guard let attrs = try? FileManager.default.attributesOfItem(atPath: path),
        attrs[.type] as? FileAttributeType == .typeRegular, let size = attrs[.size] as? NSNumber
    else { return nil }
    return size.int64Value
}
