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
/// - tier: `high` for premium and satellite; the risk list's longest matching prefix for numbers abroad (an
///   `allow` entry makes any number under it normal, and detectors never alert on it); `medium` for invalid
///   numbers; emergency is always normal.
public struct DestinationClassifier: Sendable {
    public let plan: NumberPlan
    public var risk: RiskList
    public var deck: RateDeck?
    public let defaults = DefaultRates.shipped
    private let emergency: [String: Set<String>]
    static let satelliteCodes: Set<String> = ["+870", "+878", "+881", "+882", "+883", "+888"]
    let regionFacts: [RegionFacts]

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
        regionFacts = plan.regions.map { code in
            let info = CountryTable.shared.info(code) ?? CountryTable.shared.byRegion[code]
            return RegionFacts(
                code: code,
                name: info?.name ?? code,
                callingCodeLength: info?.callingCode.count ?? 0,
                minLength: info?.minLength ?? 0,
                maxLength: info?.maxLength ?? 99,
                network: code.hasPrefix("+"),
                satellite: Self.satelliteCodes.contains(code),
                usTerritory: Self.usTerritories.contains(code),
                known: info != nil
            )
        }
    }

    /// Where rates come from, for reports.
    public var rateSource: String {
        deck.map { "rate deck \($0.source) (billing \($0.billing))" }
            ?? "built-in coarse rates per class and tier (USD)"
    }

    /// Whether a short number is an emergency number in `country`.
    public func isEmergency(_ number: String, country: String) -> Bool {
        emergency["*"]?.contains(number) == true || emergency[country]?.contains(number) == true
    }

    static let usTerritories: Set<String> = ["PR", "VI", "GU", "AS", "MP"]

    /// Facts about each region of the numbering plan, by plan region index (precomputed once).
    struct RegionFacts: Sendable {
        var code: String
        var name: String
        var callingCodeLength: Int
        var minLength: Int
        var maxLength: Int
        var network: Bool
        var satellite: Bool
        var usTerritory: Bool
        var known: Bool
    }

    /// The compact result of classifying one number, without any text (the hot path).
    public struct Verdict: Sendable, Equatable {
        public var numberClass: NumberClass
        public var tier: RiskTier
        /// Plan region index + 1, 0 when none.
        public var region: UInt16
        public var international: Bool
        public var prefixLength: Int
        /// Index of the matching risk-list entry, −1 when none.
        public var riskEntry: Int32
        public var ratePerMinute: Double
        public var invalidLength: Bool
    }

    /// Classifies the bytes of a normalized number dialled from a site in `country` (ISO code).
    ///
    /// - Complexity: O(digits); no allocation for E.164 numbers.
    public func verdict(_ p: UnsafeRawBufferPointer, country: String) -> Verdict {
        var v = Verdict(
            numberClass: .unknown,
            tier: .normal,
            region: 0,
            international: false,
            prefixLength: 0,
            riskEntry: -1,
            ratePerMinute: 0,
            invalidLength: false
        )
        if p.isEmpty { return v }
        if p[0] != UInt8(ascii: "+") {
            for b in p where b < 48 || b > 57 { return v }
            v.numberClass = isEmergency(String(decoding: p, as: UTF8.self), country: country) ? .emergency : .internal
            return v
        }
        let digits = UnsafeRawBufferPointer(rebasing: p[1...])
        guard let (regionIndex, type, length) = plan.lookupIndex(digits) else {
            v.numberClass = .invalid
            v.tier = .medium
            v.international = true
            v.ratePerMinute = rate(digits, v.numberClass, v.tier)
            return v
        }
        let facts = regionFacts[Int(regionIndex)]
        v.region = regionIndex + 1
        v.prefixLength = length
        let domestic = !facts.network && (facts.code == country || (country == "US" && facts.usTerritory))
        v.international = !domestic
        if facts.known {
            let nsn = digits.count - facts.callingCodeLength
            if nsn < facts.minLength || nsn > facts.maxLength {
                v.numberClass = .invalid
                v.tier = .medium
                v.invalidLength = true
                v.ratePerMinute = rate(digits, v.numberClass, v.tier)
                return v
            }
        }
        switch type {
        case .premium: v.numberClass = .premium
        case .sharedCost: v.numberClass = .sharedCost
        case .tollFree: v.numberClass = .tollFree
        default:
            if facts.satellite {
                v.numberClass = .satellite
            } else if !domestic {
                v.numberClass = .international
            } else {
                v.numberClass = type == .fixed ? .domesticFixed : (type == .mobile ? .domesticMobile : .domestic)
            }
        }
        if v.numberClass == .premium || v.numberClass == .satellite { v.tier = .high }
        if !domestic, let (e, _) = risk.matchIndex(digits) {
            v.riskEntry = e
            let entry = risk.entries[Int(e)]
            if entry.tier == .normal {
                v.tier = .normal  // allow-listed: trusted even for premium or satellite numbers
            } else if entry.tier > v.tier {
                v.tier = entry.tier
            }
        }
        v.ratePerMinute =
            v.numberClass == .tollFree ? (deck?.rate(digits)?.perMinute ?? 0) : rate(digits, v.numberClass, v.tier)
        return v
    }

    @inline(__always)
    private func rate(_ digits: UnsafeRawBufferPointer, _ c: NumberClass, _ tier: RiskTier) -> Double {
        if let deck, let r = deck.rate(digits) { return r.perMinute }
        return defaults.rate(c, tier)
    }

    /// The plan region code of a verdict (`DE`, `+881`), empty when none.
    public func regionCode(_ v: Verdict) -> String { v.region == 0 ? "" : regionFacts[Int(v.region) - 1].code }

    /// Classifies a normalized number (as in the store) dialled from a site in `country`, with every explanation.
    public func classify(_ normalized: String, country: String) -> DestinationInfo {
        var text = normalized
        let v = text.withUTF8 { verdict(UnsafeRawBufferPointer($0), country: country) }
        var info = DestinationInfo(
            normalized: normalized,
            region: regionCode(v),
            regionName: "",
            numberClass: v.numberClass,
            international: v.international,
            tier: v.tier,
            tierReason: "",
            matchedPrefix: "",
            ratePerMinute: v.ratePerMinute,
            currency: deck?.rates.first?.currency ?? "USD",
            rateSource: rateSource,
            rateRule: ""
        )
        if v.region > 0 {
            let facts = regionFacts[Int(v.region) - 1]
            info.regionName = facts.name
            info.matchedPrefix = String(normalized.dropFirst().prefix(v.prefixLength))
            if v.invalidLength {
                info.tierReason =
                    "impossible length for \(facts.name) (\(facts.minLength)-\(facts.maxLength) digits after the calling code)"
            }
        }
        switch v.numberClass {
        case .unknown: info.rateRule = normalized.isEmpty ? "no number" : "not a number"
        case .emergency: info.rateRule = "emergency numbers are never rated or flagged"
        case .internal: info.rateRule = "internal extension"
        case .invalid where v.region == 0: info.tierReason = "no country calling code matches"
        default: break
        }
        if info.tierReason.isEmpty {
            if v.numberClass == .premium {
                info.tierReason = "premium-rate number"
            } else if v.numberClass == .satellite {
                info.tierReason = "satellite or international network"
            }
        }
        if v.riskEntry >= 0 {
            let e = risk.entries[Int(v.riskEntry)]
            if e.tier == .normal {
                if v.tier == .normal { info.tierReason = "allow-listed: \(e.reason)" }
            } else if e.tier == v.tier || info.tierReason.isEmpty {
                info.tierReason = "+\(e.prefix): \(e.reason) [\(e.source)]"
            }
        }
        if ![.unknown, .emergency, .internal].contains(v.numberClass) {
            var digits = Array(normalized.utf8.dropFirst())
            digits.withUnsafeMutableBytes { d in
                if let deck, let r = deck.rate(UnsafeRawBufferPointer(d)) {
                    info.currency = r.currency
                    info.rateRule = "rate deck prefix +\(r.prefix)\(r.description.isEmpty ? "" : " (\(r.description))")"
                } else if v.numberClass == .tollFree {
                    info.rateRule = "free"
                } else {
                    info.currency = defaults.currency
                    info.rateRule =
                        "built-in rate for \(v.numberClass.rawValue)\(v.numberClass == .international ? " (\(v.tier.rawValue) risk)" : "")"
                        + (deck != nil ? " (no rate-deck prefix matched)" : "")
                }
            }
        }
        return info
    }

}
