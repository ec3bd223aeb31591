import Foundation
import ArgumentParser
import PraIngest
import CMimalloc

@main
struct PraIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pra-ingest",
        abstract: "File-drop ETL for Turkish e-commerce orders: platform exports in, order schema rows out.",
        version: version,
        subcommands: [RunCommand.self, IngestCommand.self, ExportCommand.self, StatusCommand.self, CheckCommand.self, SellersCommand.self,
                      ReplayCommand.self, ActionsCommand.self, HistoryCommand.self, KeysCommand.self, MigrateStoreCommand.self,
                      ForecastCommand.self, FeedCommand.self]
    )
}

extension PraIngestCommand {
    static var version: String {
        "pra-ingest, memory allocator: mimalloc \(mi_version() / 100).\(mi_version() / 10 % 10).\(mi_version() % 10)"
    }
}

/// Options every command shares.
struct HomeOptions: ParsableArguments {
    @Option(name: .long, help: "The home folder (inbox/, outbox/, mappings/, pra.sqlite). Default: $PRA_HOME or the current folder.")
    var home: String?

    @Option(name: .long, help: ArgumentHelp(
        "Where orders are stored: sqlite:PATH or postgresql://user:password@host:port/database.",
        discussion: "Default: $PRA_STORE, else store: in pra.yaml, else pra.sqlite in the home folder."))
    var store: String?

    var resolvedHome: String {
        home ?? ProcessInfo.processInfo.environment["PRA_HOME"] ?? FileManager.default.currentDirectoryPath
    }

    /// The home folder with its store (`--store`, `PRA_STORE`, `store:` in pra.yaml, or pra.sqlite).
    func openHome() throws -> Home {
        try Home(path: resolvedHome).resolvingStore(flag: store, environment: ProcessInfo.processInfo.environment)
    }
}
