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
    /// What a file may cost (`pra.yaml` `limits:`).
    public var limits: Limits
    /// Where each invoice a provider sent back is kept as its own file (`<home>/invoices`); `nil`: not kept.
    public var invoiceCopies: URL?
    /// Each seller's own VKN or TCKN (`sellers.<code>.tax_id`): a received invoice must be theirs.
    public var sellerTaxIDs: [String: String] = [:]
    /// Checked inside a file's transaction just before it commits: a worker that no longer holds
    /// the file's lease throws here, and nothing of its work lands.
    public var commitGuard: (() throws -> Void)?

    public init(store: OrderStore, registry: MappingRegistry, limits: Limits = Limits()) {
        self.store = store
        self.registry = registry
        self.limits = limits
    }

    var now: String { Self.stamp(clock()) }

    /// `date` (plus `plusSeconds`) as UTC ISO 8601, as the store keeps times.
    static func stamp(_ date: Date, plusSeconds: Int64 = 0) -> String {
        Timestamp(epochSeconds: Int64(date.timeIntervalSince1970.rounded(.down)) + plusSeconds, utcOffsetSeconds: 0).description
    }

    /// Ingests `path` for `seller`. Never throws: every outcome is in the report.
    /// - Parameters:
    ///   - jobID: the watcher's queue job; when that same job already ingested this content (a
    ///     crash came after the commit), the file counts as ingested, not as a duplicate.
    ///   - force: ingest even content that landed whole before (`replay` of an archived file).
    ///   - dryRun: do all of it, then roll it back: the report is the one the ingest would give
    ///     (`ingest --dry-run`), and nothing is stored, written or logged.
    public func ingest(path: String, seller: String, jobID: Int64? = nil, force: Bool = false, dryRun: Bool = false) -> IngestReport {
        var report = IngestReport(file: path, seller: seller, status: .failed)
        report.dryRun = dryRun
        do {
            if dryRun {
                // Written as the ingest would write it: a large file with the database to itself,
                // its pages not spilled into the WAL (Shopify 100k: 11.3 s of CPU, 8.3 s so).
                let held = try SourceFile.hold(path)
                defer { held.release() }
                func rolledBack() throws {
                    try store.rollingBack { try run(path: path, seller: seller, jobID: nil, force: force, report: &report) }
                }
                if held.size >= limits.exclusiveIngestBytes {
                    report.hadDatabaseToItself = try store.withDatabaseToItself(rolledBack).exclusive
                } else {
                    try rolledBack()
                }
            } else {
                try run(path: path, seller: seller, jobID: jobID, force: force, report: &report)
            }
        } catch {
            report.status = .failed
            report.error = IngestError(error, file: path)
        }
        if report.status == .failed, !dryRun, let e = report.error {
            let details = "{\"seller\": \(jsonString(seller)), \"code\": \"\(e.code.rawValue)\"}"
            try? store.logFileFailure(e.description, details: details, now: now)
        }
        return report
    }

    private func run(path: String, seller: String, jobID: Int64?, force: Bool, report: inout IngestReport) throws {
        // Opened once, never through a link: every read below (checksum, sniffing, records) is of this file.
        let held = try SourceFile.hold(path)
        defer { held.release() }
        let size = held.size
        guard size <= limits.maxFileBytes else {
            throw IngestError(.refused, file: path, "the file is \(size) bytes, more than the \(limits.maxFileBytes) taken "
                                + "(limits.max_file_bytes in pra.yaml)")
        }
        if let kind = Self.referenceKind(path: path) { throw Self.referenceRefusal(path, kind) }
        let spec = try registry.mapping(for: path)
        if spec.kind == .exchange_rates { throw Self.referenceRefusal(path, .exchangeRates) }
        report.mapping = spec.name
        let now = self.now
        let sellerID = try store.seller(code: seller, now: now)
        // Only a file of the same size can hold the same content: unless the seller has one (or
        // this job ran before), the checksum is computed beside the ingest instead of before it
        // (N11 100k: 0.1 s off the wall time).
        guard try store.mayHoldFile(seller: sellerID, size: size, jobID: jobID) else {
            // Hashed as it is parsed when its reader reads it in order, else on a thread of its own.
            let tap = SourceReaders.readsInOrder(path: path) ? ChecksumTap(path: path) : nil
            let digest: PendingChecksum = tap ?? BackgroundSHA256(path: path, size: size)
            defer { report.sha256 = report.sha256 ?? (try? digest.value()) }
            return try ingest(path: path, spec: spec, sellerID: sellerID, size: size, jobID: jobID, now: now,
                              checksum: { () throws(IngestError) in try digest.value() }, observer: tap, report: &report)
        }
        let sha = try SHA256.hex(ofFile: path)
        report.sha256 = sha
        if let jobID, let earlier = try store.ingestedFile(seller: sellerID, sha256: sha, jobID: jobID) {
            // This same job committed before a restart: report what it did.
            report.resumed = true
            report.ordersInserted = earlier.orders
            report.linesWritten = earlier.lines
            report.rejectedCount = earlier.rejected
            report.warningCount = earlier.warnings
            report.status = earlier.rejected > 0 || earlier.warnings > 0 ? .partial : .ingested
            return
        }
        // Content is a duplicate only of a run that landed whole: after a fix, a file whose records
        // were rejected (or stored with warnings) is taken again.
        if !force, let earlier = try store.ingestedFile(seller: sellerID, sha256: sha), earlier.rejected == 0, earlier.warnings == 0 {
            report.status = .duplicate
            return
        }
        try ingest(path: path, spec: spec, sellerID: sellerID, size: size, jobID: jobID, now: now, checksum: { sha }, report: &report)
    }

    /// Reads, maps and writes the file in one transaction; `checksum` gives its SHA-256 when the
    /// file's row is completed (it may still be computing when the ingest starts, from the bytes
    /// `observer` sees read).
    private func ingest(path: String, spec: MappingSpec, sellerID: Int64, size: Int64, jobID: Int64?, now: String,
                        checksum: () throws(IngestError) -> String, observer: ReadObserver? = nil,
                        report: inout IngestReport) throws {
        let seller = report.seller
        let mapper = try OrderMapper(spec: spec, limits: limits)
        let platformID = try store.platform(name: spec.platform, type: spec.platformType, site: spec.sale?.site,
                                            paymentIntermediary: spec.sale?.paymentIntermediary, now: now)
        let integrationID = try store.integration(seller: sellerID, platform: platformID, now: now)
        let fileName = (path as NSString).lastPathComponent
        let pipeline = RecordPipeline(path: path, size: size, mapper: mapper, observer: observer)
        defer { pipeline.close() }

        struct RejectFile: Error {}
        let copies = invoiceCopies.map { InvoiceCopies(root: $0, seller: seller, sourcePath: path, limits: limits) }
        defer { copies?.discard() } // what a failed file staged; nothing after a commit
        do {
            let exclusive = try writeWhole(size: size, scope: .seller(sellerID), dryRun: report.dryRun) {
                let writer = try FileIngestWriter(store: store, sellerID: sellerID, integrationID: integrationID,
                                                  fileName: fileName, sha256: report.sha256, size: size, mapping: spec.name,
                                                  jobID: jobID, now: now)
                if let sha = report.sha256 { writer.superseding = try store.files(seller: sellerID, sha256: sha, other: writer.fileID) }
                let shipments = try ShipmentWriter(store: store, sellerID: sellerID, fileID: writer.fileID, now: now)
                let invoices = try ReceivedInvoiceWriter(store: store, sellerID: sellerID, fileID: writer.fileID, now: now)
                let received = ReceivedRecords(shipments: shipments, invoices: invoices, products: ProductStore(store: store),
                                               sellerID: sellerID, now: now, latestReading: Self.stamp(clock(), plusSeconds: 86_400),
                                               copies: copies, sellerTaxID: sellerTaxIDs[seller])
                var end: RecordPipeline.End?
                while end == nil {
                    var batch = pipeline.next()
                    end = batch.end
                    report.header = batch.header
                    report.recordsSeen += batch.items.count
                    for i in batch.items.indices {
                        // Moved out of the batch: switching over the batch's own item copied (retained) every
                        // string and array of it, and a generic copy of its payload at that.
                        switch exchange(&batch.items[i], with: .empty) {
                        case .rejected(let errors, _, _) where errors.contains(where: \.failsFile):
                            // The file's dates are month-first: none of them can be trusted, the file lands nothing.
                            let e = errors.first(where: \.failsFile)!
                            throw IngestError(.malformed, file: path, e.description + " (nothing of the file was stored)")
                        case .rejected(let errors, let rawRows, let record):
                            try log(errors, rawRows: rawRows, record: record, header: batch.header, mapper: mapper,
                                    writer: writer, report: &report)
                        case .order(var mapped, let record):
                            try write(&mapped, record: record, header: batch.header, mapper: mapper, writer: writer,
                                      report: &report)
                        case .record(let mapped, let record):
                            let problems = try received.write(mapped, record: record, kind: spec.kind, report: &report)
                            if !problems.isEmpty || !mapped.warnings.isEmpty {
                                try log(problems + mapped.warnings, rawRows: record.rawRows, record: record, header: batch.header,
                                        mapper: mapper, writer: writer, report: &report)
                            }
                        }
                        if spec.onRecordError == .reject_file && report.rejectedCount > 0 { throw RejectFile() }
                    }
                    progress?(batch.bytesRead, size)
                }
                report.duplicateRowsDropped = end?.duplicateRowsDropped ?? 0
                if !writer.superseding.isEmpty && end?.parseError == nil {
                    // An earlier ingest of this content: the orders only it had go (unless already used).
                    let (removed, kept) = try store.removeOrders(lastWrittenBy: writer.superseding)
                    report.superseded = (writer.superseding.count, removed, kept)
                }
                report.unmatched = mapper.unmatchedSources(end?.unseenFields ?? UnseenFields())
                for unmatched in report.unmatched where unmatched.isWarning {
                    // Kept with the file's other warnings: `status` counts it, the rejects report lists it.
                    try writer.log("nothing in the file matched \(unmatched): is the name in the mapping misspelled?", rawJSON: "{}",
                                   warning: true)
                }
                if spec.kind == .orders && report.ordersWritten > 0 {
                    // Shipments and invoices that came before their orders.
                    report.waitingApplied = (try shipments.applyWaiting(), try invoices.applyWaiting())
                }
                if let parseError = end?.parseError {
                    // A file that cannot be read to its end (broken quoting, cut-off XML, a damaged
                    // workbook, a limit) lands nothing: its transaction rolls back and the file goes to
                    // failed/ with the place. Good records never land around a hole nobody can see.
                    var e = IngestError(parseError)
                    e.file = path
                    if report.ordersWritten > 0 {
                        e.message += " (nothing of the file was stored; \(report.ordersWritten) orders before that point will land "
                            + "with the corrected file)"
                    }
                    throw e
                } else if report.recordsSeen == 0 {
                    // A wrong records path, or skip_rows that skip everything: never an empty success.
                    throw IngestError(.noRecords, file: path, Self.noRecords(spec, end: end))
                } else if report.ordersWritten == 0 && report.recordsWritten == 0 && report.staleOrders == 0 && report.rejectedCount > 0 {
                    // Nothing landed: the file belongs in failed/, to be replayed after a fix.
                    report.error = IngestError(.rejectedRecords, file: path,
                                               "every record was rejected (\(report.rejectedCount)); nothing landed")
                    report.status = .failed
                } else {
                    report.status = report.rejectedCount == 0 && report.warningCount == 0
                        && !report.unmatched.contains(where: \.isWarning)
                        ? .ingested : .partial
                }
                if report.rejectedCount + report.warningCount > 2 * limits.maxRejectDetails {
                    try writer.log("\(report.rejectedCount + report.warningCount - 2 * limits.maxRejectDetails) more rejected records "
                                   + "or warnings of this file are counted but not logged (limits.max_reject_details)",
                                   rawJSON: "{}", warning: false)
                }
                let sha = try checksum()
                report.sha256 = sha
                try writer.finish(orders: report.ordersWritten, lines: report.linesWritten, rejected: report.rejectedCount,
                                  warnings: report.warningCount, stale: report.staleOrders, sha256: sha, message: report.summary)
            }.exclusive
            report.hadDatabaseToItself = exclusive
            // Committed: the invoices' copies go in place (a kill before this is finished at the next start).
            if !report.dryRun { try copies?.commit() }
        } catch is RejectFile {
            let first = report.rejected.first.map { $0.description } ?? ""
            report.ordersInserted = 0
            report.ordersUpdated = 0
            report.linesWritten = 0
            throw IngestError(.rejectedRecords, file: path,
                              "the mapping rejects the whole file on a bad record (on_record_error: reject_file): \(first)")
        } catch {
            // Rolled back: nothing of the file landed.
            report.ordersInserted = 0
            report.ordersUpdated = 0
            report.linesWritten = 0
            throw error
        }
    }

    /// Runs `body` in one transaction: a file lands whole or (on an error or a crash) not at all.
    /// A file of ``Limits/exclusiveIngestBytes`` or more has the database to itself while it is
    /// written (``OrderStore/withDatabaseToItself(_:)``: one copy of its growth on disk, not two).
    /// `scope`: the writers it excludes on PostgreSQL (a seller's file, the seller's other writers).
    /// - Returns: `body`'s result, and whether the database was the file's alone.
    func writeWhole<T>(size: Int64, scope: LockScope, dryRun: Bool = false,
                       _ body: () throws -> T) throws -> (result: T, exclusive: Bool) {
        func guarded() throws -> T {
            let result = try body()
            try commitGuard?()
            return result
        }
        guard size >= limits.exclusiveIngestBytes, !dryRun else { return (try store.transaction(scope, guarded), false) }
        return try store.withDatabaseToItself { try store.transaction(scope, guarded) }
    }

    /// Writes one mapped order (merged into what is stored), with its warnings.
    private func write(_ mapped: inout OrderMapper.Mapped, record: SourceRecord, header: [String], mapper: OrderMapper,
                       writer: FileIngestWriter, report: inout IngestReport) throws {
        var order = exchange(&mapped.order, with: .empty)
        var existing = try writer.lookup(order.orderNumber)
        if let stored = existing, stored.byThisFile, mapper.spec.records.mergesRepeated {
            // Another package (or item) of an order this file already stored: it adds to it, and
            // the order's status follows all its lines (this file's earlier part set it, not an older export).
            do {
                order = try order.adding(to: stored.state)
                existing?.state.status = order.status
                // The per-order limits hold for the order as merged, not only for each package.
                let lines = stored.state.lines.count + Set(order.lines.map(\.key)).filter { stored.state.lines[$0] == nil }.count
                if let reason = limits.problem(mergedLines: lines, total: order.total) {
                    return try log([RecordError(position: order.position, orderNumber: order.orderNumber, reason: reason)],
                                   rawRows: record.rawRows, record: record, header: header, mapper: mapper, writer: writer,
                                   report: &report)
                }
            } catch {
                let e = RecordError(position: order.position, orderNumber: order.orderNumber, field: .toplam_tutar,
                                    reason: "the order's parts add up to more than can be computed with")
                return try log([e], rawRows: record.rawRows, record: record, header: header, mapper: mapper, writer: writer,
                               report: &report)
            }
        } else if existing?.byThisFile == true {
            let e = RecordError(position: order.position, orderNumber: order.orderNumber,
                                reason: "the order appears again, apart from its earlier rows; "
                                    + "the rows of one order must be together (sort the file by order number)")
            return try log([e], rawRows: record.rawRows, record: record, header: header, mapper: mapper, writer: writer,
                           report: &report)
        }
        let lineCount = order.lines.count
        switch try writer.write(consume order, existing: existing) { // moved to the writer, not copied
        case .updated where existing?.byThisFile == true: break // a part of an order counted once
        case .inserted: report.ordersInserted += 1
        case .updated: report.ordersUpdated += 1
        case .stale:
            report.staleOrders += 1
            return
        }
        report.linesWritten += lineCount
        if !mapped.warnings.isEmpty {
            try log(mapped.warnings, rawRows: record.rawRows, record: record, header: header, mapper: mapper, writer: writer,
                    report: &report)
        }
    }

    /// Reports a rejected record (or an order's warnings) and keeps it in `hata_log` with its raw form.
    private func log(_ errors: [RecordError], rawRows: RawRows, record: SourceRecord?, header: [String],
                     mapper: OrderMapper, writer: FileIngestWriter, report: inout IngestReport) throws {
        guard let first = errors.first else { return }
        let warning = first.severity == .warn
        guard report.tally(.init(errors: errors, rawRows: rawRows), warning: warning, maxDetails: limits.maxRejectDetails) else { return }
        let raw = RawRecordJSON.render(position: first.position, header: header, rawRows: rawRows,
                                       layout: mapper.layout, record: record)
        try writer.log(errors.map(\.description).joined(separator: "\n"), rawJSON: raw, warning: warning)
    }

    private func jsonString(_ s: String) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: [s])) ?? Data("[\"\"]".utf8), as: UTF8.self)
            .dropFirst().dropLast().description
    }
}

extension Ingestor {
    /// What a file that yielded no record at all was read for: the records path, or the rows.
    static func noRecords(_ spec: MappingSpec, end: RecordPipeline.End?) -> String {
        if spec.format.isTree {
            return "no records at \"\(spec.records.recordPath.joined(separator: "/"))\": no element of the file matched the "
                + "mapping's records.record path, so nothing was read (check the path against the file)"
        }
        let skipped = end?.rowsSkipped ?? 0
        return skipped > 0
            ? "no records: every one of the file's \(skipped) rows was skipped by the mapping's records.skip_rows"
            : "no records: the file has no rows below its header"
    }

    /// The ingestor of a home: its database (migrated) and its mapping files.
    public static func open(home: Home) throws -> Ingestor {
        try open(home: home, config: Configuration.load(home: home))
    }

    /// The ingestor of a home with the settings given (the watcher's last good ones).
    public static func open(home: Home, config: Configuration) throws -> Ingestor {
        let limits = config.limits
        let ingestor = Ingestor(store: try OrderStore(location: home.store),
                                registry: MappingRegistry(directory: home.mappings, limits: limits), limits: limits)
        ingestor.invoiceCopies = home.root.appendingPathComponent("invoices")
        ingestor.apply(config)
        return ingestor
    }

    /// Takes the settings that matter while ingesting: the limits and each seller's tax ID.
    public func apply(_ config: Configuration) {
        limits = config.limits
        sellerTaxIDs = config.sellers.compactMapValues(\.taxID)
    }

    /// Sellers, their platforms and order counts.
    public func integrations() throws -> [(seller: String, platform: String, orders: Int)] {
        try store.integrations()
    }
}
