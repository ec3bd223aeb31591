/// Which orders went to which ERP file, so each order is exported once per format. A batch is
/// planned (its orders claimed, its file name fixed) before the file is written; a batch
/// planned but not written (a crash in between) is found again and written from the same data.
public struct ERPExportLedger {
    let db: Database

    public init(store: OrderStore) { db = store.db }

    /// A planned or written ERP file.
    public struct Batch: Sendable, Equatable {
        public var id: Int64
        public var format: String
        /// Relative to the outbox.
        public var path: String
        public var createdAt: String
        public var orderIDs: [Int64]
    }

    static let unexported = "NOT EXISTS (SELECT 1 FROM erp_aktarimlari a WHERE a.siparis_id = s.id AND a.format = ?)"
    /// The order has an e-invoice: one PraIngest wrote, or one its provider sent back attached to it.
    static let invoiced = """
        (EXISTS (SELECT 1 FROM faturalar f WHERE f.siparis_id = s.id AND f.durum = 'yazildi')
         OR EXISTS (SELECT 1 FROM gelen_faturalar g WHERE g.siparis_id = s.id AND g.durum = 'eslesti' AND g.tip IS DISTINCT FROM 'IADE'))
        """

    static func awaiting(invoiced only: Bool) -> String { only ? unexported + " AND " + invoiced : unexported }

    /// Orders of `filter` after id `after` not yet exported in `format` (and, for an invoice-type
    /// format, invoiced), oldest first, at most `limit`.
    public func ordersAwaitingExport(_ filter: ExportFilter, format: String, invoicedOnly: Bool, after: Int64 = 0,
                                     limit: Int) throws(StoreError) -> [StoredOrders.Row] {
        try StoredOrders(db: db).pending(filter, Self.awaiting(invoiced: invoicedOnly), [format], after: after, limit: limit)
    }

    /// How many orders of `filter` (any currency) are not yet exported in `format`, per currency.
    public func countAwaitingExport(_ filter: ExportFilter, format: String, invoicedOnly: Bool) throws(StoreError) -> [String: Int] {
        try StoredOrders(db: db).pendingCount(filter, Self.awaiting(invoiced: invoicedOnly), [format])
    }

    /// How many orders of `filter` wait for their e-invoice before they can go out in `format`.
    public func countAwaitingInvoice(_ filter: ExportFilter, format: String) throws(StoreError) -> Int {
        try StoredOrders(db: db).pendingCount(filter, Self.unexported + " AND NOT " + Self.invoiced, [format]).values.reduce(0, +)
    }

    /// Claims `orderIDs` for a new file at `path` (unique), in one transaction.
    public func plan(sellerID: Int64, format: String, path: String, orderIDs: [Int64], now: String) throws -> Batch {
        try db.transaction(.seller(sellerID)) {
            let fileID = try db.prepare("""
                INSERT INTO erp_dosyalari (kullanici_id, format, dosya_yolu, durum, created_at) VALUES (?, ?, ?, 'planlandi', ?) RETURNING id
                """).bind([sellerID, format, path, now]).rows { $0.int(0) }[0]
            let insert = try db.prepare("INSERT INTO erp_aktarimlari (siparis_id, format, dosya_id) VALUES (?, ?, ?)")
            for id in orderIDs { try insert.bind([id, format, fileID]).run() }
            return Batch(id: fileID, format: format, path: path, createdAt: now, orderIDs: orderIDs)
        }
    }

    /// Whether a file of that name was already planned.
    public func pathTaken(_ path: String) throws(StoreError) -> Bool {
        try !db.prepare("SELECT 1 FROM erp_dosyalari WHERE dosya_yolu = ?").bind([path]).rows { _ in 1 }.isEmpty
    }

    /// Batches planned but not written, oldest first.
    public func unwritten(seller: String) throws(StoreError) -> [Batch] {
        let files = try db.prepare("""
            SELECT d.id, d.format, d.dosya_yolu, d.created_at FROM erp_dosyalari d JOIN kullanicilar k ON k.id = d.kullanici_id
            WHERE d.durum = 'planlandi' AND k.kod = ? ORDER BY d.id
            """).bind([seller]).rows { ($0.int(0), $0.text(1) ?? "", $0.text(2) ?? "", $0.text(3) ?? "") }
        let orders = try db.prepare("SELECT siparis_id FROM erp_aktarimlari WHERE dosya_id = ? ORDER BY siparis_id")
        var out: [Batch] = []
        for f in files {
            out.append(Batch(id: f.0, format: f.1, path: f.2, createdAt: f.3, orderIDs: try orders.bind([f.0]).rows { $0.int(0) }))
        }
        return out
    }

    public func markWritten(_ batch: Batch) throws(StoreError) {
        try db.prepare("UPDATE erp_dosyalari SET durum = 'yazildi' WHERE id = ?").bind([batch.id]).run()
    }

    /// Seller codes that have orders, with their ids.
    public func sellers() throws(StoreError) -> [(id: Int64, code: String)] {
        try db.prepare("SELECT DISTINCT k.id, k.kod FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id ORDER BY 2")
            .rows { ($0.int(0), $0.text(1) ?? "") }
    }
}
