import CDRAnalysis
import CDRIngest
import CDRModel

/// A pipeline file, parsed and checked: what to read, how to analyse it, where the results go and when the run
/// should fail. See `docs/pipelines.md` for the file format and `pipelines/` for the shipped examples.
public struct PipelineSpec: Sendable {
    /// The period a run covers when the command line does not say.
    public enum Period: String, Sendable, CaseIterable {
        /// One local day (`--night DATE`, default yesterday).
        case night
        /// One calendar month (`--month YYYY-MM`, default last month).
        case month
        /// Everything the inputs hold.
        case all
    }

    /// One `inputs:` entry: path patterns (relative to the pipeline file) read with one format and site.
    public struct Input: Sendable, Equatable {
        public var paths: [String]
        public var format: String = "auto"
        public var declaration = SiteDeclaration()
        /// Line of the entry in the pipeline file (for messages).
        public var line: Int?
        /// Line of its `format:` key.
        public var formatLine: Int?
    }

    public struct Outputs: Sendable, Equatable {
        public var database: String?
        public var html: String?
        public var markdown: String?
        /// The rejected rows as CSV (they are always in the database's `rejects` table too).
        public var rejects: String?
        /// The calls the run analysed as CSV (formula-guarded); meant for investigations with a `filter:`.
        public var calls: String?
        /// The rows merged into an earlier row of the same call (legs, sub-calls) as CSV, with their call.
        public var legs: String?
    }

    /// Path of the pipeline file as given.
    public var file: String
    public var name: String
    public var description: String = ""
    public var period: Period = .all
    /// Zone in which "yesterday" and "last month" are evaluated.
    public var timezone: String = "UTC"
    public var inputs: [Input] = []
    /// Custom formats the inputs may name (`mappings:`), see `docs/formats.md`.
    public var mappings: [MappedFormat] = []
    public var inventory: String?
    /// Read only input files no earlier run of this pipeline has read (see `docs/pipelines.md`).
    public var onlyNewFiles = true
    public var rates: String?
    public var billing = BillingIncrement(first: 60, next: 60)
    public var risk: String?
    /// Detector ids to run (all by default).
    public var detectors: [String] = allDetectors.map { type(of: $0).id }
    public var detectorConfig = DetectorConfig()
    /// Days of calls kept in the results database as the baseline of later runs (nil: no history).
    public var historyDays: Int?
    public var capacityEnabled = true
    public var capacity = CapacityOptions()
    public var filter = CallFilter()
    public var outputs = Outputs()
    /// Exit with ``RunStatus/incidents`` when an incident of this severity or worse is found.
    public var failOn: Severity = .high
    /// Exit with ``RunStatus/rejectsOverLimit`` when more than this share of the rows read was rejected.
    public var maxRejectedShare = 0.01

    public init(file: String, name: String) {
        self.file = file
        self.name = name
    }

    /// The placeholders paths may hold.
    public static let placeholders = ["{date}", "{month}", "{period}", "{pipeline}"]
}
