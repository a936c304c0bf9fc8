import CDRModel
import Testing

/// The store's narrow and lazily written columns against an oracle: the records that were appended.
@Suite struct ColumnStoreTests {
    static func record(_ k: Int, writtenOtherwise: Bool, account: Int) -> CallRecord {
        CallRecord(
            startMs: 1_790_000_000_000 + Int64(k) * 1_000,
            answerMs: nil,
            endMs: 1_790_000_000_000 + Int64(k) * 1_000 + 30_000,
            direction: .inbound,
            disposition: .noAnswer,
            caller: "+4930\(1_000_000 + k)",
            callee: "+4930900\(k % 50)",
            callerRaw: writtenOtherwise ? "030\(1_000_000 + k)" : nil,
            trunk: "ber-telekom",
            account: account == 0 ? "" : "acct-\(account)",
            site: "ber"
        )
    }

    /// Calling numbers written as they normalize take no raw column; the first one written otherwise makes the
    /// column, and every call before it keeps its number. Truncating, selecting and appending keep them too.
    @Test("the calling numbers' raw column appears with the first number written otherwise")
    func callerRawAppearsWhenNeeded() {
        var store = ColumnStore()
        var oracle: [CallRecord] = []
        for k in 0..<300 {
            let r = Self.record(k, writtenOtherwise: false, account: k % 7)
            store.append(r)
            oracle.append(r)
        }
        #expect(store.columnBytesPerCall == ColumnStore.bytesPerCall)
        for k in 300..<400 {
            let r = Self.record(k, writtenOtherwise: k % 3 == 0, account: k % 7)
            store.append(r)
            oracle.append(r)
        }
        #expect(store.columnBytesPerCall > ColumnStore.bytesPerCall)
        #expect((0..<store.count).allSatisfy { store.record($0) == oracle[$0] })
        #expect(store.record(300).callerRaw == "0301000300")
        store.truncate(to: 350)
        let picked = [349, 0, 301, 300, 7]
        let selected = store.selecting(picked)
        #expect(picked.indices.allSatisfy { selected.record($0) == oracle[picked[$0]] })
        var merged = ColumnStore()
        merged.append(Self.record(1_000, writtenOtherwise: false, account: 0))
        merged.append(contentsOf: store)
        #expect(merged.count == 351)
        #expect((0..<350).allSatisfy { merged.record($0 + 1) == oracle[$0] })
    }

    /// Ids that differ at a pseudo-random third of the rows, read back and truncated at word boundaries and inside
    /// words; the oracle is a plain array of every row's id.
    @Test("exception ids read back every row and truncate anywhere")
    func exceptionIdsAgainstAnArray() {
        var x = ExceptionIds()
        var oracle: [UInt32] = []
        var seed: UInt64 = 42
        for r in 0..<1_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let differs = (seed >> 33) % 3 == 0
            x.append(differs ? UInt32(r + 5_000) : nil)
            oracle.append(differs ? UInt32(r + 5_000) : UInt32(r))
        }
        #expect((0..<1_000).allSatisfy { x.id($0, else: UInt32($0)) == oracle[$0] })
        for n in [999, 640, 577, 64, 63, 1, 0] {
            x.truncate(to: n)
            #expect(x.count == n)
            #expect((0..<n).allSatisfy { x.id($0, else: UInt32($0)) == oracle[$0] })
            #expect(x.exceptions == (0..<n).filter { oracle[$0] != UInt32($0) }.count)
        }
        x.append(7)
        x.append(nil)
        #expect(x.id(0, else: 0) == 7 && x.id(1, else: 1) == 1)
    }

    /// Rows set after they were appended (a call's originating leg read after another leg): in place among the last
    /// 64, aside before, read back alike, settled into place, and truncated with the rest.
    @Test("exception ids set after appending read back as set, before and after settling")
    func exceptionIdsSetLater() {
        var x = ExceptionIds()
        var oracle: [UInt32] = []
        var seed: UInt64 = 7
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 33
        }
        for r in 0..<1_000 {
            let differs = next() % 3 == 0
            x.append(differs ? UInt32(r + 5_000) : nil)
            oracle.append(differs ? UInt32(r + 5_000) : UInt32(r))
            // Now and then a row set: the one just appended, one among the last 64, or any earlier one.
            if next() % 4 == 0 {
                let back = Int(next() % 3 == 0 ? next() % UInt64(r + 1) : next() % UInt64(min(r + 1, 64)))
                let row = r - back
                let id: UInt32? = next() % 2 == 0 ? UInt32(row + 9_000) : nil
                x.set(row, id)
                oracle[row] = id ?? UInt32(row)
            }
        }
        #expect((0..<1_000).allSatisfy { x.id($0, else: UInt32($0)) == oracle[$0] })
        var copy = x
        copy.truncate(to: 500)
        #expect((0..<500).allSatisfy { copy.id($0, else: UInt32($0)) == oracle[$0] })
        copy.append(nil)
        copy.set(500, 77)
        #expect(copy.id(500, else: 500) == 77)
        x.settle()
        #expect((0..<1_000).allSatisfy { x.id($0, else: UInt32($0)) == oracle[$0] })
        #expect(x.exceptions == (0..<1_000).filter { oracle[$0] != UInt32($0) }.count)
    }

    @Test("a call's originating leg read later sets its calling number and account")
    func setOrigin() {
        var store = ColumnStore()
        for k in 0..<200 { store.append(Self.record(k, writtenOtherwise: k % 2 == 0, account: k % 5)) }
        let national = store.numbers.intern("030123456")
        let e164 = store.numbers.intern("+4930123456")
        let account = store.accounts.intern("2042")
        for i in [3, 150, 199] { store.setOrigin(i, caller: e164, callerRaw: national, account: account) }
        store.setOrigin(10, caller: e164, callerRaw: e164, account: account)
        for i in [3, 10, 150, 199] {
            let r = store.record(i)
            #expect(r.caller == "+4930123456" && r.account == "2042")
            #expect(r.callerRaw == (i == 10 ? "+4930123456" : "030123456"))
        }
        let before = (0..<200).map { store.record($0) }
        store.settle()
        #expect((0..<200).map { store.record($0) } == before)
        #expect(store.record(4) == Self.record(4, writtenOtherwise: true, account: 4))  // untouched
        // An account past 65,535 widens the account column under the calls before it.
        for k in 0..<70_000 { _ = store.accounts.intern("auth-\(k)") }
        let wide = store.accounts.intern("auth-69999")
        store.setOrigin(5, caller: e164, callerRaw: e164, account: wide)
        #expect(store.record(5).account == "auth-69999" && store.record(3).account == "2042")
        #expect(store.record(6) == Self.record(6, writtenOtherwise: true, account: 1))
    }

    /// Account ids are 2 bytes a call up to 65,536 accounts; the next account widens the column once, and every
    /// id read back is the one appended (the oracle: the account strings of the records).
    @Test("the account column widens past 65,536 accounts without losing an id")
    func accountColumnWidens() {
        var store = ColumnStore()
        var accounts: [String] = []
        for k in 0..<70_000 {
            let r = Self.record(k, writtenOtherwise: false, account: k + 1)
            store.append(r)
            accounts.append(r.account)
            if k == 60_000 { #expect(store.account.width == 2) }
        }
        #expect(store.account.width == 4)
        #expect((0..<store.count).allSatisfy { store.accounts[store.account[$0]] == accounts[$0] })
    }
}
