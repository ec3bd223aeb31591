import Foundation
import OrderCore
import OrderStore

/// What `pra-ingest status` shows: the queue, the last files, problems, the invoices that need
/// action, and orders per platform.
public struct StatusReport: Sendable, Codable {
    /// Where the orders are stored (a PostgreSQL address without its password).
    public var store = ""
    public var queue: [String: Int]
    /// Files being worked on, and the worker that has each (workers may share the queue).
    public var inHand: [InHand] = []

    public struct InHand: Sendable, Codable {
        public var path: String
        /// `host:pid:start` of the worker.
        public var worker: String
        public var leaseUntil: String
    }
    public var recentFiles: [RecentFile]
    public var errorsBySellerAndPlatform: [ErrorCount]
    public var ordersByPlatform: [String: Int]
    /// Open actions on issued invoices (cancelled or returned after invoicing), oldest first.
    public var needsAction: [NeedsAction]
    public var needsActionTotal: Int
    /// Orders held back from invoicing, with the reason.
    public var heldInvoices: [HeldInvoice]
    /// Written e-Arşiv invoices of internet sales that lack payment, carrier or web data.
    public var incompleteInvoices: [IncompleteInvoice]
    /// GİB's e-Fatura user list in force: file, users, when loaded; `nil` when none is.
    public var userList: UserList?
    /// Exchange rates loaded (`reference/`): how many days, the first and the last.
    public var exchangeRates: ExchangeRates?
    /// Shipment events waiting for their orders, and those that fit several orders.
    public var shipmentsWaiting = 0
    public var shipmentsAmbiguous = 0
    /// Invoices a provider sent back that are not attached to an order, newest first.
    public var unattachedInvoices: [UnattachedInvoice] = []
    /// Buyer notifications not yet written to `outbox/messages/`.
    public var messagesPending = 0

    public struct UnattachedInvoice: Sendable, Codable {
        public var seller: String
        public var number: String
        public var orderNumber: String?
        public var state: String
        public var note: String
    }

    /// Shipped orders still without an invoice after `invoicing.late_after_days`.
    public var lateInvoices: [LateInvoice] = []
    public var lateAfterDays = 5

    public struct LateInvoice: Sendable, Codable {
        public var seller: String
        public var orderNumber: String
        public var status: String
        public var shippedAt: String
    }

    public struct IncompleteInvoice: Sendable, Codable {
        public var number: String
        public var orderNumber: String
        public var missing: String
    }

    public struct ExchangeRates: Sendable, Codable {
        public var days: Int
        public var first: String
        public var last: String
    }

    public struct UserList: Sendable, Codable {
        public var file: String
        public var users: Int
        public var loadedAt: String
    }

    public struct RecentFile: Sendable, Codable {
        public var path: String
        public var state: String
        public var outcome: String
        public var at: String
        /// The first errors of the file, with their place.
        public var firstErrors: [String] = []
    }

    public struct ErrorCount: Sendable, Codable {
        public var seller: String
        public var mapping: String
        public var rejectedRecords: Int
        public var warnings: Int
        public var failedFiles: Int
    }

    public struct NeedsAction: Sendable, Codable {
        public var id: Int64
        public var action: String
        public var seller: String
        public var orderNumber: String
        public var invoiceNumber: String
        public var invoiceDate: String?
        /// The last day to act, where one applies.
        public var deadline: String?
        public var amount: String
        /// The amount's unit: `TL`, or the invoice's currency (`EUR`).
        public var currency: String
        public var reason: String
        public var detectedAt: String
    }

    public struct HeldInvoice: Sendable, Codable {
        public var seller: String
        public var orderNumber: String
        public var reason: String
        public var since: String
    }

    public static func read(home: Home, recent: Int = 10, actions: Int = 20) throws -> StatusReport {
        let store = try OrderStore(location: home.store)
        let queue = JobQueue(store: store)
        var depth: [String: Int] = [:]
        for s in JobQueue.State.allCases { depth[s.rawValue] = 0 }
        for (s, n) in try queue.depth() { depth[s.rawValue] = n }
        let files = try queue.recent(limit: recent).map {
            RecentFile(path: $0.path, state: $0.state, outcome: $0.outcome, at: $0.at,
                       firstErrors: $0.errors.prefix(3).map(\.message)) // each names its place
        }
        let errors = try store.problemCounts().map {
            ErrorCount(seller: $0.seller, mapping: $0.mapping, rejectedRecords: $0.rejected, warnings: $0.warnings,
                       failedFiles: $0.failedFiles)
        }
        var orders: [String: Int] = [:]
        // Carriers and e-invoice providers have integrations too, but no orders of their own.
        for row in try store.integrations() where row.orders > 0 { orders[row.platform, default: 0] += row.orders }
        let ledger = ActionLedger(store: store)
        let open = try ledger.open(limit: actions).map {
            NeedsAction(id: $0.id, action: $0.action.kind.rawValue, seller: $0.seller, orderNumber: $0.orderNumber,
                        invoiceNumber: $0.action.invoice.number, invoiceDate: $0.action.invoice.issuedAt?.local.dateString,
                        deadline: $0.action.deadline?.dateString, amount: $0.action.amount.turkishDescription,
                        currency: $0.action.invoice.currencyLabel, reason: $0.action.reason, detectedAt: $0.detectedAt)
        }
        let held = try InvoiceLedger(store: store).holds(limit: actions).map {
            HeldInvoice(seller: $0.seller, orderNumber: $0.orderNumber, reason: $0.reason, since: $0.since)
        }
        let incomplete = try InvoiceLedger(store: store).incomplete(limit: actions).map {
            IncompleteInvoice(number: $0.number, orderNumber: $0.orderNumber, missing: $0.missing)
        }
        let list = try UserListStore(store: store).active().map { UserList(file: $0.file, users: $0.users, loadedAt: $0.loadedAt) }
        var report = StatusReport(queue: depth, recentFiles: files, errorsBySellerAndPlatform: errors, ordersByPlatform: orders,
                                  needsAction: open, needsActionTotal: try ledger.openCount(), heldInvoices: held,
                                  incompleteInvoices: incomplete, userList: list)
        report.store = home.store.description
        report.inHand = try queue.inHand().map { InHand(path: $0.path, worker: $0.worker, leaseUntil: $0.leaseUntil) }
        (report.shipmentsWaiting, report.shipmentsAmbiguous) = try store.unappliedShipmentEvents()
        report.unattachedInvoices = try store.unattachedInvoices(limit: actions).map {
            UnattachedInvoice(seller: $0.seller, number: $0.number, orderNumber: $0.orderNumber, state: $0.state, note: $0.note)
        }
        report.messagesPending = try MessageLedger(store: store).pendingCount()
        report.exchangeRates = try ExchangeRateStore(store: store).summary().map { ExchangeRates(days: $0.days, first: $0.first, last: $0.last) }
        // A broken pra.yaml must not hide the rest of the status: its defaults then.
        let config = (try? Configuration.load(home: home)) ?? Configuration()
        report.lateAfterDays = config.lateAfterDays
        let cutoff = Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970) - Int64(config.lateAfterDays) * 86_400,
                               utcOffsetSeconds: 0)
        report.lateInvoices = try InvoiceLedger(store: store).late(statuses: OrderStatus.shipped.map(\.rawValue),
                                                                   shippedBefore: cutoff.description, limit: actions).map {
            LateInvoice(seller: $0.seller, orderNumber: $0.orderNumber, status: $0.status, shippedAt: $0.shippedAt)
        }
        return report
    }

    /// Human-readable, a few lines.
    public var text: String {
        var t = "store: \(store)\n"
        t += "queue: " + JobQueue.State.allCases.map { "\($0.rawValue) \(queue[$0.rawValue] ?? 0)" }.joined(separator: ", ") + "\n"
        for f in inHand { t += "  in hand: \(f.path) by \(f.worker.isEmpty ? "?" : f.worker)\(f.leaseUntil.isEmpty ? "" : ", lease to \(f.leaseUntil)")\n" }
        t += "orders: " + ordersByPlatform.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        if needsActionTotal > 0 {
            t += "needs action (\(needsActionTotal) invoices cancelled or returned after issue; mark one done with "
                + "`pra-ingest actions --done ID`):\n"
            for a in needsAction {
                t += "  #\(a.id) \(a.action)  \(a.seller) order \(a.orderNumber), invoice \(a.invoiceNumber), \(a.amount) \(a.currency): \(a.reason)\n"
            }
            if needsActionTotal > needsAction.count { t += "  … and \(needsActionTotal - needsAction.count) more (pra-ingest actions)\n" }
        }
        if !lateInvoices.isEmpty {
            t += "needs action: shipped more than \(lateAfterDays) days ago and not invoiced (VUK 231/5 allows 7 days; "
                + "see pra-ingest export's warnings and held invoices):\n"
            for l in lateInvoices { t += "  \(l.seller) order \(l.orderNumber) (\(l.status), shipped \(l.shippedAt))\n" }
        }
        if let list = userList {
            t += "GİB user list: \(list.file), \(list.users) users, loaded \(list.loadedAt)\n"
        } else {
            t += "GİB user list: none loaded — every buyer gets an e-Arşiv invoice (drop GİB's user list into reference/)\n"
        }
        if let r = exchangeRates {
            t += "exchange rates: \(r.days) days loaded, \(r.first) to \(r.last)\n"
        }
        if !incompleteInvoices.isEmpty {
            t += "invoices missing internet-sale data:\n"
            for i in incompleteInvoices { t += "  \(i.number) (order \(i.orderNumber)): \(i.missing)\n" }
        }
        if shipmentsWaiting + shipmentsAmbiguous > 0 {
            t += "shipment events not applied: \(shipmentsWaiting) waiting for their orders"
                + (shipmentsAmbiguous > 0 ? ", \(shipmentsAmbiguous) fitting several orders" : "") + "\n"
        }
        if !unattachedInvoices.isEmpty {
            t += "received invoices not attached:\n"
            for i in unattachedInvoices {
                t += "  \(i.seller) \(i.number)\(i.orderNumber.map { " (order \($0))" } ?? ""): \(i.state) \(i.note)\n"
            }
        }
        if messagesPending > 0 { t += "buyer messages not yet in outbox/messages/: \(messagesPending) (pra-ingest export)\n" }
        if !heldInvoices.isEmpty {
            t += "invoices held back:\n"
            for h in heldInvoices { t += "  \(h.seller) order \(h.orderNumber): \(h.reason)\n" }
        }
        if !errorsBySellerAndPlatform.isEmpty {
            t += "problems:\n"
            for e in errorsBySellerAndPlatform {
                var parts: [String] = []
                if e.rejectedRecords > 0 { parts.append("\(e.rejectedRecords) rejected records") }
                if e.warnings > 0 { parts.append("\(e.warnings) warnings") }
                if e.failedFiles > 0 { parts.append("\(e.failedFiles) failed files") }
                t += "  \(e.seller)\(e.mapping.isEmpty ? "" : " / \(e.mapping)"): " + parts.joined(separator: ", ") + "\n"
            }
        }
        t += "last files:\n"
        for f in recentFiles { t += "  \(f.at)  \(f.state.padding(toLength: 10, withPad: " ", startingAt: 0)) \(f.path)  \(f.outcome)\n" }
        return t
    }
}
