import OrderCore

/// The actions invoiced orders' changes call for (`fatura_aksiyonlari`), and the outbox files
/// that list them. An action is recorded by ``FileIngestWriter`` in the ingest's transaction (once
/// per invoice and change), then planned into a file (its path fixed) and marked written once the
/// file is durable, so a crash in between writes the same file again.
public struct ActionLedger: OutboxListLedger {
    let db: Database

    public init(store: OrderStore) { db = store.db }

    static let select = """
        SELECT a.id, k.kod, s.siparis_numarasi, a.aksiyon, a.anahtar, a.tutar, a.neden, a.tespit_zamani, a.durum,
               f.id, f.fatura_no, f.ettn, f.profil, f.duzenleme_zamani, a.son_tarih, coalesce(f.doviz_kodu, 'TRY')
        FROM fatura_aksiyonlari a JOIN faturalar f ON f.id = a.fatura_id JOIN siparisler s ON s.id = a.siparis_id
        JOIN kullanicilar k ON k.id = a.kullanici_id
        """

    private func actions(where condition: String, _ args: [(any SQLValue)?], limit: Int? = nil) throws(StoreError) -> [RecordedInvoiceAction] {
        try db.prepare(Self.select + " WHERE " + condition + " ORDER BY a.id" + (limit.map { " LIMIT \($0)" } ?? "")).bind(args).rows { st in
            let invoice = InvoiceReference(id: st.int(9), number: st.text(10) ?? "", uuid: st.text(11) ?? "",
                                           profile: InvoiceDocument.Profile(rawValue: st.text(12) ?? "") ?? .EARSIVFATURA,
                                           issuedAt: st.text(13).flatMap { DateFormat.iso8601.parse($0, zone: .utc) },
                                           currency: st.text(15) ?? "TRY")
            let action = InvoiceAction(kind: InvoiceAction.Kind(rawValue: st.text(3) ?? "") ?? .earsiv_iptal, invoice: invoice,
                                       amount: Money(minorUnits: st.int(5)), key: st.text(4) ?? "", reason: st.text(6) ?? "",
                                       deadline: st.text(14).flatMap { DateFormat.pattern("yyyy-MM-dd").parse($0, zone: .utc)?.local })
            return RecordedInvoiceAction(id: st.int(0), seller: st.text(1) ?? "", orderNumber: st.text(2) ?? "", action: action,
                                         detectedAt: st.text(7) ?? "", state: st.text(8) ?? "")
        }
    }

    /// Actions of the seller not yet in any file.
    public func unlisted(sellerID: Int64) throws(StoreError) -> [RecordedInvoiceAction] {
        try actions(where: "a.kullanici_id = ? AND a.dosya_yolu IS NULL", [sellerID])
    }

    /// Files planned but not written (a crash in between), with their actions, oldest first.
    public func unwrittenFiles(sellerID: Int64) throws(StoreError) -> [(path: String, items: [RecordedInvoiceAction])] {
        let paths = try db.prepare("""
            SELECT dosya_yolu FROM fatura_aksiyonlari WHERE kullanici_id = ? AND dosya_yolu IS NOT NULL AND yazildi = 0
            GROUP BY dosya_yolu ORDER BY min(id)
            """).bind([sellerID]).rows { $0.text(0) ?? "" }
        var out: [(String, [RecordedInvoiceAction])] = []
        for path in paths { out.append((path, try actions(where: "a.dosya_yolu = ?", [path]))) }
        return out
    }

    /// Whether a file of that name was already planned.
    public func pathTaken(_ path: String) throws(StoreError) -> Bool {
        try !db.prepare("SELECT 1 FROM fatura_aksiyonlari WHERE dosya_yolu = ? LIMIT 1").bind([path]).rows { _ in 1 }.isEmpty
    }

    /// Fixes the file the actions go into, in one transaction.
    public func plan(_ actions: [RecordedInvoiceAction], path: String) throws {
        try db.transaction {
            let update = try db.prepare("UPDATE fatura_aksiyonlari SET dosya_yolu = ? WHERE id = ? AND dosya_yolu IS NULL")
            for a in actions { try update.bind([path, a.id]).run() }
        }
    }

    public func markWritten(path: String) throws(StoreError) {
        try db.prepare("UPDATE fatura_aksiyonlari SET yazildi = 1 WHERE dosya_yolu = ?").bind([path]).run()
    }

    /// Open actions (every seller), oldest first: what `status` lists under "needs action".
    public func open(limit: Int? = nil) throws(StoreError) -> [RecordedInvoiceAction] {
        try actions(where: "a.durum = 'acik'", [], limit: limit)
    }

    /// How many actions are open.
    public func openCount() throws(StoreError) -> Int {
        Int(try db.prepare("SELECT count(*) FROM fatura_aksiyonlari WHERE durum = 'acik'").rows { $0.int(0) }[0])
    }

    /// Marks an action done; false when there is no open action with that id.
    public func markDone(id: Int64) throws(StoreError) -> Bool {
        try db.prepare("UPDATE fatura_aksiyonlari SET durum = 'tamamlandi' WHERE id = ? AND durum = 'acik'").bind([id]).run()
        return db.changes > 0
    }

    /// Every action of an order, for `export --reissue` and `history`.
    public func actions(seller: String, orderNumber: String) throws(StoreError) -> [RecordedInvoiceAction] {
        try actions(where: "k.kod = ? AND s.siparis_numarasi = ?", [seller, orderNumber])
    }
}
