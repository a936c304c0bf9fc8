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
    ///   - parallel: use two threads: canonical files are read in a pipeline (``PipelinedIngest``).
    ///   - split: with `parallel`, read large plain files in two parts instead (``ParallelIngest``).
    /// - Throws: ``IngestError`` `.configuration` for unusable options; file problems are in the summary.
    public static func run(
        paths: [String],
        format: String = "auto",
        inventory: Inventory = Inventory(),
        declaration: SiteDeclaration = SiteDeclaration(),
        rejectsFile: String? = nil,
        parallel: Bool = true,
        parallelMinimumBytes: Int64 = ParallelIngest.minimumBytes,
        mappings: [MappedFormat] = [],
        split: Bool? = nil,
        legsFile: String? = nil,
        progress: ((IngestProgress) -> Void)? = nil
    ) throws -> IngestResult {
        try run(
            groups: [InputGroup(paths: paths, format: format, declaration: declaration)],
            inventory: inventory,
            rejectsFile: rejectsFile,
            parallel: parallel,
            parallelMinimumBytes: parallelMinimumBytes,
            mappings: mappings,
            split: split,
            legsFile: legsFile,
            progress: progress
        )
    }

    /// Reads groups of files, each with its own format and site declaration, into one store.
    public static func run(
        groups: [InputGroup],
        inventory: Inventory = Inventory(),
        rejectsFile: String? = nil,
        parallel: Bool = true,
        parallelMinimumBytes: Int64 = ParallelIngest.minimumBytes,
        mappings: [MappedFormat] = [],
        split: Bool? = nil,
        legsFile: String? = nil,
        progress: ((IngestProgress) -> Void)? = nil
    ) throws -> IngestResult {
        let session = try IngestSession(
            inventory: inventory,
            declaration: groups.first?.declaration ?? SiteDeclaration()
        )
        if legsFile != nil { session.state.keepLegs = 1_000_000 }
        session.mappings = mappings
        let known = Set(["auto"] + FormatDetector.formats + mappings.map(\.name))
        for g in groups where !known.contains(g.format) {
            throw IngestError(
                .configuration,
                file: "--format",
                "unknown format '\(g.format)'; known: \(known.sorted().joined(separator: ", "))"
            )
        }
        let clock = ContinuousClock()
        let t0 = clock.now
        var reports: [FileReport] = []
        var seen: [String: String] = [:]
        let allPaths = groups.flatMap(\.paths)
        // Two threads: a pipeline for canonical files (one store, the default); `split` (or CDRSCAN_INGEST=parts)
        // selects the split of large plain files into two parts read side by side (for comparison in benchmarks).
        let pipelined = !(split ?? (ProcessInfo.processInfo.environment["CDRSCAN_INGEST"] == "parts"))
        var state = IngestProgress(
            files: allPaths.count,
            totalBytes: allPaths.reduce(0) { $0 + (regularFileSize($1) ?? 0) }
        )
        for group in groups {
            try session.withState { try $0.declare(group.declaration) }
            var ingestor = Ingestor(session: session, format: group.format)
            ingestor.pipelined = parallel && pipelined
            ingestor.onChunk = chunkProgress(state, progress)
            // The leg index is reserved for the group's later files by its first file with legs (each later file
            // looked at once), and by each further file for its own rest only.
            var legsReserved = false
            for (index, path) in group.paths.enumerated() {
                ingestor.laterPaths = legsReserved ? [] : group.paths[(index + 1)...]
                ingestor.columnsLaterPaths = index == 0 ? group.paths[1...] : []
                let keys = session.state.legKeys
                defer { legsReserved = legsReserved || session.state.legKeys > keys }
                let calls = session.store.count
                let rejects = session.rejects.count
                let legs = session.state.mergedLegs
                var report: FileReport
                if parallel, !pipelined, path != "-", let size = regularFileSize(path), size >= parallelMinimumBytes,
                    let r = try? ParallelIngest.ingest(path: path, format: group.format, session: session, size: size)
                {
                    report = r
                } else {
                    report = ingestor.ingest(path: path)
                }
                // The same content under another name is read once: drop what this copy added.
                if report.error == nil, !report.fingerprint.isEmpty, let first = seen[report.fingerprint] {
                    session.withState { $0.truncate(calls: calls, rejects: rejects, mergedLegs: legs) }
                    report.duplicateOf = first
                    report.calls = 0
                    report.rejected = 0
                    report.mergedLegs = 0
                    report.rows = 0
                } else if !report.fingerprint.isEmpty {
                    seen[report.fingerprint] = path
                }
                reports.append(report)
                state.filesDone += 1
                state.bytesDone += regularFileSize(path) ?? report.fileBytes
                state.calls = session.store.count
                progress?(state)
                ingestor.onChunk = chunkProgress(state, progress)
            }
        }
        let elapsed = clock.now - t0
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var store = session.takeStore()
        // The numbers are complete: their hash index (two to four 4-byte slots a number) is only needed to intern,
        // so it is freed for the analyses that follow (a later intern rebuilds it).
        store.numbers.releaseIndex()
        var written: String?
        // Written when there are rejects, and over an earlier file of that name when there are none (its header
        // alone): a run without rejects creates no file, but never leaves an earlier run's rejects looking like
        // its own.
        if let rejectsFile, session.rejects.count > 0 || FileManager.default.fileExists(atPath: rejectsFile) {
            try session.rejects.write(to: rejectsFile)
            written = rejectsFile
        }
        if let legsFile, !session.state.legRecords.isEmpty || FileManager.default.fileExists(atPath: legsFile) {
            try LegRecord.write(session.state.legRecords, store: store, to: legsFile)
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

/// A chunk callback that reports progress within a file on top of the files already done.
func chunkProgress(_ base: IngestProgress, _ progress: ((IngestProgress) -> Void)?) -> ((Int64, Int) -> Void)? {
    guard let progress else { return nil }
    return { consumed, calls in
        var p = base
        p.bytesDone += consumed
        p.calls = calls
        progress(p)
    }
}

/// Files of one format and site, read together (a pipeline's `inputs:` entry, or a command line).
public struct InputGroup: Sendable, Equatable {
    public var paths: [String]
    public var format: String
    public var declaration: SiteDeclaration

    public init(paths: [String], format: String = "auto", declaration: SiteDeclaration = SiteDeclaration()) {
        self.paths = paths
        self.format = format
        self.declaration = declaration
    }
}

/// How far an ingest has come, for progress bars.
public struct IngestProgress: Sendable, Equatable {
    public var files: Int
    public var filesDone = 0
    /// Bytes of the regular input files (0 for pipes).
    public var totalBytes: Int64
    /// Bytes read from the files so far (compressed bytes for gzip).
    public var bytesDone: Int64 = 0
    public var calls = 0

    public init(files: Int, totalBytes: Int64) {
        self.files = files
        self.totalBytes = totalBytes
    }
}

/// The size of a regular file, nil for anything else (pipes, devices, missing files).
func regularFileSize(_ path: String) -> Int64? {
    guard let attrs = try? FileManager.default.attributesOfItem(atPath: path),
        attrs[.type] as? FileAttributeType == .typeRegular, let size = attrs[.size] as? NSNumber
    else { return nil }
    return size.int64Value
}
