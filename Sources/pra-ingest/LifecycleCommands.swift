import ArgumentParser
import Foundation
import Logging
import PraIngest

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Ingest files again after a fix: every file in failed/, or the files named (archived ones, or any file).",
        discussion: """
            Each file of the home goes through the same steps as a dropped file and ends in archive/ or failed/ with fresh
            reports. A file from failed/ belongs to the seller it was dropped for; an archived file is ingested even though
            its content landed before. A file outside the home is read where it is (for --seller, else default_seller).
            What an earlier ingest of the same content stored is superseded: its orders are rewritten, and those only it had
            are removed unless already invoiced, exported or shipped. Exit status 0 only when every file landed whole and the
            exports after it ran (what landed stays landed when they stop: fix the cause, then `pra-ingest export`).
            """
    )

    @OptionGroup var options: HomeOptions

    @Option(help: "Seller of the files. Default: the seller each file was dropped for, else pra.yaml's default_seller.")
    var seller: String?

    @Flag(help: "Do not run the exports after each file.")
    var noExport = false

    @Argument(help: "Files to replay. Default: every file in failed/.")
    var files: [String] = []

    func run() throws {
        var opts = Watcher.Options()
        opts.pollOnly = true
        opts.export = !noExport
        let watcher = try Watcher(home: try options.openHome(), options: opts, logger: Logger(label: "pra-ingest"))
        let paths = files.isEmpty ? watcher.failedFiles : files
        if paths.isEmpty { print("nothing to replay: failed/ is empty") }
        var clean = true
        for path in paths {
            guard let report = try watcher.replay(path, seller: seller) else {
                Terminal.error("\(path): the file is gone")
                clean = false
                continue
            }
            print(report.summary)
            for e in report.rejected + report.warnings { Terminal.error("\(path): \(e)") }
            for f in report.exportFailures { Terminal.error("\(path): the exports after it: \(f)") }
            clean = clean && (report.status == .ingested || report.status == .duplicate) && report.exportFailures.isEmpty
        }
        if !clean { throw ExitCode(1) }
    }
}

struct ActionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions",
        abstract: "List the open actions on issued invoices (cancelled or returned after invoicing), or mark one done.",
        discussion: "The same actions are written as CSV lists to outbox/actions/ by the exports."
    )

    @OptionGroup var options: HomeOptions

    @Option(help: "Mark the action with this id done (after the cancellation, gider pusulası or İADE invoice is handled).")
    var done: Int64?

    func run() throws {
        let home = try options.openHome()
        let store = try Ingestor.open(home: home).store
        if let done {
            guard try InvoiceActions.markDone(id: done, store: store) else {
                throw ValidationError("there is no open action #\(done)")
            }
            print("action #\(done) done")
            return
        }
        let open = try InvoiceActions.open(store: store)
        if open.isEmpty { print("no open actions") }
        for a in open {
            print("#\(a.id)\t\(a.action.kind.rawValue)\t\(a.seller)\t\(a.orderNumber)\t\(a.action.invoice.number)\t"
                  + "\(a.action.amount.turkishDescription)\t\(a.action.reason)")
        }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show an order's status history: every change, with the file that brought it."
    )

    @OptionGroup var options: HomeOptions

    @Option(help: "Seller of the order. Default: pra.yaml's default_seller.")
    var seller: String?

    @Argument(help: "The platform's order number.")
    var order: String

    func run() throws {
        let home = try options.openHome()
        let config = try Configuration.load(home: home)
        let entries = try InvoiceActions.history(seller: seller ?? config.defaultSeller, orderNumber: order,
                                                  store: try Ingestor.open(home: home).store)
        if entries.isEmpty { throw ValidationError("no order \(order) for seller \(seller ?? config.defaultSeller)") }
        for e in entries {
            let what = e.lineKey.map { "line \($0)" } ?? "order"
            print("\(e.at)\t\(e.platform)\t\(what)\t\(e.from ?? "–") → \(e.to)\t\(e.platformStatus ?? "")\t"
                  + "\(e.platformTime.map { "as of \($0)" } ?? "")\t\(e.file ?? "")")
        }
    }
}
