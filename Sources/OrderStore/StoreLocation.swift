import Foundation

/// Where the store lives: an SQLite file (the embedded default) or a PostgreSQL database that
/// several workers share. Written as `sqlite:PATH` (relative to the home folder) or
/// `postgresql://user:password@host:port/database` in `store:` of pra.yaml, `--store` or `PRA_STORE`.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    /// A libpq connection URI (`postgresql://…` or `postgres://…`, with `?sslmode=…` and the like).
    case postgres(url: String)

    /// Reads a store address; a relative SQLite path is taken from `home`.
    public init(parsing text: String, home: String) throws(StoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("postgresql://") || trimmed.hasPrefix("postgres://") {
            self = .postgres(url: trimmed)
        } else if trimmed.hasPrefix("sqlite:"), trimmed.count > "sqlite:".count {
            let path = String(trimmed.dropFirst("sqlite:".count))
            self = .sqlite(path: path.hasPrefix("/") ? path : (home.hasSuffix("/") ? home : home + "/") + path)
        } else {
            throw StoreError(code: -1, message: "store address \"\(Self.redacted(trimmed))\" is neither sqlite:PATH nor "
                             + "postgresql://user:password@host:port/database", sql: nil)
        }
    }

    /// Whether several machines' workers may share the store (PostgreSQL).
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The address as written, password included: for handing to another `pra-ingest` process.
    public var address: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url
        }
    }

    /// The address without its password, for logs, errors and the status page.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): Self.redacted(url)
        }
    }

    /// `postgresql://user:secret@host/db` → `postgresql://user:***@host/db`; `password=` parameters too.
    static func redacted(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
           let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        if let p = text.range(of: "password=") {
            let end = text[p.upperBound...].firstIndex(where: { $0 == "&" || $0 == " " }) ?? text.endIndex
            text.replaceSubrange(p.upperBound..<end, with: "***")
        }
        return text
    }
}
