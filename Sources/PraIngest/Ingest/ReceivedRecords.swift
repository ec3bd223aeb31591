import Foundation
import OrderCore
import OrderStore
import Parsers

/// Lands the records of a `shipments` or `invoices` file: each shipment event is applied to its
/// order (or waits for it), each invoice is kept as its own file and attached to its order. What
/// needs a person's eye (an event that fits several orders, an invoice whose amount differs) is
/// returned as warnings, for the file's report and `hata_log`.
final class ReceivedRecords {
    let shipments: ShipmentWriter
    let invoices: ReceivedInvoiceWriter
    let sourcePath: String
    let seller: String
    let limits: Limits
    /// The source zip, opened (its directory read) once for all the invoices it holds.
    private var zip: ZipArchive?

    init(shipments: ShipmentWriter, invoices: ReceivedInvoiceWriter, sourcePath: String, seller: String, limits: Limits) {
        self.shipments = shipments
        self.invoices = invoices
        self.sourcePath = sourcePath
        self.seller = seller
        self.limits = limits
    }

    func write(_ mapped: MappedRecord, record: SourceRecord, kind: MappingKind, copies: URL?,
               report: inout IngestReport) throws -> [RecordError] {
        func warning(_ reason: String, number: String?) -> RecordError {
            RecordError(position: mapped.position, orderNumber: number, reason: reason, severity: .warn)
        }
        switch kind {
        case .orders:
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
            var tally = report.invoices ?? IngestReport.InvoiceTally()
            defer { report.invoices = tally }
            let copy = try keepCopy(of: invoice, part: record.part, in: copies)
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
            }
            return []
        }
    }

    /// Writes the invoice's own XML to `<home>/invoices/<seller>/<ETTN>.xml` (from its zip entry, or
    /// the whole file) as the outbox writes its files (temporary name, fsync, rename, fsync of the
    /// folder) and returns that path relative to the home; `nil` when copies are not kept.
    private func keepCopy(of invoice: ReceivedInvoice, part: String?, in folder: URL?) throws -> String? {
        guard let folder else { return nil }
        let bytes: [UInt8]
        if let part {
            let archive = try zip ?? ZipArchive(path: sourcePath)
            zip = archive
            guard let entry = archive[part] else { return nil }
            bytes = try archive.contents(of: entry, limit: 64 << 20, what: "an invoice", limits: limits)
        } else {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: sourcePath)))
        }
        let name = invoice.uuid.filter { $0.isHexDigit || $0 == "-" } + ".xml"
        // Written whole and synced before the transaction that records its path commits.
        do {
            return "\(folder.lastPathComponent)/" + (try OutboxWriter(root: folder).write(bytes, folder: seller, name: name))
        } catch {
            throw IngestError(.store, file: sourcePath, "cannot keep the invoice as \(folder.lastPathComponent)/\(seller)/\(name): \(error)")
        }
    }
}
