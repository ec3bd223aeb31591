import Foundation
import ArgumentParser
import CMimalloc

@main
struct PraIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pra-ingest",
        abstract: "File-drop ETL for Turkish e-commerce orders: platform exports in, order schema rows out.",
        version: version,
        subcommands: [RunCommand.self, IngestCommand.self, ExportCommand.self, StatusCommand.self, CheckCommand.self, SellersCommand.self,
                      ReplayCommand.self, ActionsCommand.self, HistoryCommand.self, KeysCommand.self]
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

    var resolvedHome: String {
        home ?? ProcessInfo.processInfo.environment["PRA_HOME"] ?? FileManager.default.currentDirectoryPath
    }
}
