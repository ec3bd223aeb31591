/// The status history of orders (`siparis_durum_gecmisi`): every change of an order's or a
/// line's status, with the file that brought it.
public struct StatusHistory {
    let db: Database

    public init(store: OrderStore) { db = store.db }

    /// One change.
    public struct Entry: Sendable, Equatable {
        public var platform: String
        /// `nil` for the order itself.
        public var lineKey: String?
        /// `nil` when first seen.
        public var from: String?
        public var to: String
        public var platformStatus: String?
        /// The export's own time of the information, when it has one.
        public var platformTime: String?
        public var file: String?
        /// When PraIngest recorded it (UTC).
        public var at: String
    }

    /// The changes of a seller's order (any platform), oldest first.
    public func entries(seller: String, orderNumber: String) throws(StoreError) -> [Entry] {
        try db.prepare("""
            SELECT p.ad, h.satir_anahtari, h.eski_durum, h.yeni_durum, h.platform_durumu, h.platform_zamani, d.dosya_adi, h.created_at
            FROM siparis_durum_gecmisi h JOIN siparisler s ON s.id = h.siparis_id
            JOIN kullanicilar k ON k.id = s.kullanici_id JOIN entegrasyonlar e ON e.id = s.entegrasyon_id
            JOIN platformlar p ON p.id = e.platform_id LEFT JOIN kaynak_dosyalar d ON d.id = h.kaynak_dosya_id
            WHERE k.kod = ? AND s.siparis_numarasi = ? ORDER BY h.id
            """).bind([seller, orderNumber]).rows {
            Entry(platform: $0.text(0) ?? "", lineKey: $0.text(1), from: $0.text(2), to: $0.text(3) ?? "", platformStatus: $0.text(4),
                  platformTime: $0.text(5), file: $0.text(6), at: $0.text(7) ?? "")
        }
    }
}
