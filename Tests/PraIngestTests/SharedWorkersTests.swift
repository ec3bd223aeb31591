import Foundation
import OrderCore
import OrderStore
@testable import PraIngest
import Testing

/// Three `pra-ingest run` processes sharing one inbox and one store (SQLite, or PostgreSQL in the
/// second pass), a worker killed with SIGKILL twice while it works on a file and started
/// again: every file is taken once, the rows equal a single clean ingest, each seller's invoice
/// numbers run without a gap or a twin, and every order is in one ERP file once.
@Suite(.serialized) struct SharedWorkersTests {
    static let sellers = ["s1", "s2", "s3"]

    static let config: String = {
        var text = "invoicing: { issue_at: landed }\nsellers:\n"
        for (i, seller) in sellers.enumerated() {
            text += """
              \(seller):
                name: Satıcı \(i + 1) A.Ş.
                tax_id: "\(["1234567816", "1234567824", "1234567832"][i])"
                tax_office: Kadıköy
                invoice_prefix: S\(i + 1)A
                web_site: https://www.satici\(i + 1).com.tr
                default_carrier: Yurtiçi Kargo
                address: { street: "Moda Cad. 1", district: Kadıköy, city: İstanbul, postal_code: "34710" }
                erp:
                  formats: [generic_csv]

            """
        }
        return text
    }()

    /// Orders in each file; each seller has three files (order numbers unique within a seller).
    static let ordersPerFile = 600
    static let files: [(seller: String, name: String, data: Data)] = sellers.flatMap { seller in
        CrashTests.exports(files: 3, orders: ordersPerFile).map { (seller, "\(seller)-\($0.0)", $0.1) }
    }
    static var ordersPerSeller: Int { 3 * ordersPerFile }

    @Test func threeWorkersOneKilledTwiceTakeEachFileOnceWithGaplessInvoices() throws {
        // The reference: the same files, one clean ingest.
        let clean = try TestHome()
        for file in Self.files { _ = try clean.ingest(named: file.name, bytes: Array(file.data), seller: file.seller) }
        let expectedOrders = try clean.scalar("SELECT count(*) FROM siparisler")
        let expectedLines = try clean.scalar("SELECT count(*) FROM siparis_urunleri")
        #expect(expectedOrders == Int64(3 * Self.ordersPerSeller))

        let home = try TestHome(openDatabase: false)
        try Data(Self.config.utf8).write(to: home.home.configFile)
        // Each worker has its own HTTP port, as on three machines.
        func worker() throws -> Process { try CrashTests.daemon(home, logLevel: "info") }
        var workers = [try worker(), try worker(), try worker()]
        defer { for w in workers where w.isRunning { kill(w.processIdentifier, SIGKILL) } }
        for file in Self.files { try home.drop("inbox/\(file.seller)/\(file.name)", file.data) }
        let archived = { home.files(under: "archive").filter { $0.hasSuffix(".csv") }.count }
        // Twice, a worker is killed in the middle of a file (while it holds the file's lease) and started again.
        #expect(waitUntil(timeout: 60) { archived() >= 1 }, "no file archived")
        var kills = 0
        // The most live workers seen holding files at one moment (a killed one's lease stays until taken over).
        var together = 0
        func noteHolders(_ holders: [String]) {
            together = max(together, workers.filter { w in holders.contains { $0.contains(":\(w.processIdentifier):") } }.count)
        }
        for _ in 0..<2 {
            var busy: Int?
            waitUntil(timeout: 30) {
                let holders = (try? home.texts("SELECT kilit_sahibi FROM is_kuyrugu WHERE durum = 'processing'")) ?? []
                noteHolders(holders)
                busy = workers.indices.first { i in holders.contains { $0.contains(":\(workers[i].processIdentifier):") } }
                return busy != nil
            }
            guard let i = busy else { break }
            kill(workers[i].processIdentifier, SIGKILL)
            _ = CrashTests.waitForExit(workers[i], timeout: 10)
            kills += 1
            workers[i] = try worker()
        }
        let finished = waitUntil(timeout: 120) {
            noteHolders((try? home.texts("SELECT kilit_sahibi FROM is_kuyrugu WHERE durum = 'processing'")) ?? [])
            return home.files(under: "inbox").filter { $0.hasSuffix(".csv") }.isEmpty && archived() == Self.files.count
        }
        // Settled: the last exports ran once nothing is left to claim.
        let exported = waitUntil(timeout: 60) {
            (try? home.scalar("SELECT count(*) FROM erp_aktarimlari WHERE format = 'generic_csv'")) == expectedOrders
        }
        for w in workers {
            kill(w.processIdentifier, SIGTERM)
            #expect(CrashTests.waitForExit(w, timeout: 15))
        }
        let log = (try? String(contentsOf: home.root.appendingPathComponent("daemon.log"), encoding: .utf8)) ?? ""
        #expect(finished && exported, "not finished: \(log.suffix(4000))")
        #expect(kills == 2)
        // The work was shared: workers held files at the same time, or more than one finished files.
        // (Which finish them depends on which the kills hit: the kills can take every file but one
        // worker's out of the others' hands.)
        let ingestingWorkers = Set(try home.texts("SELECT kilit_sahibi FROM is_kuyrugu WHERE durum = 'done'"))
        #expect(together > 1 || ingestingWorkers.count > 1, "\(together) \(ingestingWorkers)")

        #expect(try home.scalar("SELECT count(*) FROM siparisler") == expectedOrders)
        #expect(try home.scalar("SELECT count(*) FROM siparis_urunleri") == expectedLines)
        // Every file accounted for once: one job, one source file row, one archived copy, none failed.
        let jobs = try home.texts("SELECT id || ' ' || durum || ' ' || veri || ' ' || coalesce(son_hata, '') FROM is_kuyrugu ORDER BY id")
        #expect(jobs.count == Self.files.count, "\(jobs)")
        #expect(try home.scalar("SELECT count(*) FROM is_kuyrugu WHERE durum = 'done'") == Int64(Self.files.count))
        #expect(try home.scalar("SELECT count(*) FROM kaynak_dosyalar") == Int64(Self.files.count))
        #expect(home.files(under: "archive").map { ($0 as NSString).lastPathComponent }.sorted() == Self.files.map(\.name).sorted())
        #expect(home.files(under: "failed").isEmpty)
        // Invoices: one per order; per seller's series, numbers 1…N, no gap, no twin.
        for (i, seller) in Self.sellers.enumerated() {
            let orders = try home.scalar("""
                SELECT count(*) FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id WHERE k.kod = '\(seller)'
                """)
            #expect(orders == Int64(Self.ordersPerSeller))
            let numbers = try home.texts("""
                SELECT f.fatura_no FROM faturalar f JOIN kullanicilar k ON k.id = f.kullanici_id WHERE k.kod = '\(seller)'
                """).compactMap { Int($0.dropFirst(7)) }.sorted()
            #expect(numbers == Array(1...Self.ordersPerSeller), "seller \(seller): \(numbers.count) invoices")
            #expect(try home.scalar("""
                SELECT count(DISTINCT f.fatura_no) FROM faturalar f JOIN kullanicilar k ON k.id = f.kullanici_id
                WHERE k.kod = '\(seller)' AND f.fatura_no LIKE 'S\(i + 1)A%'
                """) == Int64(Self.ordersPerSeller))
        }
        #expect(try home.scalar("SELECT count(*) FROM faturalar WHERE durum = 'yazildi'") == expectedOrders)
        #expect(home.files(under: "outbox/ubl").count == Int(expectedOrders))
        #expect(!home.files(under: "outbox").contains { ($0 as NSString).lastPathComponent.hasPrefix(".") })
        // ERP: each order in exactly one generic CSV row group, once.
        var ordersInCSV: [String] = []
        for f in home.files(under: "outbox/erp/generic_csv") {
            let text = try String(contentsOf: home.root.appendingPathComponent("outbox/erp/generic_csv/\(f)"), encoding: .utf8)
            let seller = f.split(separator: "-").first.map(String.init) ?? ""
            ordersInCSV += Set(text.split(separator: "\r\n").dropFirst().map { $0.split(separator: ";")[2] }).map { "\(seller) \($0)" }
        }
        #expect(ordersInCSV.count == Int(expectedOrders))
        #expect(Set(ordersInCSV).count == Int(expectedOrders))
    }
}
