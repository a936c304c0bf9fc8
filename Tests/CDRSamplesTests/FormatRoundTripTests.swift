import CDRAnalysis
import CDRIngest
import CDRModel
import CDRSamples
import Foundation
import Testing

/// Every vendor format of a generated month, converted to the canonical format and read again, gives the same
/// analysis as the canonical original: the same calls, the same incidents, the same trunk figures.
@Suite struct FormatRoundTripTests {
    struct Analysis: Equatable {
        var calls: Int
        var directions: [String: Int]
        var incidents: [String]
        var peaks: [String: Int]
    }

    static func analyse(_ store: ColumnStore, _ inventory: Inventory) -> Analysis {
        let countries = (0..<store.sites.count).map { inventory.site(named: store.sites[UInt32($0)])?.country ?? "" }
        let destinations = CallDestinations.build(
            store: store,
            siteCountry: countries,
            classifier: DestinationClassifier()
        )
        let ctx = DetectionContext(store: store, destinations: destinations, inventory: inventory)
        let detection = DetectionRun.run(ctx)
        let capacity = CapacityReview.run(store: store, inventory: inventory)
        var directions: [String: Int] = [:]
        for i in 0..<store.count { directions[store.directionOf(i).description, default: 0] += 1 }
        return Analysis(
            calls: store.count,
            directions: directions,
            incidents: detection.incidents.map { "\($0.severity.rawValue) \($0.subject) \($0.detectors.sorted())" }
                .sorted(),
            peaks: Dictionary(uniqueKeysWithValues: capacity.trunks.map { ($0.trunk, $0.peakChannels) })
        )
    }

    /// A generated sample of `calls` calls and a fresh temporary directory for its files (the caller removes it).
    static func generated(seed: UInt64, calls: Int, _ name: String) -> (GeneratedSample, String) {
        var options = GeneratorOptions()
        options.seed = seed
        options.calls = calls
        return (Generator.generate(options), NSTemporaryDirectory() + "cdrscan-\(name)-" + UUID().uuidString)
    }

    /// Reads a generated directory site by site (each site's files declare it, as a real deployment would).
    static func read(_ dir: String, _ files: [String], _ inventory: Inventory) throws -> IngestResult {
        // A custom mapping's files come with their mapping.
        let mapping = dir + "/acme-pbx.mapping.yaml"
        let mappings = FileManager.default.fileExists(atPath: mapping) ? try MappingLoader.load(path: mapping) : []
        var groups: [InputGroup] = []
        for site in inventory.sites {
            groups.append(
                InputGroup(
                    paths: files.filter { $0.contains("/\(site.name)/") },
                    declaration: SiteDeclaration(name: site.name)
                )
            )
        }
        return try IngestRun.run(groups: groups, inventory: inventory, mappings: mappings)
    }

    @Test(
        "vendor format → canonical → analysis equals the canonical original's",
        arguments: [SampleFormat.freeswitch, .cucm, .broadworks, .twilio, .genesys, .acmePBX]
    )
    func roundTrip(format: SampleFormat) throws {
        let (sample, base) = Self.generated(seed: 2, calls: 12_000, "roundtrip")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let vendorFiles = try SampleWriter.write(sample, to: base + "/v", format: format, gzip: false, layout: .daily)
        let canonicalFiles = try SampleWriter.write(
            sample,
            to: base + "/c",
            format: .canonical,
            gzip: false,
            layout: .daily
        )
        let inventory = try InventoryLoader.load(path: base + "/c/inventory.yaml")

        let vendor = try Self.read(base + "/v", vendorFiles, inventory)
        #expect(vendor.summary.rejected == 0)
        #expect(vendor.summary.files.allSatisfy { $0.format == format.rawValue })
        #expect(vendor.summary.rowsRead == vendor.summary.calls + vendor.summary.mergedLegs)
        if format != .broadworks || sample.internalCalls > 0 { #expect(vendor.summary.mergedLegs > 0) }

        // Converted to canonical and read back.
        var text = CanonicalWriter.header
        let writer = CanonicalWriter()
        for i in 0..<vendor.store.count { writer.line(vendor.store, i, into: &text) }
        let converted = base + "/converted.csv"
        try text.write(toFile: converted, atomically: true, encoding: .utf8)
        let back = try IngestRun.run(paths: [converted], inventory: inventory)
        #expect(back.summary.rejected == 0)

        // The canonical original, without the calls the format cannot carry.
        var original = try Self.read(base + "/c", canonicalFiles, inventory).store
        if format == .twilio || format == .genesys {
            let keep = (0..<original.count).filter { original.directionOf($0) != .internal_ }
            original = original.selecting(keep)
        }
        let want = Self.analyse(original, inventory)
        #expect(Self.analyse(vendor.store, inventory) == want)
        #expect(Self.analyse(back.store, inventory) == want)
    }

    /// The rows of a multi-row call give the same call in any order (docs/formats.md, "One call, one record"): a
    /// generated month with every file's rows reversed (its header lines kept first) gives the same calls. Not
    /// Asterisk: the generator writes it without `linkedid` (no legs), and its wall-clock times in the hour that
    /// repeats when DST ends are read by their order in the file (docs/formats.md).
    @Test(
        "a generated month with every file's rows reversed gives the same calls",
        arguments: [
            (SampleFormat.freeswitch, 0), (.cucm, 2), (.broadworks, 1), (.twilio, 1), (.genesys, 1),
        ]
    )
    func reversedRows(format: SampleFormat, headerLines: Int) throws {
        let (sample, base) = Self.generated(seed: 3, calls: 4_000, "reversed")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let files = try SampleWriter.write(sample, to: base + "/v", format: format, gzip: false, layout: .daily)
        let inventory = try InventoryLoader.load(path: base + "/v/inventory.yaml")
        func calls() throws -> (records: [CallRecord], merged: Int) {
            let r = try Self.read(base + "/v", files, inventory)
            let records = (0..<r.store.count).map { r.store.record($0) }.sorted {
                ($0.site, $0.startMs, $0.endMs, $0.callerRaw, $0.calleeRaw)
                    < ($1.site, $1.startMs, $1.endMs, $1.callerRaw, $1.calleeRaw)
            }
            return (records, r.summary.mergedLegs)
        }
        let forward = try calls()
        #expect(forward.merged > 0)
        for path in files where path.hasSuffix(".csv") || !path.contains(".") {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            let head = min(headerLines, lines.count)
            let reversed = lines[..<head] + lines[head...].reversed()
            try (reversed.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let backward = try calls()
        #expect(backward.records.count == forward.records.count && backward.merged == forward.merged)
        let differing = zip(forward.records, backward.records).filter { $0 != $1 }
        #expect(
            differing.isEmpty,
            "\(differing.count) calls differ, the first: \(differing.first.map { "\($0)" } ?? "")"
        )
    }
}
