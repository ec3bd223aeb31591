import Foundation
import OrderCore
@testable import OrderStore
@testable import PraIngest
import Testing

/// A file of `limits.exclusive_ingest_bytes` or more is written with the database to itself (a
/// rollback journal instead of the WAL): the same rows as the WAL path, the same all-or-nothing
/// transaction, the WAL back afterwards, and the WAL path whenever another connection is open.
/// (Killed mid-file: `CrashTests`, with the limit at one byte.)
@Suite(.enabled(if: TestStores.onSQLite, "SQLite's journal modes")) struct ExclusiveIngestTests {
    /// A home whose every file counts as large.
    static func home() throws -> TestHome {
        let home = try TestHome()
        home.ingestor.limits.exclusiveIngestBytes = 1
        return home
    }

    static func journalMode(_ home: TestHome) throws -> [String] {
        try home.texts("PRAGMA journal_mode")
    }

    @Test func aLargeFileLandsTheSameRowsAndLeavesTheDatabaseInWAL() throws {
        let reference = try TestHome()
        let usual = reference.ingest("n11/DetailedOrderList.xml")
        #expect(!usual.hadDatabaseToItself)

        let home = try Self.home()
        let report = home.ingest("n11/DetailedOrderList.xml")
        #expect(report.status == usual.status)
        #expect(report.hadDatabaseToItself)
        #expect(report.ordersInserted == usual.ordersInserted && report.ordersInserted > 0)
        #expect(try home.dump() == reference.dump())
        #expect(try Self.journalMode(home) == ["wal"])
        #expect(!FileManager.default.fileExists(atPath: home.home.database.path + "-journal"))
        // Idempotent as ever: the same content again is a duplicate.
        #expect(home.ingest("n11/DetailedOrderList.xml").status == .duplicate)
    }

    @Test func aLargeFileThatFailsLandsNothing() throws {
        let home = try Self.home()
        let report = home.ingest("n11/DetailedOrderList-truncated.xml")
        #expect(report.status == .failed)
        #expect(report.error?.code == .malformed)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
        #expect(try home.scalar("SELECT count(*) FROM kaynak_dosyalar") == 0)
        #expect(try Self.journalMode(home) == ["wal"])
    }

    @Test func withAnotherConnectionOpenTheFileIsWrittenWithTheWAL() throws {
        let home = try Self.home()
        let reader = try OrderStore(path: home.home.database.path)
        #expect(try reader.db.prepare("SELECT count(*) FROM siparisler").rows { $0.int(0) } == [0])
        let report = home.ingest("n11/DetailedOrderList.xml")
        #expect(report.status == .ingested)
        #expect(!report.hadDatabaseToItself)
        #expect(try reader.db.prepare("SELECT count(*) FROM siparisler").rows { $0.int(0) } == [Int64(report.ordersInserted)])
        #expect(try Self.journalMode(home) == ["wal"])
    }

    @Test func aLargeFilesDryRunHasTheDatabaseToItselfAndLeavesNothing() throws {
        let home = try Self.home()
        let first = home.ingest("hepsiburada/hb-siparisler.csv")
        #expect(first.ordersInserted > 0)
        let before = try home.dump()
        let dry = home.ingestor.ingest(path: Fixture.path("n11/DetailedOrderList.xml"), seller: "demo", dryRun: true)
        #expect(dry.status == .ingested && dry.ordersInserted > 0)
        #expect(dry.hadDatabaseToItself)
        #expect(try home.dump() == before)
        #expect(try Self.journalMode(home) == ["wal"])
        #expect(!FileManager.default.fileExists(atPath: home.home.database.path + "-journal"))
        // Nothing was kept of it: the real ingest finds the same.
        let real = home.ingest("n11/DetailedOrderList.xml")
        #expect(real.status == dry.status && real.ordersInserted == dry.ordersInserted && real.linesWritten == dry.linesWritten)
    }

    @Test func theLimitIsReadFromPraYAML() throws {
        let home = try TestHome()
        try Data("limits:\n  exclusive_ingest_bytes: 1048576\n".utf8).write(to: home.home.configFile)
        #expect(try Configuration.load(home: home.home).limits.exclusiveIngestBytes == 1 << 20)
        #expect(Limits().exclusiveIngestBytes == 16 << 20)
    }
}
