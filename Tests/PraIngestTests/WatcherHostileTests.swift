import Foundation
import Glibc
import Logging
import OrderCore
@testable import PraIngest
import Testing

/// The watcher facing what does not belong in an inbox: unsafe folder names, links, unreadable
/// files, files that vanish while read.
@Suite struct WatcherHostileTests {
    @Test func aSellerFolderWithAnUnsafeNameGoesToFailedAndBecomesNoSeller() throws {
        let home = try TestHome()
        let watcher = RunningWatcher(home: home.home, options: fastOptions())
        defer { watcher.stop() }
        let n11 = try Data(contentsOf: URL(fileURLWithPath: Fixture.path("n11/DetailedOrderList.xml")))
        try home.drop("inbox/evil\nINFO forged/orders.xml", n11)
        #expect(try waitUntil(timeout: 10) { try home.jobs("failed") == 1 })
        #expect(try home.scalar("SELECT count(*) FROM kullanicilar") == 0)
        #expect(home.exists("failed/orders.xml"))
        let report = try String(contentsOf: home.root.appendingPathComponent("failed/orders.xml.error.txt"), encoding: .utf8)
        #expect(report.contains("the seller folder \"evil\\u{a}INFO forged\" is not a valid seller code"))
        #expect(!report.contains("evil\nINFO"))
    }

    @Test func aSymbolicLinkIsRefusedNotFollowed() throws {
        let home = try TestHome()
        try FileManager.default.createDirectory(at: home.home.inbox, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: home.home.inbox.appendingPathComponent("passwd.csv").path,
                                                   withDestinationPath: "/etc/passwd")
        let watcher = RunningWatcher(home: home.home, options: fastOptions())
        defer { watcher.stop() }
        #expect(try waitUntil(timeout: 10) { try home.jobs("failed") == 1 })
        let report = try String(contentsOf: home.root.appendingPathComponent("failed/passwd.csv.error.txt"), encoding: .utf8)
        #expect(report.contains("not a regular file"))
        #expect(FileManager.default.fileExists(atPath: "/etc/passwd"))
    }

    @Test(.enabled(if: getuid() != 0, "root reads a chmod 000 file"))
    func anUnreadableFileIsRetriedThenSetAsideWithTheReason() throws {
        let home = try TestHome()
        try home.drop("inbox/locked.csv", Data(WatcherTests.hbHeader.utf8))
        chmod(home.root.appendingPathComponent("inbox/locked.csv").path, 0)
        let watcher = RunningWatcher(home: home.home, options: fastOptions())
        defer { watcher.stop() }
        #expect(try waitUntil(timeout: 10) { try home.jobs("failed") == 1 })
        #expect(try StatusReport.read(home: home.home).text.contains("failed 1"))
    }

    @Test func aFileRemovedWhileItIsReadCountsAsDoneWhenItsOrdersLanded() throws {
        let home = try TestHome()
        let watcher = try Watcher(home: home.home, options: fastOptions(poll: true), logger: Logger(label: "test"))
        try home.drop("inbox/n11.xml", Data(contentsOf: URL(fileURLWithPath: Fixture.path("n11/DetailedOrderList.xml"))))
        let path = home.root.appendingPathComponent("inbox/n11.xml").path
        watcher.ingestor.progress = { _, _ in try? FileManager.default.removeItem(atPath: path) }
        watcher.step()
        #expect(try waitUntil(timeout: 5) { watcher.step(); return try home.jobs("pending") == 1 })
        let job = try #require(try watcher.queue.claim(now: "2026-11-23T00:00:00+00:00", leaseUntil: "2099-01-01T00:00:00+00:00"))
        let report = try #require(watcher.process(job))
        #expect(report.status == .ingested)
        #expect(try home.jobs("done") == 1)
        #expect(try home.texts("SELECT \(home.json("outcome")) FROM is_kuyrugu").first?.contains("removed from the inbox") == true)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 2)
    }
}
