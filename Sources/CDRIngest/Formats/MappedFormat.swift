import CDRModel

/// A CSV CDR format described by data: which column holds what, how times are written and in which zone, how
/// directions and dispositions are spelled, and how several rows of one call are tied together.
///
/// The built-in vendor formats (``VendorFormats``) and user mappings from pipeline or mapping files
/// (``MappingLoader``) are all values of this type, read by one ``MappedReader``.
public struct MappedFormat: Sendable, Equatable {
    /// Where a value comes from: a header name (matched ignoring case, spaces, `_` and `-`) or a 0-based position.
    public enum Column: Sendable, Equatable, Hashable, CustomStringConvertible {
        case name(String)
        case position(Int)

        public var description: String {
            switch self {
            case .name(let n): return n
            case .position(let p): return "column \(p + 1)"
            }
        }
    }

    /// What a column means to cdrscan.
    public enum Role: String, Sendable, CaseIterable, Hashable {
        case start, answer, end
        /// Seconds (or `durationUnit`) from start to end, or of talk when `durationIsTalk`.
        case duration
        /// Talk (billable) seconds: answer to end.
        case talk
        case direction, disposition
        /// A numeric Q.850 cause (or a cause name such as `USER_BUSY`): used when there is no disposition word.
        case cause
        /// `yes`/`no`-style answered flag.
        case answered
        case caller, callee, trunk
        /// The device or trunk a call came in on and went out on (CUCM `origDeviceName`/`destDeviceName`).
        case inboundDevice, outboundDevice
        case account, site
        /// A record-type column; rows whose value is not in `callRecordTypes` are not calls.
        case recordType
        /// FreeSWITCH-style dialplan context (`public` = came from outside).
        case context
        /// A participant's side of the call (Genesys `purpose`: `customer`, `external`, `agent`, `user`, …): the
        /// participant on the side the call started from is its originating row (``OriginRule/purpose``).
        case purpose

        /// A dense index for per-role tables.
        var slot: Int {
            switch self {
            case .start: return 0
            case .answer: return 1
            case .end: return 2
            case .duration: return 3
            case .talk: return 4
            case .direction: return 5
            case .disposition: return 6
            case .cause: return 7
            case .answered: return 8
            case .caller: return 9
            case .callee: return 10
            case .trunk: return 11
            case .inboundDevice: return 12
            case .outboundDevice: return 13
            case .account: return 14
            case .site: return 15
            case .recordType: return 16
            case .context: return 17
            case .purpose: return 18
            }
        }
    }

    /// How the direction of a call is found.
    public enum DirectionRule: Sendable, Equatable {
        /// From the direction column through `directionWords` (and the usual words).
        case column
        /// Inbound when the inbound device is a trunk, outbound when the outbound device is, internal else.
        case trunkSides
        /// BroadWorks: `Originating`/`Terminating` records, outbound/inbound when a trunk carried them.
        case originatingTerminating
        /// FreeSWITCH: context `public` is inbound; a gateway (trunk) makes it outbound; internal else.
        case context
    }

    public var name: String
    /// The first record is a header with column names.
    public var hasHeader = true
    /// Lines skipped before the header (or before the data without a header).
    public var skipLinesBefore = 0
    /// Lines skipped after the header (CUCM's line of column types).
    public var skipLinesAfterHeader = 0
    public var csv = CSVOptions()
    /// Candidate columns per role, the first non-blank wins (e.g. CUCM final, then original called number).
    public var columns: [Role: [Column]] = [:]
    public var timeFormat: TimeFormat = .iso
    /// Times written without an offset are UTC (true) or the site's wall clock (false).
    public var timesAreUTC = true
    /// The `duration` column holds talk time (CUCM), not start-to-end time.
    public var durationIsTalk = false
    /// Milliseconds per unit of `duration` and `talk` (1000 for seconds).
    public var durationUnitMs: Int64 = 1000
    public var directionRule = DirectionRule.column
    /// Direction words (lower case) beyond `inbound`, `outbound`, `internal` and their usual synonyms.
    public var directionWords: [String: Direction] = [:]
    /// Disposition words (lower case) beyond the usual ones.
    public var dispositionWords: [String: Disposition] = [:]
    /// Record-type values that are calls (empty: every row).
    public var callRecordTypes: Set<String> = []
    /// Columns whose values, joined, identify the call a row belongs to; rows with the same key are one call.
    public var legKey: [Column] = []
    /// A column naming another leg of the same call (FreeSWITCH `bleg_uuid`, BroadWorks `remoteCallId`).
    public var legPeer: Column? = nil
    /// A column naming the leg that created this one (Twilio `parent_call_sid`).
    public var legParent: Column? = nil
    /// How a row of a multi-row call tells that it is the call's originating leg (``LegOrigin``), from the legs'
    /// columns: with a parent column, a row without a parent (Twilio's parent call); with a peer column, the row
    /// that names its peer (FreeSWITCH's A leg), or with originating and terminating records the originating one
    /// (BroadWorks); with a participant's side (``Role/purpose``), the participant on the side the call started
    /// from (Genesys: the agent of an outbound conversation, the customer of an inbound one); with a leg key only,
    /// the earliest row (CUCM).
    enum OriginRule { case noParent, namesPeer, originatingRecord, purpose, earliest }

    var originRule: OriginRule {
        if legParent != nil { return .noParent }
        if legPeer != nil { return directionRule == .originatingTerminating ? .originatingRecord : .namesPeer }
        if columns[.purpose] != nil { return .purpose }
        return .earliest
    }

    /// A call with no answer time whose cause is Q.850 16 (normal clearing) was answered at its start (Genesys
    /// exports carry no answer instant).
    public var normalClearingIsAnswered = false
    /// Columns the header must have for the format to be recognised and read.
    public var required: [Role] = [.start, .caller, .callee]

    public init(name: String) { self.name = name }

    /// Lower case without spaces, `_` and `-`: how header names are compared.
    static func key(_ s: String) -> String {
        String(s.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" && $0 != "\u{FEFF}" && $0 != "\"" })
    }

    /// Whether a header (first record) names the required columns of this format.
    func matches(header fields: [String]) -> Bool {
        guard hasHeader else { return false }
        let names = Set(fields.map(Self.key))
        for role in required {
            guard let cands = columns[role],
                cands.contains(where: { c in
                    if case .name(let n) = c { return names.contains(Self.key(n)) }
                    return false
                })
            else { return false }
        }
        return true
    }
}
