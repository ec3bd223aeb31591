import Foundation
import Logging
import OrderCore
@testable import PraIngest
import Testing

/// The daemon over a temporary home: discovery, the read lock, queueing, archive and failed/.
@Suite(.serialized) struct WatcherTests {
    static let hbHeader = "Sipariş Numarası;Kalem Numarası;Sipariş Tarihi;Satıcı Stok Kodu;Adet;Faturalandırılacak Satış Fiyatı;KDV(%);Paket Durumu\n"

    static func hbRows(_ orders: Range<Int>, amount: String = "10,00") -> String {
        orders.map { "\($0);K\($0);23-11-2026 10:00:00;SKU-\($0 % 7);1;\(amount);20;Yeni\n" }.joined()
    }

    /// A watcher driven by `clock`: no thread of its own, the test turns its loop.
    func driven(_ home: TestHome, _ clock: ManualClock, poll: Bool = true, settle: Double = 0.3) throws -> Watcher {
        var options = fastOptions(poll: poll, settle: settle)
        options.clock = clock.clock
        return try Watcher(home: home.home, options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// One turn of the loop after `seconds` on the watcher's clock: a look at the inbox, then every
    /// queued file.
    func turn(_ watcher: Watcher, _ clock: ManualClock, after seconds: Double = 0) throws {
        clock.advance(seconds)
        watcher.step()
        while let job = try watcher.queue.claim(now: watcher.now, leaseUntil: watcher.leaseUntil) { watcher.process(job) }
    }

    @Test func aFileStillOpenForWritingIsNotReadUntilItsWriterClosesIt() throws {
        let home = try TestHome()
        let clock = ManualClock()
        let watcher = try driven(home, clock)
        let url = home.root.appendingPathComponent("inbox/slow.csv")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let writer = try FileHandle(forWritingTo: url)
        try writer.write(contentsOf: Data((Self.hbHeader + Self.hbRows(1..<50)).utf8))
        try turn(watcher, clock)
        try turn(watcher, clock, after: 1.2) // four times the settle time, with the writer still holding the file
        #expect(try home.jobs("pending") + home.jobs("processing") + home.jobs("done") == 0)
        try writer.write(contentsOf: Data(Self.hbRows(50..<100).utf8))
        try writer.close()
        try turn(watcher, clock, after: 0.1)
        try turn(watcher, clock, after: 0.4)
        #expect(try home.jobs("done") == 1)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 99)
        #expect(home.exists("archive/\(home.today)/slow.csv"))
    }

    @Test func pollingWaitsUntilASlowCopyStopsGrowingEvenWithAnOldMtime() throws {
        let home = try TestHome()
        let clock = ManualClock()
        let watcher = try driven(home, clock, settle: 0.8)
        let url = home.root.appendingPathComponent("inbox/copy.csv")
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        for (i, chunk) in [Self.hbHeader + Self.hbRows(1..<30), Self.hbRows(30..<60), Self.hbRows(60..<90)].enumerated() {
            if i == 0 { try Data(chunk.utf8).write(to: url) } else {
                let h = try FileHandle(forWritingTo: url)
                try h.seekToEnd()
                try h.write(contentsOf: Data(chunk.utf8))
                try h.close()
            }
            // A Windows copy keeps the source's old modification time.
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: url.path)
            try turn(watcher, clock, after: 0.4)
            #expect(try home.jobs("done") + home.jobs("pending") + home.jobs("processing") == 0)
        }
        try turn(watcher, clock, after: 0.5)
        try turn(watcher, clock, after: 0.5)
        #expect(try home.jobs("done") == 1)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 89)
    }

    @Test func aFileRenamedIntoTheInboxIsTaken() throws {
        let home = try TestHome()
        let clock = ManualClock()
        let watcher = try driven(home, clock, poll: false, settle: 30)
        try home.drop("inbox/.upload.csv.part", Data((Self.hbHeader + Self.hbRows(1..<5)).utf8))
        try turn(watcher, clock)
        try turn(watcher, clock, after: 60)
        #expect(try home.jobs("done") == 0) // temporary names are never taken
        try FileManager.default.moveItem(atPath: home.root.appendingPathComponent("inbox/.upload.csv.part").path,
                                         toPath: home.root.appendingPathComponent("inbox/upload.csv").path)
        // Settle is 30 s: only the rename event makes it this fast.
        try turn(watcher, clock)
        try turn(watcher, clock, after: 0.1)
        #expect(try home.jobs("done") == 1)
    }

    @Test(arguments: [false, true])
    func aSellerFolderCreatedAfterStartIsWatched(poll: Bool) throws {
        let home = try TestHome()
        let clock = ManualClock()
        let watcher = try driven(home, clock, poll: poll, settle: poll ? 0.3 : 30)
        try turn(watcher, clock)
        try FileManager.default.createDirectory(at: home.root.appendingPathComponent("inbox/yeni-magaza"), withIntermediateDirectories: true)
        try turn(watcher, clock, after: 0.1)
        try home.drop("inbox/yeni-magaza/n11.xml", Data(contentsOf: URL(fileURLWithPath: Fixture.path("n11/DetailedOrderList.xml"))))
        for _ in 0..<4 { try turn(watcher, clock, after: 0.2) }
        #expect(try home.jobs("done") == 1)
        #expect(try home.texts("SELECT DISTINCT k.kod FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id") == ["yeni-magaza"])
        #expect(home.exists("archive/\(home.today)/n11.xml"))
    }

    @Test func theSameFileDroppedTwiceIsADuplicateAndSameNamesNeverOverwrite() throws {
        let home = try TestHome()
        let watcher = RunningWatcher(home: home.home, options: fastOptions())
        defer { watcher.stop() }
        let xml = try Data(contentsOf: URL(fileURLWithPath: Fixture.path("n11/DetailedOrderList.xml")))
        try home.drop("inbox/orders.xml", xml)
        #expect(try waitUntil(timeout: 10) { try home.jobs("done") == 1 })
        try home.drop("inbox/orders.xml", xml)
        #expect(try waitUntil(timeout: 10) { try home.jobs("done") == 2 })
        try home.drop("inbox/orders.xml", xml)
        #expect(try waitUntil(timeout: 10) { try home.jobs("done") == 3 })
        #expect(home.files(under: "archive") == ["\(home.today)/orders.xml", "duplicates/orders-2.xml", "duplicates/orders.xml"])
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 2)
    }

    @Test func aSellersFileCannotTouchAnotherSellersOrders() throws {
        let home = try TestHome()
        let watcher = RunningWatcher(home: home.home, options: fastOptions())
        defer { watcher.stop() }
        try home.drop("inbox/a/orders.csv", Data((Self.hbHeader + Self.hbRows(1..<4, amount: "10,00")).utf8))
        #expect(try waitUntil(timeout: 10) { try home.jobs("done") == 1 })
        // Seller b sends the same order numbers with other amounts.
        try home.drop("inbox/b/orders.csv", Data((Self.hbHeader + Self.hbRows(1..<4, amount: "99,00")).utf8))
        #expect(try waitUntil(timeout: 10) { try home.jobs("done") == 2 })
        let rows = try home.texts("""
            SELECT k.kod || ' ' || s.siparis_numarasi || ' ' || s.toplam_tutar FROM siparisler s
            JOIN kullanicilar k ON k.id = s.kullanici_id ORDER BY 1
            """)
        #expect(rows == ["a 1 1000", "a 2 1000", "a 3 1000", "b 1 9900", "b 2 9900", "b 3 9900"])
    }

    @Test func aBadFileGoesToFailedWithAReportTheSellerCanActOn() throws {
        let home = try TestHome()
        let watcher = RunningWatcher(home: home.home, options: fastOptions())
        defer { watcher.stop() }
        try home.drop("inbox/xxe.xml", Data(contentsOf: URL(fileURLWithPath: Fixture.path("n11/DetailedOrderList-xxe.xml"))))
        #expect(try waitUntil(timeout: 10) { try home.jobs("failed") == 1 })
        #expect(home.files(under: "failed") == ["xxe.xml", "xxe.xml.error.txt"])
        let text = try String(contentsOf: home.root.appendingPathComponent("failed/xxe.xml.error.txt"), encoding: .utf8)
        #expect(text.contains("DOCTYPE"))
        #expect(text.contains("What to do"))
        #expect(try home.scalar("SELECT count(*) FROM hata_log") == 1)
    }

    @Test func goodRecordsLandAndBadOnesAreListedInARejectsFileReadyToFixAndDropAgain() throws {
        let home = try TestHome()
        let watcher = RunningWatcher(home: home.home, options: fastOptions())
        defer { watcher.stop() }
        try home.drop("inbox/hb.csv", Data(contentsOf: URL(fileURLWithPath: Fixture.path("hepsiburada/hb-siparisler.csv"))))
        #expect(try waitUntil(timeout: 10) { try home.jobs("done") == 1 })
        #expect(home.exists("archive/\(home.today)/hb.csv"))
        #expect(home.files(under: "failed") == ["hb.csv.error.txt", "hb.csv.rejects.csv"])
        let rejects = try String(contentsOf: home.root.appendingPathComponent("failed/hb.csv.rejects.csv"), encoding: .utf8)
            .split(separator: "\r\n")
        #expect(rejects.count == 5) // header + the row with a warning + the 3 rejected rows
        #expect(rejects[0].hasSuffix(";PraIngest seviye;PraIngest hata"))
        #expect(rejects[1].hasPrefix("4100002;"))
        #expect(rejects[1].contains(";uyarı;\"line 4, order 4100002"))
        #expect(rejects[2].hasPrefix("4100003;"))
        #expect(rejects[2].contains(";hata;\"line 5, order 4100003"))
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 3)
    }

    @Test func aBrokenMappingEditIsReportedAndTheLastGoodVersionStaysInForce() throws {
        let home = try TestHome()
        let clock = ManualClock()
        let watcher = try driven(home, clock)
        try turn(watcher, clock)
        try Data("platform: N11\nthis is: [broken\n".utf8).write(to: home.root.appendingPathComponent("mappings/n11.yaml"))
        try turn(watcher, clock, after: 0.1)
        #expect(watcher.signals.mappingReloadErrors == 1)
        try home.drop("inbox/n11.xml", Data(contentsOf: URL(fileURLWithPath: Fixture.path("n11/DetailedOrderList.xml"))))
        for _ in 0..<3 { try turn(watcher, clock, after: 0.2) }
        #expect(try home.jobs("done") == 1)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 2)
    }
}
