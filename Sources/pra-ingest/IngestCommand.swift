import ArgumentParser
import Foundation
import PraIngest

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest files once, through the same code path the watcher uses.",
        discussion: "Prints one summary line per file and every rejected record. Exit status 0 only when nothing was rejected."
    )

    @OptionGroup var options: HomeOptions

    @Option(help: "Seller code for these files. Default: the inbox/<seller>/ folder a file is in, else pra.yaml's default_seller.")
    var seller: String?

    @Argument(help: "Files to ingest.")
    var files: [String]

    func run() throws {
        let home = Home(path: options.resolvedHome)
        try home.prepare()
        let config = try Configuration.load(home: home)
        let ingestor = try Ingestor.open(home: home)
        for problem in ingestor.registry.problems { Terminal.error(problem.description) }
        var clean = ingestor.registry.problems.isEmpty
        for file in files {
            let path = URL(fileURLWithPath: file).standardizedFileURL.path
            let owner = seller ?? Self.sellerFolder(of: path, home: home) ?? config.defaultSeller
            let bar = ProgressBar(label: (path as NSString).lastPathComponent)
            ingestor.progress = bar.map { b in { b.update($0, of: $1) } }
            let report = ingestor.ingest(path: path, seller: owner)
            bar?.finish()
            print(report.summary)
            for e in report.rejected { Terminal.error("\(file): \(e)") }
            if report.status == IngestReport.Status.partial || report.status == IngestReport.Status.failed { clean = false }
        }
        if !clean { throw ExitCode(1) }
    }

    /// `inbox/<seller>/file.csv` → `seller`.
    static func sellerFolder(of path: String, home: Home) -> String? {
        let inbox = home.inbox.path + "/"
        guard path.hasPrefix(inbox) else { return nil }
        let rest = path.dropFirst(inbox.count).split(separator: "/")
        return rest.count >= 2 ? String(rest[0]) : nil
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every mapping file and run the tests embedded in them."
    )

    @OptionGroup var options: HomeOptions

    func run() throws {
        let home = Home(path: options.resolvedHome)
        let registry = MappingRegistry(directory: home.mappings)
        var failed = registry.problems.count
        for problem in registry.problems { Terminal.error(problem.description) }
        var tests = 0
        for spec in registry.mappings {
            let failures = MappingTestRunner.run(spec)
            tests += spec.tests.count
            for f in failures { Terminal.error(f.description) }
            failed += failures.isEmpty ? 0 : 1
            print("\(spec.file): \(failures.isEmpty ? "ok" : "FAILED") (\(spec.tests.count) tests)")
        }
        print("\(registry.mappings.count + registry.problems.count) mappings, \(tests) tests, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}

struct SellersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sellers",
        abstract: "List sellers, their platform integrations and order counts."
    )

    @OptionGroup var options: HomeOptions

    func run() throws {
        let home = Home(path: options.resolvedHome)
        for row in try Ingestor.open(home: home).integrations() {
            print("\(row.seller)\t\(row.platform)\t\(row.orders) orders")
        }
    }
}
