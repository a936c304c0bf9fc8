import CDRModel

/// What kind of destination a called number is, relative to the calling site's country.
public enum NumberClass: String, Sendable, Codable, CaseIterable {
    /// A short internal extension.
    case `internal`
    /// Emergency and urgent services: never flagged by any detector.
    case emergency
    case domesticFixed = "domestic_fixed"
    case domesticMobile = "domestic_mobile"
    /// Domestic where the plan does not tell fixed from mobile (NANP) or another ordinary type.
    case domestic
    case tollFree = "toll_free"
    case sharedCost = "shared_cost"
    case premium
    /// An ordinary number in another country (NANP countries outside the site's own included).
    case international
    /// International networks and satellite (+870, +881, +882, +883, +979 premium is `premium`).
    case satellite
    /// An impossible length or an unassigned code.
    case invalid
    /// Hidden, empty, or not a number (feature codes, names).
    case unknown
}

/// Risk tier of a destination (see `Data/risk.csv`).
public enum RiskTier: String, Sendable, Codable, Comparable {
    case normal, medium, high

    var rank: Int { self == .normal ? 0 : (self == .medium ? 1 : 2) }
    public static func < (a: RiskTier, b: RiskTier) -> Bool { a.rank < b.rank }
}

/// Everything cdrscan knows about one number as dialled from one site.
public struct DestinationInfo: Sendable, Codable, Equatable {
    /// E.164 (`+…`), an extension, or empty.
    public var normalized: String
    /// ISO 3166-1 alpha-2 region, `+881` style for international networks, empty when unknown.
    public var region: String
    public var regionName: String
    public var numberClass: NumberClass
    /// Whether the call leaves the site's country (NANP countries other than the site's included).
    public var international: Bool
    public var tier: RiskTier
    /// Why the tier was given (the matching risk-list entry), empty when normal.
    public var tierReason: String
    /// The numbering-plan prefix that matched (digits), empty when none.
    public var matchedPrefix: String
    /// Per-minute rate and where it came from.
    public var ratePerMinute: Double
    public var currency: String
    public var rateSource: String
    public var rateRule: String
}
