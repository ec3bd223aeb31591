import ArgumentParser
import Foundation
import OrderCore
import PraIngest

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest files once, through the same code path the watcher uses.",
        discussion: "Prints one summary line per file, every rejected record and every warning. Exit status 0 only when every record landed whole."
    )

    @OptionGroup var options: HomeOptions

    @Option(help: "Seller code for these files. Default: the inbox/<seller>/ folder a file is in, else pra.yaml's default_seller.")
    var seller: String?

    @Flag(help: "Do not run the exports (invoices, ERP files) after each file.")
    var noExport = false

    @Flag(help: "Do everything an ingest does, then roll it back: the same summary, rejections, warnings and exit status, with nothing stored.")
    var dryRun = false

    @Flag(help: "The files are reference data for every seller (GİB's e-Fatura user list, TCMB's daily exchange rates), not a seller's files.")
    var reference = false

    @Flag(help: "Ingest a file even when its content was ingested before (after a mapping fix: what it stored then is superseded). With --reference: load a list even when it is empty or has less than half the users of the one in force.")
    var force = false

    @Argument(help: "Files to ingest.")
    var files: [String]

    func validate() throws {
        if reference && (dryRun || seller != nil) { throw ValidationError("--reference takes no --seller or --dry-run") }
    }

    func run() throws {
        let home = try options.openHome()
        try home.prepare()
        let config = try Configuration.load(home: home)
        let ingestor = try Ingestor.open(home: home)
        let exporter = Exporter(store: ingestor.store, config: config, outbox: home.outbox)
        for problem in ingestor.registry.problems { Terminal.error(problem.description) }
        var clean = ingestor.registry.problems.isEmpty
        if reference {
            for file in files {
                let report = ingestor.ingestReference(path: URL(fileURLWithPath: file).standardizedFileURL.path, force: force)
                print(report.summary)
                if report.status == .failed { clean = false }
            }
            if !noExport && clean { ExportCommand.report(try exporter.run()) }
            if !clean { throw ExitCode(1) }
            return
        }
        for file in files {
            let path = URL(fileURLWithPath: file).standardizedFileURL.path
            let owner = seller ?? Self.sellerFolder(of: path, home: home) ?? config.defaultSeller
            if let problem = SellerCode.problem(owner) {
                Terminal.error("\(file): seller \"\(SellerCode.printable(owner))\" refused: \(problem)")
                clean = false
                continue
            }
            let bar = ProgressBar(label: (path as NSString).lastPathComponent)
            ingestor.progress = bar.map { b in { b.update($0, of: $1) } }
            let report = ingestor.ingest(path: path, seller: owner, force: force, dryRun: dryRun)
            bar?.finish()
            print(report.summary)
            for e in report.rejected + report.warnings { Terminal.error("\(file): \(e)") }
            if report.status == IngestReport.Status.partial || report.status == IngestReport.Status.failed { clean = false }
            if !dryRun && !noExport && (report.ordersWritten > 0 || report.recordsWritten > 0) {
                ExportCommand.report(try exporter.run())
            }
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

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write pending UBL-TR invoices and ERP files to outbox/ (ingest runs this after each file)."
    )

    @OptionGroup var options: HomeOptions

    @Option(help: "Only this export.")
    var format: ExportSelection?

    @Option(help: "Only orders first seen on or after this date (YYYY-MM-DD).")
    var since: String?

    @Option(help: "Write the invoice of this order number again, from the order as stored now.")
    var reissue: String?

    @Option(help: "Seller of the --reissue order. Default: pra.yaml's default_seller.")
    var seller: String?

    func validate() throws {
        if let since, since.count != 10 || since.split(separator: "-").count != 3 { throw ValidationError("--since takes YYYY-MM-DD") }
    }

    func run() throws {
        let home = try options.openHome()
        try home.prepare()
        let config = try Configuration.load(home: home)
        let exporter = Exporter(store: try Ingestor.open(home: home).store, config: config, outbox: home.outbox)
        if let reissue {
            Swift.print(try exporter.reissue(seller: seller ?? config.defaultSeller, orderNumber: reissue))
            return
        }
        let result = try exporter.run(format?.selection ?? .all, since: since)
        Self.report(result)
        if !result.failures.isEmpty { throw ExitCode(1) }
    }

    static func report(_ report: Exporter.Report) {
        if !report.invoices.isEmpty { Swift.print("\(report.invoices.count) invoices written to outbox/ubl/") }
        for f in report.actionFiles { Swift.print("wrote \(f) (invoices that need action: cancelled or returned after issue)") }
        for f in report.messageFiles { Swift.print("wrote \(f) (notifications for buyers, for your e-mail or SMS system to send)") }
        for f in report.erpFiles { Swift.print("wrote \(f)") }
        for w in report.warnings { Terminal.error("warning: \(w)") }
        for f in report.failures { Terminal.error("error: \(f)") }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every mapping file and run the tests embedded in them; a mapping with a problem or a failing test is not used."
    )

    @OptionGroup var options: HomeOptions

    @Option(help: "A folder of real exports: every file in it must be claimed by one mapping, never by two.")
    var samples: String?

    func run() throws {
        let home = try options.openHome()
        let registry = MappingRegistry(directory: home.mappings)
        for problem in registry.problems { Terminal.error(problem.description) }
        for spec in registry.mappings { print("\(spec.file): ok (\(spec.tests.count) tests)") }
        let findings = registry.findings(samples: samples.map(Self.files(under:)) ?? [])
        for finding in findings { Terminal.error(finding.description) }
        let tests = registry.mappings.reduce(0) { $0 + $1.tests.count }
        let overlapping = findings.filter(\.isError).count
        print("\(registry.mappings.count + registry.problems.count) mappings, \(tests) tests passed, \(registry.problems.count) not usable"
              + (overlapping > 0 ? ", \(overlapping) match problems" : ""))
        if !registry.problems.isEmpty || overlapping > 0 { throw ExitCode(1) }
    }

    /// Every regular file under `folder`, sorted.
    static func files(under folder: String) -> [String] {
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        var out: [String] = []
        while let url = walker?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { out.append(url.path) }
        }
        return out.sorted()
    }
}

struct SellersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sellers",
        abstract: "List sellers, their platform integrations and order counts."
    )

    @OptionGroup var options: HomeOptions

    func run() throws {
        let home = try options.openHome()
        for row in try Ingestor.open(home: home).integrations() {
            print("\(row.seller)\t\(row.platform)\t\(row.orders) orders")
        }
    }
}

/// `--format`: one export; an unknown name is refused, and the help lists every name.
struct ExportSelection: ExpressibleByArgument {
    let selection: Exporter.Selection

    init?(argument: String) {
        guard let s = Exporter.Selection(argument) else { return nil }
        selection = s
    }

    static var allValueStrings: [String] { Exporter.Selection.names }
}
