import OrderCore

/// A file ingested again after a mapping fix supersedes what its earlier ingests stored: the
/// orders it writes replace theirs, and the orders only they had go, unless something was made
/// of them already (an invoice, an ERP export, a message, a shipment event, a received invoice).
extension OrderStore {
    /// The seller's earlier files with this content (`kaynak_dosyalar.id`), other than `fileID`.
    public func files(seller: Int64, sha256: String, other fileID: Int64) throws(StoreError) -> Set<Int64> {
        Set(try db.prepare("SELECT id FROM kaynak_dosyalar WHERE kullanici_id = ?1 AND sha256 = ?2 AND id <> ?3")
            .bind([seller, sha256, fileID]).rows { $0.int(0) })
    }

    /// Removes the order with its lines and history when nothing was made of it yet; whether it was.
    public func removeUnusedOrder(_ id: Int64) throws(StoreError) -> Bool {
        // Kept prepared: a re-ingest of the same content runs it for every order.
        try db.prepareCached("""
            DELETE FROM siparisler WHERE id = ?1
              AND NOT EXISTS (SELECT 1 FROM faturalar WHERE siparis_id = ?1)
              AND NOT EXISTS (SELECT 1 FROM siparis_dosyalari WHERE siparis_id = ?1)
              AND NOT EXISTS (SELECT 1 FROM erp_aktarimlari WHERE siparis_id = ?1)
              AND NOT EXISTS (SELECT 1 FROM fatura_aksiyonlari WHERE siparis_id = ?1)
              AND NOT EXISTS (SELECT 1 FROM mesaj_log WHERE siparis_id = ?1)
              AND NOT EXISTS (SELECT 1 FROM gonderi_olaylari WHERE siparis_id = ?1)
              AND NOT EXISTS (SELECT 1 FROM gelen_faturalar WHERE siparis_id = ?1)
            """).bind(id).run()
        return db.changes > 0
    }

    /// The orders `files` wrote last (no later file touched them): each removed when unused.
    public func removeOrders(lastWrittenBy files: Set<Int64>) throws(StoreError) -> (removed: Int, kept: Int) {
        var removed = 0, kept = 0
        for file in files {
            let ids = try db.prepare("SELECT id FROM siparisler WHERE kaynak_dosya_id = ?").bind(file).rows { $0.int(0) }
            for id in ids {
                if try removeUnusedOrder(id) { removed += 1 } else { kept += 1 }
            }
        }
        return (removed, kept)
    }
}
