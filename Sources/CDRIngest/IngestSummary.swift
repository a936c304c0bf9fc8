import CDRModel
import Foundation

/// The outcome of an ingest run, printed by `cdrscan ingest` (text or `--json`).
public struct IngestSummary: Sendable, Codable {
    public struct SiteSpan: Sendable, Codable {
        public var site: String
        public var timeZone: String
        public var calls: Int
        public var firstStartLocal: String
        public var lastEndLocal: String
    }

    public var files: [FileReport]
    public var rowsRead: Int
    public var calls: Int
    public var rejected: Int
    /// Rows that were further legs of calls already read (formats with several rows a call).
    public var mergedLegs: Int
    public var rejectsByReason: [String: Int]
    public var firstStartUtc: String?
    public var lastEndUtc: String?
    public var sites: [SiteSpan]
    public var callsPerTrunk: [String: Int]
    public var callsPerDirection: [String: Int]
    public var callsPerDisposition: [String: Int]
    public var ambiguousLocalTimes: Int
    public var nonexistentLocalTimes: Int
    public var secondOccurrences: Int
    public var seconds: Double
    public var megabytesPerSecond: Double
    public var callsPerSecond: Double
    public var storeBytes: Int
    public var bytesPerCall: Int
    /// Distinct number strings (raw and normalized forms share one dictionary) and that dictionary's bytes.
    public var distinctNumbers: Int
    public var numberDictionaryBytes: Int
    public var rejectsFile: String?
    public var warnings: [String]

    /// Builds the summary of a finished session.
    public init(session: IngestSession, store: ColumnStore, files: [FileReport], seconds: Double, rejectsFile: String?)
    {
        self.files = files
        calls = store.count
        rejected = session.rejects.count
        mergedLegs = session.state.mergedLegs
        rowsRead = calls + rejected + mergedLegs
        rejectsByReason = session.rejects.countsByReason
        var first = Int64.max
        var last = Int64.min
        var perTrunk = [Int](repeating: 0, count: store.trunks.count)
        var perSite = [Int](repeating: 0, count: store.sites.count)
        var siteFirst = [Int64](repeating: .max, count: store.sites.count)
        var siteLast = [Int64](repeating: .min, count: store.sites.count)
        var perDirection = [Int](repeating: 0, count: 3)
        var perDisposition = [Int](repeating: 0, count: 6)
        for i in 0..<store.count {
            let s = store.startMs[i]
            let e = s + Int64(store.durationMs[i])
            first = min(first, s)
            last = max(last, e)
            perTrunk[Int(store.trunk[i])] += 1
            let site = Int(store.site[i])
            perSite[site] += 1
            siteFirst[site] = min(siteFirst[site], s)
            siteLast[site] = max(siteLast[site], e)
            perDirection[Int(store.direction[i])] += 1
            perDisposition[Int(store.disposition[i])] += 1
        }
        firstStartUtc = store.count > 0 ? CivilTime.format(ms: first, suffix: "Z") : nil
        lastEndUtc = store.count > 0 ? CivilTime.format(ms: last, suffix: "Z") : nil
        var trunks: [String: Int] = [:]
        for (id, n) in perTrunk.enumerated() where n > 0 {
            let name = store.trunks[UInt32(id)]
            trunks[name.isEmpty ? "(none)" : name] = n
        }
        callsPerTrunk = trunks
        callsPerDirection = Dictionary(
            uniqueKeysWithValues: Direction.allCases.map { ($0.description, perDirection[Int($0.rawValue)]) }
        )
        callsPerDisposition = Dictionary(
            uniqueKeysWithValues: Disposition.allCases.map { ($0.description, perDisposition[Int($0.rawValue)]) }
        )
        var spans: [SiteSpan] = []
        for (id, n) in perSite.enumerated() where n > 0 {
            let name = store.sites[UInt32(id)]
            let tz =
                session.inventory.site(named: name)?.timeZone
                ?? (name == session.defaultSiteName ? session.declaration.timeZone : nil)
            if let tz, let zone = ZoneResolver(identifier: tz) {
                spans.append(
                    SiteSpan(
                        site: name.isEmpty ? "(none)" : name,
                        timeZone: tz,
                        calls: n,
                        firstStartLocal: CivilTime.format(ms: zone.localMs(fromUTC: siteFirst[id]), separator: " "),
                        lastEndLocal: CivilTime.format(ms: zone.localMs(fromUTC: siteLast[id]), separator: " ")
                    )
                )
            } else {
                spans.append(
                    SiteSpan(
                        site: name.isEmpty ? "(none)" : name,
                        timeZone: "UTC",
                        calls: n,
                        firstStartLocal: CivilTime.format(ms: siteFirst[id], separator: " "),
                        lastEndLocal: CivilTime.format(ms: siteLast[id], separator: " ")
                    )
                )
            }
        }
        sites = spans
        ambiguousLocalTimes = session.ambiguousLocalTimes
        nonexistentLocalTimes = session.nonexistentLocalTimes
        secondOccurrences = session.secondOccurrences
        self.seconds = seconds
        let bytes = files.reduce(Int64(0)) { $0 + $1.bytes }
        megabytesPerSecond = seconds > 0 ? Double(bytes) / 1e6 / seconds : 0
        callsPerSecond = seconds > 0 ? Double(calls) / seconds : 0
        storeBytes = store.byteSize
        bytesPerCall = store.columnBytesPerCall
        distinctNumbers = store.numbers.count - 1
        numberDictionaryBytes = store.numbers.byteSize
        self.rejectsFile = rejectsFile
        warnings = session.warnings
        if session.rejects.dropped > 0 {
            warnings.append(
                "the rejects file holds the first \(session.rejects.records.count) rejected rows; "
                    + "\(session.rejects.dropped) more are counted only"
            )
        }
    }

    /// The summary as aligned text for a terminal.
    public var text: String {
        var out = ""
        func line(_ s: String) { out += s + "\n" }
        line("files:        \(files.count)")
        let quiet = files.count > 12
        if quiet {
            var formats: [String: Int] = [:]
            for f in files {
                formats[f.format.isEmpty ? "unread" : f.format + (f.gzip ? " (gzip)" : ""), default: 0] += 1
            }
            line(
                "  " + formats.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                    + "; files with rejects or errors:"
            )
        }
        for f in files where !quiet || f.rejected > 0 || f.error != nil || f.duplicateOf != nil {
            var s = "  \(f.path): \(f.format.isEmpty ? "-" : f.format)\(f.gzip ? " (gzip)" : "")"
            s += ", \(counted(f.rows, "row")), \(counted(f.calls, "call")), \(f.rejected) rejected"
            if f.mergedLegs > 0 { s += ", \(counted(f.mergedLegs, "leg")) merged" }
            if !f.formatReason.isEmpty { s += " — \(f.formatReason)" }
            line(s)
            if let e = f.error { line("    ERROR: \(e)") }
            if let d = f.duplicateOf { line("    same content as \(d): not counted again") }
        }
        line("rows read:    \(rowsRead)")
        line("calls kept:   \(calls)")
        line("rejected:     \(rejected)")
        if mergedLegs > 0 { line("legs merged:  \(mergedLegs) (further rows of calls already counted)") }
        for (reason, n) in rejectsByReason.sorted(by: {
            $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key)
        }) {
            line("  \(reason): \(n)")
        }
        if let rejectsFile, rejected > 0 { line("rejects file: \(rejectsFile)") }
        if let a = firstStartUtc, let b = lastEndUtc { line("time span:    \(a) .. \(b) (UTC)") }
        for s in sites {
            let span = "\(s.firstStartLocal) .. \(s.lastEndLocal) (\(s.timeZone))"
            line("  site \(s.site): \(counted(s.calls, "call")), \(span)")
        }
        if ambiguousLocalTimes + nonexistentLocalTimes > 0 {
            line(
                "DST:          \(ambiguousLocalTimes) ambiguous local times (\(secondOccurrences) read as the repeated hour by file order, the rest as the first occurrence), \(nonexistentLocalTimes) non-existent (shifted forward)"
            )
        }
        line(
            "directions:   "
                + Direction.allCases.map { "\($0) \(callsPerDirection[$0.description] ?? 0)" }.joined(separator: ", ")
        )
        line("calls per trunk:")
        for (t, n) in callsPerTrunk.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
            line("  \(t): \(n)")
        }
        line(
            String(format: "throughput:   %.2f s, %.1f MB/s, %.0f calls/s", seconds, megabytesPerSecond, callsPerSecond)
        )
        line("store:        \(storeBytes / 1_000_000) MB (\(bytesPerCall) bytes per call plus dictionaries)")
        line("numbers:      \(distinctNumbers) distinct, raw and normalized (\(numberDictionaryBytes / 1_000_000) MB)")
        for w in warnings { line("warning: \(w)") }
        return out
    }
}
