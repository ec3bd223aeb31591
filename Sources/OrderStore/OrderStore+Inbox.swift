import OrderCore

extension OrderStore {
    /// A seller's orders with a number, on any of its platforms (`?1` the seller, `?2` the
    /// number), by the unique (integration, number) index: what carrier files and received
    /// invoices name an order by.
    static let sellersOrdersByNumber = """
        SELECT id FROM siparisler WHERE siparis_numarasi = ?2
          AND entegrasyon_id IN (SELECT id FROM entegrasyonlar WHERE kullanici_id = ?1)
        """

    /// Shipment events kept but not applied: waiting for their orders, or fitting several.
    public func unappliedShipmentEvents() throws(StoreError) -> (waiting: Int, ambiguous: Int) {
        let rows = try db.prepare("""
            SELECT count(CASE WHEN sonuc LIKE 'bekliyor%' THEN 1 END), count(CASE WHEN sonuc LIKE 'belirsiz%' THEN 1 END) FROM gonderi_olaylari WHERE siparis_id IS NULL
            """).rows { (Int($0.int(0)), Int($0.int(1))) }
        return rows.first ?? (0, 0)
    }

    /// Whether a received invoice's row names `path` (`invoices/acme/<ETTN>.xml`) as its kept copy.
    public func isKeptInvoiceCopy(_ path: String) throws(StoreError) -> Bool {
        !(try db.prepare("SELECT 1 FROM gelen_faturalar WHERE dosya_yolu = ? LIMIT 1").bind([path]).rows { _ in 1 }).isEmpty
    }

    /// Received invoices not attached to an order (amount differs, several orders fit, no order
    /// yet), newest first: seller, invoice number, order number (when matched), state, note.
    public func unattachedInvoices(limit: Int) throws(StoreError)
        -> [(seller: String, number: String, orderNumber: String?, state: String, note: String)] {
        try db.prepare("""
            SELECT k.kod, g.fatura_no, s.siparis_numarasi, g.durum, coalesce(g.aciklama, '')
            FROM gelen_faturalar g JOIN kullanicilar k ON k.id = g.kullanici_id LEFT JOIN siparisler s ON s.id = g.siparis_id
            WHERE g.durum != 'eslesti' ORDER BY g.id DESC LIMIT ?
            """).bind([limit]).rows { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2), $0.text(3) ?? "", $0.text(4) ?? "") }
    }
}
