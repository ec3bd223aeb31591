import OrderCore

/// Invoice numbers and their life cycle. A number is taken and its invoice row written in one
/// transaction, so numbers are gapless and unique per seller and year even across crashes; an
/// invoice numbered but not yet written is found again by ``numberedButUnwritten(seller:after:limit:)``.
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
        /// The rate of an invoice in another currency, as it was numbered.
        public var exchangeRate: ExchangeRate?
    }

    static let uninvoiced = "NOT EXISTS (SELECT 1 FROM faturalar f WHERE f.siparis_id = s.id)"

    /// Orders of `filter` after id `after` that have no invoice yet, oldest first, at most `limit`.
    public func ordersAwaitingInvoice(_ filter: ExportFilter, after: Int64 = 0, limit: Int) throws(StoreError) -> [StoredOrders.Row] {
        try StoredOrders(db: db).pending(filter, Self.uninvoiced, [], after: after, limit: limit)
    }

    /// How many orders of `filter` (any currency) have no invoice yet, per currency.
    public func countAwaitingInvoice(_ filter: ExportFilter) throws(StoreError) -> [String: Int] {
        try StoredOrders(db: db).pendingCount(filter, Self.uninvoiced, [])
    }

    /// What numbering needs to know of one order.
    public struct Request: Sendable {
        public var orderID: Int64
        public var uuid: String
        public var profile: String
        /// What an e-Arşiv internet sale's invoice still lacks (listed in `status`), if anything.
        public var missing: String?
        /// The rate of an invoice in another currency, kept so every later writing takes the same.
        public var exchangeRate: ExchangeRate?
        public init(orderID: Int64, uuid: String, profile: String, missing: String? = nil, exchangeRate: ExchangeRate? = nil) {
            self.orderID = orderID
            self.uuid = uuid
            self.profile = profile
            self.missing = missing
            self.exchangeRate = exchangeRate
        }
    }

    /// Takes the next numbers of (`seller`, `series`, `year`) for `requests`, in order, and records
    /// each invoice as numbered — all in one transaction, so a crash leaves all or none of them.
    /// A series used before its counter existed (an older database) continues after its highest number.
    public func number(_ requests: [Request], sellerID: Int64, series: String, year: Int, issuedAt: String,
                       now: String) throws -> [Entry] {
        guard !requests.isEmpty else { return [] }
        return try db.transaction(.seller(sellerID)) {
            let counter = try db.prepare("""
                INSERT INTO fatura_sayaclari (kullanici_id, seri, yil, son_numara)
                VALUES (?1, ?2, ?3, ?4 + coalesce((SELECT max(CAST(substr(fatura_no, 8) AS INTEGER)) FROM faturalar
                                                   WHERE fatura_no LIKE ?2 || CAST(?3 AS BIGINT) || '%'), 0))
                ON CONFLICT (kullanici_id, seri, yil) DO UPDATE SET son_numara = fatura_sayaclari.son_numara + ?4
                RETURNING son_numara
                """).bind([sellerID, series, year, requests.count]).rows { $0.int(0) }[0]
            let insert = try db.prepare("""
                INSERT INTO faturalar (siparis_id, kullanici_id, fatura_no, ettn, profil, tip, duzenleme_zamani, durum,
                    eksik_bilgi, created_at, updated_at, doviz_kodu, doviz_kuru, kur_turu, kur_tarihi, kur_bulten_no)
                VALUES (?1, ?2, ?3, ?4, ?5, 'SATIS', ?6, 'numaralandi', ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13)
                """)
            let release = try db.prepare("DELETE FROM fatura_bekletmeleri WHERE siparis_id = ?")
            var entries: [Entry] = []
            for (i, r) in requests.enumerated() {
                try release.bind([r.orderID]).run()
                let sequence = String(counter - Int64(requests.count) + 1 + Int64(i))
                let number = series + String(year) + String(repeating: "0", count: 9 - sequence.count) + sequence
                let rate = r.exchangeRate
                try insert.bind([r.orderID, sellerID, number, r.uuid, r.profile, issuedAt, r.missing, now, rate?.currency,
                                 rate?.value.description, rate?.kind.rawValue, rate?.published.description, rate?.bulletin]).run()
                entries.append(Entry(orderID: r.orderID, number: number, uuid: r.uuid, profile: r.profile,
                                     issuedAt: issuedAt, path: nil, exchangeRate: rate))
            }
            return entries
        }
    }

    /// Written invoices that lack what an e-Arşiv internet sale should carry: number, order, what is missing.
    public func incomplete(limit: Int = -1) throws(StoreError) -> [(number: String, orderNumber: String, missing: String)] {
        try db.prepare("""
            SELECT f.fatura_no, s.siparis_numarasi, f.eksik_bilgi FROM faturalar f JOIN siparisler s ON s.id = f.siparis_id
            WHERE f.eksik_bilgi IS NOT NULL ORDER BY f.id LIMIT ?
            """).bind([limit]).rows { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "") }
    }

    /// Orders shipped (`statuses`) before `cutoff` and still without an invoice, oldest first:
    /// seller, order number, status and when it shipped (the dispatch date, else when the carrier
    /// or the platform said so, else when PraIngest learned it).
    public func late(statuses: [String], shippedBefore cutoff: String, limit: Int = -1) throws(StoreError)
        -> [(seller: String, orderNumber: String, status: String, shippedAt: String)] {
        guard !statuses.isEmpty else { return [] }
        let list = statuses.map { _ in "?" }.joined(separator: ", ")
        return try db.prepare("""
            SELECT k.kod, s.siparis_numarasi, s.durum, t.zaman FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id
            JOIN (SELECT s2.id AS id, coalesce(s2.kargo_tarihi,
                         (SELECT coalesce(min(h.platform_zamani), min(h.created_at)) FROM siparis_durum_gecmisi h
                          WHERE h.siparis_id = s2.id AND h.satir_anahtari IS NULL AND h.yeni_durum IN (\(list)))) AS zaman
                  FROM siparisler s2 WHERE s2.durum IN (\(list))) t ON t.id = s.id
            WHERE \(Self.uninvoiced) AND t.zaman < ? ORDER BY t.zaman LIMIT ?
            """).bind(statuses.map { $0 } + statuses.map { $0 } + [cutoff, limit]).rows { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "", $0.text(3) ?? "") }
    }

    /// Holds an order back from invoicing, with the reason (kept up to date; released when it is numbered).
    public func hold(orderID: Int64, sellerID: Int64, reason: String, now: String) throws(StoreError) {
        try db.prepare("""
            INSERT INTO fatura_bekletmeleri (siparis_id, kullanici_id, neden, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (siparis_id) DO UPDATE SET neden = excluded.neden, updated_at = excluded.updated_at
            """).bind([orderID, sellerID, reason, now, now]).run()
    }

    /// Orders held back from invoicing (every seller): seller, order number, reason, since when.
    public func holds(limit: Int = -1) throws(StoreError) -> [(seller: String, orderNumber: String, reason: String, since: String)] {
        try db.prepare("""
            SELECT k.kod, s.siparis_numarasi, b.neden, b.created_at FROM fatura_bekletmeleri b
            JOIN siparisler s ON s.id = b.siparis_id JOIN kullanicilar k ON k.id = b.kullanici_id
            WHERE NOT EXISTS (SELECT 1 FROM faturalar f WHERE f.siparis_id = b.siparis_id) ORDER BY b.siparis_id LIMIT ?
            """).bind([limit]).rows { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "", $0.text(3) ?? "") }
    }

    /// Invoices numbered after `after` whose file was not written (a crash in between), in number
    /// order, at most `limit`.
    public func numberedButUnwritten(seller: String, after: String = "", limit: Int = .max) throws(StoreError) -> [Entry] {
        try entries(where: "f.durum = 'numaralandi' AND k.kod = ? AND f.fatura_no > ? ORDER BY f.fatura_no LIMIT ?",
                    [seller, after, limit])
    }

    /// The invoice of an order, if it has one.
    public func invoice(orderID: Int64) throws(StoreError) -> Entry? {
        try entries(where: "f.siparis_id = ?", [orderID]).first
    }

    /// The e-invoice an ERP record of the order carries: the one PraIngest wrote, else the one
    /// its provider sent back attached to it (an İADE invoice is no sales invoice).
    public func erpInvoice(orderID: Int64) throws(StoreError) -> Entry? {
        if let own = try entries(where: "f.siparis_id = ? AND f.durum = 'yazildi'", [orderID]).first { return own }
        return try db.prepare("""
            SELECT siparis_id, fatura_no, ettn, coalesce(profil, ''), fatura_tarihi, dosya_yolu, para_birimi, doviz_kuru, kur_tarihi
            FROM gelen_faturalar WHERE siparis_id = ? AND durum = 'eslesti' AND tip IS DISTINCT FROM 'IADE' ORDER BY id LIMIT 1
            """).bind([orderID]).rows { st in
            // The provider's invoice names its rate, not which of TCMB's: forex buying, the legal default, stands for it.
            Entry(orderID: st.int(0), number: st.text(1) ?? "", uuid: st.text(2) ?? "", profile: st.text(3) ?? "",
                  issuedAt: st.text(4) ?? "", path: st.text(5),
                  exchangeRate: Self.rate(currency: st.text(6), value: st.text(7), kind: RateKind.forex_buying.rawValue,
                                          day: st.text(8), bulletin: nil))
        }.first
    }

    private func entries(where condition: String, _ args: [(any SQLValue)?]) throws(StoreError) -> [Entry] {
        try db.prepare("""
            SELECT f.siparis_id, f.fatura_no, f.ettn, f.profil, f.duzenleme_zamani, f.dosya_yolu,
                   f.doviz_kodu, f.doviz_kuru, f.kur_turu, f.kur_tarihi, f.kur_bulten_no
            FROM faturalar f JOIN kullanicilar k ON k.id = f.kullanici_id WHERE \(condition)
            """).bind(args).rows { st in
            Entry(orderID: st.int(0), number: st.text(1) ?? "", uuid: st.text(2) ?? "", profile: st.text(3) ?? "",
                  issuedAt: st.text(4) ?? "", path: st.text(5),
                  exchangeRate: Self.rate(currency: st.text(6), value: st.text(7), kind: st.text(8), day: st.text(9),
                                          bulletin: st.text(10)))
        }
    }

    /// A rate as stored with an invoice (all its parts, or none).
    static func rate(currency: String?, value: String?, kind: String?, day: String?, bulletin: String?) -> ExchangeRate? {
        guard let currency, let value = value.flatMap({ RateValue(published: $0) }), let kind = kind.flatMap(RateKind.init(rawValue:)),
              let day = day.flatMap(CalendarDay.init(iso:)) else { return nil }
        return ExchangeRate(currency: currency, kind: kind, value: value, published: day, bulletin: bulletin)
    }

    /// Marks invoices written (entry, path) and records each in `siparis_dosyalari` (once per order), in one transaction.
    public func markWritten(_ written: [(entry: Entry, path: String)], now: String) throws {
        try db.transaction {
            let update = try db.prepare("UPDATE faturalar SET durum = 'yazildi', dosya_yolu = ?, updated_at = ? WHERE fatura_no = ?")
            let delete = try db.prepare("DELETE FROM siparis_dosyalari WHERE siparis_id = ? AND dosya_turu = 'fatura'")
            let insert = try db.prepare("INSERT INTO siparis_dosyalari (siparis_id, dosya_turu, dosya_url, created_at) VALUES (?, 'fatura', ?, ?)")
            for (entry, path) in written {
                try update.bind([path, now, entry.number]).run()
                try delete.bind([entry.orderID]).run()
                try insert.bind([entry.orderID, path, now]).run()
            }
        }
    }
}

