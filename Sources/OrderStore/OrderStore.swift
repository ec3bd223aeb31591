import OrderCore

/// The order database: opens SQLite with foreign keys and WAL, applies migrations, and
/// finds or creates sellers, platforms and integrations on first use.
public final class OrderStore {
    public let db: Database

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String) throws(StoreError) {
        db = try Database(path: path)
        // An 8 MB page cache keeps a large file's transaction from spilling the same pages to the
        // WAL over and over, while memory stays bounded.
        try db.execute("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -8192;")
        try migrate()
    }

    /// The schema version after migration.
    public var schemaVersion: Int {
        (try? db.prepare("PRAGMA user_version").rows { Int($0.int(0)) }.first) ?? 0
    }

    private func migrate() throws(StoreError) {
        let current = schemaVersion
        for (i, sql) in Migrations.all.enumerated() where i + 1 > current {
            do {
                try db.transaction {
                    try db.execute(sql)
                    try db.execute("PRAGMA user_version = \(i + 1)")
                }
            } catch let e as StoreError {
                throw e
            } catch {
                throw StoreError(code: -1, message: "\(error)", sql: nil)
            }
        }
    }

    /// The seller with this code (`kullanicilar.kod`), created on first use.
    public func seller(code: String, now: String) throws(StoreError) -> Int64 {
        try db.prepare("""
            INSERT INTO kullanicilar (ad, kod, rol, created_at, updated_at) VALUES (?1, ?1, 'satici', ?2, ?2)
            ON CONFLICT (kod) DO NOTHING
            """).bind([code, now]).run()
        return try db.prepare("SELECT id FROM kullanicilar WHERE kod = ?").bind([code]).rows { $0.int(0) }[0]
    }

    /// The platform (and its type), created on first use.
    public func platform(name: String, type: String, now: String) throws(StoreError) -> Int64 {
        try db.prepare("INSERT INTO platform_turleri (ad) VALUES (?) ON CONFLICT (ad) DO NOTHING").bind([type]).run()
        let typeID = try db.prepare("SELECT id FROM platform_turleri WHERE ad = ?").bind([type]).rows { $0.int(0) }[0]
        try db.prepare("""
            INSERT INTO platformlar (ad, tip_id, created_at, updated_at) VALUES (?, ?, ?3, ?3)
            ON CONFLICT (ad) DO NOTHING
            """).bind([name, typeID, now]).run()
        return try db.prepare("SELECT id FROM platformlar WHERE ad = ?").bind([name]).rows { $0.int(0) }[0]
    }

    /// The seller's integration with a platform, created on first use.
    public func integration(seller: Int64, platform: Int64, now: String) throws(StoreError) -> Int64 {
        try db.prepare("""
            INSERT INTO entegrasyonlar (kullanici_id, platform_id, created_at, updated_at) VALUES (?, ?, ?3, ?3)
            ON CONFLICT (kullanici_id, platform_id) DO NOTHING
            """).bind([seller, platform, now]).run()
        return try db.prepare("SELECT id FROM entegrasyonlar WHERE kullanici_id = ? AND platform_id = ?")
            .bind([seller, platform]).rows { $0.int(0) }[0]
    }

    /// An earlier ingest of the same content for this seller, if any: which job did it, and its counts.
    public func ingestedFile(seller: Int64, sha256: String) throws(StoreError)
        -> (id: Int64, jobID: Int64?, orders: Int, lines: Int, rejected: Int)? {
        try db.prepare("""
            SELECT id, is_kuyrugu_id, siparis_sayisi, satir_sayisi, reddedilen FROM kaynak_dosyalar WHERE kullanici_id = ? AND sha256 = ?
            """).bind([seller, sha256]).rows {
            ($0.int(0), $0.isNull(1) ? nil : $0.int(1), Int($0.int(2)), Int($0.int(3)), Int($0.int(4)))
        }.first
    }

    /// One row per integration: seller code, platform, order count.
    public func integrations() throws(StoreError) -> [(seller: String, platform: String, orders: Int)] {
        try db.prepare("""
            SELECT k.kod, p.ad, (SELECT count(*) FROM siparisler s WHERE s.entegrasyon_id = e.id)
            FROM entegrasyonlar e JOIN kullanicilar k ON k.id = e.kullanici_id JOIN platformlar p ON p.id = e.platform_id
            ORDER BY k.kod, p.ad
            """).rows { ($0.text(0) ?? "", $0.text(1) ?? "", Int($0.int(2))) }
    }
}
