import CDRModel
import Foundation

/// Reads a file on two threads in a pipeline: one thread reads (and inflates) the bytes, scans the CSV, parses and
/// checks each row; the calling thread interns the strings, normalizes the numbers, finds the legs of one call and
/// appends the calls to the one store. The threads hand over batches of parsed rows through a queue of at most
/// four, so memory stays bounded by the batch size and there is a single store (no second part to merge).
///
/// Canonical files (``CanonicalProducer``), Asterisk files and the mapped formats (``MappedProducer``: FreeSWITCH,
/// Cisco UCM, BroadWorks, Twilio, Genesys Cloud, custom mappings without a site column) are read so.
enum PipelinedIngest {
    /// Rows per batch. 4,096: a batch (half a megabyte of FreeSWITCH rows with their text) is still in the shared
    /// cache when the other thread takes it, and a file's first batch, which the interning thread waits for, and its
    /// last ones, which it takes alone, are short. Against 16,384 (three alternating rounds of a 10 M-call month):
    /// canonical 0.262 → 0.221–0.228 µs a call, FreeSWITCH 0.421 → 0.335–0.347, and less CPU time (0.370 → 0.345
    /// µs a call, canonical); 1,024 and 2,048 were no faster for FreeSWITCH, a queue of eight no better than four.
    static let batchRows = 4_096

    /// A parsed row whose text fields are ranges of the batch's byte arena.
    struct PackedRow {
        var start: Int64
        var end: Int64
        var answer: Int64
        var direction: Direction
        var disposition: Disposition
        /// The record's line, for a reject the interning thread makes (a dictionary full): in the padding after
        /// the two bytes before it, so the row is no larger.
        var line: Int32
        /// caller, callee, trunk, account, site: (offset, length) in `bytes`.
        var fields: (UInt64, UInt64, UInt64, UInt64, UInt64)
        /// The string-table hashes of the text fields, computed on the reading thread.
        var hashes: CanonicalReader.Hashes
    }

    /// A mapped-format row (``MappedRow``) whose text fields are ranges of the batch's byte arena.
    struct MappedPackedRow {
        var start: Int64
        var end: Int64
        var answer: Int64
        var direction: Direction
        var disposition: Disposition
        var origin: LegOrigin
        var line: Int32
        /// caller, callee, trunk, account: (offset, length) in `bytes`.
        var fields: (UInt64, UInt64, UInt64, UInt64)
        var callerHash: UInt64
        var calleeHash: UInt64
        var trunkHash: UInt64
        var accountHash: UInt64
        var own: UInt64
        var peer: UInt64
        var parent: UInt64
    }

    /// A further leg of the call of the row before it, taken out of the rows on the reading thread (FreeSWITCH's B
    /// leg right after its A leg): the interning thread merges it right after that row, as its own row
    /// (``IngestState/emit(_:file:line:raw:)``), without a row's loop and prefetches of its own. It is taken only when its only key is the peer the row before named, that row has no trunk (so it
    /// cannot be rejected: a trunk dictionary that is full rejects only a row with a trunk) and no reject came
    /// between them; its call is then always found by that key, and its calling number and account, never read
    /// for a leg that is not its call's originating one (``LegOrigin/no``: only those are taken), are not kept.
    struct FollowingLeg {
        var start: Int64
        var end: Int64
        var answer: Int64
        var key: UInt64
        /// trunk, callee: (offset, length) in the batch's bytes.
        var trunk: UInt64
        var callee: UInt64
        var trunkHash: UInt64
        var calleeHash: UInt64
        var line: Int32
        var direction: Direction
        /// The leg's own outcome: an unanswered call takes that of the leg that went out through the trunk.
        var disposition: Disposition
    }

    /// The text bytes of a batch's rows: one allocation, owned here and freed with the last batch or builder that
    /// holds it.
    final class Arena: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
        let capacity: Int

        init(capacity: Int) {
            base = .allocate(byteCount: capacity, alignment: 16)
            self.capacity = capacity
        }

        deinit { base.deallocate() }
    }

    /// Rows being collected on the reading thread (a value, so appending checks no exclusive access).
    struct Builder<Row> {
        var rows: [Row] = []
        /// The rows' text fields, `used` bytes of `arena`. Appended to with a `memcpy`: `[UInt8].append(contentsOf:)`
        /// from a buffer took about a hundred instructions a field (four fields a row), on the thread that limits
        /// how fast a FreeSWITCH file is read.
        private(set) var arena: Arena
        private(set) var used = 0
        /// `arena.base` and `arena.capacity`, kept in the value so that packing a field loads no class field.
        private var base: UnsafeMutableRawPointer
        private var capacity: Int
        /// Rejects, each after the rows kept before it (index into `rows`).
        var rejects: [(Int, RejectRecord)] = []
        /// Further legs each merged right after the row they follow (index into `rows`; ``FollowingLeg``).
        var following: [(Int, FollowingLeg)] = []

        init() {
            rows.reserveCapacity(PipelinedIngest.batchRows)
            arena = Arena(capacity: PipelinedIngest.batchRows * 48)
            base = arena.base
            capacity = arena.capacity
        }

        /// A builder that reuses the storage of a batch already consumed (its capacity stays allocated).
        init(reusing spent: Batch<Row>) {
            rows = spent.rows
            following = spent.following
            spent.rows = []
            spent.rejects = []
            spent.following = []
            rows.removeAll(keepingCapacity: true)
            following.removeAll(keepingCapacity: true)
            arena = spent.arena
            base = arena.base
            capacity = arena.capacity
        }

        @inline(__always)
        mutating func pack(_ p: UnsafeRawBufferPointer) -> UInt64 {
            let offset = used
            let n = p.count
            if n > 0 {
                if offset + n > capacity { grow(to: offset + n) }
                (base + offset).copyMemory(from: p.baseAddress!, byteCount: n)
                used = offset + n
            }
            return UInt64(offset) << 32 | UInt64(n)
        }

        /// A larger arena with the bytes so far (at least twice the size: rows with long fields).
        @inline(never)
        private mutating func grow(to n: Int) {
            let bigger = Arena(capacity: max(n, 2 * capacity))
            bigger.base.copyMemory(from: base, byteCount: used)
            arena = bigger
            base = bigger.base
            capacity = bigger.capacity
        }

        var isEmpty: Bool { rows.isEmpty && rejects.isEmpty }

        /// A reject met after the rows so far.
        mutating func reject(_ r: RejectRecord) { rejects.append((rows.count, r)) }
    }

    /// What the reading thread hands over: rows, then the rejects met after them.
    final class Batch<Row>: @unchecked Sendable {
        var rows: [Row]
        /// The rows' text fields: `used` bytes of `arena`.
        let arena: Arena
        let used: Int
        var rejects: [(Int, RejectRecord)]
        var following: [(Int, FollowingLeg)]
        /// Compressed bytes read from the file so far.
        let consumed: Int64

        init(_ b: Builder<Row>, consumed: Int64) {
            rows = b.rows
            arena = b.arena
            used = b.used
            rejects = b.rejects
            following = b.following
            self.consumed = consumed
        }

        /// The rows' text fields.
        var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: arena.base, count: used) }
    }

    /// The end of a file: totals, or the error that stopped it.
    struct Finish: @unchecked Sendable {
        var bytes: Int64 = 0
        var lines = 0
        var error: Error?
        /// Local times the reading thread converted to UTC that were ambiguous or skipped (mapped formats).
        var localTimes = LocalTimeCounts()
    }

    /// Batches consumed, kept for their arrays to be reused by the next batches, of this file and of the run's
    /// later files (``IngestSession/batchPool(_:)``): the reading thread then allocates nothing per batch. Fresh 2 MB
    /// arrays for every batch cost page faults (the kernel zeroing them: a FreeSWITCH month of 90 daily files spent
    /// 1.5 s more in the kernel on two threads than on one before the pool outlived a file), or resident memory the
    /// allocator keeps. Used by one file's ``Channel`` at a time, under its lock.
    final class BatchPool<Row>: @unchecked Sendable {
        fileprivate var spent: [Batch<Row>] = []
        /// A batch in the queue, one being built and one being consumed, and one to spare.
        static var limit: Int { 7 }
    }

    /// A bounded queue between the two threads, and the batches consumed, handed back (``BatchPool``).
    final class Channel<Row>: @unchecked Sendable {
        private let lock = NSCondition()
        private var items: [Batch<Row>] = []
        private let pool: BatchPool<Row>
        private var finish: Finish?
        private var cancelled = false
        let capacity = 4

        init(pool: BatchPool<Row>) { self.pool = pool }

        func put(_ b: Batch<Row>) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            while items.count >= capacity && !cancelled { lock.wait() }
            if cancelled { return false }
            items.append(b)
            lock.broadcast()
            return true
        }

        /// Hands back a consumed batch (at most ``BatchPool/limit`` are kept).
        func recycle(_ b: Batch<Row>) {
            lock.lock()
            if pool.spent.count < BatchPool<Row>.limit { pool.spent.append(b) }
            lock.unlock()
        }

        /// A builder for the next batch, reusing a consumed batch's arrays when one is back.
        func builder() -> Builder<Row> {
            lock.lock()
            let b = pool.spent.popLast()
            lock.unlock()
            return b.map { Builder(reusing: $0) } ?? Builder()
        }

        func close(_ f: Finish) {
            lock.lock()
            finish = f
            lock.broadcast()
            lock.unlock()
        }

        /// The next batch, or nil with the finish once the reader is done.
        func take() -> (Batch<Row>?, Finish?) {
            lock.lock()
            defer { lock.unlock() }
            while items.isEmpty && finish == nil { lock.wait() }
            if !items.isEmpty {
                let b = items.removeFirst()
                lock.broadcast()
                return (b, nil)
            }
            return (nil, finish)
        }

        func cancel() {
            lock.lock()
            cancelled = true
            lock.broadcast()
            lock.unlock()
        }
    }

    final class Box<T>: @unchecked Sendable {
        let value: T
        init(_ v: T) { value = v }
    }

    /// The reading thread's half of a pipeline: parses records into its builder.
    protocol Producer: SendableMetatype {
        associatedtype Row
        var csvOptions: CSVOptions { get }
        var builder: Builder<Row> { get set }
        /// Local times converted to UTC on the reading thread that a DST change made ambiguous or skipped.
        var localTimes: LocalTimeCounts { get }
        mutating func handle(_ rec: inout CSVRecord, _ name: String) throws
    }

    /// Reads the rest of a file whose first `fill` bytes are already in `head`: `producer` parses the rows on a
    /// thread of its own, `consume` takes each batch on the calling thread.
    static func run<P: Producer>(
        _ producer: P,
        source: ByteSource,
        raw: ByteSource,
        name: String,
        head: UnsafeRawBufferPointer,
        eof: Bool,
        chunkSize: Int,
        session: IngestSession,
        onChunk: ((Int64, Int) -> Void)?,
        report: inout FileReport,
        consume: (Batch<P.Row>, inout IngestState) -> Void
    ) throws {
        let channel = Channel<P.Row>(pool: session.batchPool(P.Row.self))
        let sources = Box((source, raw, producer))
        let first = Box(Array(head))
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let (source, raw, producer) = sources.value
            produce(producer, source, raw, name, first.value, eof, chunkSize, channel)
            done.signal()
        }
        defer { done.wait() }
        var failure: Error?
        session.withState { state in
            let hopeless = HopelessFile(state)
            var read: Int64 = 0
            while true {
                let (batch, finish) = channel.take()
                guard let batch else {
                    if let finish {
                        report.bytes = finish.bytes
                        report.lines = finish.lines
                        failure = finish.error
                        let t = finish.localTimes
                        state.addCounters(
                            ambiguous: t.ambiguous,
                            nonexistent: t.nonexistent,
                            second: t.second,
                            warnings: []
                        )
                    }
                    return
                }
                // More rows follow those consumed: a file whose rows so far were all rejected alike stops here, as
                // on one thread (``HopelessFile``). Its bytes (compressed ones for gzip) and lines are those of the
                // batches consumed.
                if read > 0, let error = hopeless.check(state, file: name, format: report.format) {
                    report.bytes = read
                    report.lines = hopeless.rowsSince(state) + 1  // and the header
                    failure = error
                    return
                }
                consume(batch, &state)
                read = batch.consumed
                if let onChunk { onChunk(batch.consumed, state.store.count) }
                channel.recycle(batch)
            }
        }
        if let failure {
            channel.cancel()
            throw failure
        }
    }

    /// Adds a batch's rejects that came before row `k` (all of them when `k` is past the last row).
    @inline(__always)
    static func addRejects<Row>(before k: Int, _ batch: Batch<Row>, _ next: inout Int, _ state: inout IngestState) {
        while next < batch.rejects.count && batch.rejects[next].0 <= k {
            state.rejects.add(batch.rejects[next].1)
            next += 1
        }
    }

    /// A packed row whose string-table slots (and leg-index slots) the interning thread loads ahead.
    protocol LoadedAhead {
        func prefetchSlots(_ state: inout IngestState)
        /// The entries the slots point at (some rows after ``prefetchSlots(_:)``: it reads the slots).
        func prefetchEntries(_ state: inout IngestState)
    }

    /// Before row `k` is interned: prefetches the slots 16 rows ahead and the entries they point at 8 rows ahead,
    /// so the cache misses of many rows overlap instead of following one another.
    @inline(__always)
    static func prefetchAhead<Row: LoadedAhead>(_ rows: [Row], _ k: Int, _ state: inout IngestState) {
        let far = 16
        let near = 8
        if k == 0 { for j in 0..<min(far, rows.count) { rows[j].prefetchSlots(&state) } }
        if k + far < rows.count { rows[k + far].prefetchSlots(&state) }
        if k + near < rows.count { rows[k + near].prefetchEntries(&state) }
    }

    /// Hands each row of a batch to `body` with its index and the batch's arena, in order: the rows' slots prefetched ahead
    /// (``prefetchAhead(_:_:_:)``) and the batch's rejects added where they came among the rows. The loop both
    /// interning halves share; `body` is inlined into it.
    @inline(__always)
    static func forEachRow<Row: LoadedAhead>(
        _ batch: Batch<Row>,
        _ state: inout IngestState,
        _ body: (Int, Row, UnsafeRawBufferPointer, inout IngestState) -> Void
    ) {
        var nextReject = 0
        // Local copies: reading a class's arrays in the loop would check exclusive access on every row.
        let rows = batch.rows
        let arena = batch.bytes
        for k in 0..<rows.count {
            prefetchAhead(rows, k, &state)
            addRejects(before: k, batch, &nextReject, &state)
            body(k, rows[k], arena, &state)
        }
        addRejects(before: Int.max, batch, &nextReject, &state)
    }

    /// The interning half of a canonical file: the calling thread.
    static func consume(_ batch: Batch<PackedRow>, _ state: inout IngestState, _ name: String) {
        forEachRow(batch, &state) { _, r, arena, state in
            let row = CanonicalReader.Row(
                start: r.start,
                end: r.end,
                answer: r.answer,
                direction: r.direction,
                disposition: r.disposition,
                caller: field(arena, r.fields.0),
                callee: field(arena, r.fields.1),
                trunk: field(arena, r.fields.2),
                account: field(arena, r.fields.3),
                site: field(arena, r.fields.4)
            )
            if let (reason, detail) = CanonicalReader.emit(row, &state, hashes: r.hashes) {
                state.rejects.add(RejectRecord(file: name, line: Int(r.line), reason: reason, detail: detail, raw: ""))
            }
        }
    }

    /// The interning half of a mapped-format file (``IngestState/emit(_:file:line:raw:)``): the calling thread.
    /// Every row is of the file's one site (`site`, context `ctx`).
    static func consumeMapped(
        _ batch: Batch<MappedPackedRow>,
        _ state: inout IngestState,
        _ name: String,
        site: UInt16,
        ctx: Int
    ) {
        // No raw text: a run that keeps the legs (`--legs`) reads mapped files on one thread.
        @inline(__always) func emit(_ row: MappedRow, line: Int32, _ state: inout IngestState) {
            guard let detail = state.emit(row, file: name, line: Int(line), raw: "") else { return }
            state.rejects.add(
                RejectRecord(file: name, line: Int(line), reason: RejectReason.tooManyValues, detail: detail, raw: "")
            )
        }
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        let following = batch.following
        var nextFollowing = 0
        forEachRow(batch, &state) { k, r, arena, state in
            let row = MappedRow(
                start: r.start,
                end: r.end,
                answer: r.answer,
                direction: r.direction,
                disposition: r.disposition,
                caller: field(arena, r.fields.0),
                callee: field(arena, r.fields.1),
                trunk: field(arena, r.fields.2),
                account: field(arena, r.fields.3),
                callerHash: r.callerHash,
                calleeHash: r.calleeHash,
                trunkHash: r.trunkHash,
                accountHash: r.accountHash,
                own: r.own,
                peer: r.peer,
                parent: r.parent,
                origin: r.origin,
                site: site,
                ctx: ctx
            )
            emit(row, line: r.line, &state)
            // The further legs after it, each as its own row: its key (the peer this row named) finds the call.
            while nextFollowing < following.count && following[nextFollowing].0 == k {
                let leg = following[nextFollowing].1
                nextFollowing += 1
                let legRow = MappedRow(
                    start: leg.start,
                    end: leg.end,
                    answer: leg.answer,
                    direction: leg.direction,
                    disposition: leg.disposition,
                    caller: none,
                    callee: field(arena, leg.callee),
                    trunk: field(arena, leg.trunk),
                    account: none,
                    callerHash: 0,
                    calleeHash: leg.calleeHash,
                    trunkHash: leg.trunkHash,
                    accountHash: 0,
                    own: leg.key,
                    peer: 0,
                    parent: 0,
                    origin: .no,
                    site: site,
                    ctx: ctx
                )
                emit(legRow, line: leg.line, &state)
            }
        }
    }

    /// A packed field of a batch's arena.
    @inline(__always)
    static func field(_ arena: UnsafeRawBufferPointer, _ packed: UInt64) -> UnsafeRawBufferPointer {
        let length = Int(packed & 0xFFFF_FFFF)
        if length == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: arena[Int(packed >> 32)..<(Int(packed >> 32) + length)])
    }

    /// The reading half: bytes, CSV and row checks, on its own thread.
    static func produce<P: Producer>(
        _ producerAtStart: P,
        _ source: ByteSource,
        _ raw: ByteSource,
        _ name: String,
        _ head: [UInt8],
        _ eofAtStart: Bool,
        _ chunkSize: Int,
        _ channel: Channel<P.Row>
    ) {
        var producer = producerAtStart
        var scanner = CSVScanner(options: producer.csvOptions)
        var capacity = max(chunkSize * 2 + 128 * 1024, head.count * 2)
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        head.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: head.count) }
        var fill = head.count
        var eof = eofAtStart
        var total = Int64(fill)
        var finish = Finish()
        do {
            while true {
                let consumed = try scanner.scan(buffer, count: fill, isFinal: eof) { rec in
                    try producer.handle(&rec, name)
                }
                if producer.builder.rows.count >= batchRows || producer.builder.rejects.count >= batchRows {
                    guard channel.put(Batch(producer.builder, consumed: raw.consumedBytes)) else { return }
                    producer.builder = channel.builder()
                }
                compact(buffer, fill: &fill, consumed: consumed)
                if eof { break }
                ensureRoom(&buffer, &capacity, fill: fill, chunkSize: chunkSize)
                let n: Int
                do {
                    n = try source.read(
                        into: UnsafeMutableRawBufferPointer(start: buffer + fill, count: capacity - fill)
                    )
                } catch {
                    // Keep every complete record decoded before the fault; the cut-off tail is a reject.
                    let done = try scanner.scan(buffer, count: fill, isFinal: false) { rec in
                        try producer.handle(&rec, name)
                    }
                    let tail = UnsafeRawBufferPointer(start: buffer + done, count: fill - done)
                    if let r = truncatedRecord(tail, file: name, line: scanner.linesConsumed + 1) {
                        producer.builder.reject(r)
                    }
                    throw error
                }
                if n == 0 { eof = true }
                fill += n
                total += Int64(n)
            }
            finish.lines = scanner.linesConsumed
        } catch {
            finish.error = error
        }
        finish.bytes = total
        finish.localTimes = producer.localTimes
        if !producer.builder.isEmpty { _ = channel.put(Batch(producer.builder, consumed: raw.consumedBytes)) }
        channel.close(finish)
    }

    /// Canonical rows: ``CanonicalReader/parse(_:file:)`` on the reading thread.
    struct CanonicalProducer: Producer {
        var reader = CanonicalReader()
        var builder = Builder<PackedRow>()
        var csvOptions: CSVOptions { reader.csvOptions }
        var localTimes: LocalTimeCounts { LocalTimeCounts() }

        @inline(__always)
        mutating func handle(_ rec: inout CSVRecord, _ name: String) throws {
            switch try reader.parse(&rec, file: name) {
            case .header: break
            case .reject(let reason, let detail):
                builder.reject(RejectRecord(file: name, record: rec, reason: reason, detail: detail))
            case .row(let row):
                let fields = (
                    builder.pack(row.caller), builder.pack(row.callee), builder.pack(row.trunk),
                    builder.pack(row.account), builder.pack(row.site)
                )
                builder.rows.append(
                    PackedRow(
                        start: row.start,
                        end: row.end,
                        answer: row.answer,
                        direction: row.direction,
                        disposition: row.disposition,
                        line: Int32(truncatingIfNeeded: rec.line),
                        fields: fields,
                        hashes: CanonicalReader.Hashes(row)
                    )
                )
            }
        }
    }

    /// Mapped-format and Asterisk rows: the reader's checks on the reading thread, into a ``PipelineRowSink``.
    struct MappedProducer<R: MappedRecordReader>: Producer {
        var reader: R
        var sink: PipelineRowSink
        var csvOptions: CSVOptions { reader.csvOptions }
        var localTimes: LocalTimeCounts { sink.localTimes }
        var builder: Builder<MappedPackedRow> {
            get { sink.builder }
            _modify { yield &sink.builder }
        }

        @inline(__always)
        mutating func handle(_ rec: inout CSVRecord, _ name: String) throws {
            _ = try reader.read(&rec, sink: &sink, file: name)
        }
    }
}

/// A reader that can send its rows to any ``MappedRowSink`` (``MappedReader``, ``FreeSWITCHReader``,
/// ``AsteriskReader``).
protocol MappedRecordReader {
    var csvOptions: CSVOptions { get }
    mutating func read<S: MappedRowSink>(_ rec: inout CSVRecord, sink s: inout S, file: String) throws -> Bool
}

extension PipelinedIngest.PackedRow: PipelinedIngest.LoadedAhead {
    @inline(__always)
    func prefetchSlots(_ state: inout IngestState) {
        state.store.numbers.prefetchSlot(hash: hashes.caller)
        state.store.numbers.prefetchSlot(hash: hashes.callee)
    }

    @inline(__always)
    func prefetchEntries(_ state: inout IngestState) {
        state.store.numbers.prefetchEntry(hash: hashes.caller)
        state.store.numbers.prefetchEntry(hash: hashes.callee)
    }
}

extension PipelinedIngest.MappedPackedRow: PipelinedIngest.LoadedAhead {
    /// The numbers' slots and the leg index's.
    @inline(__always)
    func prefetchSlots(_ state: inout IngestState) {
        state.store.numbers.prefetchSlot(hash: callerHash)
        state.store.numbers.prefetchSlot(hash: calleeHash)
        state.prefetchLeg(own, peer, parent)
    }

    @inline(__always)
    func prefetchEntries(_ state: inout IngestState) {
        state.store.numbers.prefetchEntry(hash: callerHash)
        state.store.numbers.prefetchEntry(hash: calleeHash)
    }
}
