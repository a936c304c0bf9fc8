import CDRAnalysis
import CDRIngest
import CDRModel
import CDRSamples
import Foundation
import Testing

/// The quality bar of the detectors, measured on generated data with known answers.
@Suite struct DetectionQualityTests {
    static func detect(seed: UInt64, clean: Bool) throws -> (GeneratedSample, DetectionResult) {
        var o = GeneratorOptions()
        o.seed = seed
        if clean { o.scenarios = [] }
        let sample = Generator.generate(o)
        let dir = NSTemporaryDirectory() + "cdrscan-detect-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try SampleWriter.write(sample, to: dir, format: .canonical, gzip: false, layout: .daily)
        let inventory = try InventoryLoader.load(path: dir + "/inventory.yaml")
        let result = try IngestRun.run(paths: files, inventory: inventory)
        let countries = (0..<result.store.sites.count).map {
            inventory.site(named: result.store.sites[UInt32($0)])?.country ?? ""
        }
        let destinations = CallDestinations.build(
            store: result.store,
            siteCountry: countries,
            classifier: DestinationClassifier()
        )
        let ctx = DetectionContext(store: result.store, destinations: destinations, inventory: inventory)
        return (sample, DetectionRun.run(ctx))
    }

    static func parse(_ s: String) -> Int64 {
        let b = Array(s.utf8)
        return b.withUnsafeBytes { p -> Int64 in
            let d = CivilTime.days(
                year: Int(s.prefix(4))!,
                month: Int(s.dropFirst(5).prefix(2))!,
                day: Int(s.dropFirst(8).prefix(2))!
            )
            let h = Int64(s.dropFirst(11).prefix(2))!
            let m = Int64(s.dropFirst(14).prefix(2))!
            let sec = Int64(s.dropFirst(17).prefix(2))!
            _ = p
            return (d * 86_400 + h * 3600 + m * 60 + sec) * 1000
        }
    }

    /// The detector (and rule, where one rule is the point) meant to find each scenario: another detector's alert
    /// on the same subject does not count.
    static func finder(_ kind: ScenarioKind) -> (detector: String, rule: String?) {
        switch kind {
        case .pbxHack: return ("toll_fraud", nil)
        case .intlBurst: return ("intl_burst", nil)
        case .afterHours: return ("after_hours", nil)
        case .wangiri: return ("wangiri", "one_ring")
        case .lowAndSlow: return ("toll_fraud", "low_and_slow")
        }
    }

    @Test(
        "every injected scenario is found by its detector, with the right subject and an overlapping window",
        arguments: [1, 2, 3] as [UInt64]
    )
    func scenariosFound(seed: UInt64) throws {
        let (sample, result) = try Self.detect(seed: seed, clean: false)
        for truth in sample.truth.scenarios {
            let from = Self.parse(truth.windowStartUtc)
            let to = Self.parse(truth.windowEndUtc)
            let (detector, rule) = Self.finder(truth.type)
            let hit = result.alerts.contains {
                $0.detector == detector && (rule == nil || $0.rule == rule) && $0.subject == truth.subject
                    && $0.subjectKind == truth.subjectKind && $0.windowStartMs <= to && $0.windowEndMs >= from
            }
            #expect(
                hit,
                "seed \(seed): \(truth.type.rawValue) on \(truth.subject) not found by \(detector) \(rule ?? "")"
            )
        }
        // The Wangiri callbacks are tied to the range.
        #expect(result.alerts.contains { $0.detector == "wangiri" && $0.rule == "callback" })
        // The hacked extension's incident is the most severe.
        #expect(result.incidents.first?.subject == "2042")
    }

    @Test("a clean month of three sites raises at most 2 alerts", arguments: [2, 3, 4] as [UInt64])
    func cleanMonth(seed: UInt64) throws {
        let (_, result) = try Self.detect(seed: seed, clean: true)
        #expect(result.alerts.count <= 2, "seed \(seed): \(result.alerts.map(\.summary))")
    }
}
