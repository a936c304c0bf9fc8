import CDRModel
import Foundation

/// Classifies called numbers: country, class relative to the calling site, risk tier, and rate.
///
/// Rules (see `docs/numbering.md`):
/// - empty or not a number → `unknown`; a short number on the site's emergency list (or 112/911) → `emergency`;
///   other short numbers → `internal`;
/// - `+…` numbers by longest prefix in the numbering plan: no match → `invalid`; a national number length
///   outside the region's range → `invalid`; +870/+878/+881/+882/+883/+888 → `satellite`; premium, shared-cost
///   and toll-free types keep their class at home and abroad (+979 is premium, +800 toll-free);
///   other numbers → `international` when the region differs from the site's country (US territories count
///   as domestic for US sites), else `domestic_fixed`, `domestic_mobile` or `domestic`;
/// - tier: `high` for premium and satellite; otherwise the risk list's longest matching prefix for international
///   numbers (an `allow` entry makes it normal); `medium` for invalid numbers; emergency is always normal.
public struct DestinationClassifier: Sendable {
    public let plan: NumberPlan
    public var risk: RiskList
    public var deck: RateDeck?
    public let defaults = DefaultRates.shipped
    private let emergency: [String: Set<String>]
    private let satelliteCodes: Set<String> = ["+870", "+878", "+881", "+882", "+883", "+888"]

    public init(plan: NumberPlan = .shared, risk: RiskList = .shipped, deck: RateDeck? = nil) {
        self.plan = plan
        self.risk = risk
        self.deck = deck
        var e: [String: Set<String>] = [:]
        if let url = Bundle.module.url(forResource: "emergency", withExtension: "csv", subdirectory: "Data"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        {
            for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("country") {
                let f = line.split(separator: ",").map(String.init)
                if f.count == 2 { e[f[0], default: []].insert(f[1]) }
            }
        }
        emergency = e
    }

    /// Where rates come from, for reports.
    public var rateSource: String {
        deck.map { "rate deck \($0.source) (billing \($0.billing))" } ?? "built-in coarse rates per class and tier (USD)"
    }

    /// Whether a short number is an emergency number in `country`.
    public func isEmergency(_ number: String, country: String) -> Bool {
        emergency["*"]?.contains(number) == true || emergency[country]?.contains(number) == true
    }

    static let usTerritories: Set<String> = ["PR", "VI", "GU", "AS", "MP"]

    /// Classifies a normalized number (as in the store) dialled from a site in `country`.
    public func classify(_ normalized: String, country: String) -> DestinationInfo {
        var info = DestinationInfo(
            normalized: normalized, region: "", regionName: "", numberClass: .unknown, international: false,
            tier: .normal, tierReason: "", matchedPrefix: "", ratePerMinute: 0, currency: deck?.rates.first?.currency ?? "USD",
            rateSource: rateSource, rateRule: "")
        let bytes = Array(normalized.utf8)
        if bytes.isEmpty {
            info.rateRule = "no number"
            return info
        }
        if bytes[0] != UInt8(ascii: "+") {
            guard bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                info.rateRule = "not a number"
                return info
            }
            if isEmergency(normalized, country: country) {
                info.numberClass = .emergency
                info.rateRule = "emergency numbers are never rated or flagged"
                return info
            }
            info.numberClass = .internal
            info.rateRule = "internal extension"
            return info
        }
        let digits = bytes.dropFirst()
        guard let (region, type, length) = plan.lookup(digits) else {
            info.numberClass = .invalid
            info.tier = .medium
            info.tierReason = "no country calling code matches"
            applyRate(&info, digits)
            return info
        }
        info.region = region
        info.matchedPrefix = String(decoding: digits.prefix(length), as: UTF8.self)
        let countryInfo = CountryTable.shared.info(region) ?? CountryTable.shared.byRegion.values.first { $0.region == region }
        info.regionName = countryInfo?.name ?? region
        let isNetwork = region.hasPrefix("+")
        let domestic = !isNetwork && (region == country || (country == "US" && Self.usTerritories.contains(region)))
        info.international = !domestic
        if let ci = countryInfo {
            let nsn = digits.count - ci.callingCode.count
            if nsn < ci.minLength || nsn > ci.maxLength {
                info.numberClass = .invalid
                info.tier = .medium
                info.tierReason = "impossible length for \(ci.name) (\(ci.minLength)-\(ci.maxLength) digits after +\(ci.callingCode))"
                applyRate(&info, digits)
                return info
            }
        }
        switch type {
        case .premium: info.numberClass = .premium
        case .sharedCost: info.numberClass = .sharedCost
        case .tollFree: info.numberClass = .tollFree
        default:
            if satelliteCodes.contains(region) {
                info.numberClass = .satellite
            } else if !domestic {
                info.numberClass = .international
            } else {
                info.numberClass = type == .fixed ? .domesticFixed : (type == .mobile ? .domesticMobile : .domestic)
            }
        }
        if info.numberClass == .premium || info.numberClass == .satellite {
            info.tier = .high
            info.tierReason = info.numberClass == .premium ? "premium-rate number" : "satellite or international network"
        }
        if !domestic, let entry = risk.match(digits) {
            if entry.tier == .normal {
                if info.numberClass != .premium && info.numberClass != .satellite {
                    info.tier = .normal
                    info.tierReason = "allow-listed: \(entry.reason)"
                }
            } else if entry.tier > info.tier {
                info.tier = entry.tier
                info.tierReason = "+\(entry.prefix): \(entry.reason) [\(entry.source)]"
            } else if info.tierReason.isEmpty {
                info.tierReason = "+\(entry.prefix): \(entry.reason) [\(entry.source)]"
            }
        }
        applyRate(&info, digits)
        return info
    }

    private func applyRate(_ info: inout DestinationInfo, _ digits: some Sequence<UInt8>) {
        if let deck, let r = deck.rate(digits) {
            info.ratePerMinute = r.perMinute
            info.currency = r.currency
            info.rateRule = "rate deck prefix +\(r.prefix)\(r.description.isEmpty ? "" : " (\(r.description))")"
        } else if info.numberClass == .emergency || info.numberClass == .tollFree {
            info.ratePerMinute = 0
            info.rateRule = "free"
        } else {
            info.ratePerMinute = defaults.rate(info.numberClass, info.tier)
            info.currency = defaults.currency
            info.rateRule = "built-in rate for \(info.numberClass.rawValue)\(info.international && info.numberClass == .international ? " (\(info.tier.rawValue) risk)" : "")"
                + (deck != nil ? " (no rate-deck prefix matched)" : "")
        }
    }
}
