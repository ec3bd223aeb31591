import Foundation
import Logging
import OrderCore
import Synchronization
@testable import PraIngest
import Testing

/// Log lines kept for a test to read.
final class CapturedLog: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            log.lines.withLock { $0.append("\(event.level): \(event.message)") }
        }
    }
}

/// A broken `pra.yaml` is reported at once and never stops the daemon: it runs on with the last
/// settings that loaded, across restarts too (issue 19's probe).
@Suite struct SettingsReloadTests {
    func orders(of seller: String, _ home: TestHome) throws -> Int64 {
        try home.scalar("""
            SELECT count(*) FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id WHERE k.kod = '\(seller)'
            """)
    }

    /// Drops a Hepsiburada file straight into inbox/ (the default seller's) and lets `watcher` take it.
    func ingestDefaultSellersFile(_ watcher: Watcher, _ home: TestHome, orders: Range<Int>) throws {
        try home.drop("inbox/orders-\(orders.lowerBound).csv", Data((WatcherTests.hbHeader + WatcherTests.hbRows(orders)).utf8))
        #expect(try waitUntil(timeout: 5) { watcher.step(); return try home.jobs("pending") == 1 })
        let job = try #require(try watcher.queue.claim(now: "2026-11-23T00:00:00+00:00", leaseUntil: "2099-01-01T00:00:00+00:00"))
        _ = watcher.process(job)
    }

    @Test func aBrokenEditIsLoggedAtOnceAndTheLastGoodSettingsStayAcrossARestart() throws {
        let home = try TestHome()
        try Data("default_seller: magaza-a\n".utf8).write(to: home.home.configFile)
        let log = CapturedLog()
        let watcher = try Watcher(home: home.home, options: fastOptions(poll: true), logger: log.logger)
        #expect(home.exists("pra.yaml.last-good"))
        try Data("default_seller: [magaza-b\n".utf8).write(to: home.home.configFile)
        watcher.step()
        #expect(log.text.contains("error: pra.yaml edit not applied (the last good settings stay): pra.yaml:2:1: error: YAML syntax"))
        try ingestDefaultSellersFile(watcher, home, orders: 1..<3)
        #expect(try orders(of: "magaza-a", home) == 2)

        // Restarted with pra.yaml still broken: it starts, says why, and works on with the last good settings.
        let restartLog = CapturedLog()
        let restarted = try Watcher(home: home.home, options: fastOptions(poll: true), logger: restartLog.logger)
        #expect(restartLog.text.contains("error: pra.yaml not loaded; running with the last good settings: pra.yaml:2:1: error: YAML syntax"))
        try ingestDefaultSellersFile(restarted, home, orders: 10..<12)
        #expect(try orders(of: "magaza-a", home) == 4)

        // A good edit is taken while running.
        try Data("default_seller: magaza-c\n".utf8).write(to: home.home.configFile)
        restarted.step()
        #expect(restartLog.text.contains("settings reloaded from pra.yaml"))
        try ingestDefaultSellersFile(restarted, home, orders: 20..<21)
        #expect(try orders(of: "magaza-c", home) == 1)
        #expect(try String(contentsOf: home.home.lastGoodConfigFile, encoding: .utf8) == "default_seller: magaza-c\n")
    }

    @Test func withoutALastGoodCopyABrokenPraYamlStopsTheStartWithTheReason() throws {
        let home = try TestHome()
        try Data("default_seller: [broken\n".utf8).write(to: home.home.configFile)
        #expect(throws: MappingError.self) { _ = try Watcher(home: home.home, options: fastOptions(poll: true), logger: Logger(label: "t")) }
    }
}
