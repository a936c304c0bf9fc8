import CDRModel

/// Writes calls in cdrscan's canonical CSV format (the format ``CanonicalReader`` reads).
///
/// Fields are quoted only when they contain a comma, quote, CR or LF (RFC 4180). This is a data format: values
/// are written exactly (E.164 numbers begin with `+`), so it is not formula-guarded for spreadsheets.
public struct CanonicalWriter {
    public static let header = CanonicalReader.columns.joined(separator: ",") + "\n"

    public init() {}

    /// Appends the CSV line of call `i` of `store` to `out`.
    public func line(_ store: ColumnStore, _ i: Int, into out: inout String) {
        let start = store.startMs[i]
        let end = store.endMs(i)
        out += Self.time(start)
        out += ","
        if let a = store.answerMs(i) { out += Self.time(a) }
        out += ","
        out += Self.time(end)
        out += ","
        out += Self.seconds(end - start)
        out += ","
        out += Self.seconds(store.billableMs(i))
        out += ","
        out += store.directionOf(i).description
        out += ","
        out += Self.field(store.numbers[store.callerRaw[i]])
        out += ","
        out += Self.field(store.numbers[store.calleeRaw[i]])
        out += ","
        out += Self.field(store.trunks[UInt32(store.trunk[i])])
        out += ","
        out += Self.field(store.accounts[store.account[i]])
        out += ","
        out += Self.field(store.sites[UInt32(store.site[i])])
        out += ","
        out += store.dispositionOf(i).description
        out += "\n"
    }

    /// One record as a canonical line.
    public static func line(_ r: CallRecord) -> String {
        var s = ColumnStore()
        s.append(r)
        var out = ""
        CanonicalWriter().line(s, 0, into: &out)
        return out
    }

    static func time(_ ms: Int64) -> String {
        let frac = ms % 1000
        if frac == 0 { return CivilTime.format(ms: ms, suffix: "Z") }
        var f = String(frac < 0 ? frac + 1000 : frac)
        while f.count < 3 { f = "0" + f }
        return CivilTime.format(ms: ms - (frac < 0 ? frac + 1000 : frac), suffix: ".\(f)Z")
    }

    static func seconds(_ ms: Int64) -> String {
        if ms % 1000 == 0 { return String(ms / 1000) }
        var f = String(ms % 1000)
        while f.count < 3 { f = "0" + f }
        while f.hasSuffix("0") { f.removeLast() }
        return "\(ms / 1000).\(f)"
    }

    /// Quotes a field when RFC 4180 needs it.
    public static func field(_ s: String) -> String {
        var needs = false
        for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needs = true
            break
        }
        if !needs { return s }
        return "\"" + s.replacingOccurrencesOfQuote() + "\""
    }
}
