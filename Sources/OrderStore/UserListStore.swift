/// GİB's e-Fatura user list as loaded (`gib_listeleri`, `gib_kullanicilari`): a new list is
/// written whole beside the active one and switched to in the same transaction, so a lookup
/// always sees one complete list.
public struct UserListStore {
    let db: Database

    public init(store: OrderStore) { db = store.db }

    /// The list in force: file name, user count, when loaded.
    public func active() throws(StoreError) -> (file: String, users: Int, loadedAt: String)? {
        try db.prepare("SELECT dosya_adi, kullanici_sayisi, created_at FROM gib_listeleri WHERE durum = 'aktif'")
            .rows { ($0.text(0) ?? "", Int($0.int(1)), $0.text(2) ?? "") }.first
    }

    /// Writes a list inside the caller's transaction: `add` its users, then `finish` switches to it.
    public final class Loader {
        let db: Database
        public let listID: Int64
        private let insert: Statement
        private var users = 0

        init(db: Database, file: String, sha256: String, now: String) throws(StoreError) {
            self.db = db
            listID = try db.prepare("""
                INSERT INTO gib_listeleri (dosya_adi, sha256, durum, created_at) VALUES (?, ?, 'yukleniyor', ?) RETURNING id
                """).bind([file, sha256, now]).rows { $0.int(0) }[0]
            insert = try db.prepare("INSERT INTO gib_kullanicilari (liste_id, kimlik, unvan, tur, baslangic, bitis) VALUES (?, ?, ?, ?, ?, ?)")
        }

        /// One user with its Invoice registration periods (epoch seconds; `end` nil while open).
        public func add(identifier: String, title: String, isPublicBody: Bool, periods: [(start: Int64, end: Int64?)]) throws(StoreError) {
            users += 1
            for p in periods {
                try insert.bind(listID, identifier, title, isPublicBody ? "KAMU" : "OZEL", p.start, p.end).run()
            }
        }

        /// Identifiers listed more than once with different types (KAMU and OZEL): at most `limit`.
        public func conflictingTypes(limit: Int) throws(StoreError) -> [String] {
            try db.prepare("""
                SELECT kimlik FROM gib_kullanicilari WHERE liste_id = ? GROUP BY kimlik HAVING count(DISTINCT tur) > 1 LIMIT ?
                """).bind([listID, limit]).rows { $0.text(0) ?? "" }
        }

        /// Users added so far.
        public var count: Int { users }

        /// Makes this list the one in force and drops the one before.
        public func finish() throws(StoreError) -> Int {
            try db.prepare("DELETE FROM gib_listeleri WHERE durum IN ('aktif', 'eski') OR (durum = 'yukleniyor' AND id != ?)")
                .bind([listID]).run()
            try db.prepare("UPDATE gib_listeleri SET durum = 'aktif', kullanici_sayisi = ? WHERE id = ?").bind([users, listID]).run()
            return users
        }
    }

    /// Starts loading a list (inside the caller's transaction).
    public func loader(file: String, sha256: String, now: String) throws(StoreError) -> Loader {
        try Loader(db: db, file: file, sha256: sha256, now: now)
    }

    /// What the list in force says of `identifier` at `epochSeconds`: `nil` when no list is loaded;
    /// registered (and whether a public body) when one of its Invoice periods covers that moment.
    public func registration(of identifier: String, at epochSeconds: Int64) throws(StoreError) -> (registered: Bool, publicBody: Bool)? {
        let listID = try db.prepareCached("SELECT id FROM gib_listeleri WHERE durum = 'aktif'").rows { $0.int(0) }.first
        guard let listID else { return nil }
        let hit = try db.prepareCached("""
            SELECT tur FROM gib_kullanicilari WHERE liste_id = ? AND kimlik = ? AND baslangic <= ? AND (bitis IS NULL OR bitis > ?) LIMIT 1
            """).bind([listID, identifier, epochSeconds, epochSeconds]).rows { $0.text(0) ?? "" }.first
        return (hit != nil, hit == "KAMU")
    }
}
