import Foundation
import OrderCore
import Parsers

/// Reads and maps a file on its own thread while the caller writes: parsing and mapping on
/// one core, SQLite on the other. Records travel in batches through a bounded queue, so memory
/// stays flat however large the file.
final class RecordPipeline: @unchecked Sendable {
    /// One mapped record, with what the writer needs to report it.
    enum Item: Sendable {
        case order(OrderMapper.Mapped, SourceRecord)
        /// A shipment event or received invoice (``MappingKind``).
        case record(MappedRecord, SourceRecord)
        case rejected([RecordError], rawRows: [[UInt8]], record: SourceRecord?)
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
    /// Few orders in flight keep memory flat: four queued batches of 128 made a 1M-order Shopify
    /// CSV peak at 74 MB RSS, four of 32 at 56 MB. Two of 64 hold as many as four of 32 with
    /// half the hand-offs between the threads.
    private static let capacity = 2
    private static let batchSize = 64

    /// Starts reading `path` with `mapper` on a new thread; an open error comes back as the first batch's `end`.
    init(path: String, mapper: OrderMapper) {
        threads.start { [self] in produce(path: path, mapper: mapper) }
    }

    /// The next batch; the one with `end` set is the last.
    func next() -> Batch {
        batches.take()! // `nil` only after `close`, which comes last
    }

    /// Stops the reader if it still runs (the writer gave up: pending batches are dropped) and
    /// waits for its thread to end, so no read outlives the file's ingest.
    func close() {
        batches.cancel()
        threads.join()
    }

    /// Hands a batch to the writer, waiting while the queue is full; false once cancelled. (The
    /// writer frees what the reader allocated: mimalloc, linked by the binary, takes such frees
    /// without the lock contention glibc's arenas had.)
    private func put(_ b: Batch) -> Bool {
        batches.put(b)
    }

    private func produce(path: String, mapper: OrderMapper) {
        var reader: any RecordReader
        do {
            reader = try SourceReaders.open(path: path, mapper: mapper)
        } catch {
            _ = put(Batch(items: [], bytesRead: 0, header: [], end: End(parseError: error, duplicateRowsDropped: 0)))
            return
        }
        var items: [Item] = []
        items.reserveCapacity(Self.batchSize)
        var parseError: ParseError?
        while true {
            let next: RecordResult?
            do { next = try reader.next() } catch { parseError = error; break }
            guard let next else { break }
            switch next {
            case .rejected(let e, let rawRows): items.append(.rejected([e], rawRows: rawRows, record: nil))
            case .record(let record) where mapper.spec.kind == .orders:
                switch mapper.map(record) {
                case .success(let order): items.append(.order(order, record))
                case .failure(let errors): items.append(.rejected(errors.errors, rawRows: record.rawRows, record: record))
                }
            case .record(let record):
                switch mapper.mapRecord(record) {
                case .success(let mapped): items.append(.record(mapped, record))
                case .failure(let errors): items.append(.rejected(errors.errors, rawRows: record.rawRows, record: record))
                }
            }
            if items.count >= Self.batchSize {
                guard put(Batch(items: items, bytesRead: reader.bytesRead, header: reader.header, end: nil)) else { return }
                items.removeAll(keepingCapacity: true)
            }
        }
        _ = put(Batch(items: items, bytesRead: reader.bytesRead, header: reader.header,
                      end: End(parseError: parseError, duplicateRowsDropped: reader.duplicateRowsDropped,
                               unseenFields: reader.unseenFields, rowsSkipped: reader.rowsSkipped)))
    }
}
