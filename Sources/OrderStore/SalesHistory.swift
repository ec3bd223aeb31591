import OrderCore

/// A seller's sales per SKU and day, for forecasts: every platform together, cancelled and
/// returned lines (and lines of cancelled or returned orders) left out. The day is the order's
/// local date as its platform wrote it.
public struct SalesHistory {
    let db: Database

    public init(store: OrderStore) { db = store.db }

    /// One day of one SKU: units sold, and what those of them sold in lira sold for (kuruş, VAT
    /// included): a price is read only from orders in TRY, never from amounts of other currencies.
    public struct Day: Sendable, Equatable {
        public var day: CalendarDay
        public var units: Int64
        public var liraUnits: Int64
        public var liraRevenue: Int64
    }

    /// Calls `body` once per SKU (in SKU order) with its days before `before`, in order. The rows
    /// are read as they come, one SKU held at a time.
    /// `sku`: that SKU only.
    public func eachSKU(sellerID: Int64, before: CalendarDay, sku only: String? = nil,
                        _ body: (String, [Day]) throws -> Void) throws {
        let st = try db.prepare("""
            SELECT u.sku, substr(s.siparis_tarihi, 1, 10) AS gun, sum(l.adet),
                   sum(CASE WHEN s.para_birimi = 'TRY' THEN l.adet ELSE 0 END),
                   sum(CASE WHEN s.para_birimi = 'TRY' THEN l.toplam_fiyat ELSE 0 END)
            FROM siparis_urunleri l JOIN siparisler s ON s.id = l.siparis_id JOIN urunler u ON u.id = l.urun_id
            WHERE s.kullanici_id = ?1 AND s.siparis_tarihi IS NOT NULL AND s.siparis_tarihi < ?2
              AND l.durum NOT IN ('iptal', 'iade') AND s.durum NOT IN ('iptal', 'iade') \(only == nil ? "" : "AND u.sku = ?3")
            GROUP BY u.sku, gun ORDER BY u.sku, gun
            """)
        if let only { st.bind(sellerID, before.description, only) } else { st.bind(sellerID, before.description) }
        var current: String?
        var days: [Day] = []
        while try st.step() {
            guard let sku = st.text(0), let text = st.text(1), let day = CalendarDay(iso: text) else { continue }
            if sku != current {
                if let current, !days.isEmpty { try body(current, days) }
                current = sku
                days.removeAll(keepingCapacity: true)
            }
            days.append(Day(day: day, units: st.int(2), liraUnits: st.int(3), liraRevenue: st.int(4)))
        }
        if let current, !days.isEmpty { try body(current, days) }
    }

    /// The sellers (`kullanicilar` of role `satici`), by code.
    public func sellers() throws(StoreError) -> [(id: Int64, code: String)] {
        try db.prepare("SELECT id, kod FROM kullanicilar WHERE rol = 'satici' ORDER BY kod").rows { ($0.int(0), $0.text(1) ?? "") }
    }

    /// The SKUs that sold the most units in the four weeks up to the last day with a sale (of one
    /// seller, or of all), most first, with that day.
    public func topSKUs(sellerID: Int64?, limit: Int) throws(StoreError) -> [(sellerID: Int64, seller: String, sku: String, lastDay: CalendarDay)] {
        let mine = sellerID == nil ? "" : "AND s.kullanici_id = ?2"
        let last = try db.prepare("""
            SELECT max(substr(s.siparis_tarihi, 1, 10)) FROM siparisler s WHERE s.siparis_tarihi IS NOT NULL
              AND s.durum NOT IN ('iptal', 'iade') \(sellerID == nil ? "" : "AND s.kullanici_id = ?1")
            """)
        if let sellerID { last.bind(sellerID) } else { last.bind() }
        guard let text = try last.rows({ $0.text(0) }).first ?? nil, let lastDay = CalendarDay(iso: text) else { return [] }
        let st = try db.prepare("""
            SELECT s.kullanici_id, k.kod, u.sku FROM siparis_urunleri l JOIN siparisler s ON s.id = l.siparis_id
              JOIN urunler u ON u.id = l.urun_id JOIN kullanicilar k ON k.id = s.kullanici_id
            WHERE s.siparis_tarihi >= ?1 AND l.durum NOT IN ('iptal', 'iade') AND s.durum NOT IN ('iptal', 'iade') \(mine)
            GROUP BY s.kullanici_id, k.kod, u.sku ORDER BY sum(l.adet) DESC, k.kod, u.sku LIMIT \(max(0, limit))
            """)
        let from = lastDay.adding(days: -27).description
        if let sellerID { st.bind(from, sellerID) } else { st.bind(from) }
        return try st.rows { ($0.int(0), $0.text(1) ?? "", $0.text(2) ?? "", lastDay) }
    }
}
