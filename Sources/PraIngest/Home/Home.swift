import Foundation

/// The folder PraIngest works in: `inbox/`, `reference/`, `outbox/`, `mappings/`, `archive/`,
/// `failed/`, the database `pra.sqlite` and an optional `pra.yaml`.
public struct Home: Sendable {
    public let root: URL

    public init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var inbox: URL { root.appendingPathComponent("inbox", isDirectory: true) }
    public var outbox: URL { root.appendingPathComponent("outbox", isDirectory: true) }
    public var mappings: URL { root.appendingPathComponent("mappings", isDirectory: true) }
    public var archive: URL { root.appendingPathComponent("archive", isDirectory: true) }
    public var failed: URL { root.appendingPathComponent("failed", isDirectory: true) }
    /// Reference data every seller's invoices depend on (GİB's user list): the operator's, never a seller's.
    public var reference: URL { root.appendingPathComponent("reference", isDirectory: true) }
    public var database: URL { root.appendingPathComponent("pra.sqlite") }
    public var configFile: URL { root.appendingPathComponent("pra.yaml") }
    /// The last `pra.yaml` that loaded, kept by the watcher: it runs on with it when an edit breaks `pra.yaml`.
    public var lastGoodConfigFile: URL { root.appendingPathComponent("pra.yaml.last-good") }

    /// Creates the folders that do not exist yet.
    public func prepare() throws {
        for dir in [inbox, outbox, mappings, archive, failed, reference] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
    }
}
