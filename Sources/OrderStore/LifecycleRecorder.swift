import OrderCore

/// Keeps what an update did to an order: its status changes in the history
/// (`siparis_durum_gecmisi`) and the action an invoiced order's change calls for
/// (`fatura_aksiyonlari`, once per invoice and change). Used inside an ingest's transaction by
/// the writers of orders and of shipment events.
struct LifecycleRecorder {
    private let insertHistory: Statement
    private let insertAction: Statement
    private let sellerID: Int64
    private let fileID: Int64
    private let now: String

    init(db: Database, sellerID: Int64, fileID: Int64, now: String) throws(StoreError) {
        self.sellerID = sellerID
        self.fileID = fileID
        self.now = now
        insertHistory = try db.prepareCached("""
            INSERT INTO siparis_durum_gecmisi (siparis_id, satir_anahtari, eski_durum, yeni_durum, platform_durumu,
                platform_zamani, kaynak_dosya_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertAction = try db.prepareCached("""
            INSERT INTO fatura_aksiyonlari (fatura_id, siparis_id, kullanici_id, aksiyon, anahtar, tutar, neden, kaynak_dosya_id,
                tespit_zamani, son_tarih) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (fatura_id, anahtar) DO NOTHING
            """)
    }

    /// Records the update's status changes (the order's with the source's own label and time) and its action.
    func record(_ update: OrderUpdate, orderID: Int64, platformLabel: String?, platformTime: Timestamp?) throws(StoreError) {
        for change in update.changes {
            try insertHistory.bind(orderID, change.lineKey, change.from?.rawValue, change.to.rawValue,
                                   change.lineKey == nil ? platformLabel : nil, platformTime?.description, fileID, now).run()
        }
        if let action = update.action {
            try insertAction.bind(action.invoice.id, orderID, sellerID, action.kind.rawValue, action.key,
                                  action.amount.minorUnits, action.reason, fileID, now, action.deadline?.dateString).run()
        }
    }
}
