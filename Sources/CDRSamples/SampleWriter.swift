import CDRModel
import CZlib
import Foundation

/// Formats the generator writes.
public enum SampleFormat: String, CaseIterable, Sendable {
    case canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys
    /// A custom mapping's format: the shipped example mapping's (`acme-pbx`, ``SampleWriter/acmeMapping``), whose
    /// file the generator writes next to the CDRs (`acme-pbx.mapping.yaml`, read with `--mapping`).
    case acmePBX = "acme-pbx"
}

/// File layouts: one file per site and local day (as PBXs and carriers deliver them), or one file.
public enum SampleLayout: String, CaseIterable, Sendable {
    case daily, single
}

/// A byte sink that writes plain or gzip files.
final class OutputFile {
    private let handle: FileHandle
    private var stream: UnsafeMutablePointer<z_stream>?
    private var out = [UInt8](repeating: 0, count: 1 << 18)

    init(path: String, gzip: Bool, level: Int32 = 6) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        if gzip {
            let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            s.initialize(to: z_stream())
            _ = czlib_deflateInit2(s, level, 15 + 16)
            stream = s
        }
    }

    /// Writes `bytes` (compressed when gzip); a failed write (a full disk) throws instead of stopping the process.
    func write(_ bytes: [UInt8]) throws {
        guard let s = stream else {
            try handle.write(contentsOf: bytes)
            return
        }
        try bytes.withUnsafeBytes { src in
            s.pointee.next_in = UnsafeMutablePointer(mutating: src.baseAddress!.assumingMemoryBound(to: Bytef.self))
            s.pointee.avail_in = uInt(src.count)
            try drain(Z_NO_FLUSH)
        }
    }

    private func drain(_ flush: Int32) throws {
        guard let s = stream else { return }
        repeat {
            try out.withUnsafeMutableBytes { o in
                s.pointee.next_out = o.baseAddress!.assumingMemoryBound(to: Bytef.self)
                s.pointee.avail_out = uInt(o.count)
                _ = deflate(s, flush)
                let produced = o.count - Int(s.pointee.avail_out)
                if produced > 0 { try handle.write(contentsOf: Data(o.prefix(produced))) }
            }
        } while s.pointee.avail_out == 0 || (flush == Z_FINISH && s.pointee.avail_in > 0)
    }

    func close() throws {
        if let s = stream {
            s.pointee.avail_in = 0
            var rc: Int32 = Z_OK
            repeat {
                try out.withUnsafeMutableBytes { o in
                    s.pointee.next_out = o.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    s.pointee.avail_out = uInt(o.count)
                    rc = deflate(s, Z_FINISH)
                    let produced = o.count - Int(s.pointee.avail_out)
                    if produced > 0 { try handle.write(contentsOf: Data(o.prefix(produced))) }
                }
            } while rc == Z_OK
            deflateEnd(s)
            s.deallocate()
            stream = nil
        }
        try handle.close()
    }
}

/// Byte-level formatting for fast writing.
struct LineBuffer {
    var bytes: [UInt8] = []

    /// - Parameter capacity: bytes reserved up front (a file's buffer: 1 MiB; a number: a few dozen, since the CLI
    ///   serves blocks of 1 MiB or more from their own mappings, and one per line was a `mmap`/`munmap` pair).
    init(capacity: Int = 1 << 20) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func add(_ s: String) { bytes.append(contentsOf: s.utf8) }
    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }

    @inline(__always) mutating func int(_ v: Int64) {
        if v < 0 {
            byte(0x2D)
            int(-v)
            return
        }
        if v >= 10 { int(v / 10) }
        byte(UInt8(48 + v % 10))
    }

    @inline(__always) mutating func two(_ v: Int) {
        byte(UInt8(48 + v / 10))
        byte(UInt8(48 + v % 10))
    }

    /// The date (day number), year, month, day and second of the day of milliseconds.
    static func civil(_ ms: Int64) -> (day: Int64, y: Int, m: Int, d: Int, second: Int) {
        let secs = CivilTime.floorDiv(ms, 1000)
        let day = CivilTime.floorDiv(secs, 86_400)
        let (y, m, d) = CivilTime.date(days: day)
        return (day, y, m, d, Int(secs - day * 86_400))
    }

    /// `HH:MM:SS` of a second of the day.
    mutating func clock(_ second: Int) {
        two(second / 3600)
        byte(0x3A)
        two(second / 60 % 60)
        byte(0x3A)
        two(second % 60)
    }

    /// `DD.MM.YYYY HH:MM:SS` of wall-clock milliseconds (the custom mapping's times).
    mutating func germanTime(_ ms: Int64) {
        let t = Self.civil(ms)
        two(t.d)
        byte(0x2E)
        two(t.m)
        byte(0x2E)
        two(t.y / 100)
        two(t.y % 100)
        byte(0x20)
        clock(t.second)
    }

    /// `YYYY-MM-DD?HH:MM:SS` of wall-clock or UTC milliseconds.
    mutating func time(_ ms: Int64, separator: UInt8, zulu: Bool) {
        let t = Self.civil(ms)
        two(t.y / 100)
        two(t.y % 100)
        byte(0x2D)
        two(t.m)
        byte(0x2D)
        two(t.d)
        byte(separator)
        clock(t.second)
        if zulu { byte(0x5A) }
    }

    /// A number as the site's PBX writes it.
    mutating func number(_ n: NumberSpec, _ site: SampleSite, hidden: String) {
        switch n.form {
        case .hidden: add(hidden)
        case .short, .nanp11: int(Int64(n.digits))
        case .plus:
            byte(0x2B)
            int(Int64(n.digits))
        case .idd:
            add(site.idd)
            int(Int64(n.digits))
        case .national, .bare:
            if n.form == .national { add(site.nationalPrefix) }
            let s = String(n.digits)
            add(String(s.dropFirst(Int(n.ccLength))))
        }
    }

    /// An RFC 4180 quoted field.
    mutating func quoted(_ s: String) {
        byte(0x22)
        for b in s.utf8 {
            if b == 0x22 { byte(0x22) }
            byte(b)
        }
        byte(0x22)
    }
}

/// Writes a generated sample: CDR files, `inventory.yaml` and `truth.json`.
public enum SampleWriter {
    /// Writes everything into `directory`; returns the CDR files written.
    @discardableResult
    public static func write(
        _ sample: GeneratedSample,
        to directory: String,
        format: SampleFormat,
        gzip: Bool,
        layout: SampleLayout
    ) throws -> [String] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var files: [String] = []
        let ext = gzip ? ".csv.gz" : ".csv"
        if layout == .single && format == .canonical {
            let path = "\(directory)/cdrs\(ext)"
            let file = try OutputFile(path: path, gzip: gzip)
            var buf = LineBuffer()
            buf.add(header(format))
            for st in sample.sites {
                for c in st.calls {
                    line(c, st.site, format, &buf)
                    if buf.bytes.count > 1 << 20 {
                        try file.write(buf.bytes)
                        buf.bytes.removeAll(keepingCapacity: true)
                    }
                }
            }
            try file.write(buf.bytes)
            try file.close()
            files.append(path)
        } else {
            for st in sample.sites {
                let zone = ZoneResolver(identifier: st.site.timeZone)!
                let dir = layout == .daily ? "\(directory)/\(st.site.name)" : directory
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
                var current: Int64? = nil
                var index = 0
                var file: OutputFile? = nil
                var buf = LineBuffer()
                func flush() throws {
                    try file?.write(buf.bytes)
                    buf.bytes.removeAll(keepingCapacity: true)
                }
                for c in st.calls {
                    let day = layout == .daily ? CivilTime.floorDiv(zone.localMs(fromUTC: c.start), 86_400_000) : 0
                    if day != current {
                        try flush()
                        try file?.close()
                        let name =
                            layout == .daily
                            ? "\(st.site.name)-\(CivilTime.formatDay(day))" : "\(st.site.name)-Master"
                        let path = "\(dir)/\(name)\(ext)"
                        file = try OutputFile(path: path, gzip: gzip)
                        files.append(path)
                        current = day
                        buf.add(header(format))
                    }
                    line(c, st.site, format, &buf, zone: zone, index: index)
                    index += 1
                    if buf.bytes.count > 1 << 20 { try flush() }
                }
                try flush()
                try file?.close()
            }
        }
        try inventoryYAML(sample).write(toFile: "\(directory)/inventory.yaml", atomically: true, encoding: .utf8)
        if format == .acmePBX {
            try acmeMapping.write(toFile: "\(directory)/acme-pbx.mapping.yaml", atomically: true, encoding: .utf8)
        }
        try sample.truth.json().write(toFile: "\(directory)/truth.json", atomically: true, encoding: .utf8)
        return files
    }

    static func header(_ format: SampleFormat) -> String {
        switch format {
        case .canonical:
            return
                "start_utc,answer_utc,end_utc,duration_s,billsec_s,direction,caller,callee,trunk,account,site,disposition\n"
        case .asterisk: return ""
        default: return vendorHeader(format)
        }
    }

    static let asteriskWords: [Disposition: String] = [
        .answered: "ANSWERED", .noAnswer: "NO ANSWER", .busy: "BUSY", .failed: "FAILED", .congestion: "CONGESTION",
        .cancel: "CANCEL",
    ]

    static func line(
        _ c: GenCall,
        _ site: SampleSite,
        _ format: SampleFormat,
        _ b: inout LineBuffer,
        zone: ZoneResolver? = nil,
        index: Int = 0
    ) {
        let end = c.start + Int64(c.duration)
        let billMs: Int64 = c.ring >= 0 ? Int64(c.duration - c.ring) : 0
        let trunk = c.trunk >= 0 ? site.trunks[Int(c.trunk)].name : ""
        switch format {
        case .canonical:
            b.time(c.start, separator: 0x54, zulu: true)
            b.byte(0x2C)
            if c.ring >= 0 { b.time(c.start + Int64(c.ring), separator: 0x54, zulu: true) }
            b.byte(0x2C)
            b.time(end, separator: 0x54, zulu: true)
            b.byte(0x2C)
            b.int(Int64(c.duration) / 1000)
            b.byte(0x2C)
            b.int(billMs / 1000)
            b.byte(0x2C)
            b.add(c.direction.description)
            b.byte(0x2C)
            b.number(c.caller, site, hidden: "")
            b.byte(0x2C)
            b.number(c.callee, site, hidden: "")
            b.byte(0x2C)
            b.add(trunk)
            b.byte(0x2C)
            if c.account >= 0 { b.int(Int64(c.account)) }
            b.byte(0x2C)
            b.add(site.name)
            b.byte(0x2C)
            b.add(c.disposition.description)
            b.byte(0x0A)
        case .asterisk:
            let zone = zone!
            // accountcode, src, dst, dcontext, clid
            b.byte(0x22)
            if c.account >= 0 && c.direction != .inbound { b.int(Int64(c.account)) }
            b.add("\",\"")
            b.number(c.caller, site, hidden: "anonymous")
            b.add("\",\"")
            b.number(c.callee, site, hidden: "")
            b.add(c.direction == .inbound ? "\",\"from-pstn\"," : "\",\"from-internal\",")
            var src = LineBuffer(capacity: 32)
            src.number(c.caller, site, hidden: "anonymous")
            let name =
                c.caller.form == .short ? "Ext \(c.caller.digits)" : (c.caller.form == .hidden ? "Anonymous" : "")
            b.quoted("\"\(name)\" <\(String(decoding: src.bytes, as: UTF8.self))>")
            // channel, dstchannel
            let seq = String(UInt32(truncatingIfNeeded: c.start / 1000 &* 2_654_435_761), radix: 16)
            let hex = String(repeating: "0", count: max(0, 8 - seq.count)) + seq
            let extA = c.direction == .inbound ? "" : String(c.account >= 0 ? Int(c.account) : Int(c.caller.digits))
            switch c.direction {
            case .inbound:
                b.add(",\"PJSIP/\(trunk)-\(hex)\",\"PJSIP/\(c.callee.digits % 10000)-\(hex)\"")
            case .outbound:
                b.add(",\"PJSIP/\(extA)-\(hex)\",\"PJSIP/\(trunk)-\(hex)\"")
            case .internal_:
                b.add(",\"PJSIP/\(extA)-\(hex)\",\"PJSIP/\(c.callee.digits)-\(hex)\"")
            }
            b.add(",\"Dial\",\"PJSIP/")
            b.number(c.callee, site, hidden: "")
            b.add(c.direction == .outbound ? "@\(trunk),60\"," : ",30\",")
            // start, answer, end
            b.byte(0x22)
            b.time(zone.localMs(fromUTC: c.start), separator: 0x20, zulu: false)
            b.byte(0x22)
            b.byte(0x2C)
            if c.ring >= 0 {
                b.byte(0x22)
                b.time(zone.localMs(fromUTC: c.start + Int64(c.ring)), separator: 0x20, zulu: false)
                b.byte(0x22)
            }
            b.byte(0x2C)
            b.byte(0x22)
            b.time(zone.localMs(fromUTC: end), separator: 0x20, zulu: false)
            b.byte(0x22)
            b.byte(0x2C)
            b.int(Int64(c.duration) / 1000)
            b.byte(0x2C)
            b.int(billMs / 1000)
            b.add(
                ",\"\(asteriskWords[c.disposition]!)\",\"DOCUMENTATION\",\"\(c.start / 1000).\(c.start / 1000 % 997)\",\"\"\n"
            )
        default:
            vendorLine(c, site, format, &b, zone: zone!, index: index)
        }
    }

    /// The inventory file of the sample, in the format `--inventory` reads.
    public static func inventoryYAML(_ sample: GeneratedSample) -> String {
        var y = """
            # Inventory of the generated sample organization (cdrscan generate, seed \(sample.options.seed)).
            # Sites: IANA time zone, country, business hours, public holidays (the country's shipped calendar).
            # Trunks: contracted channels; one is sized to run full on busy mornings, one is over-provisioned.
            sites:

            """
        for st in sample.sites {
            let s = st.site
            y += """
                  - name: \(s.name)
                    timezone: \(s.timeZone)
                    country: \(s.country)
                    business_hours: "Mon-Fri 08:00-18:00"
                    holiday_calendar: \(s.country)

                """
        }
        y += "trunks:\n"
        for st in sample.sites {
            for t in st.site.trunks {
                y += """
                      - name: \(t.name)
                        site: \(st.site.name)
                        channels: \(t.channels)
                        kind: "\(t.kind)"

                    """
            }
        }
        return y
    }
}
