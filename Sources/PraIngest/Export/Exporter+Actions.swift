import Exporters
import Foundation
import OrderCore
import OrderStore

extension Exporter {
    /// Writes the seller's new invoice actions (and any a crash left planned) as CSV lists under `outbox/actions/`.
    func actionLists(seller: String, sellerID: Int64) throws -> [String] {
        try lists(ActionLedger(store: store), folder: "actions", kind: "actions", seller: seller, sellerID: sellerID,
                  render: ActionListWriter.write)
    }

    /// Writes the seller's new buyer notifications as CSV lists under `outbox/messages/`, for
    /// another system to send.
    func messageLists(seller: String, sellerID: Int64) throws -> [String] {
        try lists(MessageLedger(store: store), folder: "messages", kind: "messages", seller: seller, sellerID: sellerID,
                  render: MessageListWriter.write)
    }

    /// One list file of the seller's new rows (`<folder>/<seller>-<kind>-<stamp>.csv`), after the
    /// files a crash left planned; returns the files written, relative to the home.
    private func lists<L: OutboxListLedger>(_ ledger: L, folder: String, kind: String, seller: String, sellerID: Int64,
                                            render: ([L.Item]) -> [UInt8]) throws -> [String] {
        var files = try ledger.unwrittenFiles(sellerID: sellerID)
        let fresh = try ledger.unlisted(sellerID: sellerID)
        if !fresh.isEmpty {
            let base = "\(folder)/\(OutboxWriter.safeName(seller))-\(kind)-\(nowTimestamp.local.compactStamp)"
            let path = try freePath(base, extension: "csv", taken: ledger.pathTaken)
            try ledger.plan(fresh, path: path)
            files.append((path, fresh))
        }
        var written: [String] = []
        for (path, items) in files {
            try outbox.write(render(items), relativePath: path)
            try ledger.markWritten(path: path)
            written.append("outbox/" + path)
        }
        return written
    }
}
