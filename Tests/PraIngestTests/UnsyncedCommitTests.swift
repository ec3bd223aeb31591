import Foundation
@testable import OrderStore
@testable import PraIngest
import Testing

/// The queue's claims and ended jobs commit without waiting for the disk (`synced: false`): the
/// file's own commit, synced, makes them durable with it. Data never commits that way, and on
/// SQLite only the WAL allows it (an unsynced commit to a rollback journal could damage the file
/// on a power cut).
@Suite struct UnsyncedCommitTests {
    /// `PRAGMA synchronous` on the store's own connection: 1 NORMAL, 2 FULL.
    static func synchronous(_ store: OrderStore) throws -> Int64? {
        try store.db.prepare("PRAGMA synchronous").rows { $0.int(0) }.first
    }

    @Test func aClaimAndAJobDoneCommitUnsyncedAndTheConnectionSyncsAgainAfter() throws {
        let home = try TestHome()
        let store = home.ingestor.store
        let queue = JobQueue(store: store, worker: JobQueue.Worker(name: "host:1:1", liveness: { _ in .alive }))
        _ = try #require(try queue.enqueue(path: "inbox/a.csv", seller: "demo", size: 1, sha256: "x", now: "2026-12-03T10:00:00+00:00"))
        let job = try #require(try queue.claim(now: "2026-12-03T10:00:00+00:00", leaseUntil: "2026-12-03T10:00:30+00:00"))
        try queue.finish(job, state: .done, outcome: "ok", error: nil, now: "2026-12-03T10:00:01+00:00")
        // Committed: another connection sees the job done.
        #expect(try home.texts("SELECT durum FROM is_kuyrugu") == ["done"])
        guard TestStores.onSQLite else { return }
        #expect(try Self.synchronous(store) == 2)
        // Inside an unsynced transaction in WAL mode: NORMAL; a synced one: FULL.
        #expect(try store.db.transaction(synced: false) { try Self.synchronous(store) } == 1)
        #expect(try store.db.transaction { try Self.synchronous(store) } == 2)
    }

    @Test func withARollbackJournalEveryCommitIsSynced() throws {
        guard TestStores.onSQLite else { return }
        let home = try TestHome()
        let store = home.ingestor.store
        let (inside, exclusive) = try store.withDatabaseToItself {
            try store.db.transaction(synced: false) { try Self.synchronous(store) }
        }
        #expect(exclusive)
        #expect(inside == 2)
        // Back in WAL mode after it.
        #expect(try store.db.transaction(synced: false) { try Self.synchronous(store) } == 1)
    }
}
