import OrderCore

/// A seller's catalogue in `urunler`: product readings written (inside a file's transaction) and
/// the catalogue read back for reorder advice and product feeds.
public struct ProductStore {
    let db: Database

    public init(store: OrderStore) { db = store.db }

    /// What became of a reading.
    public enum Outcome: Sendable, Equatable {
        case inserted, updated
        /// The store holds a newer reading of the SKU's stock: nothing changed.
        case stale(stored: String)
    }

    /// Writes a reading of one of `sellerID`'s SKUs, read at `readAt` (UTC ISO 8601). Fields the
    /// reading lacks keep their stored values.
    public func write(_ p: ProductReading, sellerID: Int64, readAt: String, now: String) throws(StoreError) -> Outcome {
        let stored = try db.prepare("SELECT stok_zamani FROM urunler WHERE kullanici_id = ? AND sku = ?")
            .bind(sellerID, p.sku).rows { st -> String? in st.text(0) }
        if let row = stored.first, let at = row, at > readAt { return .stale(stored: at) }
        let vat = p.vatRate.flatMap { Int64($0) }
        try db.prepare("""
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
            """).bind([sellerID, p.sku, p.name, p.category, p.barcode, p.brand, p.description, p.link, p.imageLink,
                       p.stock.map { Int64($0) }, p.price?.minorUnits, p.currency, vat, p.unitCost?.minorUnits, readAt, now]).run()
        return stored.isEmpty ? .inserted : .updated
    }

    /// A product as stored, with its latest stock reading.
    public struct Product: Sendable, Equatable {
        public var sku: String
        public var name: String?
        public var category: String?
        public var barcode: String?
        public var brand: String?
        public var description: String?
        public var link: String?
        public var imageLink: String?
        public var stock: Int?
        public var price: Money?
        public var currency: String?
        public var unitCost: Money?
        /// When the stock was read (UTC ISO 8601); `nil`: never (a product known from orders only).
        public var readAt: String?
    }

    /// The seller's products, by SKU.
    public func catalogue(sellerID: Int64) throws(StoreError) -> [Product] {
        try db.prepare("""
            SELECT sku, ad, kategori, barkod, marka, aciklama, urun_linki, gorsel_linki, stok_adedi, satis_fiyati, para_birimi,
                   birim_maliyet, stok_zamani FROM urunler WHERE kullanici_id = ? ORDER BY sku
            """).bind(sellerID).rows { st in
            func int(_ i: Int32) -> Int64? { st.isNull(i) ? nil : st.int(i) }
            return Product(sku: st.text(0) ?? "", name: st.text(1), category: st.text(2), barcode: st.text(3), brand: st.text(4),
                           description: st.text(5), link: st.text(6), imageLink: st.text(7), stock: int(8).map { Int($0) },
                           price: int(9).map(Money.init(minorUnits:)), currency: st.text(10),
                           unitCost: int(11).map(Money.init(minorUnits:)), readAt: st.text(12))
        }
    }
}
