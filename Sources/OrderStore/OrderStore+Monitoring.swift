extension OrderStore {

    /// What monitoring reads at each scrape: invoices written per seller and profile, orders held
    /// back from invoicing, and open invoice actions.
    public func monitoringCounts() throws(StoreError)
        -> (invoices: [(seller: String, profile: String, count: Int)], held: Int, openActions: Int) {
        let invoices = try db.prepare("""
            SELECT k.kod, f.profil, count(*) FROM faturalar f JOIN kullanicilar k ON k.id = f.kullanici_id
            GROUP BY k.kod, f.profil ORDER BY 1, 2
            """).rows { ($0.text(0) ?? "", $0.text(1) ?? "", Int($0.int(2))) }
        let held = try db.prepare("""
            SELECT count(*) FROM fatura_bekletmeleri b WHERE NOT EXISTS (SELECT 1 FROM faturalar f WHERE f.siparis_id = b.siparis_id)
            """).rows { Int($0.int(0)) }[0]
        return (invoices, held, try ActionLedger(store: self).openCount())
    }

    /// One seller's last files and orders per platform.
    public func sellerOverview(_ seller: String, recent: Int) throws(StoreError) -> (files: [JobQueue.Recent], orders: [String: Int]) {
        let files = try JobQueue(store: self).recent(limit: recent, seller: seller)
        var orders: [String: Int] = [:]
        for (s, platform, n) in try integrations() where s == seller { orders[platform, default: 0] += n }
        return (files, orders)
    }
}
