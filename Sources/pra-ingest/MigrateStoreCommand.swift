import ArgumentParser
import Foundation
import OrderStore
import PraIngest

struct MigrateStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Copy the home's whole store into a new, empty one (SQLite to PostgreSQL, or back).",
        discussion: """
            Stop the workers first. Every table is copied with its ids, in one transaction on the target, and the row
            counts are checked before it commits: the target has all of it or nothing. The source is left as it was.
            Afterwards set store: in pra.yaml (or PRA_STORE) to the target and start the workers again.
            """
    )

    @OptionGroup var options: HomeOptions

    @Option(help: "The new store: postgresql://user:password@host:port/database or sqlite:PATH. It must be empty.")
    var to: String

    func run() throws {
        let home = try options.openHome()
        let target = try StoreLocation(parsing: to, home: home.root.path)
        let source = try OrderStore(location: home.store)
        let queue = try JobQueue(store: source).depth()
        if let working = queue[.processing], working > 0 {
            throw ValidationError("\(working) files are being worked on in \(home.store): stop the workers (pra-ingest run) first")
        }
        let destination = try OrderStore(location: target)
        let started = Date()
        let counts = try StoreCopy.copy(from: source, to: destination) { table, rows in
            print("\(table): \(rows) rows")
        }
        let rows = counts.reduce(0) { $0 + $1.rows }
        print("copied \(rows) rows of \(counts.count) tables from \(home.store) to \(target) in "
              + String(format: "%.1f s", Date().timeIntervalSince(started)))
        print("next: set store: \(target) in pra.yaml (or PRA_STORE), then start the workers")
    }
}
