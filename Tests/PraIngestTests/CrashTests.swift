import Foundation
import OrderCore
import OrderStore
@testable import PraIngest
import Testing

/// The real `pra-ingest run` process, killed with SIGKILL at random moments while it ingests and
/// invoices several files, then restarted: nothing lost, nothing twice.
@Suite(.serialized) struct CrashTests {
    static let binary = Fixture.root.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/pra-ingest").path

    static func daemon(_ home: TestHome, environment: [String: String] = [:], logLevel: String = "error") throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        p.arguments = ["run", "--home", home.root.path, "--settle", "0", "--rescan", "0.2", "--log-level", logLevel,
                       "--listen", "127.0.0.1:0", // an ephemeral port: daemons of parallel tests never collide
                       "--store", home.home.store.address]
        p.standardOutput = FileHandle.nullDevice
        let log = home.root.appendingPathComponent("daemon.log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let h = try FileHandle(forWritingTo: log)
        try h.seekToEnd()
        p.standardError = h
        try p.run()
        return p
    }

    /// Waits for the process to end, at most `timeout` seconds (then kills it and says so).
    static func waitForExit(_ p: Process, timeout: Double) -> Bool {
        let ended = waitUntil(timeout: timeout) { !p.isRunning }
        if !ended { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return ended
    }

    /// Hepsiburada exports: `files` files of `orders` orders, 1–3 lines each, unique order numbers.
    static func exports(files: Int, orders: Int) -> [(String, Data)] {
        (0..<files).map { f in
            var text = WatcherTests.hbHeader
            for o in 0..<orders {
                let number = 500_000 + f * orders + o
                for l in 0...(o % 3) {
                    text += "\(number);K\(l);23-11-2026 10:00:00;SKU-\(l);\(l + 1);\(l + 1)0,50;\(l == 1 ? 10 : 20);Yeni\n"
                }
            }
            return ("export-\(f).csv", Data(text.utf8))
        }
    }

    /// - Parameter exclusive: every file counts as large (`limits.exclusive_ingest_bytes: 1`): it
    ///   is written with a rollback journal, and kills land in the middle of that journal's life.
    @Test(arguments: [false, true])
    func killedAtRandomMomentsItResumesWithoutLossOrDuplicates(exclusive: Bool) throws {
        let files = Self.exports(files: 7, orders: 300)
        // The reference: the same files through a clean, uninterrupted ingest.
        let clean = try TestHome()
        for (name, data) in files { _ = try clean.ingest(named: name, bytes: Array(data)) }
        let expectedOrders = try clean.scalar("SELECT count(*) FROM siparisler")
        let expectedLines = try clean.scalar("SELECT count(*) FROM siparis_urunleri")
        #expect(expectedOrders == 2_100)

        // This process opens the database only once the daemon is done: an open connection would
        // keep the daemon on the WAL (with `exclusive`) or race its first migration.
        let home = try TestHome(openDatabase: false)
        try Data((ExportHome.config + (exclusive ? "limits:\n  exclusive_ingest_bytes: 1\n" : "")).utf8)
            .write(to: home.home.configFile) // invoices and ERP files too
        for (name, data) in files.dropLast() { try home.drop("inbox/\(name)", data) }
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<12 {
            let p = try Self.daemon(home, logLevel: "info")
            usleep(UInt32.random(in: 50_000...700_000, using: &generator))
            if p.isRunning { kill(p.processIdentifier, SIGKILL); kills += 1 }
            _ = Self.waitForExit(p, timeout: 10)
        }
        let last = try Self.daemon(home, logLevel: "info")
        let archived = { home.files(under: "archive").filter { $0.hasSuffix(".csv") }.count }
        let resumed = waitUntil(timeout: 60) { home.files(under: "inbox").isEmpty && archived() == files.count - 1 }
        // One more file, dropped into the settled daemon: ingested whole, with its log line.
        try home.drop("inbox/\(files.last!.0)", files.last!.1)
        let finished = waitUntil(timeout: 60) { home.files(under: "inbox").isEmpty && archived() == files.count }
        kill(last.processIdentifier, SIGTERM)
        #expect(Self.waitForExit(last, timeout: 10), "the daemon did not stop on SIGTERM")
        let log = (try? String(contentsOf: home.root.appendingPathComponent("daemon.log"), encoding: .utf8)) ?? ""
        #expect(resumed && finished, "not finished: \(log)")
        #expect(last.terminationStatus == 0)
        #expect(kills > 0)
        let lastLine = log.split(separator: "\n").last { $0.contains(files.last!.0) && $0.contains("orders=300") }
        // (PostgreSQL has no journal to switch: there every file is written the same way.)
        #expect(lastLine?.contains("database=to itself") == (exclusive && TestStores.onSQLite), "\(log)")
        #expect(!home.exists("pra.sqlite-journal"))

        #expect(try home.scalar("SELECT count(*) FROM siparisler") == expectedOrders)
        #expect(try home.scalar("SELECT count(*) FROM siparis_urunleri") == expectedLines)
        #expect(try home.scalar("SELECT count(*) FROM kaynak_dosyalar") == Int64(files.count))
        // Every input file is in archive/ exactly once (none failed), none left behind.
        #expect(home.files(under: "archive").map { ($0 as NSString).lastPathComponent }.sorted() == files.map(\.0).sorted())
        #expect(home.files(under: "failed").isEmpty)
        // Invoices: one per order, numbers 1…N without a gap, each file written, no temporary file left.
        #expect(try home.scalar("SELECT count(*) FROM faturalar WHERE durum = 'yazildi'") == expectedOrders)
        #expect(try home.scalar("SELECT max(CAST(substr(fatura_no, 8) AS INTEGER)) FROM faturalar") == expectedOrders)
        #expect(home.files(under: "outbox/ubl").count == Int(expectedOrders))
        #expect(!home.files(under: "outbox").contains { ($0 as NSString).lastPathComponent.hasPrefix(".") })
        // ERP: each order in exactly one generic CSV file.
        #expect(try home.scalar("SELECT count(*) FROM erp_aktarimlari WHERE format = 'generic_csv'") == expectedOrders)
        // (A line whose total does not divide by its quantity is two rows, so rows are counted by order.)
        var ordersInCSV: [String] = []
        for f in home.files(under: "outbox/erp/generic_csv") {
            let text = try String(contentsOf: home.root.appendingPathComponent("outbox/erp/generic_csv/\(f)"), encoding: .utf8)
            ordersInCSV += Set(text.split(separator: "\r\n").dropFirst().map { $0.split(separator: ";")[2] }).map(String.init)
        }
        #expect(ordersInCSV.count == Int(expectedOrders))
        #expect(Set(ordersInCSV).count == Int(expectedOrders))
    }

    @Test func aFileThatCrashesTheProcessIsSetAsideAfterThreeCrashesWhileOtherFilesFlow() throws {
        let home = try TestHome()
        let good = try Data(contentsOf: URL(fileURLWithPath: Fixture.path("n11/DetailedOrderList.xml")))
        try home.drop("inbox/a-poison.xml", good)
        try home.drop("inbox/magaza-b/b-good.xml", good)
        // A supervisor restarting the daemon after each crash (systemd's Restart=on-failure).
        var crashes = 0
        for _ in 0..<6 {
            let p = try Self.daemon(home, environment: ["PRA_FAULT_CRASH_ON": "a-poison.xml"])
            let done = waitUntil(timeout: 20) { !p.isRunning || home.exists("failed/a-poison.xml") }
            if !p.isRunning && p.terminationReason == .uncaughtSignal { crashes += 1; continue }
            #expect(done)
            kill(p.processIdentifier, SIGTERM)
            #expect(Self.waitForExit(p, timeout: 10))
            break
        }
        #expect(crashes == 3)
        #expect(home.exists("failed/a-poison.xml"))
        let report = try String(contentsOf: home.root.appendingPathComponent("failed/a-poison.xml.error.txt"), encoding: .utf8)
        #expect(report.contains("this file crashed the process 3 times"))
        // The other seller's file was not held up behind it.
        #expect(try home.scalar("SELECT count(*) FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id WHERE k.kod = 'magaza-b'") == 2)
        #expect(try home.texts("SELECT son_hata FROM is_kuyrugu WHERE durum = 'failed'").first?.contains("crashed the process 3 times") == true)
    }

    /// The exports run on a thread of their own: a crash there, while a file is in hand, is not
    /// that file's doing. It resumes like a kill and never counts toward setting the file aside.
    @Test func aCrashOnTheExportsThreadIsNotBlamedOnTheFileInHand() throws {
        let home = try TestHome()
        let good = try Data(contentsOf: URL(fileURLWithPath: Fixture.path("n11/DetailedOrderList.xml")))
        try home.drop("inbox/a-first.xml", good)
        let p = try Self.daemon(home, environment: ["PRA_FAULT_CRASH_IN_EXPORT": "1"])
        // The first file's export waits on its thread for a file in hand; the second is that file.
        #expect(waitUntil(timeout: 20) { (try? home.jobs("done")) == 1 })
        try home.drop("inbox/magaza-b/b-second.xml", good)
        #expect(Self.waitForExit(p, timeout: 30))
        #expect(p.terminationReason == .uncaughtSignal) // the injected crash happened
        let crashes = (try? String(contentsOf: home.root.appendingPathComponent(".pra-crashes"), encoding: .utf8)) ?? ""
        #expect(crashes.isEmpty, "blamed on jobs: \(crashes)")
        // Restarted without the fault: both files land, and no job counts a crash.
        let again = try Self.daemon(home)
        #expect(waitUntil(timeout: 30) { (try? home.jobs("done")) == 2 })
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 4)
        kill(again.processIdentifier, SIGTERM)
        #expect(Self.waitForExit(again, timeout: 10))
        #expect(try home.scalar("SELECT count(*) FROM is_kuyrugu WHERE cokme_sayisi > 0") == 0)
    }

    /// Not left to a random moment: the daemon is killed while a large file's rollback journal is
    /// on disk (its transaction open), so the next start must roll that hot journal back.
    @Test(.enabled(if: TestStores.onSQLite, "SQLite's rollback journal"))
    func killedWhileALargeFileHoldsItsRollbackJournalItRollsBackAndResumesWhole() throws {
        let (name, data) = Self.exports(files: 1, orders: 50_000)[0] // past the 8 MiB page cache early: the journal is on disk most of the ingest
        let clean = try TestHome()
        _ = try clean.ingest(named: name, bytes: Array(data))
        let expectedOrders = try clean.scalar("SELECT count(*) FROM siparisler")
        let expectedLines = try clean.scalar("SELECT count(*) FROM siparis_urunleri")
        #expect(expectedOrders == 50_000)

        let home = try TestHome(openDatabase: false)
        try Data("default_seller: demo\nlimits:\n  exclusive_ingest_bytes: 1\n".utf8).write(to: home.home.configFile)
        try home.drop("inbox/\(name)", data)
        let journal = home.home.database.path + "-journal"
        let journalSize = { ((try? FileManager.default.attributesOfItem(atPath: journal))?[.size] as? Int64) ?? 0 }
        let archived = { home.files(under: "archive").contains { $0.hasSuffix("/" + name) } } // archive/<date>/…
        let first = try Self.daemon(home)
        let caught = waitUntil(timeout: 60) { journalSize() > 0 || archived() }
        kill(first.processIdentifier, SIGKILL)
        _ = Self.waitForExit(first, timeout: 10)
        #expect(caught && journalSize() > 0, "no rollback journal seen before the file landed")
        #expect(!archived())

        let second = try Self.daemon(home, logLevel: "info")
        let finished = waitUntil(timeout: 120) { archived() }
        kill(second.processIdentifier, SIGTERM)
        #expect(Self.waitForExit(second, timeout: 30), "the daemon did not stop on SIGTERM")
        #expect(finished)
        let log = (try? String(contentsOf: home.root.appendingPathComponent("daemon.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("database=to itself"), "\(log)")
        #expect(!FileManager.default.fileExists(atPath: journal))
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == expectedOrders)
        #expect(try home.scalar("SELECT count(*) FROM siparis_urunleri") == expectedLines)
        #expect(try home.scalar("SELECT count(*) FROM kaynak_dosyalar") == 1)
        #expect(try home.texts("PRAGMA journal_mode") == ["wal"]) // (this test runs on SQLite only)
    }

    /// Runs `pra-ingest ARGS` in `home` and returns its standard output.
    static func command(_ home: TestHome, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments + ["--home", home.root.path, "--store", home.home.store.address]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// SIGTERM while a file is being uploaded: ready turns 503 at once and new uploads are refused,
    /// the upload in flight finishes and is answered, the process exits 0, and the file lands at
    /// the next start: nothing lost, nothing twice.
    @Test func sigtermDuringAnUploadLetsItFinishAndLosesNothing() throws {
        let home = try TestHome()
        let key = try #require(try Self.command(home, ["keys", "create", "--role", "seller", "--seller", "magaza-a"])
            .split(separator: "\n").last.map(String.init))
        let daemon = try Self.daemon(home, logLevel: "info")
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        var port: Int?
        waitUntil(timeout: 20) {
            let log = (try? String(contentsOf: home.root.appendingPathComponent("daemon.log"), encoding: .utf8)) ?? ""
            port = log.firstMatch(of: /address=127\.0\.0\.1:(\d+) \S+ http listening/).flatMap { Int($0.1) }
            return port != nil
        }
        let http = try #require(port)
        let body = Array((WatcherTests.hbHeader + WatcherTests.hbRows(1..<400)).utf8)
        let upload = try HTTPConnection(port: http)
        #expect(upload.send(HTTPConnection.head("PUT", "/v1/inbox/magaza-a/orders.csv", key: key, headers: [:], length: body.count)
                                + body.prefix(body.count / 2)))
        usleep(300_000)
        kill(daemon.processIdentifier, SIGTERM)
        usleep(300_000)
        #expect(try HTTPConnection(port: http).request("GET", "/health/ready")?.status == 503)
        #expect(try HTTPConnection(port: http).request("PUT", "/v1/inbox/magaza-a/late.csv", key: key, body: body)?.status == 503)
        #expect(upload.send(Array(body.suffix(from: body.count / 2))))
        let reply = try #require(upload.reply())
        #expect(reply.status == 202, "\(reply.text)")
        #expect(Self.waitForExit(daemon, timeout: 15))
        #expect(daemon.terminationStatus == 0)
        #expect(home.exists("inbox/magaza-a/orders.csv") || home.files(under: "archive").contains { $0.hasSuffix("orders.csv") })
        // The next start lands it, once.
        let next = try Self.daemon(home)
        #expect(waitUntil(timeout: 20) { (try? home.scalar("SELECT count(*) FROM siparisler")) == 399 })
        kill(next.processIdentifier, SIGTERM)
        #expect(Self.waitForExit(next, timeout: 15))
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 399)
        #expect(try home.scalar("SELECT count(*) FROM kaynak_dosyalar") == 1)
        #expect(!home.exists("inbox/magaza-a/late.csv"))
    }

    @Test func sigtermFinishesTheFileInHandAndExitsZero() throws {
        let home = try TestHome()
        let p = try Self.daemon(home)
        usleep(300_000)
        kill(p.processIdentifier, SIGTERM)
        #expect(Self.waitForExit(p, timeout: 10), "the daemon did not stop on SIGTERM")
        #expect(p.terminationReason == .exit)
        #expect(p.terminationStatus == 0)
    }
}
