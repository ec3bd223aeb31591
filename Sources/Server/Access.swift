import Foundation
import OrderStore
import PraIngest
import OrderCore
import Synchronization

/// Who may do what over HTTP: API keys (`Authorization: Bearer KEY`) and their roles, and each
/// key's rate. A key is 32 random bytes in hexadecimal behind `pra_`; only its SHA-256 is stored.
enum Access {
    /// A new key's text (shown once).
    static func newKey() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return "pra_" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// What the store keeps of a key.
    static func hash(_ key: String) -> String { SHA256Digest.hex(of: Array(key.utf8)) }

    /// The key a request carries, if any.
    static func bearer(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return nil }
        let key = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return key.isEmpty || key.utf8.count > 200 ? nil : key
    }
}

extension APIKeyStore.Key {
    /// Whether this key may touch `seller`'s files and jobs.
    func mayAct(for seller: String) -> Bool { role == .admin || (role == .seller && self.seller == seller) }
    /// Whether this key may read `seller`'s jobs and status.
    func mayRead(_ seller: String) -> Bool { role != .seller || self.seller == seller }
}

/// A token bucket per key (an API key's id, or a remote address): `perSecond` tokens a second, at
/// most `burst` saved up.
final class RateLimiter<Key: Hashable & Sendable>: Sendable {
    private let perSecond: Double
    private let burst: Double
    private let buckets = Mutex<[Key: (tokens: Double, at: Double)]>([:])

    init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }

    /// Takes a token for `key` at time `now` (seconds); when there is none, the seconds to wait.
    func take(_ key: Key, now: Double) -> Double? {
        buckets.withLock { b in
            var (tokens, at) = b[key] ?? (burst, now)
            tokens = min(burst, tokens + (now - at) * perSecond)
            at = now
            guard tokens >= 1 else {
                b[key] = (tokens, at)
                return (1 - tokens) / perSecond
            }
            b[key] = (tokens - 1, at)
            return nil
        }
    }
}

/// Keys as the CLI manages them (`pra-ingest keys`): each creation and revocation is audited.
public enum KeyAdmin {
    /// Creates a key; returns its id and its text, which is shown once and never stored.
    public static func create(home: Home, role: APIKeyStore.Role, seller: String?, name: String?) throws -> (id: Int64, key: String) {
        let store = try OrderStore(location: home.store)
        let key = Access.newKey()
        let now = Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970), utcOffsetSeconds: 0).description
        let keys = APIKeyStore(store: store)
        let id = try keys.create(hash: Access.hash(key), role: role, seller: seller, name: name, now: now)
        try keys.audit(table: "api_anahtarlari", keyID: id, userSeller: seller, action: "keys create",
                       details: "{\"key_id\": \(id), \"role\": \"\(role.rawValue)\", \"outcome\": \"created\"}", now: now)
        return (id, key)
    }

    public static func list(home: Home) throws -> [APIKeyStore.Key] {
        try APIKeyStore(store: OrderStore(location: home.store)).list()
    }

    /// Revokes key `id`; false when there is no such live key.
    public static func revoke(home: Home, id: Int64) throws -> Bool {
        let keys = APIKeyStore(store: try OrderStore(location: home.store))
        let now = Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970), utcOffsetSeconds: 0).description
        let done = try keys.revoke(id: id, now: now)
        try keys.audit(table: "api_anahtarlari", keyID: id, userSeller: nil, action: "keys revoke",
                       details: "{\"key_id\": \(id), \"outcome\": \"\(done ? "revoked" : "no such live key")\"}", now: now)
        return done
    }
}
