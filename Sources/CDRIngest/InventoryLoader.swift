import CDRModel
import Foundation
import Yams

/// Reads the inventory YAML file that pipelines and the CLI share (`--inventory FILE`).
///
/// ```yaml
/// sites:
///   - name: ber                              # matches the site column or --site
///     timezone: Europe/Berlin                # IANA
///     country: DE                            # ISO 3166-1 alpha-2
///     business_hours: "Mon-Fri 08:00-18:00"  # optional, this is the default
///     holidays: [2026-10-03, 2026-12-25]     # optional extra local dates (company closures)
///     holiday_calendar: DE                   # optional: shipped national calendar, default the country; none
///     international_prefix: "00"             # optional, default from the country
///     national_prefix: "0"                   # optional, default from the country
///     extension_digits: 6                    # optional: numbers this short are extensions
///     access_prefix: "9"                     # optional: outside-line digit stripped from dialled numbers
/// trunks:
///   - name: ber-telekom                      # as it appears in the CDRs
///     site: ber
///     channels: 150                          # contracted channels
///     kind: "SIP"                            # optional free text (E1, T1 PRI, SIP 40-pack)
/// ```
/// Unknown keys, wrong types, unknown zones or countries, and trunks of unknown sites are errors that name the
/// file, line and key. See `docs/inventory.md`.
public enum InventoryLoader {
    static let siteKeys: Set<String> = [
        "name", "timezone", "country", "business_hours", "holidays", "international_prefix", "national_prefix",
        "extension_digits", "access_prefix", "holiday_calendar",
    ]
    static let trunkKeys: Set<String> = ["name", "site", "channels", "kind"]

    /// Loads an inventory file.
    public static func load(path: String) throws -> Inventory {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: "", "cannot read the inventory file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses inventory YAML text.
    public static func parse(_ text: String, file: String) throws -> Inventory {
        let y = StrictYAML(file: file)
        let root = try y.load(text)
        return try parse(node: root, yaml: y, path: "")
    }

    static func parse(node root: Node, yaml y: StrictYAML, path: String) throws -> Inventory {
        var inventory = Inventory()
        let prefix = path.isEmpty ? "" : path + "."
        for (key, value) in try y.mapping(root, path, allowed: ["sites", "trunks"]) {
            if key == "sites" {
                for (i, s) in try y.sequence(value, prefix + "sites").enumerated() {
                    inventory.sites.append(try site(s, y, "\(prefix)sites[\(i)]"))
                }
            } else {
                for (i, t) in try y.sequence(value, prefix + "trunks").enumerated() {
                    inventory.trunks.append(try trunk(t, y, "\(prefix)trunks[\(i)]"))
                }
            }
        }
        var names = Set<String>()
        for s in inventory.sites where !names.insert(s.name).inserted {
            throw ConfigError(file: y.file, line: nil, key: prefix + "sites", "site '\(s.name)' is listed twice")
        }
        var trunkNames = Set<String>()
        for t in inventory.trunks {
            guard names.contains(t.site) else {
                throw ConfigError(
                    file: y.file,
                    line: nil,
                    key: prefix + "trunks",
                    "trunk '\(t.name)' names site '\(t.site)', which is not in sites"
                )
            }
            guard trunkNames.insert(t.name).inserted else {
                throw ConfigError(file: y.file, line: nil, key: prefix + "trunks", "trunk '\(t.name)' is listed twice")
            }
        }
        return inventory
    }

    static func site(_ node: Node, _ y: StrictYAML, _ path: String) throws -> Site {
        var name: String?
        var tz: String?
        var country: String?
        var hours = BusinessCalendar.defaultText
        var holidays = Set<Int64>()
        var idd: [String]?
        var national: String?
        var extDigits = 6
        var access = ""
        var calendarName: String?
        for (key, v) in try y.mapping(node, path, allowed: siteKeys) {
            let p = "\(path).\(key)"
            switch key {
            case "name": name = try y.string(v, p)
            case "timezone":
                let t = try y.string(v, p)
                guard ZoneResolver(identifier: t) != nil else {
                    throw ConfigError(
                        file: y.file,
                        line: y.line(v),
                        key: p,
                        "unknown IANA time zone '\(t)' (for example Europe/Berlin)"
                    )
                }
                tz = t
            case "country":
                let c = try y.string(v, p).uppercased()
                guard CountryTable.shared.info(c) != nil else {
                    throw ConfigError(
                        file: y.file,
                        line: y.line(v),
                        key: p,
                        "unknown country '\(c)' (ISO 3166-1 alpha-2, e.g. DE)"
                    )
                }
                country = c
            case "business_hours": hours = try y.string(v, p)
            case "holidays":
                for h in try y.sequence(v, p) {
                    let text = try y.string(h, p)
                    guard let day = CivilTime.parseDay(text) else {
                        throw ConfigError(
                            file: y.file,
                            line: y.line(h),
                            key: p,
                            "'\(text)' is not a date like 2026-12-25"
                        )
                    }
                    holidays.insert(day)
                }
            case "international_prefix": idd = try y.string(v, p).split(separator: "|").map(String.init)
            case "national_prefix": national = try y.string(v, p)
            case "extension_digits": extDigits = try y.int(v, p)
            case "access_prefix": access = try y.string(v, p)
            case "holiday_calendar":
                let c = try y.string(v, p)
                guard c.lowercased() == "none" || HolidayTable.shared.holidays(c) != nil else {
                    let known = HolidayTable.shared.byCountry.keys.sorted().joined(separator: " ")
                    throw ConfigError(
                        file: y.file,
                        line: y.line(v),
                        key: p,
                        "no shipped holiday calendar '\(c)' (shipped: \(known), or none)"
                    )
                }
                calendarName = c
            default: break
            }
        }
        guard let name, !name.isEmpty else {
            throw ConfigError(file: y.file, line: y.line(node), key: path, "a site needs a name")
        }
        guard let tz else {
            throw ConfigError(
                file: y.file,
                line: y.line(node),
                key: "\(path).timezone",
                "site '\(name)' needs a timezone"
            )
        }
        guard let country, let info = CountryTable.shared.info(country) else {
            throw ConfigError(
                file: y.file,
                line: y.line(node),
                key: "\(path).country",
                "site '\(name)' needs a country"
            )
        }
        let named = calendarName ?? country
        if named.lowercased() != "none", let days = HolidayTable.shared.holidays(named) { holidays.formUnion(days) }
        let calendar: BusinessCalendar
        do {
            calendar = try BusinessCalendar(hours, holidays: holidays)
        } catch {
            throw ConfigError(file: y.file, line: y.line(node), key: "\(path).business_hours", "\(error)")
        }
        let plan = DialPlan(
            country: info,
            iddPrefixes: idd,
            nationalPrefix: national,
            extensionMaxDigits: extDigits,
            accessPrefix: access
        )
        return Site(name: name, timeZone: tz, dialPlan: plan, calendar: calendar)
    }

    static func trunk(_ node: Node, _ y: StrictYAML, _ path: String) throws -> Trunk {
        var name: String?
        var site: String?
        var channels: Int?
        var kind = ""
        for (key, v) in try y.mapping(node, path, allowed: trunkKeys) {
            let p = "\(path).\(key)"
            switch key {
            case "name": name = try y.string(v, p)
            case "site": site = try y.string(v, p)
            case "channels":
                let c = try y.int(v, p)
                guard c > 0 && c <= 100_000 else {
                    throw ConfigError(file: y.file, line: y.line(v), key: p, "channels must be between 1 and 100000")
                }
                channels = c
            case "kind": kind = try y.string(v, p)
            default: break
            }
        }
        guard let name, !name.isEmpty else {
            throw ConfigError(file: y.file, line: y.line(node), key: path, "a trunk needs a name")
        }
        guard let site else {
            throw ConfigError(file: y.file, line: y.line(node), key: "\(path).site", "trunk '\(name)' needs a site")
        }
        guard let channels else {
            throw ConfigError(
                file: y.file,
                line: y.line(node),
                key: "\(path).channels",
                "trunk '\(name)' needs its contracted channels"
            )
        }
        return Trunk(name: name, site: site, channels: channels, kind: kind)
    }
}
