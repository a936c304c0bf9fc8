import CDRModel
import CPrefetch

/// Destination columns for every call of a store: class, risk tier, region and estimated cost.
///
/// Built by classifying each distinct called number once per site country through the store's dictionary, then
/// one pass over the calls. Detectors and reports read these columns next to the store's.
public struct CallDestinations: Sendable {
    /// A per-call column read through each call's verdict: a small table indexed by the call's verdict number, so
    /// the store keeps 4 bytes a call for all of class, tier, region, rate, international and allow-listed.
    public struct Column<T: Sendable>: Sendable {
        let verdicts: IdColumn
        let table: [T]

        @inline(__always) public subscript(i: Int) -> T { table[Int(verdicts[i])] }
        public var count: Int { verdicts.count }
    }

    /// The verdict number of each call (an index into the distinct verdicts of this run): 2 bytes a call while a
    /// run has at most 65,536 distinct verdicts (class, tier, region, rate and flags together; a rate deck with more
    /// distinct rates than that makes it 4 bytes).
    public let verdicts: IdColumn
    /// `NumberClass` per call, as an index into `NumberClass.allCases`.
    public let classes: Column<UInt8>
    public let tiers: Column<UInt8>  // 0 normal, 1 medium, 2 high
    /// Region per call, an index into `regions` (0 = none).
    public let regionIds: Column<UInt16>
    public var regions: [String]
    /// Estimated cost per call (rate × billed minutes; 0 for unanswered, inbound and internal calls), computed
    /// when read from the call's rate and billed time, so it costs no memory per call.
    public var costs: Costs
    /// Per-minute rate of each call's destination (for scoring attempts, answered or not).
    public let rates: Column<Float>
    public let international: Column<Bool>
    /// Whether the destination is allow-listed by the risk list (tier `allow`): never alerted on.
    public let allowed: Column<Bool>
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
        let countries = Array(Set(siteCountry + [""])).sorted()
        let countryIndex = Dictionary(uniqueKeysWithValues: countries.enumerated().map { ($1, $0) })
        let siteToCountry = siteCountry.map { countryIndex[$0]! }
        let unknownCountry = countryIndex[""]!
        let n = store.count
        let numberCount = store.numbers.count
        var perCall = IdColumn()
        perCall.reserveCapacity(n)
        // One pass over the calls. The memo (per site country and number id) holds an index into a table of distinct
        // verdicts: 4 bytes a number keep it cache-friendly; each distinct number is classified once per country.
        var memo = [UInt32](repeating: 0, count: countries.count * numberCount)
        var verdicts: [UInt64] = [0]
        var verdictIndex: [UInt64: UInt32] = [:]
        let ahead = 16
        for i in 0..<n {
            // Start loading the memo entry of a call further on: the memo is indexed by number, so consecutive
            // calls hit scattered entries, and overlapping those misses is most of the speed.
            if i + ahead < n {
                let s2 = Int(store.site[i + ahead])
                let c2 = s2 < siteToCountry.count ? siteToCountry[s2] : unknownCountry
                memo.withUnsafeBufferPointer {
                    cdr_prefetch($0.baseAddress! + c2 * numberCount + Int(store.callee[i + ahead]))
                }
            }
            let site = Int(store.site[i])
            let ci = site < siteToCountry.count ? siteToCountry[site] : unknownCountry
            let number = Int(store.callee[i])
            let slot = ci * numberCount + number
            var k = memo[slot]
            if k == 0 {
                let v = store.numbers.withBytes(UInt32(number)) { classifier.verdict($0, country: countries[ci]) }
                let packed = pack(v, classIndex: classIndex, classifier: classifier)
                if let existing = verdictIndex[packed] {
                    k = existing
                } else {
                    verdicts.append(packed)
                    k = UInt32(verdicts.count - 1)
                    verdictIndex[packed] = k
                }
                memo[slot] = k
            }
            perCall.append(k)
        }
        return CallDestinations(
            verdicts: perCall,
            table: verdicts,
            regions: regions,
            store: store,
            currency: classifier.deck?.rates.first?.currency ?? "USD",
            rateSource: classifier.rateSource,
            classifier: classifier
        )
    }

    init(
        verdicts perCall: IdColumn,
        table: [UInt64],
        regions: [String],
        store: ColumnStore,
        currency: String,
        rateSource: String,
        classifier: DestinationClassifier
    ) {
        verdicts = perCall
        classes = Column(verdicts: perCall, table: table.map { UInt8(truncatingIfNeeded: $0 >> 56) & 0x3F })
        tiers = Column(verdicts: perCall, table: table.map { UInt8(truncatingIfNeeded: $0 >> 48) & 0x3 })
        regionIds = Column(verdicts: perCall, table: table.map { UInt16(truncatingIfNeeded: $0 >> 32) })
        rates = Column(verdicts: perCall, table: table.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) })
        international = Column(verdicts: perCall, table: table.map { $0 & (1 << 62) != 0 })
        allowed = Column(verdicts: perCall, table: table.map { $0 & (1 << 55) != 0 })
        self.regions = regions
        costs = Costs(store: store, rates: rates, billing: classifier.deck?.billing)
        self.currency = currency
        self.rateSource = rateSource
        self.classifier = classifier
    }

    /// The estimated cost of each call, computed from its rate and billed time when read. It keeps the three
    /// store columns it reads (a version reading them through the whole `ColumnStore` was not faster, and looked
    /// slower in a few noisy runs).
    public struct Costs: Sendable {
        let durationMs: [UInt32]
        let ringMs: [Int32]
        let direction: [UInt8]
        let rates: Column<Float>
        /// The rate deck's billing increments; without a deck, billed time is the exact billable time.
        let billing: BillingIncrement?

        init(store: ColumnStore, rates: Column<Float>, billing: BillingIncrement?) {
            durationMs = store.durationMs
            ringMs = store.ringMs
            direction = store.direction
            self.rates = rates
            self.billing = billing
        }

        public var count: Int { rates.count }

        /// Rate × billed minutes; only outbound calls are charged to the company (inbound and internal cost it
        /// nothing here), and unanswered calls cost nothing (the same billable time as `ColumnStore.billableMs`).
        @inline(__always) public subscript(i: Int) -> Float {
            guard direction[i] == Direction.outbound.rawValue, ringMs[i] >= 0 else { return 0 }
            let bill = Int64(durationMs[i]) - Int64(ringMs[i])
            let rate = Double(rates[i])
            guard bill > 0 && rate > 0 else { return 0 }
            let billable = Double(bill) / 1000
            let minutes = billing.map { Double($0.billed(billable)) / 60 } ?? billable / 60
            return Float(minutes * rate)
        }
    }

    /// A verdict in 64 bits: bit 63 present, 62 international, 56–61 class, 55 allow-listed, 48–49 tier,
    /// 32–47 region, 0–31 the rate as a Float.
    static func pack(
        _ v: DestinationClassifier.Verdict,
        classIndex: [NumberClass: UInt8],
        classifier: DestinationClassifier
    ) -> UInt64 {
        let tier: UInt64 = v.tier == .high ? 2 : (v.tier == .medium ? 1 : 0)
        let allowed = v.riskEntry >= 0 && classifier.risk.entries[Int(v.riskEntry)].tier == .normal
        return 1 << 63 | (v.international ? 1 << 62 : 0) | (allowed ? 1 << 55 : 0)
            | UInt64(classIndex[v.numberClass]!) << 56 | tier << 48 | UInt64(v.region) << 32
            | UInt64(Float(v.ratePerMinute).bitPattern)
    }
}
