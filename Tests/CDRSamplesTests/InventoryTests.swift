import CDRIngest
import CDRModel
import Foundation
import Testing

@Suite struct InventoryTests {
    static let good = """
        sites:
          - name: ber                              # matches the site column or --site
            timezone: Europe/Berlin
            country: DE
            business_hours: "Mon-Fri 08:00-18:00"
            holidays: [2026-10-03, 2026-12-25]
            international_prefix: "00"
            national_prefix: "0"
        trunks:
          - name: ber-telekom
            site: ber
            channels: 150
        """

    @Test("the documented shape is accepted")
    func accepted() throws {
        let inv = try InventoryLoader.parse(Self.good, file: "inv.yaml")
        #expect(inv.sites[0].dialPlan.iddPrefixes == ["00"])
        #expect(inv.sites[0].calendar.holidays.contains(CivilTime.days(year: 2026, month: 12, day: 25)))
        #expect(inv.trunks == [Trunk(name: "ber-telekom", site: "ber", channels: 150)])
    }

    @Test(
        "unknown keys, wrong types and bad values name the file, line and key",
        arguments: [
            ("    channel: 150", "trunks[0].channel", 12),
            ("    channels: lots", "trunks[0].channels", 12),
        ]
    )
    func errors(replacement: String, key: String, line: Int) {
        let text = Self.good.replacingOccurrences(of: "    channels: 150", with: replacement)
        do {
            _ = try InventoryLoader.parse(text, file: "inv.yaml")
            Issue.record("expected an error")
        } catch let e as ConfigError {
            #expect(e.file == "inv.yaml")
            #expect(e.key == key)
            #expect(e.line == line)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("unknown zones and countries are refused")
    func badValues() {
        #expect(throws: ConfigError.self) {
            try InventoryLoader.parse(
                Self.good.replacingOccurrences(of: "Europe/Berlin", with: "Europe/Atlantis"),
                file: "x"
            )
        }
        #expect(throws: ConfigError.self) {
            try InventoryLoader.parse(Self.good.replacingOccurrences(of: "country: DE", with: "country: XX"), file: "x")
        }
        #expect(throws: ConfigError.self) {
            try InventoryLoader.parse(Self.good.replacingOccurrences(of: "site: ber", with: "site: paris"), file: "x")
        }
    }
}
