/// Which way a call crossed the organization's boundary.
///
/// `inbound` came in from the PSTN on a trunk, `outbound` left on a trunk, `internal` touched no trunk.
public enum Direction: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case inbound = 0
    case outbound = 1
    case internal_ = 2

    /// The canonical spelling (`inbound`, `outbound`, `internal`).
    public var description: String {
        switch self {
        case .inbound: return "inbound"
        case .outbound: return "outbound"
        case .internal_: return "internal"
        }
    }

    /// Parses the canonical words and a few common synonyms, case-insensitively.
    public init?(word: some StringProtocol) {
        switch word.lowercased() {
        case "inbound", "in", "incoming", "terminating": self = .inbound
        case "outbound", "out", "outgoing", "originating": self = .outbound
        case "internal", "local", "intra": self = .internal_
        default: return nil
        }
    }
}

/// How a call attempt ended, normalized across formats.
public enum Disposition: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case answered = 0
    case noAnswer = 1
    case busy = 2
    case failed = 3
    case congestion = 4
    case cancel = 5

    /// The canonical spelling (`answered`, `no_answer`, `busy`, `failed`, `congestion`, `cancel`).
    public var description: String {
        switch self {
        case .answered: return "answered"
        case .noAnswer: return "no_answer"
        case .busy: return "busy"
        case .failed: return "failed"
        case .congestion: return "congestion"
        case .cancel: return "cancel"
        }
    }

    /// Parses the canonical words and Asterisk's (`ANSWERED`, `NO ANSWER`, `BUSY`, `FAILED`, `CONGESTION`,
    /// `CANCEL`), case-insensitively; spaces, dashes and underscores are interchangeable.
    public init?(word: some StringProtocol) {
        var key = ""
        for c in word.lowercased() where c != " " && c != "_" && c != "-" { key.append(c) }
        switch key {
        case "answered", "answer", "completed": self = .answered
        case "noanswer", "unanswered", "missed": self = .noAnswer
        case "busy", "userbusy": self = .busy
        case "failed", "fail", "error": self = .failed
        case "congestion", "congested", "chanunavail", "allcircuitsbusy": self = .congestion
        case "cancel", "cancelled", "canceled": self = .cancel
        default: return nil
        }
    }

    /// Whether the attempt failed because no channel or route was free (counted as blocked in capacity).
    public var isBlocked: Bool { self == .congestion }
}

/// One normalized call, as handed to the store. The store keeps it as columns.
public struct CallRecord: Sendable, Equatable {
    /// Seizure instant, UTC milliseconds since 1970-01-01T00:00:00Z.
    public var startMs: Int64
    /// Answer instant (UTC ms), nil when never answered.
    public var answerMs: Int64?
    /// Release instant (UTC ms); `endMs >= startMs`.
    public var endMs: Int64
    public var direction: Direction
    public var disposition: Disposition
    /// Caller as normalized (E.164 with `+`, an extension, or empty).
    public var caller: String
    /// Callee as normalized.
    public var callee: String
    /// Caller exactly as the source wrote it.
    public var callerRaw: String
    /// Callee exactly as the source wrote it.
    public var calleeRaw: String
    public var trunk: String
    public var account: String
    public var site: String

    public init(
        startMs: Int64,
        answerMs: Int64?,
        endMs: Int64,
        direction: Direction,
        disposition: Disposition,
        caller: String,
        callee: String,
        callerRaw: String? = nil,
        calleeRaw: String? = nil,
        trunk: String,
        account: String,
        site: String
    ) {
        self.startMs = startMs
        self.answerMs = answerMs
        self.endMs = endMs
        self.direction = direction
        self.disposition = disposition
        self.caller = caller
        self.callee = callee
        self.callerRaw = callerRaw ?? caller
        self.calleeRaw = calleeRaw ?? callee
        self.trunk = trunk
        self.account = account
        self.site = site
    }

    /// Holding time (seizure to release) in seconds.
    public var holdingSeconds: Double { Double(endMs - startMs) / 1000 }
    /// Billable time (answer to release) in seconds, 0 when unanswered.
    public var billableSeconds: Double { answerMs.map { Double(endMs - $0) / 1000 } ?? 0 }
}
