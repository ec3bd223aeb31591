import Exporters
import Foundation
import OrderCore
import OrderStore

extension Exporter {
    /// Writes the seller's new invoice actions (and any a crash left planned) as CSV lists under `outbox/actions/`.
    func actionLists(seller: String, sellerID: Int64) throws -> [String] {
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
}
