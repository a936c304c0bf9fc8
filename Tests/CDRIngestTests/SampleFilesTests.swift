import CDRIngest
import CDRModel
import Foundation
import Testing

/// The committed sample files: the dirty set's expected rejects, and the hand-written quirk files.
@Suite struct SampleFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-cdrs").path

    struct Expected: Decodable {
        struct File: Decodable {
            let rows: Int
            let calls: Int
            let rejected: Int
            let error_kind: String?
            let reasons: [String: Int]
        }
        let files: [String: File]
    }

    @Test("every damaged file produces exactly its expected rejects")
    func dirty() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/dirty/expected.json"))
        let expected = try JSONDecoder().decode(Expected.self, from: data)
        #expect(expected.files.count == 5)
        for (name, want) in expected.files {
            let result = try IngestRun.run(
                paths: [Self.root + "/dirty/" + name],
                declaration: SiteDeclaration(country: "DE")
            )
            let file = result.summary.files[0]
            #expect(file.rows == want.rows, "\(name)")
            #expect(file.calls == want.calls, "\(name)")
            #expect(file.rejected == want.rejected, "\(name)")
            #expect(file.errorKind == want.error_kind, "\(name)")
            #expect(result.summary.rejectsByReason == want.reasons, "\(name)")
            #expect(result.summary.rowsRead == result.summary.calls + result.summary.rejected)
        }
    }

    @Test("hand-written canonical and Asterisk files read without rejects")
    func handwritten() throws {
        let inventory = try InventoryLoader.load(path: Self.root + "/month/inventory.yaml")
        let canonical = try IngestRun.run(paths: [Self.root + "/handwritten/canonical.csv"], inventory: inventory)
        #expect(canonical.summary.calls == 7)
        #expect(canonical.summary.rejected == 0)
        #expect(canonical.store.record(0).caller == "+49301234567")
        #expect(canonical.store.record(4).callee == "+18765550199")
        let asterisk = try IngestRun.run(
            paths: [Self.root + "/handwritten/asterisk-Master.csv"],
            inventory: inventory,
            declaration: SiteDeclaration(name: "ber")
        )
        #expect(asterisk.summary.calls == 5)
        #expect(asterisk.summary.rejected == 0)
        #expect(asterisk.summary.ambiguousLocalTimes == 1)
        #expect(asterisk.store.record(1).direction == .inbound)
        #expect(asterisk.store.record(1).trunk == "ber-sipgate")
        #expect(asterisk.store.record(4).trunk == "ber-telekom")
    }
}
