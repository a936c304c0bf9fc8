import CDRModel
import Foundation

/// Reads a canonical file on two threads in a pipeline: one thread reads (and inflates) the bytes, scans the CSV,
/// parses and checks each row; the calling thread interns the strings, normalizes the numbers and appends the
/// calls to the one store. The threads hand over batches of parsed rows through a queue of at most four, so memory
/// stays bounded by the batch size and there is a single store (no second part to merge).
enum PipelinedIngest {
    /// Rows per batch.
    static let batchRows = 16_384

    /// A parsed row whose text fields are ranges of the batch's byte arena.
    struct PackedRow {
        var start: Int64
        var end: Int64
        var answer: Int64
        var direction: Direction
        var disposition: Disposition
        /// caller, callee, trunk, account, site: (offset, length) in `bytes`.
        var fields: (UInt64, UInt64, UInt64, UInt64, UInt64)
        /// The string-table hashes of the text fields, computed on the reading thread.
        var hashes: CanonicalReader.Hashes
    }

    /// Rows being collected on the reading thread (a value, so appending checks no exclusive access).
    struct Builder {
        var rows: [PackedRow] = []
        var bytes: [UInt8] = []
        /// Rejects, each after the rows kept before it (index into `rows`).
        var rejects: [(Int, RejectRecord)] = []

        init() {
            rows.reserveCapacity(PipelinedIngest.batchRows)
            bytes.reserveCapacity(PipelinedIngest.batchRows * 48)
        }

        /// A builder that reuses the arrays of a batch already consumed (their capacity stays allocated).
        init(reusing spent: Batch) {
            rows = spent.rows
            bytes = spent.bytes
            spent.rows = []
            spent.bytes = []
            spent.rejects = []
            rows.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
        }

        @inline(__always)
        mutating func pack(_ p: UnsafeRawBufferPointer) -> UInt64 {
            let offset = UInt64(bytes.count)
            if p.count > 0 { bytes.append(contentsOf: p) }
            return offset << 32 | UInt64(p.count)
        }

        var isEmpty: Bool { rows.isEmpty && rejects.isEmpty }
    }

    /// What the reading thread hands over: rows, then the rejects met after them.
    final class Batch: @unchecked Sendable {
        var rows: [PackedRow]
        var bytes: [UInt8]
        var rejects: [(Int, RejectRecord)]
        /// Compressed bytes read from the file so far.
        let consumed: Int64

        init(_ b: Builder, consumed: Int64) {
            rows = b.rows
            bytes = b.bytes
            rejects = b.rejects
            self.consumed = consumed
        }
    }

    /// The end of a file: totals, or the error that stopped it.
    struct Finish: @unchecked Sendable {
        var bytes: Int64 = 0
        var lines = 0
        var error: Error?
    }

    /// A bounded queue between the two threads, and the batches consumed, handed back for their arrays to be
    /// reused: the reading thread then allocates nothing per batch (fresh 2 MB arrays for every batch cost page
    /// faults, or resident memory the allocator keeps).
    final class Channel: @unchecked Sendable {
        private let lock = NSCondition()
        private var items: [Batch] = []
        private var spent: [Batch] = []
        private var finish: Finish?
        private var cancelled = false
        let capacity = 4

        func put(_ b: Batch) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            while items.count >= capacity && !cancelled { lock.wait() }
            if cancelled { return false }
            items.append(b)
            lock.broadcast()
            return true
        }

        /// Hands back a consumed batch (at most two are kept).
        func recycle(_ b: Batch) {
            lock.lock()
            if spent.count < 2 { spent.append(b) }
            lock.unlock()
        }

        /// A builder for the next batch, reusing a consumed batch's arrays when one is back.
        func builder() -> Builder {
            lock.lock()
            let b = spent.popLast()
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
        func take() -> (Batch?, Finish?) {
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

    /// Reads the rest of a canonical file whose first `fill` bytes are already in `head`.
    static func run(
        source: ByteSource,
        raw: ByteSource,
        name: String,
        head: UnsafeRawBufferPointer,
        eof: Bool,
        chunkSize: Int,
        session: IngestSession,
        onChunk: ((Int64, Int) -> Void)?,
        report: inout FileReport
    ) throws {
        let channel = Channel()
        let sources = Box((source, raw))
        let first = Box(Array(head))
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            produce(sources.value.0, sources.value.1, name, first.value, eof, chunkSize, channel)
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
                consume(batch, &state, name)
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

    /// The interning half: the calling thread.
    static func consume(_ batch: Batch, _ state: inout IngestState, _ name: String) {
        var nextReject = 0
        // Local copies: reading a class's arrays in the loop would check exclusive access on every row.
        let rows = batch.rows
        let rejects = batch.rejects
        let bytes = batch.bytes
        bytes.withUnsafeBytes { arena in
            @inline(__always) func field(_ packed: UInt64) -> UnsafeRawBufferPointer {
                let length = Int(packed & 0xFFFF_FFFF)
                if length == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
                return UnsafeRawBufferPointer(rebasing: arena[Int(packed >> 32)..<(Int(packed >> 32) + length)])
            }
            // Prefetch the number table's slots 16 rows ahead and the entries they point at 8 rows ahead, so the
            // cache misses of many rows overlap instead of following one another.
            let far = 16
            let near = 8
            for k in 0..<min(far, rows.count) {
                state.store.numbers.prefetchSlot(hash: rows[k].hashes.caller)
                state.store.numbers.prefetchSlot(hash: rows[k].hashes.callee)
            }
            for k in 0..<rows.count {
                let r = rows[k]
                if k + far < rows.count {
                    state.store.numbers.prefetchSlot(hash: rows[k + far].hashes.caller)
                    state.store.numbers.prefetchSlot(hash: rows[k + far].hashes.callee)
                }
                if k + near < rows.count {
                    state.store.numbers.prefetchEntry(hash: rows[k + near].hashes.caller)
                    state.store.numbers.prefetchEntry(hash: rows[k + near].hashes.callee)
                }
                while nextReject < rejects.count && rejects[nextReject].0 <= k {
                    state.rejects.add(rejects[nextReject].1)
                    nextReject += 1
                }
                let row = CanonicalReader.Row(
                    start: r.start,
                    end: r.end,
                    answer: r.answer,
                    direction: r.direction,
                    disposition: r.disposition,
                    caller: field(r.fields.0),
                    callee: field(r.fields.1),
                    trunk: field(r.fields.2),
                    account: field(r.fields.3),
                    site: field(r.fields.4)
                )
                if let (reason, detail) = CanonicalReader.emit(row, &state, hashes: r.hashes) {
                    state.rejects.add(RejectRecord(file: name, line: 0, reason: reason, detail: detail, raw: ""))
                }
            }
        }
        while nextReject < rejects.count {
            state.rejects.add(rejects[nextReject].1)
            nextReject += 1
        }
    }

    /// The reading half: bytes, CSV and row checks, on its own thread.
    static func produce(
        _ source: ByteSource,
        _ raw: ByteSource,
        _ name: String,
        _ head: [UInt8],
        _ eofAtStart: Bool,
        _ chunkSize: Int,
        _ channel: Channel
    ) {
        var reader = CanonicalReader()
        var scanner = CSVScanner(options: reader.csvOptions)
        var capacity = max(chunkSize * 2 + 128 * 1024, head.count * 2)
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        head.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: head.count) }
        var fill = head.count
        var eof = eofAtStart
        var total = Int64(fill)
        var builder = Builder()
        var finish = Finish()
        do {
            while true {
                let consumed = try scanner.scan(buffer, count: fill, isFinal: eof) { rec in
                    try handle(&rec, &reader, &builder, name)
                }
                if builder.rows.count >= batchRows || builder.rejects.count >= batchRows {
                    guard channel.put(Batch(builder, consumed: raw.consumedBytes)) else { return }
                    builder = channel.builder()
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
                        try handle(&rec, &reader, &builder, name)
                    }
                    let tail = UnsafeRawBufferPointer(start: buffer + done, count: fill - done)
                    if let r = truncatedRecord(tail, file: name, line: scanner.linesConsumed + 1) {
                        builder.rejects.append((builder.rows.count, r))
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
        if !builder.isEmpty { _ = channel.put(Batch(builder, consumed: raw.consumedBytes)) }
        channel.close(finish)
    }

    /// Parses one record into the builder.
    @inline(__always)
    static func handle(
        _ rec: inout CSVRecord,
        _ reader: inout CanonicalReader,
        _ b: inout Builder,
        _ name: String
    )
        throws
    {
        switch try reader.parse(&rec, file: name) {
        case .header: break
        case .reject(let reason, let detail):
            b.rejects.append(
                (
                    b.rows.count,
                    RejectRecord(file: name, line: rec.line, reason: reason, detail: detail, raw: rec.rawText())
                )
            )
        case .row(let row):
            let fields = (
                b.pack(row.caller), b.pack(row.callee), b.pack(row.trunk), b.pack(row.account), b.pack(row.site)
            )
            b.rows.append(
                PackedRow(
                    start: row.start,
                    end: row.end,
                    answer: row.answer,
                    direction: row.direction,
                    disposition: row.disposition,
                    fields: fields,
                    hashes: CanonicalReader.Hashes(row)
                )
            )
        }
    }
}
