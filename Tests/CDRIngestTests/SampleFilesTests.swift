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

extension SampleFilesTests {
    /// A hand-written file joined to itself (`cat a b > ab`, each with its header): the second header is a
    /// `repeated_header` reject (CUCM's line of column types after it too), not a bad timestamp or a missing time,
    /// and every other row reads as it does alone.
    @Test(
        "files joined with their headers: the header again is a repeated_header reject",
        arguments: [
            ("canonical.csv", 1), ("cucm_cdr_StandAloneCluster_01_202603041700_1", 2), ("twilio-calls.csv", 1),
            ("genesys-conversations.csv", 1),
        ]
    )
    func joinedFiles(name: String, headerLines: Int) throws {
        let inventory = try InventoryLoader.load(path: Self.root + "/month/inventory.yaml")
        let declaration = SiteDeclaration(name: "ber")
        let path = Self.root + "/handwritten/" + name
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        if bytes.last != 0x0A { bytes.append(0x0A) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let joined = dir + "/joined-" + name
        #expect(FileManager.default.createFile(atPath: joined, contents: Data(bytes + bytes)))
        let alone = try IngestRun.run(paths: [path], inventory: inventory, declaration: declaration)
        let both = try IngestRun.run(paths: [joined], inventory: inventory, declaration: declaration)
        var expected = alone.summary.rejectsByReason.mapValues { $0 * 2 }
        expected[RejectReason.repeatedHeader] = headerLines
        #expect(both.summary.rejectsByReason == expected)
        let file = both.summary.files[0]
        #expect(file.rows == file.calls + file.rejected + file.mergedLegs)
        #expect(file.rows == 2 * alone.summary.files[0].rows + headerLines)
    }
}
