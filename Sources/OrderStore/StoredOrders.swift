import Foundation
import OrderCore

/// Which stored orders an export run takes.
public struct ExportFilter: Sendable {
    public var seller: String
    /// Order statuses (`siparisler.durum`) never exported.
    public var excludedStatuses: [String]
    /// ISO date-time: only orders first seen from then on.
    public var since: String?
    /// Only orders in this currency; nil for any.
    public var currency: String?
    /// Only orders in these statuses (`siparisler.durum`); empty for any not excluded.
    public var statuses: [String] = []

    public init(seller: String, excludedStatuses: [String] = [], since: String? = nil, currency: String? = nil) {
        self.seller = seller
        self.excludedStatuses = excludedStatuses
        self.since = since
        self.currency = currency
    }

    /// The condition over `s` (siparisler) and `k` (kullanicilar), with its arguments.
    var sql: (String, [(any SQLValue)?]) {
        var condition = "k.kod = ?"
        var args: [(any SQLValue)?] = [seller]
        if !excludedStatuses.isEmpty {
            condition += " AND s.durum NOT IN (\(excludedStatuses.map { _ in "?" }.joined(separator: ", ")))"
            args += excludedStatuses.map { $0 }
        }
        if !statuses.isEmpty {
            condition += " AND s.durum IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))"
            args += statuses.map { $0 }
        }
        if let since { condition += " AND s.created_at >= ?"; args.append(since) }
        if let currency { condition += " AND s.para_birimi = ?"; args.append(currency) }
        return (condition, args)
    }
}

/// Reads orders back out of the database as ``NormalizedOrder``s, for the exporters.
public struct StoredOrders {
    let db: Database

    public init(store: OrderStore) { db = store.db }
    init(db: Database) { self.db = db }

    /// A stored order with its identity and source.
    public struct Row {
        public var id: Int64
        public var sellerCode: String
        public var platform: String
        public var createdAt: String
        public var order: NormalizedOrder
        /// Where the platform's sales happen and who collects for it (its mapping's `sale:`).
        public var channel: InvoiceBuilder.SaleChannel
    }

    /// The order columns read back: identity and source, the core fields (``CoreColumns``), then
    /// the declared value columns.
    static let orderValueColumns = TargetField.valueFields(.order)
    static let columns = """
        s.id, k.kod, p.ad, s.created_at, s.kaynak_satir, p.satis_adresi, p.odeme_aracisi,
        \((CoreColumns.orderNames + orderValueColumns.map(\.rawValue)).map { "s." + $0 }.joined(separator: ", "))
        FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id
        JOIN entegrasyonlar e ON e.id = s.entegrasyon_id JOIN platformlar p ON p.id = e.platform_id
        """
    /// Where the core columns start in ``columns``, and the value columns.
    static let orderCoreStart: Int32 = 7
    static let orderValuesStart = orderCoreStart + Int32(CoreColumns.order.count)
    static let lineValueColumns = TargetField.valueFields(.line)
    static let lineColumns = """
        SELECT u.sku, \((CoreColumns.lineNames + lineValueColumns.map(\.rawValue)).map { "l." + $0 }.joined(separator: ", "))
        FROM siparis_urunleri l JOIN urunler u ON u.id = l.urun_id WHERE l.siparis_id = ? ORDER BY l.id
        """
    static let lineValuesStart = 1 + Int32(CoreColumns.line.count)

    /// Orders matching `condition` (SQL over `s`, `k`, `p`), in id order, with their lines; at most `limit`.
    func load(where condition: String, _ arguments: [(any SQLValue)?], limit: Int? = nil) throws(StoreError) -> [Row] {
        let stmt = try db.prepare("SELECT \(Self.columns) WHERE \(condition) ORDER BY s.id" + (limit.map { " LIMIT \($0)" } ?? ""))
        stmt.bind(arguments)
        var rows = try stmt.rows { st -> Row in
            var o = NormalizedOrder(orderNumber: "", position: SourcePosition(record: 0, line: Int(st.int(4))))
            CoreColumns.read(st, from: Self.orderCoreStart, into: &o)
            for (i, field) in Self.orderValueColumns.enumerated() {
                o.values[field] = st.fieldValue(Self.orderValuesStart + Int32(i), as: field)
            }
            return Row(id: st.int(0), sellerCode: st.text(1) ?? "", platform: st.text(2) ?? "", createdAt: st.text(3) ?? "", order: o,
                       channel: InvoiceBuilder.SaleChannel(site: st.text(5), paymentIntermediary: st.text(6)))
        }
        let lines = try db.prepare(Self.lineColumns)
        for i in rows.indices {
            rows[i].order.lines = try lines.bind([rows[i].id]).rows { st in
                var l = CoreColumns.readLine(st, from: 1, sku: st.text(0) ?? "")
                for (j, field) in Self.lineValueColumns.enumerated() {
                    l.values[field] = st.fieldValue(Self.lineValuesStart + Int32(j), as: field)
                }
                return l
            }
        }
        return rows
    }

    /// Orders of `filter` after id `after` that `pending` (SQL over `s` with its arguments) still
    /// holds, oldest first, at most `limit`.
    func pending(_ filter: ExportFilter, _ pending: String, _ arguments: [(any SQLValue)?], after: Int64,
                 limit: Int) throws(StoreError) -> [Row] {
        let (condition, args) = filter.sql
        return try load(where: condition + " AND s.id > ? AND " + pending, args + [after] + arguments, limit: limit)
    }

    /// How many orders of `filter` (currency ignored) `pending` still holds, per currency.
    func pendingCount(_ filter: ExportFilter, _ pending: String, _ arguments: [(any SQLValue)?]) throws(StoreError) -> [String: Int] {
        var anyCurrency = filter
        anyCurrency.currency = nil
        let (condition, args) = anyCurrency.sql
        let counts = try db.prepare("""
            SELECT s.para_birimi, count(*) FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id
            WHERE \(condition) AND \(pending) GROUP BY 1
            """).bind(args + arguments).rows { ($0.text(0) ?? "", Int($0.int(1))) }
        return Dictionary(uniqueKeysWithValues: counts)
    }

    /// Orders by id, in id order.
    public func orders(ids: [Int64]) throws(StoreError) -> [Row] {
        guard !ids.isEmpty else { return [] }
        return try load(where: "s.id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))", ids.map { $0 })
    }

    /// One order by seller code and order number (any platform of the seller).
    public func order(seller: String, number: String) throws(StoreError) -> [Row] {
        try load(where: "k.kod = ? AND s.siparis_numarasi = ?", [seller, number])
    }
}
