import CDRAnalysis
import CDRIngest
import CDRModel
import CDRSamples
import Foundation
import Testing

/// Whole-pipeline checks on generated data with known answers.
@Suite struct GeneratedSampleTests {
    static func options(seed: UInt64 = 3, calls: Int = 20_000, clean: Bool = false) -> GeneratorOptions {
        var o = GeneratorOptions()
        o.seed = seed
        o.calls = calls
        if clean { o.scenarios = [] }
        return o
    }

    static func write(_ sample: GeneratedSample, format: SampleFormat, gzip: Bool) throws -> (String, [String]) {
        let dir = NSTemporaryDirectory() + "cdrscan-sample-" + UUID().uuidString
        let files = try SampleWriter.write(sample, to: dir, format: format, gzip: gzip, layout: .daily)
        return (dir, files)
    }

    @Test("the same seed writes the same sample; another seed another")
    func deterministic() {
        let a = Generator.generate(Self.options())
        let b = Generator.generate(Self.options())
        let c = Generator.generate(Self.options(seed: 4))
        #expect(a.truth.json() == b.truth.json())
        #expect(a.truth.json() != c.truth.json())
    }

    @Test("every scenario is in the truth file with a window and a count; a clean period has none")
    func scenarios() {
        let sample = Generator.generate(Self.options())
        #expect(Set(sample.truth.scenarios.map(\.type)) == Set(ScenarioKind.allCases))
        for s in sample.truth.scenarios {
            #expect(s.windowStartUtc < s.windowEndUtc)
            #expect(s.calls > 0)
        }
        #expect(sample.truth.scenarios.first { $0.type == .pbxHack }?.calls == 300)
        #expect(Generator.generate(Self.options(clean: true)).truth.scenarios.isEmpty)
    }

    @Test(
        "ingest keeps every generated call, and the capacity review agrees with the truth exactly",
        arguments: SampleFormat.allCases
    )
    func capacityMatchesTruth(format: SampleFormat) throws {
        let sample = Generator.generate(Self.options())
        let (dir, files) = try Self.write(sample, format: format, gzip: format == .canonical)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inventory = try InventoryLoader.load(path: dir + "/inventory.yaml")
        var store = ColumnStore()
        var rejected = 0
        if format == .canonical {
            let result = try IngestRun.run(paths: files, inventory: inventory)
            store = result.store
            rejected = result.summary.rejected
            #expect(!result.hadFileErrors)
        } else {
            // A custom mapping's files come with their mapping.
            let mappings = format == .acmePBX ? try MappingLoader.load(path: dir + "/acme-pbx.mapping.yaml") : []
            for site in inventory.sites {
                let result = try IngestRun.run(
                    paths: files.filter { $0.contains("/\(site.name)/") },
                    inventory: inventory,
                    declaration: SiteDeclaration(name: site.name),
                    mappings: mappings
                )
                store.append(contentsOf: result.store)
                rejected += result.summary.rejected
            }
        }
        #expect(rejected == 0)
        // Twilio and Genesys Cloud logs have no extension-to-extension calls.
        let noInternal = format == .twilio || format == .genesys
        #expect(store.count == sample.truth.calls - (noInternal ? sample.internalCalls : 0))
        let report = CapacityReview.run(store: store, inventory: inventory)
        #expect(report.unknownTrunks.isEmpty)
        for truth in sample.truth.trunks {
            let got = try #require(report.trunks.first { $0.trunk == truth.name })
            #expect(got.channels == truth.channels)
            #expect(got.attempts == truth.attempts)
            // Twilio's statuses have no word for congestion (it is `failed`).
            if format != .twilio { #expect(got.congestionCalls == truth.congestionCalls) }
            #expect(got.peakChannels == truth.peakChannels)
            #expect(got.peakAtUtc == truth.peakAtUtc)
            #expect(got.secondsAtOrOverLimit == truth.secondsAtOrOverLimit)
            #expect(got.episodesAtLimit == truth.episodesAtLimit)
            #expect(got.busiestHourStartUtc == truth.busyHourStartUtc)
            #expect(abs(got.busiestHourErlangs - truth.busyHourErlangs) < 1e-9)
        }
        // One trunk runs full on busy mornings, one is heavily over-provisioned.
        let tight = try #require(report.trunks.first { $0.trunk == "nyc-verizon" })
        #expect(tight.status == "at_capacity")
        #expect((format == .twilio || tight.congestionCalls > 0) && tight.daysAtLimit > 10)
        #expect(report.trunks.contains { $0.status == "right_size" })
    }

    @Test("the generator's custom mapping is the shipped example mapping, word for word")
    func acmeMapping() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shipped = try String(
            contentsOfFile: repository.path + "/sample-cdrs/handwritten/acme-pbx.mapping.yaml",
            encoding: .utf8
        )
        #expect(shipped == SampleWriter.acmeMapping)
    }

    @Test("inventory.yaml is read back with its sites, zones and trunks")
    func inventory() throws {
        let sample = Generator.generate(Self.options(calls: 1000))
        let inv = try InventoryLoader.parse(SampleWriter.inventoryYAML(sample), file: "inventory.yaml")
        #expect(inv.sites.map(\.name) == ["ber", "nyc", "sin"])
        #expect(inv.sites.map(\.timeZone) == ["Europe/Berlin", "America/New_York", "Asia/Singapore"])
        #expect(inv.trunks.count == 6)
        #expect(inv.sites[1].calendar.holidays.contains(CivilTime.days(year: 2026, month: 11, day: 26)))
    }
}
