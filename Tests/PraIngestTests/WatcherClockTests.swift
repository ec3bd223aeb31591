import Foundation
import Logging
import OrderStore
@testable import PraIngest
@testable import Server
import Synchronization
import Testing

/// A clock a test moves by hand: the watcher's decisions (settle, back-off, liveness) are driven
/// through time without sleeping.
final class ManualClock: Sendable {
    private let time = Mutex<(monotonic: Double, wall: Date)>((1_000, Date())) // today: archive folders are dated

    func advance(_ seconds: Double) {
        time.withLock { $0 = ($0.monotonic + seconds, $0.wall.addingTimeInterval(seconds)) }
    }

    var clock: WatcherClock {
        WatcherClock(monotonic: { self.time.withLock { $0.monotonic } }, wall: { self.time.withLock { $0.wall } },
                     sleep: { self.advance($0) })
    }
}

@Suite struct WatcherClockTests {
    func watcher(_ home: TestHome, _ clock: ManualClock, settle: Double = 2) throws -> Watcher {
        var options = fastOptions(poll: true, settle: settle)
        options.clock = clock.clock
        return try Watcher(home: home.home, options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    @Test func aFileIsTakenOnlyOnceItStayedUnchangedForTheSettleTime() throws {
        let home = try TestHome()
        let clock = ManualClock()
        let watcher = try watcher(home, clock, settle: 2)
        try home.drop("inbox/a/orders.csv", Data((WatcherTests.hbHeader + WatcherTests.hbRows(1..<3)).utf8))
        watcher.step()
        #expect(try home.jobs("pending") == 0)
        clock.advance(1.5)
        watcher.step()
        #expect(try home.jobs("pending") == 0)
        // It grows: the settle time starts again.
        let h = try FileHandle(forWritingTo: home.root.appendingPathComponent("inbox/a/orders.csv"))
        try h.seekToEnd()
        try h.write(contentsOf: Data(WatcherTests.hbRows(3..<4).utf8))
        try h.close()
        clock.advance(1)
        watcher.step()
        #expect(try home.jobs("pending") == 0)
        clock.advance(2.1)
        watcher.step()
        #expect(try home.jobs("pending") == 1)
    }

    @Test func aJobPutBackWaitsForItsBackOffByTheWatchersClock() throws {
        let home = try TestHome()
        let clock = ManualClock()
        let watcher = try watcher(home, clock)
        let id = try #require(try watcher.queue.enqueue(path: "inbox/a/x.csv", seller: "a", size: 1, sha256: "", now: watcher.now))
        let job = try #require(try watcher.queue.claim(id: id, now: watcher.now, leaseUntil: watcher.leaseUntil))
        try watcher.queue.finish(job, state: .pending, outcome: "", error: "busy", retryAt: watcher.retryTime(job), now: watcher.now)
        #expect(try watcher.queue.claim(now: watcher.now, leaseUntil: watcher.leaseUntil) == nil)
        clock.advance(1)
        #expect(try watcher.queue.claim(now: watcher.now, leaseUntil: watcher.leaseUntil) == nil)
        clock.advance(1.5) // the first back-off is 2 s
        #expect(try watcher.queue.claim(now: watcher.now, leaseUntil: watcher.leaseUntil)?.id == id)
    }

    @Test func livenessFollowsTheLoopByItsClock() throws {
        let home = try TestHome()
        let clock = ManualClock()
        let signals = WatcherSignals(clock: clock.clock)
        let server = try PraServer(home: home.home, config: Configuration(), signals: signals, version: "test",
                                   logger: Logger(label: "test"), stopping: { false })
        #expect(server.live().status.code == 503) // not turned yet
        signals.turned(at: clock.clock.monotonic(), mappingsUsable: 1)
        clock.advance(59)
        #expect(server.live().status.code == 200)
        clock.advance(2)
        #expect(server.live().status.code == 503)
    }
    /// Files that arrive together are exported together: the export after a file waits while more
    /// files are ready (at most `exportBatchSeconds` since the last), and every order is invoiced
    /// and every file archived all the same. The exports run on their own thread, so how many ran
    /// depends on how far the files had come: with batching (the clock stands still) at most the
    /// first export, which may have caught the first file, and the one after the last; with none,
    /// up to one per file. ``ExportPacingTests`` hold the rule itself, step by step.
    @Test(arguments: [(1.0, 2), (0.0, 4)]) func filesThatArriveTogetherAreExportedTogether(batchSeconds: Double, mostExports: Int) throws {
        let home = try ExportHome()
        let clock = ManualClock()
        var options = fastOptions(poll: true, settle: 0.3)
        options.clock = clock.clock
        options.exportBatchSeconds = batchSeconds
        let watcher = try Watcher(home: home.base.home, options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        for i in 0..<4 {
            try home.base.drop("inbox/demo/orders-\(i).csv",
                               Data((WatcherTests.hbHeader + WatcherTests.hbRows((10 * i)..<(10 * i + 3))).utf8))
        }
        watcher.step()
        clock.advance(1)
        watcher.step()
        #expect(try home.base.jobs("pending") == 4)
        // The daemon's loop, until the queue is empty (the clock stands still: every file is "at once").
        watcher.run { (try? home.base.jobs("pending")) == 0 }
        #expect(try home.base.jobs("done") == 4)
        #expect(try home.base.scalar("SELECT count(*) FROM siparisler") == 12)
        #expect(try home.base.scalar("SELECT count(*) FROM faturalar WHERE durum = 'yazildi'") == 12)
        let exports = try home.base.scalar("SELECT count(*) FROM erp_dosyalari WHERE format = 'generic_csv'")
        #expect(exports >= 1 && exports <= Int64(mostExports))
    }
}
