import CDRModel

/// Which calls an investigation looks at (`cdrscan calls`, `trace`, `top`, and pipeline `filter:` sections).
///
/// Every condition that is set must hold. Number conditions match a prefix of the calling or called number, in
/// its E.164 form or as the PBX wrote it. A query with `+` (`+881`) matches E.164 numbers only; one without
/// (`2042`, `0030…`) matches the digits of any form, so it finds extensions and numbers as dialled too.
public struct CallFilter: Sendable, Equatable {
    /// Calls that started at or after this UTC instant (ms).
    public var fromMs: Int64?
    /// Calls that started before this UTC instant (ms).
    public var toMs: Int64?
    /// A number or prefix, calling or called.
    public var number: String?
    /// A prefix of the called number only.
    public var callee: String?
    /// A prefix of the calling number only.
    public var caller: String?
    public var account: String?
    public var trunk: String?
    public var site: String?
    public var direction: Direction?
    public var disposition: Disposition?
    public var numberClass: NumberClass?
    /// ISO region of the called number (`LV`, `JM`).
    public var country: String?
    /// Minimum talk time (answer to release), ms.
    public var minTalkMs: Int64?

    public init() {}

    /// Whether no condition is set.
    public var isEmpty: Bool { self == CallFilter() }

    /// Whether a condition asks about the destination (class or country), so ``indices(_:_:)`` needs them.
    public var needsDestinations: Bool { numberClass != nil || country != nil }

    /// The indices of the matching calls, in store order.
    ///
    /// - Complexity: O(calls + distinct numbers × query length).
    public func indices(_ store: ColumnStore, _ destinations: CallDestinations?) -> [Int] {
        let numberMatch = number.map { prefixMatches(store, $0) }
        let calleeMatch = callee.map { prefixMatches(store, $0) }
        let callerMatch = caller.map { prefixMatches(store, $0) }
        let accountId: UInt32?? = account.map { store.accounts.lookup($0) }
        let trunkId: UInt32?? = trunk.map { store.trunks.lookup($0) }
        let siteId: UInt32?? = site.map { store.sites.lookup($0) }
        // A name that is not in the data matches nothing.
        if accountId == .some(nil) || trunkId == .some(nil) || siteId == .some(nil) { return [] }
        let regionId: UInt16?? = country.map { c in
            destinations.flatMap { d in d.regions.firstIndex(of: c.uppercased()).map { UInt16($0) } }
        }
        if regionId == .some(nil) { return [] }
        let classIndex = numberClass.flatMap { c in NumberClass.allCases.firstIndex(of: c).map { UInt8($0) } }
        var out: [Int] = []
        let callerRaw = store.callerRaw
        for i in 0..<store.count {
            if let fromMs, store.startMs[i] < fromMs { continue }
            if let toMs, store.startMs[i] >= toMs { continue }
            if let m = numberMatch,
                !(m[Int(store.caller[i])] || m[Int(store.callee[i])]
                    || m[Int(callerRaw[i])] || m[Int(store.calleeRaw[i])])
            {
                continue
            }
            if let m = calleeMatch, !(m[Int(store.callee[i])] || m[Int(store.calleeRaw[i])]) { continue }
            if let m = callerMatch, !(m[Int(store.caller[i])] || m[Int(callerRaw[i])]) { continue }
            if case .some(.some(let a)) = accountId, store.account[i] != a { continue }
            if case .some(.some(let t)) = trunkId, UInt32(store.trunk[i]) != t { continue }
            if case .some(.some(let s)) = siteId, UInt32(store.site[i]) != s { continue }
            if let direction, store.direction[i] != direction.rawValue { continue }
            if let disposition, store.disposition[i] != disposition.rawValue { continue }
            if let minTalkMs, store.billableMs(i) < minTalkMs { continue }
            if let classIndex, let d = destinations, d.classes[i] != classIndex { continue }
            if case .some(.some(let r)) = regionId, let d = destinations, d.regionIds[i] != r { continue }
            out.append(i)
        }
        return out
    }

    /// Per number id: whether the number starts with `query`. A query written with `+` matches E.164 numbers
    /// only; without it, any number whose digits (after an optional `+`) start with the query.
    func prefixMatches(_ store: ColumnStore, _ query: String) -> [Bool] {
        let e164Only = query.hasPrefix("+")
        let q = Array((e164Only ? query.dropFirst() : Substring(query)).utf8)
        var out = [Bool](repeating: false, count: store.numbers.count)
        guard !q.isEmpty else { return out }
        for id in 0..<store.numbers.count {
            out[id] = store.numbers.withBytes(UInt32(id)) { b in
                let plus = b.first == UInt8(ascii: "+")
                if e164Only && !plus { return false }
                let start = plus ? 1 : 0
                guard b.count - start >= q.count else { return false }
                for k in 0..<q.count where b[start + k] != q[k] { return false }
                return true
            }
        }
        return out
    }
}
