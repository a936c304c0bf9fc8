/// A site of the organization: its zone, country, dialing plan, business calendar and trunks.
public struct Site: Sendable, Equatable {
    public let name: String
    /// IANA time zone identifier.
    public let timeZone: String
    public let dialPlan: DialPlan
    public var calendar: BusinessCalendar

    public init(name: String, timeZone: String, dialPlan: DialPlan, calendar: BusinessCalendar) {
        self.name = name
        self.timeZone = timeZone
        self.dialPlan = dialPlan
        self.calendar = calendar
    }

    /// ISO 3166-1 alpha-2 country code of the site.
    public var country: String { dialPlan.country.region }
}

/// A trunk (carrier circuit group or SIP trunk) with its contracted channels.
public struct Trunk: Sendable, Equatable {
    public let name: String
    public let site: String
    /// Contracted concurrent channels.
    public let channels: Int
    /// Free text such as `E1`, `T1 PRI`, `SIP 40-pack`.
    public let kind: String

    public init(name: String, site: String, channels: Int, kind: String = "") {
        self.name = name
        self.site = site
        self.channels = channels
        self.kind = kind
    }
}

/// All sites and trunks known to a run (the inventory file, or `--site/--timezone/--country`).
public struct Inventory: Sendable, Equatable {
    public var sites: [Site]
    public var trunks: [Trunk]

    public init(sites: [Site] = [], trunks: [Trunk] = []) {
        self.sites = sites
        self.trunks = trunks
    }

    public func site(named name: String) -> Site? { sites.first { $0.name == name } }
    public func trunk(named name: String) -> Trunk? { trunks.first { $0.name == name } }
    public func trunks(ofSite name: String) -> [Trunk] { trunks.filter { $0.site == name } }
}
