import CDRAnalysis
import CDRIngest
import CDRModel
import Foundation

/// The whole job on an ingested store: destinations, detectors, capacity, usage aggregates, results database and
/// reports. `cdrscan scan` and the pipelines call it.
public struct ScanJob {
    public var pipeline = "scan"
    public var scope: String? = nil
    public var detectorConfig = DetectorConfig()
    public var capacityOptions = CapacityOptions()
    /// Whether the capacity review runs (it needs an inventory with trunks to say anything useful).
    public var capacityEnabled = true
    /// The detectors that run.
    public var detectors: [any Detector] = allDetectors
    public var classifier = DestinationClassifier()
    /// Only windows ending in this range raise alerts (nil: the whole data).
    public var evaluate: Range<Int64>? = nil
    public var defaultZone: String? = nil
    public var databasePath: String? = nil
    public var htmlPath: String? = nil
    public var markdownPath: String? = nil
    /// Keep the calls of this many days in the results database and use them as the baseline of later runs
    /// (nightly use: each run reads only new CDRs); nil: learn only from the calls read.
    public var historyLookbackDays: Int? = nil
    /// Record each stage's peak resident memory in `Outcome.peaks` (resets the process's peak reading; see
    /// `ResidentMemory.resetPeak()`).
    public var measurePeaks = false
    /// The caller holds the results file's run lock (`RESULTS.lock`, taken by `cdrscan scan --db` and the
    /// pipelines): runs the file still records as `running` were killed, and are marked `interrupted`.
    public var holdsLock = false
    /// The clock, injectable for reproducible reports.
    public var now: () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    public init() {}

    public struct Outcome {
        public var detection: DetectionResult
        public var capacity: CapacityReport?
        /// Where the costs come from (a rate deck or the built-in coarse rates) and their currency.
        public var rateSource: String
        public var currency: String
        public var runId: Int64?
        public var report: ReportDocument?
        /// Seconds per stage: destinations, detectors, capacity, usage, results, reports.
        public var timings: [(String, Double)] = []
        /// Peak resident bytes per stage (Linux; empty elsewhere), in the order of `timings`.
        public var peaks: [(String, Int)] = []
    }

    /// Runs the job. `inputs` are the paths read (recorded in the results).
    public func run(
        _ result: IngestResult,
        inventory: Inventory,
        siteCountry: [String],
        inputs: [String],
        startedMs: Int64
    )
        throws -> Outcome
    {
        let clock = ContinuousClock()
        var mark = clock.now
        var timings: [(String, Double)] = []
        var peaks: [(String, Int)] = []
        func lap(_ name: String) {
            let d = clock.now - mark
            timings.append((name, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
            if measurePeaks, let p = ResidentMemory.stagePeak() { peaks.append((name, p)) }
            mark = clock.now
        }
        // With history: detectors see the stored lookback window before the new calls, and alert only on the new.
        var analysed = result.store
        var evaluate = self.evaluate
        var historyCalls = 0
        var results: ResultsStore? = nil
        if let days = historyLookbackDays, let databasePath, result.store.count > 0 {
            let store = try ResultsStore(path: databasePath)
            results = store
            let first = result.store.startMs.min()!
            var history = try store.loadHistory(from: first - Int64(days) * 86_400_000, to: first)
            historyCalls = history.count
            if historyCalls > 0 {
                history.append(contentsOf: result.store)
                analysed = history
            }
            evaluate = evaluate ?? (first..<Int64.max)
        }
        var countries = siteCountry
        if historyCalls > 0 {
            countries = (0..<analysed.sites.count).map { id in
                let name = analysed.sites[UInt32(id)]
                return inventory.site(named: name)?.country
                    ?? (result.store.sites.lookup(name).map { siteCountry[Int($0)] } ?? "")
            }
        }
        // The capacity review first, while only the store is in memory (run alongside the destinations it would
        // hold its sorted seizures at the same time as the per-call columns: faster, but over the memory budget);
        // the per-call destination and detection columns are dropped once the detectors and the usage aggregates
        // are done.
        var capacity: CapacityReport? = nil
        if capacityEnabled {
            capacity = CapacityReview.run(store: result.store, inventory: inventory, options: capacityOptions)
            lap("capacity")
        }
        let writes = databasePath != nil || htmlPath != nil || markdownPath != nil
        let (detection, usage, rateSource, currency) = detectAndAggregate(
            analysed: analysed,
            own: result.store,
            countries: countries,
            siteCountry: siteCountry,
            inventory: inventory,
            evaluate: evaluate,
            withHistory: historyCalls > 0,
            aggregate: writes,
            lap: lap
        )
        var outcome = Outcome(
            detection: detection,
            capacity: capacity,
            rateSource: rateSource,
            currency: currency,
            runId: nil,
            report: nil
        )
        guard writes, let usage else {
            outcome.timings = timings
            outcome.peaks = peaks
            return outcome
        }
        let days = result.summary.sites.map { ($0.firstStartLocal.prefix(10), $0.lastEndLocal.prefix(10)) }
        let runScope = scope ?? "span:\(days.map(\.0).min() ?? "")..\(days.map(\.1).max() ?? "")"
        let store = try results ?? ResultsStore(path: databasePath ?? ":memory:")
        if holdsLock && databasePath != nil { try store.retireInterruptedRuns(finishedUtcMs: startedMs) }
        let runId = try store.beginRun(pipeline: pipeline, scope: runScope, inputs: inputs, startedUtcMs: startedMs)
        var output = RunOutput(
            pipeline: pipeline,
            scope: runScope,
            startedUtcMs: startedMs,
            finishedUtcMs: now(),
            summary: result.summary,
            rejects: result.rejects.records,
            incidents: detection.incidents,
            capacity: capacity,
            usage: usage,
            rateSource: rateSource,
            currency: currency
        )
        if let days = historyLookbackDays, databasePath != nil {
            output.history = result.store
            output.lookbackMs = Int64(days) * 86_400_000
        }
        do {
            try store.write(runId, output)
        } catch {
            store.failRun(runId, message: "\(error)", finishedUtcMs: now())
            throw error
        }
        lap("results database")
        outcome.runId = runId
        if htmlPath != nil || markdownPath != nil {
            let doc = ReportBuilder.build(try ReportData.load(store, runId: runId))
            outcome.report = doc
            if let htmlPath { try AtomicFile.write(HTMLRenderer.render(doc), to: htmlPath) }
            if let markdownPath { try AtomicFile.write(MarkdownRenderer.render(doc), to: markdownPath) }
            lap("reports")
        }
        outcome.timings = timings
        outcome.peaks = peaks
        return outcome
    }
}

extension ScanJob {
    /// Destinations, detectors and (when results are written) the usage aggregates of this run's own calls. The
    /// per-call columns they need live only inside this function.
    func detectAndAggregate(
        analysed: ColumnStore,
        own: ColumnStore,
        countries: [String],
        siteCountry: [String],
        inventory: Inventory,
        evaluate: Range<Int64>?,
        withHistory: Bool,
        aggregate: Bool,
        lap: (String) -> Void
    ) -> (DetectionResult, UsageAggregates?, String, String) {
        let destinations = CallDestinations.build(store: analysed, siteCountry: countries, classifier: classifier)
        lap("destinations")
        let ctx = DetectionContext(
            store: analysed,
            destinations: destinations,
            inventory: inventory,
            config: detectorConfig,
            evaluate: evaluate,
            defaultZone: defaultZone
        )
        let detection = DetectionRun.run(ctx, detectors: detectors)
        lap("detectors")
        guard aggregate else { return (detection, nil, destinations.rateSource, destinations.currency) }
        // Usage describes the calls of this run only.
        let usage: UsageAggregates
        if withHistory {
            let mine = CallDestinations.build(store: own, siteCountry: siteCountry, classifier: classifier)
            usage = UsageAggregates.build(
                DetectionContext(store: own, destinations: mine, inventory: inventory, defaultZone: defaultZone)
            )
        } else {
            usage = UsageAggregates.build(ctx)
        }
        lap("usage aggregates")
        return (detection, usage, destinations.rateSource, destinations.currency)
    }
}
