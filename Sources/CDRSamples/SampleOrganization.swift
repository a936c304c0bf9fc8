import CDRModel

/// How a number is written in a sample CDR, as PBXs really log them.
enum NumberForm: UInt8 {
    case plus  // +4930123456
    case idd  // 004930123456 / 01144… (the site's international prefix)
    case national  // 030123456 (national prefix + national number)
    case bare  // 2125550123 (national number, no prefix; NANP 10 digits, Singapore 8 digits)
    case nanp11  // 12125550123
    case short  // an extension
    case hidden  // anonymous
}

/// A number in a sample call: E.164 digits plus how to write it.
struct NumberSpec {
    var digits: UInt64  // E.164 digits without +, or the extension
    var ccLength: UInt8
    var form: NumberForm

    static let hidden = NumberSpec(digits: 0, ccLength: 0, form: .hidden)
    static func ext(_ n: Int) -> NumberSpec { NumberSpec(digits: UInt64(n), ccLength: 0, form: .short) }

    /// The E.164 text (`+…`), or the extension digits, or empty when hidden.
    var normalized: String {
        switch form {
        case .hidden: return ""
        case .short: return String(digits)
        default: return "+" + String(digits)
        }
    }
}

/// A destination group: a country code and a way to draw numbers in it.
struct Destination {
    let region: String
    let callingCode: String
    /// National-number prefixes and total national length.
    let ranges: [(prefix: String, length: Int)]

    func draw(_ rng: inout SampleRandom) -> NumberSpec {
        let r = ranges[rng.int(0...(ranges.count - 1))]
        var nsn = r.prefix
        while nsn.count < r.length { nsn.append(Character(String(rng.int(0...9)))) }
        return NumberSpec(digits: UInt64(callingCode + nsn)!, ccLength: UInt8(callingCode.count), form: .plus)
    }
}

/// One sample trunk and its share of its site's PSTN traffic.
struct SampleTrunk {
    enum Role { case tight, roomy, normal }
    let name: String
    let share: Double
    let role: Role
    var channels = 0
    var kind = ""
}

/// One sample site with its numbering habits.
struct SampleSite {
    let name: String
    let timeZone: String
    let country: String
    let callingCode: String
    let nationalPrefix: String
    let idd: String
    let extensions: ClosedRange<Int>
    /// E.164 prefix of the site's DIDs; a DID is this prefix followed by the extension.
    let didPrefix: String
    let weight: Double
    var trunks: [SampleTrunk]
    let domestic: Destination
    let partners: [Destination]
    /// How this site's PBX writes outbound numbers: weights for plus, idd, national, bare, nanp11.
    let formWeights: [Double]
}

/// The fictional organization of the samples: three sites in three zones and countries.
enum SampleOrganization {
    static func sites() -> [SampleSite] {
        let gb = Destination(region: "GB", callingCode: "44", ranges: [("20794", 10), ("1614", 10), ("7700", 10)])
        let fr = Destination(region: "FR", callingCode: "33", ranges: [("14", 9), ("61", 9)])
        let ch = Destination(region: "CH", callingCode: "41", ranges: [("44", 9), ("79", 9)])
        let us = Destination(region: "US", callingCode: "1", ranges: [("212", 10), ("415", 10), ("617", 10)])
        let ca = Destination(region: "CA", callingCode: "1", ranges: [("416", 10), ("604", 10)])
        let mx = Destination(region: "MX", callingCode: "52", ranges: [("55", 10)])
        let de = Destination(region: "DE", callingCode: "49", ranges: [("30", 10), ("89", 10), ("1512", 11)])
        let my = Destination(region: "MY", callingCode: "60", ranges: [("3", 9), ("12", 9)])
        let au = Destination(region: "AU", callingCode: "61", ranges: [("2", 9), ("4", 9)])
        let cn = Destination(region: "CN", callingCode: "86", ranges: [("10", 10), ("139", 11)])
        return [
            SampleSite(
                name: "ber",
                timeZone: "Europe/Berlin",
                country: "DE",
                callingCode: "49",
                nationalPrefix: "0",
                idd: "00",
                extensions: 2000...2249,
                didPrefix: "49309018",
                weight: 0.4,
                trunks: [
                    SampleTrunk(name: "ber-telekom", share: 0.6, role: .roomy),
                    SampleTrunk(name: "ber-sipgate", share: 0.4, role: .normal),
                ],
                domestic: Destination(
                    region: "DE",
                    callingCode: "49",
                    ranges: [("30", 10), ("40", 10), ("89", 10), ("69", 10), ("1512", 11), ("1701", 11), ("1761", 11)]
                ),
                partners: [gb, fr, ch, us],
                formWeights: [0.15, 0.15, 0.7, 0, 0]
            ),
            SampleSite(
                name: "nyc",
                timeZone: "America/New_York",
                country: "US",
                callingCode: "1",
                nationalPrefix: "1",
                idd: "011",
                extensions: 3000...3299,
                didPrefix: "1212555",
                weight: 0.4,
                trunks: [
                    SampleTrunk(name: "nyc-verizon", share: 0.8, role: .tight),
                    SampleTrunk(name: "nyc-lumen", share: 0.2, role: .normal),
                ],
                domestic: Destination(
                    region: "US",
                    callingCode: "1",
                    ranges: [("212", 10), ("646", 10), ("718", 10), ("917", 10), ("201", 10), ("516", 10)]
                ),
                partners: [ca, gb, mx, de],
                formWeights: [0.2, 0, 0, 0.5, 0.3]
            ),
            SampleSite(
                name: "sin",
                timeZone: "Asia/Singapore",
                country: "SG",
                callingCode: "65",
                nationalPrefix: "",
                idd: "001",
                extensions: 5000...5119,
                didPrefix: "656321",
                weight: 0.2,
                trunks: [
                    SampleTrunk(name: "sin-singtel", share: 0.7, role: .normal),
                    SampleTrunk(name: "sin-starhub", share: 0.3, role: .roomy),
                ],
                domestic: Destination(region: "SG", callingCode: "65", ranges: [("6", 8), ("8", 8), ("9", 8)]),
                partners: [my, au, cn, gb],
                formWeights: [0.3, 0.2, 0, 0.5, 0]
            ),
        ]
    }

    /// Relative call volume per local hour on a weekday, a Saturday and a Sunday or holiday.
    static let weekdayHours: [Double] = [
        0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 5, 9, 10, 9, 7, 7, 8.5, 8, 6, 4, 2, 1, 0.8, 0.6, 0.4, 0.3,
    ]
    static let saturdayHours: [Double] = [
        0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3, 3.5, 3.5, 3, 2.5, 2, 1.5, 1, 0.8, 0.6, 0.5, 0.4, 0.4, 0.3, 0.2,
    ]
    static let sundayHours: [Double] = [
        0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.5, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.3, 0.3, 0.3, 0.2,
        0.2, 0.1,
    ]

    /// Channel packs carriers sell, with the names used in the inventory.
    static let packs = [
        2, 4, 6, 8, 10, 12, 16, 20, 23, 30, 46, 60, 90, 120, 150, 200, 250, 300, 400, 500, 750, 1000,
        1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000,
    ]

    static func packName(_ n: Int) -> String {
        switch n {
        case 23: return "T1 PRI"
        case 30: return "E1"
        case 46: return "2x T1 PRI"
        case 60: return "2x E1"
        case 90: return "3x E1"
        case 120: return "4x E1"
        default: return "SIP \(n)-channel pack"
        }
    }
}
