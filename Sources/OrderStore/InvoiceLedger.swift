import OrderCore

/// Invoice numbers and their life cycle. A number is taken and its invoice row written in one
/// transaction, so numbers are gapless and unique per seller and year even across crashes; an
/// invoice numbered but not yet written is found again by ``numberedButUnwritten()``.
public struct InvoiceLedger {
    let db: Database

    public init(store: OrderStore) { db = store.db }

    /// An invoice as recorded: enough to write the same bytes again.
    public struct Entry: Sendable, Equatable {
        public var orderID: Int64
        public var number: String
        public var uuid: String
        public var profile: String
        public var issuedAt: String
        public var path: String?
    }

    /// Invoiceable orders of a seller that have no invoice yet (statuses outside `excluded`).
    public func ordersAwaitingInvoice(seller: String, excluded: [String], since: String?) throws(StoreError) -> [StoredOrders.Row] {
        let placeholders = excluded.map { _ in "?" }.joined(separator: ", ")
        var condition = "k.kod = ? AND NOT EXISTS (SELECT 1 FROM faturalar f WHERE f.siparis_id = s.id)"
        if !excluded.isEmpty { condition += " AND s.durum NOT IN (\(placeholders))" }
        var args: [(any Sendable)?] = [seller] + excluded.map { $0 }
        if let since { condition += " AND s.created_at >= ?"; args.append(since) }
        return try StoredOrders(db: db).load(where: condition, args)
    }

    /// Takes the next number of (`seller`, `year`) and records the invoice as numbered.
    public func number(orderID: Int64, sellerID: Int64, prefix: String, year: Int, uuid: String, profile: String,
                       issuedAt: String, now: String) throws -> Entry {
        try db.transaction {
            let next = try db.prepare("""
                INSERT INTO fatura_sayaclari (kullanici_id, yil, son_numara) VALUES (?, ?, 1)
                ON CONFLICT (kullanici_id, yil) DO UPDATE SET son_numara = son_numara + 1 RETURNING son_numara
                """).bind([sellerID, year]).rows { $0.int(0) }[0]
            let sequence = String(next)
            let number = prefix + String(year) + String(repeating: "0", count: 9 - sequence.count) + sequence
            try db.prepare("""
                INSERT INTO faturalar (siparis_id, kullanici_id, fatura_no, ettn, profil, tip, duzenleme_zamani, durum,
                    created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'SATIS', ?6, 'numaralandi', ?7, ?7)
                """).bind([orderID, sellerID, number, uuid, profile, issuedAt, now]).run()
            return Entry(orderID: orderID, number: number, uuid: uuid, profile: profile, issuedAt: issuedAt, path: nil)
        }
    }

    /// Invoices numbered but whose file was not written (a crash in between), oldest first.
    public func numberedButUnwritten(seller: String) throws(StoreError) -> [Entry] {
        try entries(where: "f.durum = 'numaralandi' AND k.kod = ?", [seller])
    }

    /// The invoice of an order, if it has one.
    public func invoice(orderID: Int64) throws(StoreError) -> Entry? {
        try entries(where: "f.siparis_id = ?", [orderID]).first
    }

    private func entries(where condition: String, _ args: [(any Sendable)?]) throws(StoreError) -> [Entry] {
        try db.prepare("""
            SELECT f.siparis_id, f.fatura_no, f.ettn, f.profil, f.duzenleme_zamani, f.dosya_yolu
            FROM faturalar f JOIN kullanicilar k ON k.id = f.kullanici_id WHERE \(condition) ORDER BY f.fatura_no
            """).bind(args).rows {
            Entry(orderID: $0.int(0), number: $0.text(1) ?? "", uuid: $0.text(2) ?? "", profile: $0.text(3) ?? "",
                  issuedAt: $0.text(4) ?? "", path: $0.text(5))
        }
    }

    /// Marks the invoice written at `path` and records it in `siparis_dosyalari` (once per order).
    public func markWritten(_ entry: Entry, path: String, now: String) throws {
        try db.transaction {
            try db.prepare("UPDATE faturalar SET durum = 'yazildi', dosya_yolu = ?, updated_at = ? WHERE fatura_no = ?")
                .bind([path, now, entry.number]).run()
            try db.prepare("DELETE FROM siparis_dosyalari WHERE siparis_id = ? AND dosya_turu = 'fatura'").bind([entry.orderID]).run()
            try db.prepare("INSERT INTO siparis_dosyalari (siparis_id, dosya_turu, dosya_url, created_at) VALUES (?, 'fatura', ?, ?)")
                .bind([entry.orderID, path, now]).run()
        }
    }
}

