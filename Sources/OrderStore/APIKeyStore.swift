/// The HTTP server's API keys (`api_anahtarlari`), their users (`kullanicilar`) and roles
/// (`roller`, `kullanici_rolleri`). A seller's key belongs to the seller's own user row; an
/// operator's or admin's key gets a user row of its own, whose code (`~operator-…`) no seller
/// folder can take. Only the key's hash is stored; the caller hashes.
public struct APIKeyStore {
    let db: Database

    public init(store: OrderStore) { db = store.db }

    /// A key's role: `seller` (one seller's files and jobs), `operator` (everything read-only, plus
    /// replay and actions), `admin` (everything).
    public enum Role: String, Sendable, CaseIterable {
        case seller, `operator`, admin

        /// The role's name in `roller`.
        var stored: String { self == .seller ? "satici" : rawValue }
    }

    /// A key as listed and as a request is authorised by.
    public struct Key: Sendable, Equatable {
        public var id: Int64
        public var role: Role
        /// The seller code of a seller's key.
        public var seller: String?
        public var name: String?
        public var createdAt: String
        public var revokedAt: String?
    }

    /// Stores a new key (its hash) for `role` (and `seller`, for a seller's key); returns its id.
    public func create(hash: String, role: Role, seller: String?, name: String?, now: String) throws(StoreError) -> Int64 {
        try db.storeTransaction { () throws(StoreError) -> Int64 in
            let userID: Int64
            if let seller {
                userID = try OrderStore.sellerRow(db, code: seller, now: now)
            } else {
                let code = "~\(role.rawValue)-\(hash.prefix(12))"
                userID = try db.prepare("INSERT INTO kullanicilar (ad, kod, rol, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
                    .bind([name ?? role.rawValue, code, role.rawValue, now, now]).rows { $0.int(0) }[0]
            }
            let roleID = try db.prepare("SELECT id FROM roller WHERE ad = ?").bind([role.stored]).rows { $0.int(0) }[0]
            try db.prepare("INSERT INTO kullanici_rolleri (kullanici_id, rol_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .bind([userID, roleID]).run()
            return try db.prepare("""
                INSERT INTO api_anahtarlari (kullanici_id, rol_id, ad, anahtar_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id
                """).bind([userID, roleID, name, hash, now]).rows { $0.int(0) }[0]
        }
    }

    /// Every key, revoked ones too, oldest first.
    public func list() throws(StoreError) -> [Key] {
        try db.prepare(Self.select + " ORDER BY a.id").rows(Self.key)
    }

    /// The live key whose hash is `hash`, if any.
    public func key(hash: String) throws(StoreError) -> Key? {
        try db.prepare(Self.select + " WHERE a.anahtar_hash = ? AND a.iptal_tarihi IS NULL").bind([hash]).rows(Self.key).first
    }

    /// Revokes key `id`; false when there is no such live key.
    public func revoke(id: Int64, now: String) throws(StoreError) -> Bool {
        try db.prepare("UPDATE api_anahtarlari SET iptal_tarihi = ? WHERE id = ? AND iptal_tarihi IS NULL").bind([now, id]).run()
        return db.changes > 0
    }

    /// Whether a seller with this code is known (has a user row).
    public func sellerExists(_ code: String) throws(StoreError) -> Bool {
        !(try db.prepare("SELECT 1 FROM kullanicilar WHERE kod = ? AND rol = 'satici'").bind([code]).rows { _ in 1 }).isEmpty
    }

    /// One audit row in `sistem_log` (`tablo` `http` for a request, `api_anahtarlari` for a key
    /// created or revoked): who (key, role, seller), what (route, file), the outcome and the remote
    /// address, as JSON in `mesaj`. Never the key, never a body.
    public func audit(table: String = "http", keyID: Int64?, userSeller: String?, action: String, details: String,
                      now: String) throws(StoreError) {
        let userID = try userSeller.flatMap { code throws(StoreError) in
            try db.prepare("SELECT id FROM kullanicilar WHERE kod = ?").bind([code]).rows { $0.int(0) }.first
        }
        try db.prepare("""
            INSERT INTO sistem_log (kullanici_id, tablo, tablo_id, islem, mesaj, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """).bind([userID, table, keyID, action, details, now]).run()
    }

    private static let select = """
        SELECT a.id, r.ad, k.kod, a.ad, a.created_at, a.iptal_tarihi FROM api_anahtarlari a
        JOIN roller r ON r.id = a.rol_id JOIN kullanicilar k ON k.id = a.kullanici_id
        """

    private static func key(_ st: Statement) -> Key {
        let role: Role = st.text(1) == "satici" ? .seller : Role(rawValue: st.text(1) ?? "") ?? .seller
        return Key(id: st.int(0), role: role, seller: role == .seller ? st.text(2) : nil, name: st.text(3),
                   createdAt: st.text(4) ?? "", revokedAt: st.text(5))
    }
}
