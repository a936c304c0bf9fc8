import CDRModel

/// Destination columns for every call of a store: class, risk tier, region and estimated cost.
///
/// Built by classifying each distinct called number once per site country through the store's dictionary, then
/// one pass over the calls. Detectors and reports read these columns next to the store's.
public struct CallDestinations: Sendable {
    /// `NumberClass` per call, as an index into `NumberClass.allCases`.
    public var classes: [UInt8]
    public var tiers: [UInt8]  // 0 normal, 1 medium, 2 high
    /// Region per call, an index into `regions` (0 = none).
    public var regionIds: [UInt16]
    public var regions: [String]
    /// Estimated cost per call (rate × billed minutes; 0 for unanswered calls).
    public var costs: [Float]
    /// Per-minute rate of each call's destination (for scoring attempts, answered or not).
    public var rates: [Float]
    public var international: [Bool]
    /// Whether the destination is allow-listed by the risk list (tier `allow`): never alerted on.
    public var allowed: [Bool]
    public var currency: String
    public var rateSource: String
    /// The classifier used (detectors classify calling numbers with it too).
    public var classifier: DestinationClassifier

    public func numberClass(_ i: Int) -> NumberClass { NumberClass.allCases[Int(classes[i])] }
    public func tier(_ i: Int) -> RiskTier { tiers[i] == 2 ? .high : (tiers[i] == 1 ? .medium : .normal) }
    public func region(_ i: Int) -> String { regions[Int(regionIds[i])] }

    /// Classifies the called numbers of all calls (the calling number for inbound calls is not rated).
    ///
    /// - Parameter siteCountry: the country of each store site id (empty when unknown).
    /// - Complexity: O(calls + distinct numbers × digits).
    public static func build(store: ColumnStore, siteCountry: [String], classifier: DestinationClassifier) -> CallDestinations {
        let classIndex = Dictionary(uniqueKeysWithValues: NumberClass.allCases.enumerated().map { ($1, UInt8($0)) })
        let regions = [""] + classifier.plan.regions
        // Memo per number id, packed in 64 bits (0 = not classified yet): bit 63 present, bit 62 international,
        // bits 56–61 class, 55 allow-listed, 48–49 tier, 32–47 region, 0–31 the rate as a Float. One memo array per site country.
        let countries = Array(Set(siteCountry + [""])).sorted()
        let countryIndex = Dictionary(uniqueKeysWithValues: countries.enumerated().map { ($1, $0) })
        let siteToCountry = siteCountry.map { countryIndex[$0]! }
        let unknownCountry = countryIndex[""]!
        let n = store.count
        var out = CallDestinations(
            classes: [UInt8](repeating: 0, count: n), tiers: [UInt8](repeating: 0, count: n),
            regionIds: [UInt16](repeating: 0, count: n), regions: [], costs: [Float](repeating: 0, count: n), rates: [Float](repeating: 0, count: n),
            international: [Bool](repeating: false, count: n), allowed: [Bool](repeating: false, count: n), currency: classifier.deck?.rates.first?.currency ?? "USD",
            rateSource: classifier.rateSource, classifier: classifier)
        let numberCount = store.numbers.count
        var memos = [[UInt64]](repeating: [], count: countries.count)
        let billing = classifier.deck?.billing
        for i in 0..<n {
            let site = Int(store.site[i])
            let ci = site < siteToCountry.count ? siteToCountry[site] : unknownCountry
            if memos[ci].isEmpty { memos[ci] = [UInt64](repeating: 0, count: numberCount) }
            let number = Int(store.callee[i])
            var memo = memos[ci][number]
            if memo == 0 {
                let v = store.numbers.withBytes(UInt32(number)) { classifier.verdict($0, country: countries[ci]) }
                let tier: UInt64 = v.tier == .high ? 2 : (v.tier == .medium ? 1 : 0)
                let allowed = v.riskEntry >= 0 && classifier.risk.entries[Int(v.riskEntry)].tier == .normal
                memo = 1 << 63 | (v.international ? 1 << 62 : 0) | (allowed ? 1 << 55 : 0) | UInt64(classIndex[v.numberClass]!) << 56
                    | tier << 48 | UInt64(v.region) << 32 | UInt64(Float(v.ratePerMinute).bitPattern)
                memos[ci][number] = memo
            }
            let rate = Float(bitPattern: UInt32(truncatingIfNeeded: memo))
            out.classes[i] = UInt8(truncatingIfNeeded: memo >> 56) & 0x3F
            out.tiers[i] = UInt8(truncatingIfNeeded: memo >> 48) & 0x3
            out.regionIds[i] = UInt16(truncatingIfNeeded: memo >> 32)
            out.international[i] = memo & (1 << 62) != 0
            out.allowed[i] = memo & (1 << 55) != 0
            out.rates[i] = rate
            let billable = Double(store.billableMs(i)) / 1000
            if billable > 0 && rate > 0 {
                let minutes = billing.map { Double($0.billed(billable)) / 60 } ?? billable / 60
                out.costs[i] = Float(minutes * Double(rate))
            }
        }
        out.regions = regions
        return out
    }
}
