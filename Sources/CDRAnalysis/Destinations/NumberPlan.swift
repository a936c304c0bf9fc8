import CDRModel
import Foundation

/// Number types in the numbering plan (from libphonenumber's metadata).
public enum PlanType: UInt8, Sendable, CaseIterable {
    case unknown, fixed, mobile, fixedOrMobile, tollFree, premium, sharedCost, personal, uan, voip, pager

    init(name: String) {
        switch name {
        case "fixed": self = .fixed
        case "mobile": self = .mobile
        case "fixed_or_mobile": self = .fixedOrMobile
        case "toll_free": self = .tollFree
        case "premium": self = .premium
        case "shared_cost": self = .sharedCost
        case "personal": self = .personal
        case "uan": self = .uan
        case "voip": self = .voip
        case "pager": self = .pager
        default: self = .unknown
        }
    }
}

/// The world numbering plan as a digit trie: longest-prefix match from an E.164 number to its region and type.
///
/// Loaded from `Data/numbering.csv` (generated from libphonenumber metadata, Apache-2.0; see
/// `tools/gen-numbering-data.py`). Shared calling codes (+1 NANP, +7, +44, +39, …) are split by the digits after
/// the code, so `+1 876…` is Jamaica and `+7 727…` Kazakhstan.
///
/// - Complexity: lookup is O(digits); loading parses about 16,000 prefixes (a few milliseconds).
public struct NumberPlan: Sendable {
    private var trie = DigitTrie()
    public private(set) var regions: [String] = []
    private var regionIndex: [String: UInt16] = [:]
    private var types: [PlanType] = []
    private var entryRegion: [UInt16] = []

    /// The shipped plan.
    public static let shared: NumberPlan = {
        guard let url = Bundle.module.url(forResource: "numbering", withExtension: "csv", subdirectory: "Data"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("numbering.csv is missing from the CDRAnalysis resources") }
        return NumberPlan(csv: text)
    }()

    public init(csv: String) {
        var header = true
        for line in csv.split(separator: "\n") where !line.hasPrefix("#") {
            if header {
                header = false
                continue
            }
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count >= 3 else { continue }
            let region = String(f[1])
            let r: UInt16
            if let existing = regionIndex[region] {
                r = existing
            } else {
                r = UInt16(regions.count)
                regions.append(region)
                regionIndex[region] = r
            }
            entryRegion.append(r)
            types.append(PlanType(name: String(f[2])))
            trie.insert(f[0], value: Int32(types.count - 1))
        }
    }

    /// Index of a region in `regions`, when the plan knows it.
    public func index(ofRegion region: String) -> UInt16? { regionIndex[region] }

    /// The longest prefix of `digits` (E.164 without `+`) in the plan.
    @inline(__always)
    public func lookupIndex(_ digits: some Sequence<UInt8>) -> (region: UInt16, type: PlanType, prefixLength: Int)? {
        guard let (e, len) = trie.longest(digits) else { return nil }
        return (entryRegion[Int(e)], types[Int(e)], len)
    }

    /// The longest prefix of `digits` (E.164 without `+`) in the plan, with the region's code.
    public func lookup(_ digits: some Sequence<UInt8>) -> (region: String, type: PlanType, prefixLength: Int)? {
        lookupIndex(digits).map { (regions[Int($0.region)], $0.type, $0.prefixLength) }
    }
}
