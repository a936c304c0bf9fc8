import CDRAnalysis
import CDRIngest
import CDRModel
import CDROutput
import Foundation
import Logging

/// How a pipeline run ended, as the process exit status (documented in the README and `docs/pipelines.md`).
public enum RunStatus: Int32, Sendable {
    /// Finished; nothing at or above the configured severity (or nothing new to read).
    case ok = 0
    /// Finished, and incidents at or above `exit.fail_on` were found.
    case incidents = 2
    /// Finished, but at least one input file could not be read as a whole, or no input file matched.
    case fileErrors = 3
    /// Finished, but more than `exit.max_rejected_share` of the rows read were rejected.
    case rejectsOverLimit = 4
    /// Did not run: another run holds the results file's lock.
    case locked = 75

    /// The status of a finished run. When several apply, incidents come first (the reason the job exists), then
    /// unreadable files, then rejected rows.
    public static func of(incidents: Bool, fileErrors: Bool, rejectsOverLimit: Bool) -> RunStatus {
        if incidents { return .incidents }
        if fileErrors { return .fileErrors }
        if rejectsOverLimit { return .rejectsOverLimit }
        return .ok
    }
}

/// What a run will read: every file its inputs match, and whether it is read.
public struct PipelinePlan: Sendable {
    public enum FileStatus: String, Sendable {
        /// No earlier run of this pipeline read it.
        case new
        /// Read before for this same period; read again with the new files so the period's results are whole.
        case reread = "reread for this period"
        /// Read by an earlier run for another period (its calls are in the history, if kept): skipped.
        case alreadyRead = "already read"
    }

    public struct File: Sendable {
        public var path: String
        public var input: Int
        public var fingerprint: String
        public var status: FileStatus
    }

    public var pipeline: String
    public var period: RunPeriod
    public var files: [File] = []
    /// Patterns that matched no file.
    public var unmatched: [String] = []
    public var outputs: PipelineSpec.Outputs
    /// The inputs to read, by group.
    public var groups: [InputGroup] = []

    public var nothingNew: Bool { !files.contains { $0.status == .new } }

    /// The plan as text for `--dry-run`.
    public func text(_ spec: PipelineSpec) -> String {
        var out = "pipeline \(pipeline) (\(spec.file)): \(period)"
        out += period.scope.map { ", results scope \($0)" } ?? ""
        out += "\n"
        for f in files { out += "  \(f.status == .alreadyRead ? "skip" : "read")  \(f.path)  [\(f.status.rawValue)]\n" }
        for p in unmatched { out += "  none  \(p)  [no file matches]\n" }
        let toRead = files.filter { $0.status != .alreadyRead }.count
        out += "\(toRead) of \(files.count) files would be read"
        out += spec.onlyNewFiles && nothingNew ? " (nothing new: the run would stop here)\n" : "\n"
        out += "detectors: \(spec.detectors.joined(separator: ", "))"
        out += spec.historyDays.map { "; history kept \($0) days" } ?? ""
        out += "\ncapacity review: \(spec.capacityEnabled ? "yes (GoS \(spec.capacity.gos))" : "no")\n"
        if !spec.filter.isEmpty { out += "filter: only the calls matching the pipeline's filter\n" }
        for (name, path) in [
            ("database", outputs.database), ("html", outputs.html), ("markdown", outputs.markdown),
            ("rejects", outputs.rejects), ("calls", outputs.calls), ("legs", outputs.legs),
        ] {
            if let path { out += "\(name): \(path)\n" }
        }
        out += "fails with status 2 on incidents of severity \(spec.failOn.rawValue) or worse; "
        out += String(format: "status 4 above %.2f%% rejected rows\n", spec.maxRejectedShare * 100)
        return out
    }
}

/// The result of one pipeline run.
public struct PipelineOutcome {
    public var status: RunStatus
    public var plan: PipelinePlan
    public var ingest: IngestResult?
    public var job: ScanJob.Outcome?
    /// The calls analysed (after the pipeline's filter).
    public var calls = 0
    public var rejectedShare = 0.0
}

/// Runs a pipeline: resolve the period and the input files, take the lock, read the new files, analyse, write.
public struct PipelineRunner {
    public var spec: PipelineSpec
    public var logger: Logger
    /// Seconds to wait for another run's lock (0: fail at once; nil: wait as long as it takes).
    public var lockWait: Double? = 0
    public var parallel = true
    public var progress: ((IngestProgress) -> Void)? = nil
    public var now: () -> Date = { Date() }

    public init(spec: PipelineSpec, logger: Logger = Logger(label: "cdrscan")) {
        self.spec = spec
        self.logger = logger
    }

    /// The period `--night`/`--month` ask for, or the pipeline's default at `now`.
    public func period(night: String?, month: String?) throws -> RunPeriod {
        if let night {
            guard let p = RunPeriod.night(night) else { throw PipelineError("--night must be a date like 2026-10-24") }
            return p
        }
        if let month {
            guard let p = RunPeriod.month(month) else {
                throw PipelineError("--month must be a month as YYYY-MM (2026-10), not '\(month)'")
            }
            return p
        }
        return RunPeriod.defaultFor(spec.period, timezone: spec.timezone, now: now())
    }

    /// The files the inputs' patterns match for a period (no file is read).
    public func matchedFiles(_ period: RunPeriod) -> [String] {
        var seen = Set<String>()
        return spec.inputs.flatMap { input in
            input.paths.flatMap { expandPattern(period.inputPattern($0, pipeline: spec.name)) }
        }.filter { seen.insert($0).inserted }
    }

    /// Which files the run would read (reads the results database, writes nothing).
    public func plan(_ period: RunPeriod) throws -> PipelinePlan {
        var outputs = spec.outputs
        for kp in [
            \PipelineSpec.Outputs.database, \.html, \.markdown, \.rejects, \.calls, \.legs,
        ] {
            outputs[keyPath: kp] = outputs[keyPath: kp].map { period.outputPath($0, pipeline: spec.name) }
        }
        var plan = PipelinePlan(pipeline: spec.name, period: period, outputs: outputs)
        var read: [String: Set<String>] = [:]
        if spec.onlyNewFiles, let db = outputs.database, FileManager.default.fileExists(atPath: db) {
            read = try ResultsStore(path: db).filesRead(pipeline: spec.name)
        }
        // Results written before fingerprints became `v2-…` hold legacy ones: a file not found by its fingerprint
        // is looked up by its legacy one too, so that an upgrade does not read every file of the past again.
        let legacyRecorded = read.keys.contains { FileFingerprint.isLegacy($0) }
        var seen = Set<String>()
        for (k, input) in spec.inputs.enumerated() {
            var group = InputGroup(paths: [], format: input.format, declaration: input.declaration)
            for pattern in input.paths {
                let expanded = period.inputPattern(pattern, pipeline: spec.name)
                let paths = expandPattern(expanded)
                if paths.isEmpty { plan.unmatched.append(expanded) }
                for path in paths where seen.insert(path).inserted {
                    // A missing or unreadable file is read anyway, so its error is reported like any other.
                    var fingerprint = ""
                    var legacy = ""
                    if path != "-" {
                        if legacyRecorded {
                            (fingerprint, legacy) = (try? FileFingerprint.withLegacy(path: path)) ?? ("", "")
                        } else {
                            fingerprint = (try? FileFingerprint.of(path: path)) ?? ""
                        }
                    }
                    var status = PipelinePlan.FileStatus.new
                    if !fingerprint.isEmpty, let scopes = read[fingerprint] ?? (legacy.isEmpty ? nil : read[legacy]) {
                        status = period.scope.map { scopes.contains($0) } == true ? .reread : .alreadyRead
                    }
                    plan.files.append(.init(path: path, input: k, fingerprint: fingerprint, status: status))
                    if status != .alreadyRead { group.paths.append(path) }
                }
            }
            if !group.paths.isEmpty { plan.groups.append(group) }
        }
        return plan
    }

    /// Runs the pipeline for a period. With `dryRun`, only plans.
    public func run(_ period: RunPeriod, dryRun: Bool = false) throws -> PipelineOutcome {
        if dryRun { return PipelineOutcome(status: .ok, plan: try plan(period)) }
        let started = Int64(now().timeIntervalSince1970 * 1000)
        var lock: RunLock? = nil
        if let db = spec.outputs.database.map({ period.outputPath($0, pipeline: spec.name) }) {
            try createParent(of: db)
            logger.debug("taking the lock", metadata: ["lock": "\(db).lock"])
            lock = try RunLock(path: db + ".lock", wait: lockWait, owner: "pipeline \(spec.name), \(period)")
        }
        defer { withExtendedLifetime(lock) {} }
        let plan = try plan(period)
        for p in plan.unmatched { logger.warning("no input file matches \(p)") }
        if plan.files.isEmpty {
            logger.error("no input files for \(period): nothing was read")
            return PipelineOutcome(status: .fileErrors, plan: plan)
        }
        if spec.onlyNewFiles && plan.nothingNew {
            logger.info(
                "nothing new to read for \(period): all \(plan.files.count) input files were read by earlier runs"
            )
            return PipelineOutcome(status: .ok, plan: plan)
        }
        let inventory = try spec.inventory.map { try InventoryLoader.load(path: $0) } ?? Inventory()
        let outputs = plan.outputs
        for path in [outputs.html, outputs.markdown, outputs.rejects, outputs.calls, outputs.legs].compactMap({ $0 }) {
            try createParent(of: path)
        }
        let toRead = plan.files.filter { $0.status != .alreadyRead }
        logger.info(
            "reading \(toRead.count) of \(plan.files.count) input files for \(period)",
            metadata: ["pipeline": "\(spec.name)"]
        )
        let result = try IngestRun.run(
            groups: plan.groups,
            inventory: inventory,
            rejectsFile: outputs.rejects,
            parallel: parallel,
            mappings: spec.mappings,
            legsFile: outputs.legs,
            progress: progress
        )
        for f in result.summary.files where f.error != nil { logger.error("\(f.error!)") }
        for w in result.summary.warnings { logger.warning("\(w)") }
        let share = result.summary.rowsRead == 0 ? 0 : Double(result.summary.rejected) / Double(result.summary.rowsRead)
        if result.summary.rejected > 0 {
            let text =
                "\(result.summary.rejected) of \(result.summary.rowsRead) rows rejected"
                + String(format: " (%.3f%%; allowed %.3f%%)", share * 100, spec.maxRejectedShare * 100)
                + (outputs.rejects.map { ", written to \($0)" } ?? "")
            logger.log(level: share > spec.maxRejectedShare ? .error : .notice, "\(text)")
        }
        let classifier = try DestinationClassifier.configured(rates: spec.rates, billing: spec.billing, risk: spec.risk)
        var analysed = result
        let countries = siteCountries(result.store, inventory)
        if !spec.filter.isEmpty {
            // Classifying every call only to filter them is worth it when the filter asks about destinations.
            let destinations =
                spec.filter.needsDestinations
                ? CallDestinations.build(store: result.store, siteCountry: countries, classifier: classifier) : nil
            let keep = spec.filter.indices(result.store, destinations)
            analysed.store = result.store.selecting(keep)
            logger.info("the filter keeps \(keep.count) of \(result.store.count) calls")
        }
        var job = ScanJob()
        job.pipeline = spec.name
        job.scope = period.scope
        job.classifier = classifier
        job.detectorConfig = spec.detectorConfig
        job.detectors = allDetectors.filter { spec.detectors.contains(type(of: $0).id) }
        job.capacityEnabled = spec.capacityEnabled
        job.capacityOptions = spec.capacity
        if period.kind == .month, let m = RunPeriod.monthParts(period.value) { job.capacityOptions.month = m }
        job.databasePath = outputs.database
        job.htmlPath = outputs.html
        job.markdownPath = outputs.markdown
        job.historyLookbackDays = spec.historyDays
        job.holdsLock = lock != nil
        let outcome = try job.run(
            analysed,
            inventory: inventory,
            siteCountry: countries,
            inputs: toRead.map(\.path),
            startedMs: started
        )
        if let calls = outputs.calls {
            let investigation = Investigation(
                store: analysed.store,
                inventory: inventory,
                siteCountry: countries,
                classifier: classifier
            )
            try AtomicFile.write(
                investigation.callTable(investigation.calls(CallFilter())).csv(),
                to: calls
            )
        }
        let incidents = outcome.detection.incidents
        let serious = incidents.filter { $0.severity >= spec.failOn }
        let summary =
            "\(analysed.store.count) calls analysed, \(incidents.count) incidents "
            + "(\(serious.count) at or above \(spec.failOn.rawValue))" + (outcome.runId.map { ", run \($0)" } ?? "")
        logger.info("\(summary)")
        let status = RunStatus.of(
            incidents: !serious.isEmpty,
            fileErrors: result.hadFileErrors,
            rejectsOverLimit: share > spec.maxRejectedShare
        )
        var out = PipelineOutcome(status: status, plan: plan, ingest: result, job: outcome)
        out.calls = analysed.store.count
        out.rejectedShare = share
        return out
    }

    /// The country of each site id of a store: the inventory's, else the declared country of the inputs.
    func siteCountries(_ store: ColumnStore, _ inventory: Inventory) -> [String] {
        let declared = spec.inputs.compactMap { $0.declaration.country }
        return (0..<store.sites.count).map { id in
            let name = store.sites[UInt32(id)]
            if let c = inventory.site(named: name)?.country { return c }
            if let input = spec.inputs.first(where: { $0.declaration.name == name }), let c = input.declaration.country
            {
                return c
            }
            return declared.first ?? ""
        }
    }

    func createParent(of path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    }
}

extension RunPeriod {
    static func monthParts(_ s: String) -> (year: Int, month: Int)? {
        let p = s.split(separator: "-")
        guard p.count == 2, let y = Int(p[0]), let m = Int(p[1]) else { return nil }
        return (y, m)
    }
}

/// A pipeline that cannot run as asked.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}
