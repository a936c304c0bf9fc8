import CDRAnalysis
import CDRModel
import Testing

@Suite struct DestinationTests {
    static let classifier = DestinationClassifier()

    static func info(_ raw: String, from country: String) -> DestinationInfo {
        classifier.classify(DialPlan(region: country)!.normalize(raw).value, country: country)
    }

    static let nanp: [(String, String)] = [
        ("242", "BS"), ("246", "BB"), ("264", "AI"), ("268", "AG"), ("284", "VG"), ("345", "KY"), ("441", "BM"),
        ("473", "GD"), ("649", "TC"), ("658", "JM"), ("876", "JM"), ("664", "MS"), ("721", "SX"), ("758", "LC"),
        ("767", "DM"), ("784", "VC"), ("809", "DO"), ("829", "DO"), ("849", "DO"), ("868", "TT"), ("869", "KN"),
        ("340", "VI"), ("670", "MP"), ("671", "GU"), ("684", "AS"), ("787", "PR"), ("939", "PR"),
    ]

    @Test("each NANP area code outside the US and Canada maps to its country", arguments: nanp)
    func nanpForeign(npa: String, region: String) {
        let i = Self.info("1 \(npa) 234 5678", from: "US")
        #expect(i.region == region)
        let territory = ["VI", "MP", "GU", "AS", "PR"].contains(region)
        #expect(i.international == !territory)
    }

    @Test("US and Canada split by area code")
    func usCanada() {
        #expect(Self.info("2125550123", from: "US").region == "US")
        #expect(Self.info("4165550123", from: "US").region == "CA")
        #expect(Self.info("4165550123", from: "US").numberClass == .international)
    }

    @Test(
        "shared calling codes",
        arguments: [
            ("+74951234567", "RU"), ("+77272123456", "KZ"), ("+447700900123", "GB"), ("+441481256789", "GG"),
            ("+441534456789", "JE"), ("+441624456789", "IM"), ("+390612345678", "IT"), ("+390669812345", "VA"),
            ("+590690123456", "GP"), ("+12645551234", "AI"),
        ]
    )
    func sharedCodes(number: String, region: String) {
        #expect(Self.classifier.classify(number, country: "DE").region == region)
    }

    @Test("one number in four written forms from Germany")
    func fourForms() {
        #expect(Self.info("0034688886392", from: "DE").region == "ES")
        #expect(Self.info("+34688886392", from: "DE").region == "ES")
        let bare = Self.info("34688886392", from: "DE")
        #expect(bare.normalized == "+4934688886392")
        #expect(bare.region == "DE")
        #expect(Self.info("00034688886392", from: "DE").numberClass == .invalid)
        #expect(Self.info("0034688886392", from: "US").numberClass == .invalid)
    }

    @Test(
        "emergency numbers in several countries are never risky",
        arguments: [
            ("112", "DE"), ("911", "US"), ("999", "GB"), ("000", "AU"), ("995", "SG"), ("110", "JP"), ("112", "SG"),
        ]
    )
    func emergency(number: String, country: String) {
        let i = Self.info(number, from: country)
        #expect(i.numberClass == .emergency)
        #expect(i.tier == .normal)
        #expect(i.ratePerMinute == 0)
    }

    @Test("an extension is internal, not emergency")
    func internalExtension() {
        #expect(Self.info("2042", from: "DE").numberClass == .internal)
        #expect(Self.info("999", from: "DE").numberClass == .internal)
    }

    @Test(
        "premium and shared-cost patterns",
        arguments: [
            ("+19002345678", "US", NumberClass.premium), ("+449012345678", "GB", .premium),
            ("+4990012345678", "DE", .premium),
            ("+4918012345678", "DE", .sharedCost), ("+33891234567", "FR", .premium), ("+34803123456", "ES", .premium),
            ("+61190012345", "AU", .premium), ("+37190123456", "LV", .premium), ("+18005550123", "US", .tollFree),
            ("+979123456789", "+979", .premium), ("+80012345678", "+800", .tollFree),
        ]
    )
    func premium(number: String, region: String, cls: NumberClass) {
        let i = Self.classifier.classify(number, country: "DE")
        #expect(i.region == region)
        #expect(i.numberClass == cls)
    }

    @Test(
        "satellite and international networks are high risk",
        arguments: ["+881631234567", "+88216123456", "+870773123456"]
    )
    func satellite(number: String) {
        let i = Self.classifier.classify(number, country: "DE")
        #expect(i.numberClass == .satellite)
        #expect(i.tier == .high)
    }

    @Test("impossible lengths and unassigned codes are invalid")
    func invalid() {
        #expect(Self.classifier.classify("+4412", country: "DE").numberClass == .invalid)
        #expect(Self.classifier.classify("+999123456", country: "DE").numberClass == .invalid)
    }

    @Test("risk list: high-risk countries abroad, not at home; allow-listing a partner")
    func riskList() throws {
        #expect(Self.classifier.classify("+37061234567", country: "DE").tier == .high)  // Lithuania from Germany
        #expect(Self.classifier.classify("+37061234567", country: "LT").tier == .normal)  // at home
        var risk = RiskList.shipped
        try risk.merge(
            csv: "prefix,tier,reason\n370,allow,partner office in Vilnius\n4930,high,test\n",
            file: "mine.csv"
        )
        let c = DestinationClassifier(risk: risk)
        #expect(c.classify("+37061234567", country: "DE").tier == .normal)
        #expect(c.classify("+4930123456", country: "US").tier == .high)
        #expect(throws: DataFileError.self) {
            var r = RiskList()
            try r.merge(csv: "abc,high\n", file: "bad.csv")
        }
    }

    @Test("rate deck: longest prefix wins across overlapping prefixes")
    func rateDeck() throws {
        let deck = try RateDeck(
            csv: "prefix,rate_per_minute,currency,description\n44,0.02,EUR,UK\n447,0.10,EUR,UK mobile\n4479,0.15,EUR\n",
            file: "deck.csv"
        )
        #expect(deck.rate(Array("442079460958".utf8))?.perMinute == 0.02)
        #expect(deck.rate(Array("447700900123".utf8))?.perMinute == 0.10)
        #expect(deck.rate(Array("447912345678".utf8))?.perMinute == 0.15)
        #expect(deck.rate(Array("49301234".utf8)) == nil)
        let c = DestinationClassifier(deck: deck)
        let i = c.classify("+447700900123", country: "DE")
        #expect(i.ratePerMinute == 0.10)
        #expect(i.currency == "EUR")
        #expect(i.rateRule.contains("+447"))
        #expect(throws: DataFileError.self) { try RateDeck(csv: "44,cheap\n", file: "bad.csv") }
    }

    @Test(
        "billing increments",
        arguments: [
            ("60/60", 1.0, 60), ("60/60", 61.0, 120), ("1/1", 61.0, 61), ("30/6", 20.0, 30), ("30/6", 31.0, 36),
            ("30/6", 36.0, 36), ("30/6", 37.0, 42), ("60/60", 0.0, 0),
        ]
    )
    func billing(text: String, seconds: Double, billed: Int) {
        #expect(BillingIncrement(text)!.billed(seconds) == billed)
    }

    @Test("per-call destination columns classify each distinct number once and estimate costs")
    func callColumns() {
        var s = ColumnStore()
        for (i, callee) in ["+881631234567", "+4930123456", "2042", "+881631234567"].enumerated() {
            s.append(
                CallRecord(
                    startMs: Int64(i) * 1000,
                    answerMs: Int64(i) * 1000,
                    endMs: Int64(i) * 1000 + 120_000,
                    direction: .outbound,
                    disposition: .answered,
                    caller: "2042",
                    callee: callee,
                    trunk: "t",
                    account: "2042",
                    site: "ber"
                )
            )
        }
        let d = CallDestinations.build(store: s, siteCountry: ["", "DE"], classifier: Self.classifier)
        #expect(d.numberClass(0) == .satellite)
        #expect(d.numberClass(1) == .domesticFixed)
        #expect(d.numberClass(2) == .internal)
        #expect(abs(d.costs[0] - 10) < 1e-4)  // 2 minutes at the built-in 5.00 USD/min
        #expect(d.region(3) == "+881")
    }
}
