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
        for (sellerID, seller) in try ERPExportLedger(store: store).sellers() {
            let settings = config.sellers[seller]
            if selection == .all || selection == .ubl {
                try invoices(seller: seller, sellerID: sellerID, settings: settings, since: since, report: &report)
            }
            if selection == .all || selection == .actions {
                report.actionFiles += try actionLists(seller: seller, sellerID: sellerID)
            }
            for format in settings?.erpFormats ?? [] where selection == .all || selection == .erp(format) {
                try erp(format, seller: seller, sellerID: sellerID, settings: settings!, since: since, report: &report)
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
        report.invoices += try writeOverlapped(profile: profile, ledger: ledger) {
            let entries = try ledger.numberedButUnwritten(seller: seller, after: lastNumber, limit: Self.batchSize)
            lastNumber = entries.last?.number ?? lastNumber
            return entries.isEmpty ? nil : (entries, nil)
        }
        // Then a batch at a time, numbered in one transaction and written with one sync, so memory stays flat.
        var lastOrder: Int64 = 0
        report.invoices += try writeOverlapped(profile: profile, ledger: ledger) {
            let orders = try ledger.ordersAwaitingInvoice(filter, after: lastOrder, limit: Self.batchSize)
            guard let end = orders.last else { return nil }
            lastOrder = end.id
            return (try number(orders, sellerID: sellerID, profile: profile, ledger: ledger), orders)
        }
    }

    /// Writes the invoices of each batch `next` gives (ledger entries, and their orders when
    /// already read) on a second thread while this one prepares the next batch; a batch is
    /// recorded as written once its files are durable. Returns the paths relative to the home.
    private func writeOverlapped(profile: SellerProfile, ledger: InvoiceLedger,
                                 next: () throws -> ([InvoiceLedger.Entry], [StoredOrders.Row]?)?) throws -> [String] {
        var paths: [String] = []
        var inFlight: (entries: [InvoiceLedger.Entry], write: BackgroundWrite)?
        defer { _ = try? inFlight?.write.wait() }
        func settle() throws {
            guard let done = inFlight else { return }
            inFlight = nil
            paths += try recordWritten(done.entries, paths: try done.write.wait(), ledger: ledger)
        }
        while let (entries, orders) = try next() {
            let files = try invoiceFiles(entries, profile: profile, orders: orders)
            try settle()
            inFlight = (entries, BackgroundWrite(outbox, files))
        }
        try settle()
        return paths
    }

    /// Invoices numbered and written per transaction and per file-system sync.
    static let batchSize = 500

    /// Step one: gives each waiting order its number, ETTN and issue time, in one transaction.
    @discardableResult
    func number(_ waiting: [StoredOrders.Row], sellerID: Int64, profile: SellerProfile,
                ledger: InvoiceLedger) throws -> [InvoiceLedger.Entry] {
        let issued = nowTimestamp
        let requests = waiting.map { row in
            InvoiceLedger.Request(orderID: row.id, uuid: makeUUID().uuidString.lowercased(),
                                  profile: config.invoiceBuilder.profile(for: InvoiceBuilder.customer(of: row.order)).rawValue)
        }
        return try ledger.number(requests, sellerID: sellerID, prefix: profile.invoicePrefix, year: issued.local.year,
                              issuedAt: issued.description, now: issued.description)
    }

    /// Step two: builds the invoice files of ledger entries from their `orders` (read from the
    /// store when not given).
    private func invoiceFiles(_ entries: [InvoiceLedger.Entry], profile: SellerProfile,
                              orders: [StoredOrders.Row]?) throws -> [OutboxWriter.Item] {
        let loaded = try orders ?? StoredOrders(store: store).orders(ids: entries.map(\.orderID))
        let rows = Dictionary(uniqueKeysWithValues: loaded.map { ($0.id, $0) })
        return try entries.map { entry in
            guard let row = rows[entry.orderID], let issued = DateFormat.iso8601.parse(entry.issuedAt, zone: Self.istanbul) else {
                throw IngestError(.internal, file: entry.number, "invoice \(entry.number) has no order or issue time")
            }
            var doc = config.invoiceBuilder.build(order: row.order, seller: profile, number: entry.number, uuid: entry.uuid,
                                                  issueDate: issued.local)
            if let p = InvoiceDocument.Profile(rawValue: entry.profile) { doc.profile = p }
            return OutboxWriter.Item(folder: "ubl", name: entry.number + ".xml", bytes: UBLInvoiceWriter.write(doc))
        }
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
        let files = try invoiceFiles([entry], profile: profile, orders: rows)
        return try recordWritten([entry], paths: outbox.write(files), ledger: ledger)[0]
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
            let batch = try ledger.plan(sellerID: sellerID, format: format.rawValue,
                                        path: try freeBatchPath(format, seller: seller, at: now, ledger: ledger),
                                        orderIDs: waiting.map(\.id), now: now.description)
            report.erpFiles.append(try writeBatch(batch, format: format, seller: seller, settings: settings, ledger: ledger))
        }
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

    private func writeBatch(_ batch: ERPExportLedger.Batch, format: ERPFormat, seller: String,
                            settings: Configuration.SellerSettings, ledger: ERPExportLedger) throws -> String {
        let invoices = InvoiceLedger(store: store)
        let created = DateFormat.iso8601.parse(batch.createdAt, zone: Self.istanbul)?.local ?? nowTimestamp.local
        var orders: [ERPOrder] = []
        for row in try StoredOrders(store: store).orders(ids: batch.orderIDs) {
            let o = row.order
            orders.append(ERPOrder(
                orderNumber: o.orderNumber, documentSequence: row.id, platform: row.platform, date: o.orderDate?.local ?? created,
                accountCode: settings.accounts[row.platform] ?? settings.accountCode,
                customerName: o[.firma_adi] ?? o[.musteri_adi] ?? "Nihai Tüketici",
                invoiceNumber: try invoices.invoice(orderID: row.id)?.number, lines: config.invoiceBuilder.lines(for: o)))
        }
        let bytes = ERPWriter.write(ERPBatch(seller: seller, createdAt: created, orders: orders), format: format,
                                    options: settings.erpOptions)
        try outbox.write(bytes, relativePath: batch.path)
        try ledger.markWritten(batch)
        return "outbox/" + batch.path
    }
}
