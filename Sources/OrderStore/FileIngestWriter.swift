import OrderCore

/// Writes the orders of one source file inside one transaction, opened by the caller:
/// upserts orders by (integration, order number) and lines by (order, line key), removes
/// lines a newer export no longer has, and logs rejected records to `hata_log`.
///
/// Statements are prepared once per file; nothing here builds SQL per record.
public final class FileIngestWriter {
    public enum Outcome: Sendable, Equatable { case inserted, updated }

    let store: OrderStore
    let sellerID: Int64
    let integrationID: Int64
    /// `kaynak_dosyalar.id` of the file being written.
    public let fileID: Int64
    let now: String
    private var productIDs: [String: Int64] = [:]
    private let findOrder: Statement
    private let upsertOrder: Statement
    private let upsertProduct: Statement
    private let upsertLine: Statement
    private let deleteStaleLines: Statement
    private let insertError: Statement

    /// Registers the file in `kaynak_dosyalar`; must run inside the caller's transaction.
    public init(store: OrderStore, sellerID: Int64, integrationID: Int64, fileName: String, sha256: String,
                size: Int64, mapping: String, jobID: Int64?, now: String) throws(StoreError) {
        self.store = store
        self.sellerID = sellerID
        self.integrationID = integrationID
        self.now = now
        let db = store.db
        try db.prepare("""
            INSERT INTO kaynak_dosyalar (kullanici_id, sha256, dosya_adi, boyut, eslesme, is_kuyrugu_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).bind([sellerID, sha256, fileName, size, mapping, jobID, now]).run()
        fileID = db.lastInsertID
        findOrder = try db.prepare("SELECT id, kaynak_dosya_id FROM siparisler WHERE entegrasyon_id = ? AND siparis_numarasi = ?")
        upsertOrder = try db.prepare("""
            INSERT INTO siparisler (kullanici_id, entegrasyon_id, siparis_numarasi, toplam_tutar, kargo_ucreti, odeme_durumu,
                durum, created_at, updated_at, siparis_tarihi, para_birimi, platform_durumu, platform_indirimi,
                musteri_adi, musteri_email, musteri_telefon, firma_adi, vergi_numarasi, vergi_dairesi, tc_kimlik_no,
                teslimat_adresi, teslimat_ilce, teslimat_il, teslimat_posta_kodu, teslimat_ulke,
                fatura_adresi, fatura_ilce, fatura_il, fatura_posta_kodu, fatura_ulke,
                kargo_firmasi, kargo_takip_no, kaynak_dosya_id, kaynak_satir)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)
            ON CONFLICT (entegrasyon_id, siparis_numarasi) DO UPDATE SET
                toplam_tutar = excluded.toplam_tutar, kargo_ucreti = excluded.kargo_ucreti,
                odeme_durumu = excluded.odeme_durumu, durum = excluded.durum, updated_at = excluded.updated_at,
                siparis_tarihi = excluded.siparis_tarihi, para_birimi = excluded.para_birimi,
                platform_durumu = excluded.platform_durumu, platform_indirimi = excluded.platform_indirimi,
                musteri_adi = excluded.musteri_adi, musteri_email = excluded.musteri_email,
                musteri_telefon = excluded.musteri_telefon, firma_adi = excluded.firma_adi,
                vergi_numarasi = excluded.vergi_numarasi, vergi_dairesi = excluded.vergi_dairesi,
                tc_kimlik_no = excluded.tc_kimlik_no, teslimat_adresi = excluded.teslimat_adresi,
                teslimat_ilce = excluded.teslimat_ilce, teslimat_il = excluded.teslimat_il,
                teslimat_posta_kodu = excluded.teslimat_posta_kodu, teslimat_ulke = excluded.teslimat_ulke,
                fatura_adresi = excluded.fatura_adresi, fatura_ilce = excluded.fatura_ilce, fatura_il = excluded.fatura_il,
                fatura_posta_kodu = excluded.fatura_posta_kodu, fatura_ulke = excluded.fatura_ulke,
                kargo_firmasi = excluded.kargo_firmasi, kargo_takip_no = excluded.kargo_takip_no,
                kaynak_dosya_id = excluded.kaynak_dosya_id, kaynak_satir = excluded.kaynak_satir
            RETURNING id
            """)
        upsertProduct = try db.prepare("""
            INSERT INTO urunler (kullanici_id, sku, ad, kategori, barkod, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
            ON CONFLICT (kullanici_id, sku) DO UPDATE SET
                ad = coalesce(excluded.ad, ad), kategori = coalesce(excluded.kategori, kategori),
                barkod = coalesce(excluded.barkod, barkod), updated_at = excluded.updated_at
            RETURNING id
            """)
        upsertLine = try db.prepare("""
            INSERT INTO siparis_urunleri (siparis_id, urun_id, adet, birim_fiyat, toplam_fiyat, satir_anahtari, kdv_orani,
                barkod, urun_adi, paket_no, platform_indirimi, durum, kaynak_dosya_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            ON CONFLICT (siparis_id, satir_anahtari) DO UPDATE SET
                urun_id = excluded.urun_id, adet = excluded.adet, birim_fiyat = excluded.birim_fiyat,
                toplam_fiyat = excluded.toplam_fiyat, kdv_orani = excluded.kdv_orani, barkod = excluded.barkod,
                urun_adi = excluded.urun_adi, paket_no = excluded.paket_no,
                platform_indirimi = excluded.platform_indirimi, durum = excluded.durum,
                kaynak_dosya_id = excluded.kaynak_dosya_id
            """)
        deleteStaleLines = try db.prepare("DELETE FROM siparis_urunleri WHERE siparis_id = ? AND kaynak_dosya_id IS NOT ?")
        insertError = try db.prepare("""
            INSERT INTO hata_log (ilgili_tablo, ilgili_id, hata_mesaji, raw_response, created_at) VALUES ('kaynak_dosyalar', ?, ?, ?, ?)
            """)
    }

    /// Whether the order is stored already, and whether by this same file (then its rows came apart in the file).
    public func lookup(_ orderNumber: String) throws(StoreError) -> (exists: Bool, byThisFile: Bool) {
        findOrder.bind(integrationID, orderNumber)
        guard try findOrder.step() else { return (false, false) }
        return (true, !findOrder.isNull(1) && findOrder.int(1) == fileID)
    }

    /// Inserts or updates the order and its lines; `existed` comes from ``lookup(_:)``.
    public func write(_ order: NormalizedOrder, existed: Bool) throws(StoreError) -> Outcome {
        let c = order.customer, s = order.shippingAddress, b = order.billingAddress
        upsertOrder.bind(
            sellerID, integrationID, order.orderNumber, order.total.minorUnits, order.shipping.minorUnits,
            order.paymentStatus, order.status.rawValue, now, order.orderDate?.description, order.currency,
            order.platformStatus, order.platformDiscount.minorUnits,
            c.name, c.email, c.phone, c.companyName, c.taxNumber, c.taxOffice, c.nationalId,
            s.line, s.district, s.city, s.postalCode, s.country, b.line, b.district, b.city, b.postalCode, b.country,
            order.carrier, order.trackingNumber, fileID, order.position.line > 0 ? order.position.line : order.position.record
        )
        guard try upsertOrder.step() else { throw StoreError(code: -1, message: "upsert returned no id", sql: nil) }
        let orderID = upsertOrder.int(0)
        try upsertOrder.run()
        for line in order.lines {
            let productID = try product(for: line)
            try upsertLine.bind(
                orderID, productID, line.quantity, line.unitPrice.minorUnits, line.lineTotal.minorUnits, line.key,
                line.vatRate, line.barcode, line.productName, line.packageNumber, line.platformDiscount.minorUnits,
                line.status.rawValue, fileID
            ).run()
        }
        if existed { try deleteStaleLines.bind(orderID, fileID).run() }
        return existed ? .updated : .inserted
    }

    private func product(for line: OrderLine) throws(StoreError) -> Int64 {
        if let id = productIDs[line.sku] { return id }
        upsertProduct.bind(sellerID, line.sku, line.productName, line.category, line.barcode, now)
        guard try upsertProduct.step() else { throw StoreError(code: -1, message: "product upsert returned no id", sql: nil) }
        let id = upsertProduct.int(0)
        try upsertProduct.run()
        if productIDs.count > 100_000 { productIDs.removeAll(keepingCapacity: true) } // bound memory
        productIDs[line.sku] = id
        return id
    }

    /// Records a rejected record in `hata_log` with its raw content (JSON).
    public func logRejected(_ message: String, rawJSON: String) throws(StoreError) {
        try insertError.bind([fileID, message, rawJSON, now]).run()
    }

    /// Stores the file's counts and writes its `sistem_log` audit row.
    public func finish(orders: Int, lines: Int, rejected: Int, message: String) throws(StoreError) {
        try store.db.prepare("UPDATE kaynak_dosyalar SET siparis_sayisi = ?, satir_sayisi = ?, reddedilen = ? WHERE id = ?")
            .bind([orders, lines, rejected, fileID]).run()
        try store.db.prepare("""
            INSERT INTO sistem_log (kullanici_id, tablo, tablo_id, islem, mesaj, created_at) VALUES (?, 'kaynak_dosyalar', ?, 'ingest', ?, ?)
            """).bind([sellerID, fileID, message, now]).run()
    }
}
