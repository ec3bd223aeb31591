import Exporters
import Foundation
import OrderCore
import OrderStore

/// Runs the outbox: UBL-TR invoices for invoiceable orders and ERP batch files, each written
/// atomically. Every step is recorded before its file is written and found again after a
/// crash, so invoice numbers stay gapless and unique and no order is exported twice or lost.
public final class Exporter {
    let store: OrderStore
    let config: Configuration
    let outbox: OutboxWriter
    /// Clock and ETTN generator, injected so output is deterministic in tests.
    public var clock: @Sendable () -> Date = { Date() }
    public var makeUUID: @Sendable () -> UUID = { UUID() }
    /// Orders per ERP file at most: a year of orders becomes several files an ERP imports one by
    /// one, and the exporter's memory stays flat.
    public var ordersPerERPFile = 5_000
    /// Whether this process already removed what killed writers left in the outbox.
    private var cleanedUp = false
    private var warned = Set<String>()

    /// What to export.
    public enum Selection: Sendable, Equatable {
        case all, ubl, actions, erp(ERPFormat)

        public init?(_ name: String) {
            switch name {
            case "ubl": self = .ubl
            case "actions": self = .actions
            default:
                guard let f = ERPFormat(rawValue: name) else { return nil }
                self = .erp(f)
            }
        }
    }

    /// What a run wrote and what it could not do.
    public struct Report: Sendable {
        /// Paths relative to the home folder.
        public var invoices: [String] = []
        public var erpFiles: [String] = []
        /// Action lists for invoiced orders that were cancelled or returned.
        public var actionFiles: [String] = []
        public var warnings: [String] = []
        /// Steps that stopped for a seller (the other sellers' exports went on).
        public var failures: [String] = []
    }

    public init(store: OrderStore, config: Configuration, outbox: URL) {
        self.store = store
        self.config = config
        self.outbox = OutboxWriter(root: outbox)
    }

    static let istanbul = TimeZone(identifier: "Europe/Istanbul")!

    var nowTimestamp: Timestamp { DateFormat.instant(epochSeconds: Int64(clock().timeIntervalSince1970.rounded(.down)), zone: Self.istanbul) }

    /// Runs pending exports. `since` (ISO date) limits them to orders first seen from then on.
    public func run(_ selection: Selection = .all, since: String? = nil) throws -> Report {
        var report = Report()
        if !cleanedUp {
            outbox.removeStaleTemporaries()
            cleanedUp = true
        }
        // Each seller and each step on its own: one seller's problem is reported and never stops another's exports.
        for (sellerID, seller) in try ERPExportLedger(store: store).sellers() {
            let settings = config.sellers[seller]
            func step(_ what: String, _ body: (inout Report) throws -> Void) {
                do { try body(&report) } catch {
                    report.failures.append("seller \(seller): \(what) stopped: \(error)")
                }
            }
            if selection == .all || selection == .ubl {
                step("invoices") { try invoices(seller: seller, sellerID: sellerID, settings: settings, since: since, report: &$0) }
            }
            if selection == .all || selection == .actions {
                step("action lists") { $0.actionFiles += try actionLists(seller: seller, sellerID: sellerID) }
            }
            for format in settings?.erpFormats ?? [] where selection == .all || selection == .erp(format) {
                step("\(format.rawValue) files") {
                    try erp(format, seller: seller, sellerID: sellerID, settings: settings!, since: since, report: &$0)
                }
            }
        }
        return report
    }

    /// What an export run of `seller` takes: orders in Turkish lira outside the excluded statuses.
    func filter(seller: String, since: String?) -> ExportFilter {
        ExportFilter(seller: seller, excludedStatuses: config.excludedStatuses.map(\.rawValue), since: since, currency: "TRY")
    }

    /// Warns of waiting orders in other currencies, which are left waiting: a UBL-TR invoice in
    /// another currency needs the exchange rate (`PricingExchangeRate`), which no export file carries.
    func warnOfOtherCurrencies(_ waiting: [String: Int], seller: String, what: String, report: inout Report) {
        let others = waiting.filter { $0.key != "TRY" }
        guard !others.isEmpty else { return }
        warn("seller \(seller): \(others.values.reduce(0, +)) orders in \(others.keys.sorted().joined(separator: ", ")) not \(what): "
             + "exchange rates are not supported yet", into: &report)
    }

    /// Adds a warning once per process: the watcher exports after every file and would repeat it.
    private func warn(_ message: String, into report: inout Report) {
        if warned.insert(message).inserted { report.warnings.append(message) }
    }

    // MARK: Invoices

    private func invoices(seller: String, sellerID: Int64, settings: Configuration.SellerSettings?, since: String?,
                          report: inout Report) throws {
        let ledger = InvoiceLedger(store: store)
        let filter = filter(seller: seller, since: since)
        let waiting = try ledger.countAwaitingInvoice(filter)
        warnOfOtherCurrencies(waiting, seller: seller, what: "invoiced", report: &report)
        guard let profile = settings?.profile else {
            if let count = waiting["TRY"] {
                warn("seller \(seller): \(count) orders not invoiced: no invoice profile "
                     + "(name, tax_id, tax_office, invoice_prefix, address) under sellers.\(seller) in pra.yaml", into: &report)
            }
            return
        }
        // What a crash left numbered but unwritten first: same number, same bytes.
        var lastNumber = ""
        report.invoices += try writeOverlapped(ledger: ledger) {
            let entries = try ledger.numberedButUnwritten(seller: seller, after: lastNumber, limit: Self.batchSize)
            lastNumber = entries.last?.number ?? lastNumber
            return entries.isEmpty ? nil : try rebuild(entries, profile: profile, report: &report)
        }
        // Then a batch at a time: each order's invoice is built before it takes a number (an order
        // that cannot be invoiced is held with its reason, never numbered), the batch is numbered in
        // one transaction and written with one sync, so numbers stay gapless and memory flat.
        var lastOrder: Int64 = 0
        report.invoices += try writeOverlapped(ledger: ledger) {
            let orders = try ledger.ordersAwaitingInvoice(filter, after: lastOrder, limit: Self.batchSize)
            guard let end = orders.last else { return nil }
            lastOrder = end.id
            return try issue(orders, sellerID: sellerID, profile: profile, ledger: ledger, report: &report)
        }
    }

    /// Writes the invoices of each batch `next` gives (ledger entries and their files) on a second
    /// thread while this one prepares the next batch; a batch is recorded as written once its files
    /// are durable. Returns the paths relative to the home.
    private func writeOverlapped(ledger: InvoiceLedger,
                                 next: () throws -> (entries: [InvoiceLedger.Entry], files: [OutboxWriter.Item])?) throws -> [String] {
        var paths: [String] = []
        var inFlight: (entries: [InvoiceLedger.Entry], write: BackgroundWrite)?
        defer { _ = try? inFlight?.write.wait() }
        func settle() throws {
            guard let done = inFlight else { return }
            inFlight = nil
            paths += try recordWritten(done.entries, paths: try done.write.wait(), ledger: ledger)
        }
        while let batch = try next() {
            try settle()
            if !batch.entries.isEmpty { inFlight = (batch.entries, BackgroundWrite(outbox, batch.files)) }
        }
        try settle()
        return paths
    }

    /// Invoices numbered and written per transaction and per file-system sync.
    static let batchSize = 500

    /// Builds the invoices of waiting orders, holds those that cannot be invoiced, numbers the rest
    /// (number, ETTN, issue time, in one transaction) and returns them with their files.
    func issue(_ waiting: [StoredOrders.Row], sellerID: Int64, profile: SellerProfile, ledger: InvoiceLedger,
               report: inout Report) throws -> (entries: [InvoiceLedger.Entry], files: [OutboxWriter.Item]) {
        let issued = nowTimestamp
        var drafts: [(row: StoredOrders.Row, doc: InvoiceDocument)] = []
        for row in waiting {
            do {
                drafts.append((row, try config.invoiceBuilder.build(order: row.order, seller: profile, number: "", uuid: "",
                                                                    issueDate: issued.local)))
            } catch {
                let reason = "order \(row.order.orderNumber) cannot be invoiced: \(error)"
                try ledger.hold(orderID: row.id, sellerID: sellerID, reason: reason, now: issued.description)
                warn("seller \(row.sellerCode): \(reason); held (pra-ingest status lists it)", into: &report)
            }
        }
        let requests = drafts.map { InvoiceLedger.Request(orderID: $0.row.id, uuid: makeUUID().uuidString.lowercased(),
                                                          profile: $0.doc.profile.rawValue) }
        let entries = try ledger.number(requests, sellerID: sellerID, prefix: profile.invoicePrefix, year: issued.local.year,
                                        issuedAt: issued.description, now: issued.description)
        let files = zip(entries, drafts).map { entry, draft in
            var doc = draft.doc
            doc.id = entry.number
            doc.uuid = entry.uuid
            return OutboxWriter.Item(folder: "ubl", name: entry.number + ".xml", bytes: UBLInvoiceWriter.write(doc))
        }
        return (entries, files)
    }

    /// Builds again the invoices of ledger entries from their orders as stored (a crash came between
    /// numbering and writing, or a reissue); one that no longer builds is reported and left numbered.
    private func rebuild(_ entries: [InvoiceLedger.Entry], profile: SellerProfile,
                         report: inout Report) throws -> (entries: [InvoiceLedger.Entry], files: [OutboxWriter.Item]) {
        let rows = Dictionary(uniqueKeysWithValues: try StoredOrders(store: store).orders(ids: entries.map(\.orderID)).map { ($0.id, $0) })
        var out: (entries: [InvoiceLedger.Entry], files: [OutboxWriter.Item]) = ([], [])
        for entry in entries {
            do {
                guard let row = rows[entry.orderID], let issued = DateFormat.iso8601.parse(entry.issuedAt, zone: Self.istanbul) else {
                    throw IngestError(.internal, file: entry.number, "its order or issue time is missing")
                }
                var doc = try config.invoiceBuilder.build(order: row.order, seller: profile, number: entry.number, uuid: entry.uuid,
                                                          issueDate: issued.local)
                if let p = InvoiceDocument.Profile(rawValue: entry.profile) { doc.profile = p }
                out.entries.append(entry)
                out.files.append(OutboxWriter.Item(folder: "ubl", name: entry.number + ".xml", bytes: UBLInvoiceWriter.write(doc)))
            } catch {
                report.failures.append("invoice \(entry.number) was numbered but cannot be written: \(error)")
            }
        }
        return out
    }

    /// Step three, once the files are durable: records them in the ledger; returns their paths relative to the home.
    private func recordWritten(_ entries: [InvoiceLedger.Entry], paths outboxPaths: [String], ledger: InvoiceLedger) throws -> [String] {
        let paths = outboxPaths.map { "outbox/" + $0 }
        try ledger.markWritten(Array(zip(entries, paths)).map { (entry: $0.0, path: $0.1) }, now: nowTimestamp.description)
        return paths
    }

    /// Writes the invoice of `orderNumber` again from the order as stored now (same number and ETTN).
    public func reissue(seller: String, orderNumber: String) throws -> String {
        guard let profile = config.sellers[seller]?.profile else {
            throw IngestError(.internal, file: "pra.yaml", "seller \(seller) has no invoice profile")
        }
        let rows = try StoredOrders(store: store).order(seller: seller, number: orderNumber)
        guard let row = rows.first else { throw IngestError(.internal, file: orderNumber, "seller \(seller) has no order \(orderNumber)") }
        let actions = try ActionLedger(store: store).actions(seller: seller, orderNumber: orderNumber)
        if row.order.status.isVoid || row.order.lines.contains(where: \.status.isVoid) || !actions.isEmpty {
            throw IngestError(.internal, file: orderNumber,
                              "order \(orderNumber) was \(row.order.status.isVoid ? row.order.status.rawValue : "partly cancelled or returned") "
                                + "after its invoice was issued; an issued invoice is never rewritten: see the action list "
                                + "(pra-ingest status, outbox/actions/)")
        }
        let ledger = InvoiceLedger(store: store)
        guard let entry = try ledger.invoice(orderID: row.id) else {
            throw IngestError(.internal, file: orderNumber, "order \(orderNumber) has no invoice yet; run export to issue one")
        }
        var report = Report()
        let batch = try rebuild([entry], profile: profile, report: &report)
        if let failure = report.failures.first { throw IngestError(.internal, file: orderNumber, failure) }
        return try recordWritten(batch.entries, paths: outbox.write(batch.files), ledger: ledger)[0]
    }

    // MARK: Action lists

    /// Writes the seller's new invoice actions (and any a crash left planned) as CSV lists under `outbox/actions/`.
    private func actionLists(seller: String, sellerID: Int64) throws -> [String] {
        let ledger = ActionLedger(store: store)
        var files: [(path: String, actions: [RecordedInvoiceAction])] = try ledger.unwrittenFiles(sellerID: sellerID)
        let fresh = try ledger.unlisted(sellerID: sellerID)
        if !fresh.isEmpty {
            let base = "actions/\(OutboxWriter.safeName(seller))-actions-\(nowTimestamp.local.compactStamp)"
            let path = try freePath(base, extension: "csv", taken: ledger.pathTaken)
            try ledger.plan(fresh.map(\.id), path: path)
            files.append((path, fresh))
        }
        var written: [String] = []
        for (path, actions) in files {
            try outbox.write(ActionListWriter.write(actions), relativePath: path)
            try ledger.markWritten(path: path)
            written.append("outbox/" + path)
        }
        return written
    }

    // MARK: ERP files

    private func erp(_ format: ERPFormat, seller: String, sellerID: Int64, settings: Configuration.SellerSettings,
                     since: String?, report: inout Report) throws {
        let ledger = ERPExportLedger(store: store)
        for batch in try ledger.unwritten(seller: seller) where batch.format == format.rawValue {
            report.erpFiles.append(try writeBatch(batch, format: format, seller: seller, settings: settings, ledger: ledger))
        }
        let filter = filter(seller: seller, since: since)
        warnOfOtherCurrencies(try ledger.countAwaitingExport(filter, format: format.rawValue), seller: seller,
                              what: "exported as \(format.rawValue)", report: &report)
        var last: Int64 = 0
        while case let waiting = try ledger.ordersAwaitingExport(filter, format: format.rawValue, after: last, limit: ordersPerERPFile),
              let end = waiting.last {
            last = end.id
            let now = nowTimestamp
            // Only orders that convert go into the file; one that does not is reported and waits.
            var orders: [(id: Int64, order: ERPOrder)] = []
            for row in waiting {
                do { orders.append((row.id, try erpOrder(row, settings: settings, created: now.local))) } catch {
                    warn("seller \(seller): order \(row.order.orderNumber) not exported as \(format.rawValue): \(error)", into: &report)
                }
            }
            guard !orders.isEmpty else { continue }
            let batch = try ledger.plan(sellerID: sellerID, format: format.rawValue,
                                        path: try freeBatchPath(format, seller: seller, at: now, ledger: ledger),
                                        orderIDs: orders.map(\.id), now: now.description)
            report.erpFiles.append(try writeBatch(batch, format: format, seller: seller, settings: settings, ledger: ledger,
                                                  orders: orders.map(\.order)))
        }
    }

    /// One stored order as the ERP files see it.
    private func erpOrder(_ row: StoredOrders.Row, settings: Configuration.SellerSettings, created: CivilDateTime) throws -> ERPOrder {
        let o = row.order
        return try ERPOrder(
            orderNumber: o.orderNumber, documentSequence: row.id, platform: row.platform, date: o.orderDate?.local ?? created,
            accountCode: settings.accounts[row.platform] ?? settings.accountCode,
            customerName: o[.firma_adi] ?? o[.musteri_adi] ?? "Nihai Tüketici",
            invoiceNumber: try InvoiceLedger(store: store).invoice(orderID: row.id)?.number, lines: config.invoiceBuilder.lines(for: o))
    }

    /// `erp/<format>/<seller>-<format>-<stamp>.<ext>`, with `-2`, `-3`… when a file of that name was already planned.
    private func freeBatchPath(_ format: ERPFormat, seller: String, at now: Timestamp, ledger: ERPExportLedger) throws -> String {
        try freePath("erp/\(format.rawValue)/\(OutboxWriter.safeName(seller))-\(format.rawValue)-\(now.local.compactStamp)",
                     extension: format.fileExtension, taken: ledger.pathTaken)
    }

    /// `<base>.<ext>`, or `<base>-2.<ext>`, `-3`… when `taken` says the name was already planned.
    private func freePath(_ base: String, extension ext: String, taken: (String) throws -> Bool) throws -> String {
        var path = "\(base).\(ext)", n = 1
        while try taken(path) {
            n += 1
            path = "\(base)-\(n).\(ext)"
        }
        return path
    }

    /// Writes a planned batch (its `orders` converted already, or read again after a crash) and marks it written.
    private func writeBatch(_ batch: ERPExportLedger.Batch, format: ERPFormat, seller: String,
                            settings: Configuration.SellerSettings, ledger: ERPExportLedger, orders given: [ERPOrder]? = nil) throws -> String {
        let created = DateFormat.iso8601.parse(batch.createdAt, zone: Self.istanbul)?.local ?? nowTimestamp.local
        let orders = try given ?? StoredOrders(store: store).orders(ids: batch.orderIDs).map {
            try erpOrder($0, settings: settings, created: created)
        }
        let bytes = ERPWriter.write(ERPBatch(seller: seller, createdAt: created, orders: orders), format: format,
                                    options: settings.erpOptions)
        try outbox.write(bytes, relativePath: batch.path)
        try ledger.markWritten(batch)
        return "outbox/" + batch.path
    }
}
