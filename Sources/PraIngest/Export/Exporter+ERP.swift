import Exporters
import Foundation
import OrderCore
import OrderStore

extension Exporter {
    func erp(_ format: ERPFormat, seller: String, sellerID: Int64, settings: Configuration.SellerSettings,
                     since: String?, report: inout Report) throws {
        let ledger = ERPExportLedger(store: store)
        for batch in try ledger.unwritten(seller: seller) where batch.format == format.rawValue {
            report.erpFiles.append(try writeBatch(batch, format: format, seller: seller, settings: settings, ledger: ledger))
        }
        // An order slip goes out before the invoice, so before its rate is known: one in another
        // currency waits for its invoice in the invoice formats.
        let filter = filter(seller: seller, since: since, currency: format.needsInvoice ? nil : "TRY")
        if !format.needsInvoice {
            let others = try ledger.countAwaitingExport(self.filter(seller: seller, since: since), format: format.rawValue,
                                                        invoicedOnly: false).filter { $0.key != "TRY" }
            if !others.isEmpty {
                warn("seller \(seller): \(others.values.reduce(0, +)) orders in \(others.keys.sorted().joined(separator: ", ")) not "
                     + "exported as \(format.rawValue): an order slip carries no exchange rate before the invoice; the invoice "
                     + "formats (logo_invoice, generic_csv, luca…) take them with their rate", into: &report)
            }
        }
        var last: Int64 = 0
        let perFile = min(ordersPerERPFile, format.ordersPerFile)
        while case let waiting = try ledger.ordersAwaitingExport(filter, format: format.rawValue, invoicedOnly: format.needsInvoice,
                                                                 after: last, limit: perFile),
              let end = waiting.last {
            last = end.id
            let now = nowTimestamp
            // Only orders that convert go into the file; one that does not is reported and waits
            // (orders with the same reason, such as a currency the format cannot take, in one warning).
            var orders: [(id: Int64, order: ERPOrder)] = []
            var refused: [(reason: String, orders: [String])] = []
            func refuse(_ number: String, _ reason: String) {
                if let i = refused.firstIndex(where: { $0.reason == reason }) { refused[i].orders.append(number) }
                else { refused.append((reason, [number])) }
            }
            for row in waiting {
                do {
                    let order = try erpOrder(row, settings: settings, created: now.local)
                    if let problem = format.problem(order, options: settings.erpOptions) {
                        refuse(row.order.orderNumber, problem)
                    } else {
                        orders.append((row.id, order))
                    }
                } catch {
                    refuse(row.order.orderNumber, "\(error)")
                }
            }
            for (reason, numbers) in refused {
                let which = numbers.count == 1 ? "order \(numbers[0])"
                    : "\(numbers.count) orders (\(numbers.prefix(5).joined(separator: ", "))\(numbers.count > 5 ? ", …" : ""))"
                warn("seller \(seller): \(which) not exported as \(format.rawValue): \(reason)", into: &report)
            }
            guard !orders.isEmpty else { continue }
            let batch = try ledger.plan(sellerID: sellerID, format: format.rawValue,
                                        path: try freeBatchPath(format, seller: seller, at: now, ledger: ledger),
                                        orderIDs: orders.map(\.id), now: now.description)
            report.erpFiles.append(try writeBatch(batch, format: format, seller: seller, settings: settings, ledger: ledger,
                                                  orders: orders.map(\.order)))
        }
    }

    /// One stored order as the ERP files see it: its e-invoice, its buyer and account, the
    /// internet-sale data, and the invoice's lines.
    private func erpOrder(_ row: StoredOrders.Row, settings: Configuration.SellerSettings, created: CivilDateTime) throws -> ERPOrder {
        let o = row.order
        let invoice = try InvoiceLedger(store: store).erpInvoice(orderID: row.id).map { e in
            ERPInvoice(number: e.number, uuid: e.uuid,
                       issued: DateFormat.iso8601.parse(e.issuedAt, zone: Self.istanbul)
                        .map { DateFormat.instant(epochSeconds: $0.epochSeconds, zone: Self.istanbul).local } ?? created,
                       profile: e.profile, exchangeRate: e.exchangeRate)
        }
        if o.currency != "TRY", invoice?.exchangeRate == nil {
            throw IngestError(.internal, file: o.orderNumber, "the order is in \(o.currency) and its invoice carries no exchange rate")
        }
        let buyer = try InvoiceBuilder.customer(of: o)
        var order = try ERPOrder(orderNumber: o.orderNumber, documentSequence: row.id, platform: row.platform,
                                 orderDate: o.orderDate?.local ?? created, accountCode: settings.account(platform: row.platform, vkn: buyer.vkn),
                                 buyer: buyer, invoice: invoice, lines: config.invoiceBuilder.lines(for: o))
        order.saleWebAddress = row.channel.site ?? settings.profile?.webSite
        order.paymentIntermediary = InvoiceBuilder.paymentIntermediary(o, channel: row.channel)
        order.paymentDate = (o.values.date(.odeme_tarihi) ?? o.orderDate).map {
            DateFormat.instant(epochSeconds: $0.epochSeconds, zone: Self.istanbul).local
        }
        return order
    }

    /// `erp/<format>/<seller>-<format>-<stamp>.<ext>`, with `-2`, `-3`… when a file of that name was already planned.
    private func freeBatchPath(_ format: ERPFormat, seller: String, at now: Timestamp, ledger: ERPExportLedger) throws -> String {
        try freePath("erp/\(format.rawValue)/\(OutboxWriter.safeName(seller))-\(format.rawValue)-\(now.local.compactStamp)",
                     extension: format.fileExtension, taken: ledger.pathTaken)
    }

    /// `<base>.<ext>`, or `<base>-2.<ext>`, `-3`… when `taken` says the name was already planned.
    func freePath(_ base: String, extension ext: String, taken: (String) throws -> Bool) throws -> String {
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
        let erpBatch = ERPBatch(seller: seller, createdAt: created, orders: orders)
        // Companion files first (Logo's customer cards, Mikro's payload): the batch's file is the last to appear.
        let base = (batch.path as NSString).deletingPathExtension
        for (suffix, bytes) in ERPWriter.companions(erpBatch, format: format, options: settings.erpOptions) {
            try outbox.write(bytes, relativePath: base + suffix)
        }
        try outbox.write(ERPWriter.write(erpBatch, format: format, options: settings.erpOptions), relativePath: batch.path)
        try ledger.markWritten(batch)
        return "outbox/" + batch.path
    }
}
