import Foundation
import OrderCore
import OrderStore
import Parsers

/// Ingests one file: picks its mapping, streams its records through the mapping engine and
/// writes them in one transaction, so a file lands whole or (on a crash) not at all, and
/// re-ingesting anything only updates in place. The same code path serves `pra-ingest
/// ingest` and the watcher.
public final class Ingestor {
    public let store: OrderStore
    /// The mappings in force; the watcher swaps in a reloaded registry after an edit.
    public var registry: MappingRegistry
    /// The clock, injected so tests and golden files are deterministic.
    public var clock: @Sendable () -> Date = { Date() }
    /// Called as the file is read: (bytes read, file size).
    public var progress: ((Int64, Int64) -> Void)?

    public init(store: OrderStore, registry: MappingRegistry) {
        self.store = store
        self.registry = registry
    }

    var now: String {
        let d = clock()
        let t = Timestamp(epochSeconds: Int64(d.timeIntervalSince1970.rounded(.down)), utcOffsetSeconds: 0)
        return t.description
    }

    /// Ingests `path` for `seller`. Never throws: every outcome is in the report.
    /// - Parameter jobID: the watcher's queue job; when that same job already ingested this
    ///   content (a crash came after the commit), the file counts as ingested, not as a duplicate.
    public func ingest(path: String, seller: String, jobID: Int64? = nil) -> IngestReport {
        var report = IngestReport(file: path, seller: seller, status: .failed)
        do {
            try run(path: path, seller: seller, jobID: jobID, report: &report)
        } catch let e as IngestError {
            report.status = .failed
            report.error = e
        } catch {
            report.status = .failed
            report.error = IngestError(.store, file: path, "\(error)")
        }
        if report.status == .failed, let e = report.error {
            try? logFailure(e, seller: seller)
        }
        return report
    }

    private func run(path: String, seller: String, jobID: Int64?, report: inout IngestReport) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        let sha = try SHA256.hex(ofFile: path)
        report.sha256 = sha
        let spec = try registry.mapping(for: path)
        report.mapping = spec.name
        let now = self.now
        let sellerID = try store.seller(code: seller, now: now)
        if let earlier = try store.ingestedFile(seller: sellerID, sha256: sha) {
            if let jobID, earlier.jobID == jobID {
                report.resumed = true
                report.ordersInserted = earlier.orders
                report.linesWritten = earlier.lines
                report.rejectedCount = earlier.rejected
                report.status = earlier.rejected > 0 ? .partial : .ingested
            } else {
                report.status = .duplicate
            }
            return
        }
        let mapper = try OrderMapper(spec: spec)
        let platformID = try store.platform(name: spec.platform, type: spec.platformType, now: now)
        let integrationID = try store.integration(seller: sellerID, platform: platformID, now: now)
        let fileName = (path as NSString).lastPathComponent
        let pipeline = RecordPipeline(path: path, mapper: mapper)

        struct RejectFile: Error {}
        do {
            try store.db.transaction {
                let writer = try FileIngestWriter(store: store, sellerID: sellerID, integrationID: integrationID,
                                                  fileName: fileName, sha256: sha, size: size, mapping: spec.name,
                                                  jobID: jobID, now: now)
                var end: RecordPipeline.End?
                while end == nil {
                    let batch = pipeline.next()
                    end = batch.end
                    report.header = batch.header
                    for item in batch.items {
                        switch item {
                        case .rejected(let errors, let rawRows, let record):
                            try reject(errors, rawRows: rawRows, record: record, header: batch.header, mapper: mapper,
                                       writer: writer, report: &report)
                        case .order(let order, let record):
                            let stored = try writer.lookup(order.orderNumber)
                            if stored.byThisFile {
                                let e = RecordError(position: order.position, orderNumber: order.orderNumber,
                                                    reason: "the order appears again, apart from its earlier rows; "
                                                        + "the rows of one order must be together (sort the file by order number)")
                                try reject([e], rawRows: record.rawRows, record: record, header: batch.header, mapper: mapper,
                                           writer: writer, report: &report)
                                continue
                            }
                            switch try writer.write(order, existed: stored.exists) {
                            case .inserted: report.ordersInserted += 1
                            case .updated: report.ordersUpdated += 1
                            }
                            report.linesWritten += order.lines.count
                        }
                        if spec.onRecordError == .reject_file && !report.rejectedRecords.isEmpty { throw RejectFile() }
                    }
                    progress?(batch.bytesRead, size)
                }
                report.duplicateRowsDropped = end?.duplicateRowsDropped ?? 0
                if let parseError = end?.parseError {
                    if report.ordersWritten == 0 && report.rejectedRecords.isEmpty {
                        // Nothing of the file could be used: keep no trace, so the corrected file is not a "duplicate".
                        throw IngestError(.malformed, file: path, parseError.positionedMessage)
                    }
                    report.error = IngestError(.malformed, file: path, parseError.positionedMessage)
                    report.status = .failed
                } else {
                    report.status = report.rejectedRecords.isEmpty ? .ingested : .partial
                }
                try writer.finish(orders: report.ordersWritten, lines: report.linesWritten, rejected: report.rejectedRecords.count,
                                  message: report.summary)
            }
        } catch is RejectFile {
            pipeline.cancel()
            let first = report.rejected.first.map { $0.description } ?? ""
            report.ordersInserted = 0
            report.ordersUpdated = 0
            report.linesWritten = 0
            throw IngestError(.rejectedRecords, file: path,
                              "the mapping rejects the whole file on a bad record (on_record_error: reject_file): \(first)")
        } catch {
            pipeline.cancel()
            throw error
        }
    }

    private func reject(_ errors: [RecordError], rawRows: [[UInt8]], record: SourceRecord?, header: [String],
                        mapper: OrderMapper, writer: FileIngestWriter, report: inout IngestReport) throws {
        report.rejectedRecords.append(IngestReport.RejectedRecord(errors: errors, rawRows: rawRows))
        guard let first = errors.first else { return }
        let raw = RawRecordJSON.render(position: first.position, header: header, rawRows: rawRows,
                                       layout: mapper.layout, record: record)
        try writer.logRejected(errors.map(\.description).joined(separator: "\n"), rawJSON: raw)
    }

    /// A `hata_log` row for a file that failed as a whole.
    private func logFailure(_ e: IngestError, seller: String) throws {
        try store.db.prepare("""
            INSERT INTO hata_log (ilgili_tablo, ilgili_id, hata_mesaji, raw_response, created_at) VALUES ('kaynak_dosyalar', NULL, ?, ?, ?)
            """).bind([e.description, "{\"seller\": \(jsonString(seller)), \"code\": \"\(e.code.rawValue)\"}", now]).run()
    }

    private func jsonString(_ s: String) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: [s])) ?? Data("[\"\"]".utf8), as: UTF8.self)
            .dropFirst().dropLast().description
    }
}

extension Ingestor {
    /// The ingestor of a home: its database (migrated) and its mapping files.
    public static func open(home: Home) throws -> Ingestor {
        Ingestor(store: try OrderStore(path: home.database.path), registry: MappingRegistry(directory: home.mappings))
    }

    /// Sellers, their platforms and order counts.
    public func integrations() throws -> [(seller: String, platform: String, orders: Int)] {
        try store.integrations()
    }
}
