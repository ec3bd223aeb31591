import Foundation
import OrderCore
import OrderStore
import Parsers

/// Lands the records of a `shipments` or `invoices` file: each shipment event is applied to its
/// order (or waits for it), each invoice is kept as its own file and attached to its order. An
/// invoice that is not the seller's own, or whose ETTN names another invoice already, is refused;
/// what needs a person's eye (an event that fits several orders, an invoice whose amount differs)
/// is returned as warnings, for the file's report and `hata_log`.
final class ReceivedRecords {
    let shipments: ShipmentWriter
    let invoices: ReceivedInvoiceWriter
    /// Where the invoices' copies are staged; `nil`: not kept.
    let copies: InvoiceCopies?
    /// The seller's own VKN or TCKN (`sellers.<code>.tax_id`), to tell its invoices from others'.
    let sellerTaxID: String?

    init(shipments: ShipmentWriter, invoices: ReceivedInvoiceWriter, copies: InvoiceCopies?, sellerTaxID: String?) {
        self.shipments = shipments
        self.invoices = invoices
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
