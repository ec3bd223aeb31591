import CSQLite
import Glibc
import OrderCore

/// Work one process at a time does, whichever worker it is (``OrderStore/exclusively(_:_:)``).
public enum ExclusiveWork: String, Sendable {
    /// Numbering invoices and writing the outbox's files.
    case export

    var postgresKey: Int64 {
        switch self {
        case .export: PostgresConnection.exportLock
        }
    }
}

/// The order database, on SQLite (the embedded default, foreign keys and WAL) or PostgreSQL (shared by
/// workers): applies migrations, and finds or creates sellers, platforms and integrations on first use.
public final class OrderStore {
    /// The connection: SQL stays inside this module, behind the store's typed API.
    let db: Database
    /// Where the store lives.
    public let location: StoreLocation

    /// Opens (creating if needed) and migrates the SQLite database at `path`.
    public convenience init(path: String) throws(StoreError) {
        try self.init(location: .sqlite(path: path))
    }

    /// Opens (creating an SQLite file if needed) and migrates the store at `location`.
    public init(location: StoreLocation) throws(StoreError) {
        self.location = location
        switch location {
        case .sqlite(let path):
            db = try Database(sqlitePath: path)
            // A 4 MB page cache. 8 MB was chosen to keep a large file's transaction from spilling
            // pages again and again; measured against it (100k-order first ingests, overlapping and
            // forced re-ingests, 10k files in WAL mode) 4 MB took the same time and the same syncs,
            // and held 4 MB less memory in every process (bench/README.md, issue 26's fifth pass).
            try db.execute("PRAGMA synchronous = FULL; PRAGMA cache_size = -4096;")
            do {
                try db.execute("PRAGMA journal_mode = WAL")
            } catch let e where e.code == SQLITE_BUSY {
                // A large file's ingest has the database to itself (``withDatabaseToItself(_:)``) and
                // restores the WAL when it lands; this connection reads meanwhile, waiting for its commit.
            }
            // Migrations rebuild tables, which SQLite allows only with foreign keys off; they are checked after.
            try migrate()
            try db.execute("PRAGMA foreign_keys = ON")
        case .postgres(let url):
            db = try Database(postgresURL: url)
            try migratePostgres()
        }
    }

    /// Runs `body` in one transaction (a savepoint inside another): all of its writes or none.
    /// `scope`: the writers it excludes meanwhile on PostgreSQL (every other, by default).
    public func transaction<T>(_ scope: LockScope = .everything, _ body: () throws -> T) throws -> T {
        try db.transaction(scope, body)
    }

    /// Runs `body` while no other process runs it under the same `name` (an export): on
    /// PostgreSQL, a session advisory lock; on SQLite, an exclusive `flock` on a file beside the
    /// database. Waits for the other to finish.
    public func exclusively<T>(_ name: ExclusiveWork, _ body: () throws -> T) throws -> T {
        try exclusively(name, wait: true, body)!
    }

    /// Runs `body` as ``exclusively(_:_:)`` does, unless another process runs it now: then `nil`, at once.
    public func exclusivelyIfFree<T>(_ name: ExclusiveWork, _ body: () throws -> T) throws -> T? {
        try exclusively(name, wait: false, body)
    }

    private func exclusively<T>(_ name: ExclusiveWork, wait: Bool, _ body: () throws -> T) throws -> T? {
        switch location {
        case .postgres:
            if wait {
                try db.execute("SELECT pg_advisory_lock(\(name.postgresKey))")
            } else if try db.prepare("SELECT pg_try_advisory_lock(\(name.postgresKey))").rows({ $0.int(0) })[0] == 0 {
                return nil
            }
            defer { try? db.execute("SELECT pg_advisory_unlock(\(name.postgresKey))") }
            return try body()
        case .sqlite(let path):
            let fd = open(path + "." + name.rawValue + "-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return try body() }
            defer { close(fd) }
            while flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
                if errno != EINTR { return nil } // EWOULDBLOCK: another process has it
            }
            defer { flock(fd, LOCK_UN) }
            return try body()
        }
    }

    /// Runs `body` in a transaction that is always rolled back: its writes are seen by its own
    /// reads and by nobody else, then undone (`ingest --dry-run`).
    public func rollingBack<T>(_ body: () throws -> T) throws -> T { try db.rollingBack(body) }

    /// The schema version after migration.
    public var schemaVersion: Int {
        let sql = db.dialect == .sqlite ? "PRAGMA user_version" : "SELECT max(surum) FROM sema_surumu"
        return (try? db.prepare(sql).rows { Int($0.int(0)) }.first) ?? 0
    }

    private func migrate() throws(StoreError) {
        let current = schemaVersion
        for (i, sql) in Migrations.all.enumerated() where i + 1 > current {
            try db.storeTransaction { () throws(StoreError) in
                // Another process opening the same new database may have run it meanwhile.
                guard schemaVersion == i else { return }
                try db.execute(sql)
                let broken = try db.prepare("PRAGMA foreign_key_check").rows { $0.text(0) ?? "" }
                if !broken.isEmpty {
                    throw StoreError(code: -1, message: "migration \(i + 1) breaks foreign keys in \(Set(broken).sorted())", sql: nil)
                }
                try db.execute("PRAGMA user_version = \(i + 1)")
            }
        }
        try addDeclaredColumns("SELECT name FROM pragma_table_info(?)")
        respellVATCheck()
    }

    /// The lines' VAT check of a store made before v5 spelled it as comparisons (``Migrations/v5``),
    /// respelled in place: the same rule, without the table SQLite built for the `IN` list on every
    /// run of the lines statement. SQLite's documented way to change a CHECK without rebuilding
    /// the table (`writable_schema`, then a new schema version). Where the library refuses it (a
    /// defensive build), the old spelling stays: slower, as correct.
    private func respellVATCheck() {
        let listed = "CHECK (kdv_orani IN (0, 1, 8, 10, 18, 20))"
        let compared = "CHECK (kdv_orani = 0 OR kdv_orani = 1 OR kdv_orani = 8 OR kdv_orani = 10 OR kdv_orani = 18 OR kdv_orani = 20)"
        let table = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'siparis_urunleri'"
        guard let sql = try? db.prepare(table).rows({ $0.text(0) }).first ?? nil, sql.contains(listed) else { return }
        try? db.storeTransaction { () throws(StoreError) in
            let version = try db.prepare("PRAGMA schema_version").rows { $0.int(0) }[0]
            try db.execute("PRAGMA writable_schema = ON")
            defer { try? db.execute("PRAGMA writable_schema = OFF") }
            try db.prepare("UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'siparis_urunleri'")
                .bind(listed, compared).run()
            try db.execute("PRAGMA schema_version = \(version + 1)")
        }
    }

    /// Creates the schema on an empty PostgreSQL database (``PostgresSchema``), its version kept
    /// in `sema_surumu`. Workers starting together take turns (the writers' lock): one creates it.
    private func migratePostgres() throws(StoreError) {
        // Without the lock first: an up-to-date store (the usual case) is not made to wait for a writer.
        let exists = try db.prepare("SELECT to_regclass('sema_surumu') IS NOT NULL").rows { $0.int(0) != 0 }[0]
        if exists, schemaVersion == Migrations.all.count, try missingColumns(Self.postgresColumnsQuery).isEmpty { return }
        try db.storeTransaction { () throws(StoreError) in
            try db.execute("CREATE TABLE IF NOT EXISTS sema_surumu (surum BIGINT NOT NULL)")
            let version = schemaVersion
            if version == 0 {
                for sql in try PostgresSchema.statements() { try db.execute(sql) }
                try db.prepare("INSERT INTO sema_surumu (surum) VALUES (?)").bind(Migrations.all.count).run()
            } else if version < Migrations.all.count {
                for sql in Migrations.all[version...] { try db.execute(PostgresSchema.tableSQL(sql)) }
                try db.prepare("UPDATE sema_surumu SET surum = ?").bind(Migrations.all.count).run()
            }
            try addDeclaredColumns(Self.postgresColumnsQuery)
        }
    }

    private static let postgresColumnsQuery = """
        SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?
        """

    private func missingColumns(_ columnsQuery: String) throws(StoreError) -> [String] {
        try Migrations.declaredColumns { table throws(StoreError) in
            Set(try db.prepare(columnsQuery).bind([table]).rows { $0.text(0) ?? "" })
        }
    }

    /// Adds the columns of fields declared since the schema was made (``Migrations/declaredColumns(existing:)``);
    /// `columnsQuery` lists a table's columns.
    private func addDeclaredColumns(_ columnsQuery: String) throws(StoreError) {
        guard try !missingColumns(columnsQuery).isEmpty else { return }
        try db.storeTransaction { () throws(StoreError) in
            // Listed again inside the transaction: another process may have added them meanwhile.
            let added = try missingColumns(columnsQuery)
            guard !added.isEmpty else { return }
            let statements = db.dialect == .sqlite ? added : added.map(PostgresSchema.tableSQL)
            try db.execute(statements.joined(separator: ";\n"))
        }
    }


    /// Runs `body` — one large transaction — with the database to itself: a rollback journal
    /// instead of the WAL while it runs. New pages then go straight into the database, once, where
    /// the WAL writes them twice (into the WAL, then the checkpoint copies them): the disk holds
    /// one copy of the growth, not two, and a 100k-order file lands about 10 % faster. The
    /// journal keeps the transaction atomic and crash-safe (an interrupted one rolls back at the
    /// next open). Other connections wait for its commit, so only large files take this path.
    /// When another connection has the database open, the switch is refused at once and `body`
    /// runs with the WAL as usual.
    /// - Returns: `body`'s result, and whether it ran with the database to itself.
    /// On PostgreSQL, `body` simply runs: the server has no journal to switch.
    public func withDatabaseToItself<T>(_ body: () throws -> T) throws -> (result: T, exclusive: Bool) {
        guard db.dialect == .sqlite else { return (try body(), false) }
        let exclusive = (try? journalMode("truncate", wait: false)) == "truncate"
        defer {
            // A reader that came in after the commit is waited for (busy timeout). If the switch
            // still fails, the next open of the database restores the WAL.
            if exclusive { _ = try? journalMode("wal", wait: true) }
        }
        return (try body(), exclusive)
    }

    /// Sets the journal mode; the mode in force after it. `wait: false` gives up at once when
    /// another connection holds the database.
    private func journalMode(_ mode: String, wait: Bool) throws(StoreError) -> String? {
        if !wait { try db.execute("PRAGMA busy_timeout = 0") }
        defer { if !wait { try? db.execute("PRAGMA busy_timeout = \(Database.busyTimeoutMilliseconds)") } }
        return try db.prepare("PRAGMA journal_mode = \(mode)").rows { $0.text(0) }.first ?? nil
    }

    /// The seller with this code (`kullanicilar.kod`), created on first use.
    public func seller(code: String, now: String) throws(StoreError) -> Int64 {
        try Self.sellerRow(db, code: code, now: now)
    }

    static func sellerRow(_ db: Database, code: String, now: String) throws(StoreError) -> Int64 {
        try db.prepare("""
            INSERT INTO kullanicilar (ad, kod, rol, created_at, updated_at) VALUES (?1, ?1, 'satici', ?2, ?2)
            ON CONFLICT (kod) DO NOTHING
            """).bind([code, now]).run()
        return try db.prepare("SELECT id FROM kullanicilar WHERE kod = ?").bind([code]).rows { $0.int(0) }[0]
    }

    /// The platform (and its type), created on first use; its sale web address and payment
    /// intermediary (from the mapping) kept up to date.
    public func platform(name: String, type: String, site: String? = nil, paymentIntermediary: String? = nil,
                         now: String) throws(StoreError) -> Int64 {
        try db.prepare("INSERT INTO platform_turleri (ad) VALUES (?) ON CONFLICT (ad) DO NOTHING").bind([type]).run()
        let typeID = try db.prepare("SELECT id FROM platform_turleri WHERE ad = ?").bind([type]).rows { $0.int(0) }[0]
        try db.prepare("""
            INSERT INTO platformlar (ad, tip_id, satis_adresi, odeme_aracisi, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
            ON CONFLICT (ad) DO UPDATE SET satis_adresi = excluded.satis_adresi, odeme_aracisi = excluded.odeme_aracisi
            """).bind([name, typeID, site, paymentIntermediary, now]).run()
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

    /// What an earlier run over the same content did for this seller (the latest run, or the
    /// run of `jobID` when given): which job, its counts, and whether it landed whole.
    public func ingestedFile(seller: Int64, sha256: String, jobID: Int64? = nil) throws(StoreError)
        -> (id: Int64, jobID: Int64?, orders: Int, lines: Int, rejected: Int, warnings: Int)? {
        try db.prepare("""
            SELECT id, is_kuyrugu_id, siparis_sayisi, satir_sayisi, reddedilen, uyari_sayisi FROM kaynak_dosyalar
            WHERE kullanici_id = ?1 AND sha256 = ?2 AND (?3 IS NULL OR is_kuyrugu_id = ?3) ORDER BY id DESC LIMIT 1
            """).bind([seller, sha256, jobID]).rows {
            ($0.int(0), $0.isNull(1) ? nil : $0.int(1), Int($0.int(2)), Int($0.int(3)), Int($0.int(4)), Int($0.int(5)))
        }.first
    }

    /// Whether the seller has a file of `size` bytes (only such a file can hold the same content),
    /// or one this queue job wrote: only then must a file's checksum be known before its ingest.
    public func mayHoldFile(seller: Int64, size: Int64, jobID: Int64?) throws(StoreError) -> Bool {
        try db.prepare("""
            SELECT EXISTS (SELECT 1 FROM kaynak_dosyalar WHERE kullanici_id = ?1 AND (boyut = ?2 OR is_kuyrugu_id = ?3))
            """).bind([seller, size, jobID]).rows { $0.int(0) != 0 }[0]
    }

    /// A `hata_log` row for a file that failed as a whole (`details`: JSON, without customer data).
    public func logFileFailure(_ message: String, details: String, now: String) throws(StoreError) {
        try db.prepare("""
            INSERT INTO hata_log (ilgili_tablo, ilgili_id, hata_mesaji, raw_response, created_at) VALUES ('kaynak_dosyalar', NULL, ?, ?, ?)
            """).bind([message, details, now]).run()
    }

    /// Problems per seller and mapping: rejected records, fields stored empty with a warning, and
    /// files that failed as a whole (from the watcher's queue).
    public func problemCounts() throws(StoreError) -> [(seller: String, mapping: String, rejected: Int, warnings: Int, failedFiles: Int)] {
        try db.prepare("""
            SELECT k.kod, d.eslesme, sum(d.reddedilen), sum(d.uyari_sayisi), 0 FROM kaynak_dosyalar d
            JOIN kullanicilar k ON k.id = d.kullanici_id
            GROUP BY 1, 2 HAVING sum(d.reddedilen) > 0 OR sum(d.uyari_sayisi) > 0
            UNION ALL
            SELECT \(db.dialect.jsonText("veri", "seller")), '', 0, 0, count(*) FROM is_kuyrugu WHERE durum = 'failed' GROUP BY 1
            ORDER BY 1, 2
            """).rows { ($0.text(0) ?? "", $0.text(1) ?? "", Int($0.int(2)), Int($0.int(3)), Int($0.int(4))) }
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
