import OrderCore
import OrderStore

/// The command line's view of invoice actions and status history.
public enum InvoiceActions {
    public static func open(store: OrderStore) throws -> [RecordedInvoiceAction] { try ActionLedger(store: store).open() }

    public static func markDone(id: Int64, store: OrderStore) throws -> Bool { try ActionLedger(store: store).markDone(id: id) }

    public static func history(seller: String, orderNumber: String, store: OrderStore) throws -> [StatusHistory.Entry] {
        try StatusHistory(store: store).entries(seller: seller, orderNumber: orderNumber)
    }
}
