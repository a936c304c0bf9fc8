import CDRIngest
import Foundation
import Testing

@testable import CDRPipeline

@Suite struct PipelineValidationTests {
    static let root = PipelineTests.root.path

    func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try PipelineLoader.parse(yaml, file: Self.root + "/pipelines/test.yaml")
            return nil
        } catch let e as ConfigError {
            return e
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    let minimal = """
        inputs:
          - paths: ["../sample-cdrs/month/*/*-{date}.csv.gz"]
        capacity:
          enabled: false

        """

    @Test("the shipped pipeline files are valid")
    func shipped() throws {
        for name in ["nightly", "capacity-monthly", "investigate"] {
            let spec = try PipelineLoader.load(path: Self.root + "/pipelines/\(name).yaml")
            #expect(!spec.inputs.isEmpty)
        }
    }

    @Test("a minimal pipeline parses with its defaults")
    func minimalFile() throws {
        let spec = try PipelineLoader.parse(minimal, file: Self.root + "/pipelines/test.yaml")
        #expect(spec.name == "test")
        #expect(spec.period == .all)
        #expect(spec.inputs[0].paths == [Self.root + "/sample-cdrs/month/*/*-{date}.csv.gz"])
        #expect(spec.detectors.count == 4)
        #expect(spec.onlyNewFiles)
    }

    @Test(
        "unknown keys, wrong types and impossible values name the file, line and key",
        arguments: [
            ("colour: blue\n", "colour", 5, "unknown key"),
            ("period: weekly\n", "period", 5, "night, month or all"),
            ("outputs:\n  databse: x.sqlite\n", "outputs.databse", 6, "unknown key"),
            ("outputs:\n  html: out/{night}.html\n", "outputs.html", 6, "unknown placeholder {night}"),
            (
                "detectors:\n  enabled: [toll_fraud, fax_fraud]\n", "detectors.enabled", 6,
                "unknown detector 'fax_fraud'"
            ),
            (
                "detectors:\n  settings:\n    fast_attempts: many\n", "detectors.settings.fast_attempts", 7,
                "whole number"
            ),
            ("detectors:\n  history_days: 30\n", "detectors.history_days", nil, "set outputs.database"),
            ("exit:\n  fail_on: panic\n", "exit.fail_on", 6, "low, medium, high or critical"),
            ("exit:\n  max_rejected_share: 2\n", "exit.max_rejected_share", 6, "between 0 and 1"),
            ("filter:\n  direction: sideways\n", "filter.direction", 6, "inbound, outbound or internal"),
            ("filter:\n  since: last tuesday\n", "filter.since", 6, "a date"),
            ("rating:\n  rates: no-such-deck.csv\n", "rating.rates", 6, "cannot read"),
            ("timezone: Mars/Olympus\n", "timezone", 5, "unknown IANA time zone"),
        ] as [(String, String, Int?, String)]
    )
    func invalid(_ extra: String, _ key: String, _ line: Int?, _ message: String) throws {
        let e = try #require(error(minimal + extra))
        #expect(e.key == key)
        #expect(e.line == line)
        #expect(e.message.contains(message))
        #expect(e.file.hasSuffix("pipelines/test.yaml"))
    }

    @Test("inputs are checked: format, zone, country, at least one path")
    func inputs() throws {
        let bad = [
            ("inputs:\n  - paths: [a.csv]\n    format: excel\n", "inputs[0].format"),
            ("inputs:\n  - paths: [a.csv]\n    timezone: Berlin\n", "inputs[0].timezone"),
            ("inputs:\n  - paths: [a.csv]\n    country: XX\n", "inputs[0].country"),
            ("inputs:\n  - format: auto\n", "inputs[0].paths"),
            ("inputs: []\n", "inputs"),
        ]
        for (yaml, key) in bad {
            let e = try #require(error(yaml + "capacity:\n  enabled: false\n"), "\(yaml)")
            #expect(e.key == key, "\(yaml)")
        }
        // The capacity review needs an inventory.
        let e = try #require(error("inputs:\n  - paths: [a.csv]\n"))
        #expect(e.key == "capacity")
    }
}
