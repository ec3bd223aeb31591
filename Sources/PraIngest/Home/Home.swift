import Foundation
import OrderStore

/// The folder PraIngest works in: `inbox/`, `reference/`, `outbox/`, `mappings/`, `archive/`,
/// `failed/`, the database `pra.sqlite` and an optional `pra.yaml`.
public struct Home: Sendable {
    public let root: URL
    /// Where the orders are stored: ``database`` unless `--store`, `PRA_STORE` or `store:` in
    /// pra.yaml name another (``resolvingStore(flag:environment:)``).
    public var store: StoreLocation

    public init(path: String, store: StoreLocation? = nil) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        self.store = store ?? .sqlite(path: root.appendingPathComponent("pra.sqlite").path)
    }

    /// The home with its store as the operator named it: `--store` (`flag`), else `PRA_STORE`,
    /// else `store:` in pra.yaml (the last good copy when pra.yaml no longer loads), else `pra.sqlite`.
    public func resolvingStore(flag: String?, environment: [String: String]) throws -> Home {
        var home = self
        let named: String?
        if let flag {
            named = flag
        } else if let variable = environment["PRA_STORE"], !variable.isEmpty {
            named = variable
        } else {
            named = try Configuration.loadKeepingLastGood(home: self, keep: false).config.store
        }
        if let named { home.store = try StoreLocation(parsing: named, home: root.path) }
        return home
    }

    public var inbox: URL { root.appendingPathComponent("inbox", isDirectory: true) }
    public var outbox: URL { root.appendingPathComponent("outbox", isDirectory: true) }
    public var mappings: URL { root.appendingPathComponent("mappings", isDirectory: true) }
    public var archive: URL { root.appendingPathComponent("archive", isDirectory: true) }
    public var failed: URL { root.appendingPathComponent("failed", isDirectory: true) }
    /// Reference data every seller's invoices depend on (GİB's user list): the operator's, never a seller's.
    public var reference: URL { root.appendingPathComponent("reference", isDirectory: true) }
    /// The default store: an SQLite file in the home folder.
    public var database: URL { root.appendingPathComponent("pra.sqlite") }
    public var configFile: URL { root.appendingPathComponent("pra.yaml") }
    /// The last `pra.yaml` that loaded, kept by the watcher: it runs on with it when an edit breaks `pra.yaml`.
    public var lastGoodConfigFile: URL { root.appendingPathComponent("pra.yaml.last-good") }

    /// Creates the folders that do not exist yet.
    public func prepare() throws(HomeFolderError) {
        for dir in [inbox, outbox, mappings, archive, failed, reference] {
            if let code = Self.makeFolders(dir.path) { throw HomeFolderError(path: dir.path, code: code) }
        }
    }

    /// Creates the folder at `path` and any missing parent (as `mkdir -p`); the system's error
    /// code when one cannot be made, or ENOTDIR when a file is in the folder's place.
    static func makeFolders(_ path: String) -> Int32? {
        var info = stat()
        if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { return nil } // most calls: there already
        var made = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            made += "/" + part
            if mkdir(made, 0o755) != 0 && errno != EEXIST { return errno }
        }
        guard stat(path, &info) == 0 else { return errno }
        return info.st_mode & S_IFMT == S_IFDIR ? nil : ENOTDIR
    }
}

/// A folder of the home that could not be made: where, and the system's reason.
public struct HomeFolderError: Error, CustomStringConvertible {
    public let path: String
    public let code: Int32

    public var description: String { "cannot create the folder \(path): \(String(cString: strerror(code)))" }
}
