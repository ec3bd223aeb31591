import Exporters
import Foundation
import Glibc
import Logging
import OrderCore
@testable import PraIngest
import Testing

/// What one seller's file can do to another seller's data, or to another file's: the breaks of the
/// second hostile probe (docs/security.md, "Seller isolation"), each replayed against real code.
@Suite struct SellerIsolationTests {
    /// Seller `victim`'s file lands and is archived; then seller `attacker`'s large file is swapped,
    /// while it is read, for a link to the victim's archived export.
    @Test func aLinkRenamedOverAFileWhileItIsReadChangesNothingThatIsRead() throws {
        let home = try TestHome()
        let watcher = try Watcher(home: home.home, options: fastOptions(poll: true), logger: Logger(label: "test"))
        try home.drop("inbox/victim/orders.csv", Data((WatcherTests.hbHeader + WatcherTests.hbRows(1..<4)).utf8))
        #expect(try waitUntil(timeout: 5) { watcher.step(); return try home.jobs("pending") == 1 })
        let victimJob = try #require(try watcher.queue.claim(now: "2026-11-23T00:00:00+00:00", leaseUntil: "2099-01-01T00:00:00+00:00"))
        #expect(victimJob.seller == "victim")
        _ = try #require(watcher.process(victimJob))
        let archived = home.root.appendingPathComponent("archive/\(home.today)/orders.csv").path
        #expect(FileManager.default.fileExists(atPath: archived))

        try home.drop("inbox/attacker/orders.csv", Data((WatcherTests.hbHeader + WatcherTests.hbRows(5000..<7000)).utf8))
        let attackerFile = home.root.appendingPathComponent("inbox/attacker/orders.csv").path
        #expect(try waitUntil(timeout: 5) { watcher.step(); return try home.jobs("pending") == 1 })
        var swapped = false
        watcher.ingestor.progress = { _, _ in
            guard !swapped else { return }
            swapped = true
            let link = attackerFile + ".link"
            try? FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: archived)
            rename(link, attackerFile) // atomically, as an attacker would
        }
        let attackerJob = try #require(try watcher.queue.claim(now: "2026-11-23T00:00:00+00:00", leaseUntil: "2099-01-01T00:00:00+00:00"))
        let report = try #require(watcher.process(attackerJob))
        #expect(swapped)
        #expect(report.status == .ingested)
        #expect(report.ordersWritten == 2000)
        let attackerOrders = try home.texts("""
            SELECT s.siparis_numarasi FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id WHERE k.kod = 'attacker'
            """)
        #expect(attackerOrders.count == 2000)
        #expect(!attackerOrders.contains("1"))
        // The checksum stored is the attacker's own file's, and the victim's archived file stays where it was.
        let original = WatcherTests.hbHeader + WatcherTests.hbRows(5000..<7000)
        #expect(try home.texts("SELECT sha256 FROM kaynak_dosyalar WHERE dosya_adi = 'orders.csv'")
                    .contains(try sha256(Data(original.utf8), in: home)))
        #expect(FileManager.default.fileExists(atPath: archived))
        var s = stat()
        #expect(lstat(archived, &s) == 0 && s.st_mode & S_IFMT == S_IFREG)
    }

    @Test func aLinkRenamedOverAFileAfterItWasQueuedIsRefused() throws {
        let home = try TestHome()
        let watcher = try Watcher(home: home.home, options: fastOptions(poll: true), logger: Logger(label: "test"))
        try home.drop("archive/2026/11/20/victim.csv", Data((WatcherTests.hbHeader + WatcherTests.hbRows(1..<4)).utf8))
        try home.drop("inbox/attacker/orders.csv", Data((WatcherTests.hbHeader + WatcherTests.hbRows(10..<12)).utf8))
        #expect(try waitUntil(timeout: 5) { watcher.step(); return try home.jobs("pending") == 1 })
        let file = home.root.appendingPathComponent("inbox/attacker/orders.csv").path
        try FileManager.default.createSymbolicLink(atPath: file + ".link",
                                                   withDestinationPath: home.root.appendingPathComponent("archive/2026/11/20/victim.csv").path)
        #expect(rename(file + ".link", file) == 0)
        let job = try #require(try watcher.queue.claim(now: "2026-11-23T00:00:00+00:00", leaseUntil: "2099-01-01T00:00:00+00:00"))
        let report = try #require(watcher.process(job))
        #expect(report.status == .failed)
        #expect(report.error?.message.contains("symbolic link") == true)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
        var s = stat()
        #expect(lstat(home.root.appendingPathComponent("archive/2026/11/20/victim.csv").path, &s) == 0 && s.st_mode & S_IFMT == S_IFREG)
    }

    @Test func aFolderSwappedForALinkIsRefusedAndNothingBehindItMoves() throws {
        let home = try TestHome()
        let watcher = try Watcher(home: home.home, options: fastOptions(poll: true), logger: Logger(label: "test"))
        try home.drop("secret/orders.csv", Data((WatcherTests.hbHeader + WatcherTests.hbRows(1..<4)).utf8))
        try home.drop("inbox/attacker/sub/orders.csv", Data((WatcherTests.hbHeader + WatcherTests.hbRows(10..<12)).utf8))
        #expect(try waitUntil(timeout: 5) { watcher.step(); return try home.jobs("pending") == 1 })
        // After the scan: the folder becomes a link to a place the attacker must not reach.
        let sub = home.root.appendingPathComponent("inbox/attacker/sub").path
        try FileManager.default.removeItem(atPath: sub)
        try FileManager.default.createSymbolicLink(atPath: sub, withDestinationPath: home.root.appendingPathComponent("secret").path)
        let job = try #require(try watcher.queue.claim(now: "2026-11-23T00:00:00+00:00", leaseUntil: "2099-01-01T00:00:00+00:00"))
        let report = try #require(watcher.process(job))
        #expect(report.status == .failed)
        #expect(report.error?.message.contains("reached through a symbolic link") == true)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
        #expect(home.exists("secret/orders.csv"))
    }

    @Test func aLongNameIsDecidedWithItsReportsWhileAnotherSellersFileLands() throws {
        let home = try TestHome()
        let watcher = RunningWatcher(home: home.home, options: fastOptions())
        defer { watcher.stop() }
        let long = "aaaaaa" + String(repeating: "ş", count: 120) + ".csv" // 250 bytes
        #expect(long.utf8.count == 250)
        try home.drop("inbox/attacker/\(long)", Data("not;an;export\n1;2;3\n".utf8))
        let exact = String(repeating: "b", count: 251) + ".csv" // 255 bytes: the longest name there is
        let good = Data((WatcherTests.hbHeader + WatcherTests.hbRows(1..<3)).utf8)
        for _ in 0..<3 {
            let before = try home.jobs("done")
            try home.drop("inbox/attacker/\(exact)", good)
            #expect(try waitUntil(timeout: 10) { try home.jobs("done") == before + 1 })
        }
        try home.drop("inbox/other/orders.csv", Data((WatcherTests.hbHeader + WatcherTests.hbRows(50..<52)).utf8))
        #expect(try waitUntil(timeout: 10) { try home.jobs("done") == 4 && home.jobs("failed") == 1 })
        #expect(try home.jobs("pending") + home.jobs("processing") == 0)
        let failed = home.files(under: "failed")
        #expect(failed.count == 2) // the file and its .error.txt
        #expect(failed.allSatisfy { $0.utf8.count <= 255 && $0.hasPrefix("aaaaaa") }, "\(failed)")
        #expect(failed.contains { $0.hasSuffix(".csv.error.txt") })
        let duplicates = home.files(under: "archive/duplicates")
        #expect(duplicates.count == 2)
        #expect(duplicates.allSatisfy { $0.utf8.count <= 255 && $0.hasSuffix(".csv") })
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 4)
    }

    @Test func aNameCutToFitKeepsWholeCharactersAndItsExtension() {
        let name = String(repeating: "ğ", count: 200) + ".xlsx"
        let url = FileMover(home: Home(path: "/nonexistent")).freeDestination(for: name, in: URL(fileURLWithPath: "/nonexistent"))
        let fitted = url.lastPathComponent
        #expect(fitted.hasSuffix("ğ.xlsx"))
        #expect(fitted.utf8.count + FileMover.roomForSuffixes <= FileMover.nameMax)
        #expect(fitted.utf8.count > 200)
    }

    @Test func spreadsheetCellsAreNeutralisedByUnicodeScalarsNotCharacters() {
        var text = DelimitedText()
        text.row([.text("\r\n=4+4"), .text("=\u{301}1+1"), .text("plain")])
        let out = String(decoding: text.bytes(.utf8_bom).dropFirst(3), as: UTF8.self)
        // Both run as formulas in a spreadsheet unless guarded: a CR LF is one Character, and so is "=" with an accent.
        #expect(out == "\"'\r\n=4+4\";'=\u{301}1+1;plain\r\n")
    }

    @Test func aNegativeAmountRejectsItsRecordAndNoInvoiceCarriesIt() throws {
        let home = try ExportHome()
        let csv = WatcherTests.hbHeader + "1;K1;23-11-2026 10:00:00;SKU-1;1;-10,00;20;Yeni\n" + WatcherTests.hbRows(2..<3)
        let report = try home.base.ingest(named: "hb.csv", bytes: Array(csv.utf8))
        #expect(report.ordersInserted == 1)
        #expect(report.rejected.count == 1)
        #expect(report.rejected.first?.description.contains("'-10,00' is negative") == true)
        let invoices = try home.exporter.run().invoices
        #expect(invoices.count == 1)
        for path in invoices {
            let xml = try String(contentsOf: home.base.root.appendingPathComponent(path), encoding: .utf8)
            #expect(xml.contains("PayableAmount"))
            #expect(!xml.contains("Amount currencyID=\"TRY\">-"))
        }
    }

    @Test func aRefundWrittenNegativeAsWooCommerceDoesIsItsMagnitudeNotARejectedOrder() throws {
        let home = try TestHome(mappings: ["woocommerce.yaml"])
        let csv = try String(contentsOfFile: Fixture.path("platforms/woocommerce-orders.csv"), encoding: .utf8)
        let original = try #require(csv.split(separator: "\n").dropFirst().first.map(String.init))
        let refunded = original.replacingOccurrences(of: ",353.90,0.00,TRY,", with: ",353.90,-100.00,TRY,")
        #expect(refunded != original)
        let report = try home.ingest(named: "woo.csv", bytes: Array(csv.replacingOccurrences(of: original, with: refunded).utf8))
        #expect(report.ordersInserted == 2)
        #expect(report.rejected.isEmpty)
        #expect(try home.texts("SELECT iade_tutari FROM siparisler WHERE siparis_numarasi = '1455'") == ["10000"])
    }

    private func sha256(_ data: Data, in home: TestHome) throws -> String {
        let url = home.root.appendingPathComponent("sha-input")
        try data.write(to: url)
        return try SHA256.hex(ofFile: url.path)
    }
}
