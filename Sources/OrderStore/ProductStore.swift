import OrderCore

/// A seller's catalogue in `urunler`: product readings written (inside a file's transaction) and
/// the catalogue read back for reorder advice and product feeds.
public final class ProductStore {
    let db: Database
    /// The writer's two statements, prepared on the first reading (not per record, not for a file of orders).
    private var statements: (stored: Statement, upsert: Statement)?

    public init(store: OrderStore) { db = store.db }

    /// What became of a reading.
    public enum Outcome: Sendable, Equatable {
        case inserted, updated
        /// The store holds a newer reading of the SKU's stock: nothing changed.
        case stale(stored: String)
    }

    /// Writes a reading of one of `sellerID`'s SKUs, read at `readAt` (UTC ISO 8601). Fields the
    /// reading lacks keep their stored values.
    public func write(_ p: Product, sellerID: Int64, readAt: String, now: String) throws(StoreError) -> Outcome {
        let (find, upsert) = try prepared()
        let stored = try find.bind(sellerID, p.sku).rows { st -> String? in st.text(0) }
        if let row = stored.first, let at = row, at > readAt { return .stale(stored: at) }
        try upsert.bind([sellerID, p.sku, p.name, p.category, p.barcode, p.brand, p.description, p.link, p.imageLink,
                         p.stock.map { Int64($0) }, p.price?.minorUnits, p.currency, p.vatRate.map { Int64($0) },
                         p.unitCost?.minorUnits, readAt, now]).run()
        return stored.isEmpty ? .inserted : .updated
    }

    private func prepared() throws(StoreError) -> (stored: Statement, upsert: Statement) {
        if let statements { return statements }
        let find = try db.prepare("SELECT stok_zamani FROM urunler WHERE kullanici_id = ? AND sku = ?")
        let upsert = try db.prepare("""
            INSERT INTO urunler (kullanici_id, sku, ad, kategori, barkod, marka, aciklama, urun_linki, gorsel_linki, stok_adedi,
                satis_fiyati, para_birimi, kdv_orani, birim_maliyet, stok_zamani, created_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)
            ON CONFLICT (kullanici_id, sku) DO UPDATE SET
                ad = coalesce(excluded.ad, urunler.ad), kategori = coalesce(excluded.kategori, urunler.kategori),
                barkod = coalesce(excluded.barkod, urunler.barkod), marka = coalesce(excluded.marka, urunler.marka),
                aciklama = coalesce(excluded.aciklama, urunler.aciklama), urun_linki = coalesce(excluded.urun_linki, urunler.urun_linki),
                gorsel_linki = coalesce(excluded.gorsel_linki, urunler.gorsel_linki),
                stok_adedi = coalesce(excluded.stok_adedi, urunler.stok_adedi),
                satis_fiyati = coalesce(excluded.satis_fiyati, urunler.satis_fiyati),
                para_birimi = coalesce(excluded.para_birimi, urunler.para_birimi),
                kdv_orani = coalesce(excluded.kdv_orani, urunler.kdv_orani),
                birim_maliyet = coalesce(excluded.birim_maliyet, urunler.birim_maliyet),
                stok_zamani = excluded.stok_zamani, updated_at = excluded.updated_at
            """)
        statements = (find, upsert)
        return (find, upsert)
    }

    /// The seller's products, by SKU.
    public func catalogue(sellerID: Int64) throws(StoreError) -> [Product] {
        try db.prepare("""
            SELECT sku, ad, kategori, barkod, marka, aciklama, urun_linki, gorsel_linki, stok_adedi, satis_fiyati, para_birimi,
                   kdv_orani, birim_maliyet FROM urunler WHERE kullanici_id = ? ORDER BY sku
            """).bind(sellerID).rows { st in
            func int(_ i: Int32) -> Int64? { st.isNull(i) ? nil : st.int(i) }
            var p = Product(sku: st.text(0) ?? "")
            (p.name, p.category, p.barcode, p.brand, p.description) = (st.text(1), st.text(2), st.text(3), st.text(4), st.text(5))
            (p.link, p.imageLink, p.currency) = (st.text(6), st.text(7), st.text(10))
            p.stock = int(8).map { Int($0) }
            p.price = int(9).map(Money.init(minorUnits:))
            p.vatRate = int(11).map { Int($0) }
            p.unitCost = int(12).map(Money.init(minorUnits:))
            return p
        }
    }
}
