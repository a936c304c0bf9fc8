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
    public static func build(
        store: ColumnStore,
        siteCountry: [String],
        classifier: DestinationClassifier
    ) -> CallDestinations {
        let classIndex = Dictionary(uniqueKeysWithValues: NumberClass.allCases.enumerated().map { ($1, UInt8($0)) })
        let regions = [""] + classifier.plan.regions
        // Memo per number id, packed in 64 bits (0 = not classified yet): bit 63 present, bit 62 international,
        // bits 56–61 class, 55 allow-listed, 48–49 tier, 32–47 region, 0–31 the rate as a Float. One memo array per site country.
        let countries = Array(Set(siteCountry + [""])).sorted()
        let countryIndex = Dictionary(uniqueKeysWithValues: countries.enumerated().map { ($1, $0) })
        let siteToCountry = siteCountry.map { countryIndex[$0]! }
        let unknownCountry = countryIndex[""]!
        let n = store.count
        let numberCount = store.numbers.count
        let billing = classifier.deck?.billing
        // Per-call outputs, one pass per site country with that country's memo (few countries, so few passes).
        var classes = [UInt8](repeating: 0, count: n)
        var tiers = [UInt8](repeating: 0, count: n)
        var regionIds = [UInt16](repeating: 0, count: n)
        var international = [Bool](repeating: false, count: n)
        var allowedOut = [Bool](repeating: false, count: n)
        var rates = [Float](repeating: 0, count: n)
        var costs = [Float](repeating: 0, count: n)
        let callSiteCountry = store.site.map {
            Int($0) < siteToCountry.count ? UInt8(siteToCountry[Int($0)]) : UInt8(unknownCountry)
        }
        // The memo holds an index (+1) into a table of distinct verdicts: 4 bytes a number keeps it cache-friendly.
        var verdicts: [UInt64] = [0]
        var verdictIndex: [UInt64: UInt32] = [:]
        for ci in countries.indices where callSiteCountry.contains(UInt8(ci)) {
            var memo = [UInt32](repeating: 0, count: numberCount)
            memo.withUnsafeMutableBufferPointer { m in
                classes.withUnsafeMutableBufferPointer { cls in
                    tiers.withUnsafeMutableBufferPointer { tr in
                        regionIds.withUnsafeMutableBufferPointer { rg in
                            international.withUnsafeMutableBufferPointer { intl in
                                allowedOut.withUnsafeMutableBufferPointer { al in
                                    rates.withUnsafeMutableBufferPointer { rt in
                                        costs.withUnsafeMutableBufferPointer { co in
                                            store.callee.withUnsafeBufferPointer { callee in
                                                for i in 0..<n where callSiteCountry[i] == UInt8(ci) {
                                                    let number = Int(callee[i])
                                                    var packed: UInt64
                                                    let k = m[number]
                                                    if k != 0 {
                                                        packed = verdicts[Int(k)]
                                                    } else {
                                                        let v = store.numbers.withBytes(UInt32(number)) {
                                                            classifier.verdict($0, country: countries[ci])
                                                        }
                                                        let tier: UInt64 =
                                                            v.tier == .high ? 2 : (v.tier == .medium ? 1 : 0)
                                                        let allowed =
                                                            v.riskEntry >= 0
                                                            && classifier.risk.entries[Int(v.riskEntry)].tier == .normal
                                                        packed =
                                                            1 << 63 | (v.international ? 1 << 62 : 0)
                                                            | (allowed ? 1 << 55 : 0)
                                                            | UInt64(classIndex[v.numberClass]!) << 56 | tier << 48
                                                            | UInt64(v.region) << 32
                                                            | UInt64(Float(v.ratePerMinute).bitPattern)
                                                        if let existing = verdictIndex[packed] {
                                                            m[number] = existing
                                                        } else {
                                                            verdicts.append(packed)
                                                            verdictIndex[packed] = UInt32(verdicts.count - 1)
                                                            m[number] = UInt32(verdicts.count - 1)
                                                        }
                                                    }
                                                    let rate = Float(bitPattern: UInt32(truncatingIfNeeded: packed))
                                                    cls[i] = UInt8(truncatingIfNeeded: packed >> 56) & 0x3F
                                                    tr[i] = UInt8(truncatingIfNeeded: packed >> 48) & 0x3
                                                    rg[i] = UInt16(truncatingIfNeeded: packed >> 32)
                                                    intl[i] = packed & (1 << 62) != 0
                                                    al[i] = packed & (1 << 55) != 0
                                                    rt[i] = rate
                                                    let bill = store.billableMs(i)
                                                    if bill > 0 && rate > 0 {
                                                        let billable = Double(bill) / 1000
                                                        let minutes =
                                                            billing.map { Double($0.billed(billable)) / 60 } ?? billable
                                                            / 60
                                                        co[i] = Float(minutes * Double(rate))
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var out = CallDestinations(
            classes: classes,
            tiers: tiers,
            regionIds: regionIds,
            regions: [],
            costs: costs,
            rates: rates,
            international: international,
            allowed: allowedOut,
            currency: classifier.deck?.rates.first?.currency ?? "USD",
            rateSource: classifier.rateSource,
            classifier: classifier
        )
        out.regions = regions
        return out
    }
}
