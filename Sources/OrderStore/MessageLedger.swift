import OrderCore

/// The buyer notifications shipments call for (`mesaj_log`), and the outbox files that list them
/// for another system to send: recorded by ``ShipmentWriter`` in the ingest's transaction
/// (`durum` `bekliyor`), planned into a file (`dosya_url` fixed), then marked `yazildi` once the
/// file is durable, so a crash in between writes the same file again.
public struct MessageLedger: OutboxListLedger {
    let db: Database

    public init(store: OrderStore) { db = store.db }

    private func messages(where condition: String, _ args: [(any SQLValue)?]) throws(StoreError) -> [RecordedMessage] {
        try db.prepare("""
            SELECT m.id, k.kod, s.siparis_numarasi, m.kanal, m.alici, m.mesaj, m.created_at
            FROM mesaj_log m JOIN siparisler s ON s.id = m.siparis_id JOIN kullanicilar k ON k.id = s.kullanici_id
            WHERE \(condition) ORDER BY m.id
            """).bind(args).rows { st in
            RecordedMessage(id: st.int(0), seller: st.text(1) ?? "", orderNumber: st.text(2) ?? "",
                            message: CustomerMessage(channel: CustomerMessage.Channel(rawValue: st.text(3) ?? "") ?? .eposta,
                                                     recipient: st.text(4) ?? "", text: st.text(5) ?? ""),
                            createdAt: st.text(6) ?? "")
        }
    }

    public func unlisted(sellerID: Int64) throws(StoreError) -> [RecordedMessage] {
        try messages(where: "s.kullanici_id = ? AND m.dosya_url IS NULL AND m.durum = 'bekliyor'", [sellerID])
    }

    public func unwrittenFiles(sellerID: Int64) throws(StoreError) -> [(path: String, items: [RecordedMessage])] {
        let paths = try db.prepare("""
            SELECT m.dosya_url FROM mesaj_log m JOIN siparisler s ON s.id = m.siparis_id
            WHERE s.kullanici_id = ? AND m.dosya_url IS NOT NULL AND m.durum = 'bekliyor' GROUP BY m.dosya_url ORDER BY min(m.id)
            """).bind([sellerID]).rows { $0.text(0) ?? "" }
        var out: [(String, [RecordedMessage])] = []
        for path in paths { out.append((path, try messages(where: "m.dosya_url = ?", [path]))) }
        return out
    }

    public func pathTaken(_ path: String) throws(StoreError) -> Bool {
        try !db.prepare("SELECT 1 FROM mesaj_log WHERE dosya_url = ? LIMIT 1").bind([path]).rows { _ in 1 }.isEmpty
    }

    public func plan(_ items: [RecordedMessage], path: String) throws {
        try db.transaction {
            let update = try db.prepare("UPDATE mesaj_log SET dosya_url = ? WHERE id = ? AND dosya_url IS NULL")
            for m in items { try update.bind([path, m.id]).run() }
        }
    }

    public func markWritten(path: String) throws(StoreError) {
        try db.prepare("UPDATE mesaj_log SET durum = 'yazildi' WHERE dosya_url = ?").bind([path]).run()
    }

    /// Messages of the outbox not yet written to a file (every seller).
    public func pendingCount() throws(StoreError) -> Int {
        Int(try db.prepare("SELECT count(*) FROM mesaj_log WHERE durum = 'bekliyor'").rows { $0.int(0) }[0])
    }
}

/// Rows of one kind that go out as lists in outbox files (invoice actions, buyer messages):
/// new rows are planned into a file (its path fixed), then marked written once it is durable.
public protocol OutboxListLedger {
    associatedtype Item
    /// The seller's rows not yet in any file.
    func unlisted(sellerID: Int64) throws(StoreError) -> [Item]
    /// Files planned but not written (a crash in between), with their rows, oldest first.
    func unwrittenFiles(sellerID: Int64) throws(StoreError) -> [(path: String, items: [Item])]
    /// Whether a file of that name was already planned.
    func pathTaken(_ path: String) throws(StoreError) -> Bool
    /// Fixes the file the rows go into.
    func plan(_ items: [Item], path: String) throws
    func markWritten(path: String) throws(StoreError)
}
