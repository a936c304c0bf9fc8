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
        var regions = [""]
        var regionIds: [String: UInt16] = ["": 0]
        struct Memo {
            var cls: UInt8
            var tier: UInt8
            var region: UInt16
            var rate: Float
            var intl: Bool
        }
        // One memo array per distinct site country, indexed by number id.
        let countries = Array(Set(siteCountry + [""])).sorted()
        let countryIndex = Dictionary(uniqueKeysWithValues: countries.enumerated().map { ($1, $0) })
        let siteToCountry = siteCountry.map { countryIndex[$0]! }
        let unknownCountry = countryIndex[""]!
        let n = store.count
        var out = CallDestinations(
            classes: [UInt8](repeating: 0, count: n), tiers: [UInt8](repeating: 0, count: n),
            regionIds: [UInt16](repeating: 0, count: n), regions: [], costs: [Float](repeating: 0, count: n), rates: [Float](repeating: 0, count: n),
            international: [Bool](repeating: false, count: n), currency: classifier.deck?.rates.first?.currency ?? "USD",
            rateSource: classifier.rateSource, classifier: classifier)
        let numberCount = store.numbers.count
        var memos = [[Memo?]](repeating: [], count: countries.count)
        let billing = classifier.deck?.billing
        for i in 0..<n {
            let site = Int(store.site[i])
            let ci = site < siteToCountry.count ? siteToCountry[site] : unknownCountry
            if memos[ci].isEmpty { memos[ci] = [Memo?](repeating: nil, count: numberCount) }
            let number = Int(store.callee[i])
            let memo: Memo
            if let m = memos[ci][number] {
                memo = m
            } else {
                let info = classifier.classify(store.numbers[UInt32(number)], country: countries[ci])
                var rid = regionIds[info.region]
                if rid == nil {
                    rid = UInt16(regions.count)
                    regions.append(info.region)
                    regionIds[info.region] = rid
                }
                memo = Memo(
                    cls: classIndex[info.numberClass]!, tier: info.tier == .high ? 2 : (info.tier == .medium ? 1 : 0),
                    region: rid!, rate: Float(info.ratePerMinute), intl: info.international)
                memos[ci][number] = memo
            }
            out.classes[i] = memo.cls
            out.tiers[i] = memo.tier
            out.regionIds[i] = memo.region
            out.international[i] = memo.intl
            out.rates[i] = memo.rate
            let billable = Double(store.billableMs(i)) / 1000
            if billable > 0 && memo.rate > 0 {
                let minutes = billing.map { Double($0.billed(billable)) / 60 } ?? billable / 60
                out.costs[i] = Float(minutes * Double(memo.rate))
            }
        }
        out.regions = regions
        return out
    }
}
