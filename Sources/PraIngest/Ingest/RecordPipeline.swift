import Foundation
import OrderCore
import Parsers

/// Reads and maps a file on its own thread while the caller writes: parsing and mapping on
/// one core, SQLite on the other (a small table on the caller's thread, as it asks). Records
/// travel in batches through a bounded queue, so memory stays flat however large the file.
final class RecordPipeline: @unchecked Sendable {
    /// One mapped record, with what the writer needs to report it.
    enum Item: Sendable {
        case order(OrderMapper.Mapped, SourceRecord)
        /// A shipment event or received invoice (``MappingKind``).
        case record(MappedRecord, SourceRecord)
        case rejected([RecordError], rawRows: RawRows, record: SourceRecord?)

        /// An item of nothing, left in a batch where an item was moved out (no allocation).
        static var empty: Item { .rejected([], rawRows: RawRows(), record: nil) }
    }

    /// A batch of items and the reader's state when it was sent.
    struct Batch: Sendable {
        var items: [Item]
        var bytesRead: Int64
        var header: [String]
        /// Set on the last batch.
        var end: End?
    }

    struct End: Sendable {
        var parseError: ParseError?
        var duplicateRowsDropped: Int
        /// Source fields the mapping reads that nothing in the file had.
        var unseenFields = UnseenFields()
        /// Rows `skip_rows` skipped.
        var rowsSkipped = 0
    }

    private let batches = HandOff<Batch>(capacity: capacity)
    private let threads = ThreadGroup()
    /// A small table's records are read on the caller's thread, batch by batch as it asks: a
    /// thread's start and end cost more than they overlap for it (a morning flood's files).
    private var inline: Producer?
    /// Few orders in flight keep memory flat: four queued batches of 128 made a 1M-order Shopify
    /// CSV peak at 74 MB RSS, four of 32 at 56 MB. Two of 64 hold as many as four of 32 with
    /// half the hand-offs between the threads.
    private static let capacity = 2
    private static let batchSize = 64
    /// Below this size a CSV or workbook is read inline. XML and JSON always get the reader
    /// thread's 8 MiB stack, whatever thread the caller runs on.
    static let inlineBytes: Int64 = 128 << 10

    /// Starts reading `path` (`size` bytes) with `mapper`; an open error comes back as the first
    /// batch's `end`. `observer` sees the bytes read (``SourceReaders/open(path:mapper:observer:)``).
    init(path: String, size: Int64, mapper: OrderMapper, observer: ReadObserver? = nil) {
        if size < Self.inlineBytes && !mapper.spec.format.isXML && !mapper.spec.format.isJSON {
            inline = Producer(path: path, mapper: mapper, observer: observer)
            return
        }
        threads.start { [self] in
            var producer = Producer(path: path, mapper: mapper.compiledAgain(), observer: observer)
            while let batch = producer.nextBatch(), put(batch) {}
        }
    }

    /// The next batch; the one with `end` set is the last.
    func next() -> Batch {
        if inline != nil { return inline!.nextBatch()! } // `nil` only after the last batch, which comes last
        return batches.take()! // `nil` only after `close`, which comes last
    }

    /// Stops the reader if it still runs (the writer gave up: pending batches are dropped) and
    /// waits for its thread to end, so no read outlives the file's ingest.
    func close() {
        inline = nil
        batches.cancel()
        threads.join()
    }

    /// Hands a batch to the writer, waiting while the queue is full; false once cancelled. (The
    /// writer frees what the reader allocated: mimalloc, linked by the binary, takes such frees
    /// without the lock contention glibc's arenas had.)
    private func put(_ b: Batch) -> Bool {
        batches.put(b)
    }

    /// Reads and maps a file's records a batch at a time.
    private struct Producer {
        let path: String
        let mapper: OrderMapper
        let observer: ReadObserver?
        private var reader: (any RecordReader)?
        private var ended = false

        init(path: String, mapper: OrderMapper, observer: ReadObserver?) {
            self.path = path
            self.mapper = mapper
            self.observer = observer
        }

        /// What the writer keeps of a mapped order's record: all of it from XML and JSON, whose
        /// reports show the values read; only the rows of a tabular one, whose reports show them
        /// (``RawRecordJSON``). Its values are freed here, on the thread that made them: freed on
        /// the writer's thread, each of their buffers cost a free across threads.
        private static func keptForReports(_ record: SourceRecord) -> SourceRecord {
            guard !record.rawRows.isEmpty else { return record }
            return SourceRecord(position: record.position, orderValues: SourceValues(), lines: [], rawRows: record.rawRows)
        }

        /// Up to ``batchSize`` items; the batch with `end` set is the last, `nil` after it.
        mutating func nextBatch() -> Batch? {
            guard !ended else { return nil }
            if reader == nil {
                do {
                    reader = try SourceReaders.open(path: path, mapper: mapper, observer: observer)
                } catch {
                    ended = true
                    return Batch(items: [], bytesRead: 0, header: [], end: End(parseError: error, duplicateRowsDropped: 0))
                }
            }
            var items: [Item] = []
            items.reserveCapacity(batchSize)
            var parseError: ParseError?
            while items.count < batchSize {
                let next: RecordResult?
                do { next = try reader!.next() } catch { parseError = error; ended = true; break }
                guard let next else { ended = true; break }
                switch consume next {
                case .rejected(let e, let rawRows): items.append(.rejected([e], rawRows: rawRows, record: nil))
                // One case, the kind tested inside: a `where` on the pattern copied the record
                // (a retain and a release per buffer) in case the next pattern needed it.
                case .record(let record):
                    if mapper.spec.kind == .orders {
                        switch mapper.map(record) {
                        case .success(let order): items.append(.order(order, Self.keptForReports(record)))
                        case .failure(let errors): items.append(.rejected(errors.errors, rawRows: record.rawRows, record: record))
                        }
                    } else {
                        switch mapper.mapRecord(record) {
                        case .success(let mapped): items.append(.record(mapped, record))
                        case .failure(let errors): items.append(.rejected(errors.errors, rawRows: record.rawRows, record: record))
                        }
                    }
                }
            }
            let r = reader!
            guard ended else { return Batch(items: items, bytesRead: r.bytesRead, header: r.header, end: nil) }
            reader = nil // the file closes with its reader
            return Batch(items: items, bytesRead: r.bytesRead, header: r.header,
                         end: End(parseError: parseError, duplicateRowsDropped: r.duplicateRowsDropped,
                                  unseenFields: r.unseenFields, rowsSkipped: r.rowsSkipped))
        }
    }
}
