import Foundation
import OrderCore
import OrderStore
import Parsers

/// Lands the records of a `shipments` or `invoices` file: each shipment event is applied to its
/// order (or waits for it), each invoice is kept as its own file and attached to its order. An
/// invoice that is not the seller's own, or whose ETTN names another invoice already, is refused;
/// what needs a person's eye (an event that fits several orders, an invoice whose amount differs)
/// is returned as warnings, for the file's report and `hata_log`. A `products` file's readings
/// update the seller's catalogue and stock, a SKU once per file.
final class ReceivedRecords {
    let shipments: ShipmentWriter
    let invoices: ReceivedInvoiceWriter
    let products: ProductStore
    let sellerID: Int64
    /// The file's time (UTC ISO 8601): when stock was read, unless a record says.
    let now: String
    /// The latest time a stock reading may claim (a day after `now`): a mistyped year would
    /// otherwise hold every later reading of the SKU back.
    let latestReading: String
    /// The SKUs of this file so far, with where each was first.
    private var productsSeen: [String: SourcePosition] = [:]
    /// Where the invoices' copies are staged; `nil`: not kept.
    let copies: InvoiceCopies?
    /// The seller's own VKN or TCKN (`sellers.<code>.tax_id`), to tell its invoices from others'.
    let sellerTaxID: String?

    init(shipments: ShipmentWriter, invoices: ReceivedInvoiceWriter, products: ProductStore, sellerID: Int64, now: String,
         latestReading: String, copies: InvoiceCopies?, sellerTaxID: String?) {
        self.latestReading = latestReading
        self.shipments = shipments
        self.invoices = invoices
        self.products = products
        self.sellerID = sellerID
        self.now = now
        self.copies = copies
        self.sellerTaxID = sellerTaxID
    }

    func write(_ mapped: MappedRecord, record: SourceRecord, kind: MappingKind, report: inout IngestReport) throws -> [RecordError] {
        func warning(_ reason: String, number: String?) -> RecordError {
            RecordError(position: mapped.position, orderNumber: number, reason: reason, severity: .warn)
        }
        func refusal(_ reason: String, number: String?) -> RecordError {
            RecordError(position: mapped.position, orderNumber: number, reason: reason)
        }
        switch kind {
        case .orders, .exchange_rates:
            // Orders are written by the ingest itself; rates come only through reference data.
            return []
        case .products:
            guard let reading = ProductReading(mapped) else { return [] }
            let product = reading.product
            if let first = productsSeen[product.sku] {
                return [refusal("SKU \(product.sku) appears again in the file (first at \(first)); the first reading is kept",
                                number: nil)]
            }
            productsSeen[product.sku] = reading.position
            let readAt = reading.readAt.map { Timestamp(epochSeconds: $0.epochSeconds, utcOffsetSeconds: 0).description } ?? now
            guard readAt <= latestReading else {
                return [RecordError(position: reading.position, field: .stok_zamani,
                                    reason: "SKU \(product.sku): the stock was read at \(readAt), later than the file was taken "
                                        + "(\(now)); a wrong date would hold every later reading back")]
            }
            var tally = report.products ?? IngestReport.ProductTally()
            defer { report.products = tally }
            switch try products.write(product, sellerID: sellerID, readAt: readAt, now: now) {
            case .inserted: tally.inserted += 1
            case .updated: tally.updated += 1
            case .stale(let stored):
                tally.stale += 1
                return [warning("SKU \(product.sku): the file's stock was read at \(readAt), before the stock stored (\(stored)); "
                                + "left as it was", number: nil)]
            }
            return []
        case .shipments:
            guard let event = ShipmentEvent(mapped) else { return [] }
            var tally = report.shipments ?? IngestReport.ShipmentTally()
            defer { report.shipments = tally }
            switch try shipments.write(event) {
            case .applied: tally.applied += 1
            case .waiting: tally.waiting += 1
            case .known: tally.known += 1
            case .ambiguous(let why):
                tally.ambiguous += 1
                return [warning("the shipment event was kept but not applied: \(why)", number: event.orderNumber)]
            }
            return []
        case .invoices:
            guard let invoice = ReceivedInvoice(mapped) else { return [] }
            if let problem = invoice.ownershipProblem(sellerTaxID: sellerTaxID) {
                return [refusal("invoice \(invoice.number) is refused: \(problem)", number: invoice.orderNumber)]
            }
            let earlier: ReceivedInvoiceWriter.Earlier
            switch try invoices.earlier(invoice) {
            case .success(let e): earlier = e
            case .failure(let conflict):
                return [refusal("invoice \(invoice.number) is refused: \(conflict.message)", number: invoice.orderNumber)]
            }
            let copy: String?
            do {
                copy = try copies?.stage(ettn: invoice.uuid, part: record.part, sameAsStored: earlier == .same)
            } catch let e as InvoiceCopies.TooLarge {
                return [refusal("invoice \(invoice.number) is refused: \(e.message)", number: invoice.orderNumber)]
            } catch let e as ParseError {
                throw IngestError(e)
            } catch {
                throw IngestError(.store, file: copies?.sourcePath ?? "", "cannot keep invoice \(invoice.number): \(error)")
            }
            var tally = report.invoices ?? IngestReport.InvoiceTally()
            defer { report.invoices = tally }
            switch try invoices.write(invoice, path: copy) {
            case .attached(_, let guessed):
                tally.attached += 1
                if guessed { tally.guessed += 1 }
            case .returnInvoice: tally.returns += 1
            case .waiting: tally.waiting += 1
            case .mismatched(let order, let problem):
                tally.mismatched += 1
                return [warning("invoice \(invoice.number) is for order \(order), but \(problem); it is kept and not attached",
                                number: order)]
            case .ambiguous(let why):
                tally.ambiguous += 1
                return [warning("invoice \(invoice.number) was kept but not attached: \(why)", number: invoice.orderNumber)]
            case .conflict(let why):
                return [refusal("invoice \(invoice.number) is refused: \(why)", number: invoice.orderNumber)]
            }
            return []
        }
    }
}
