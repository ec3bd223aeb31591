import Foundation
import OrderStore
@testable import PraIngest
import Testing

/// Leases on the shared work queue, with two workers on one store and the time given by hand:
/// a live lease keeps a job its worker's, a lapsed one lets another worker take it over, and the
/// worker that lost it can neither renew it, nor end the job, nor commit the file.
@Suite struct JobLeaseTests {
    static func worker(_ name: String, _ liveness: JobQueue.Worker.Liveness = .unknown) -> JobQueue.Worker {
        JobQueue.Worker(name: name, liveness: { _ in liveness })
    }

    static let t0 = "2026-12-03T10:00:00+00:00", t1 = "2026-12-03T10:00:20+00:00", t2 = "2026-12-03T10:00:40+00:00"
    static let lease0 = "2026-12-03T10:00:30+00:00", lease2 = "2026-12-03T10:01:10+00:00"

    @Test func aLapsedLeaseIsTakenOverAndTheWorkerThatLostItCannotCommit() throws {
        let home = try TestHome()
        let a = JobQueue(store: home.ingestor.store, worker: Self.worker("host-a:1:1"))
        let b = JobQueue(store: home.ingestor.store, worker: Self.worker("host-b:2:2"))
        let path = Fixture.path("n11/DetailedOrderList.xml")
        let id = try #require(try a.enqueue(path: "inbox/n11.xml", seller: "demo", size: 1, sha256: "x", now: Self.t0))
        // The same file seen by the other worker too: queued once.
        #expect(try b.enqueue(path: "inbox/n11.xml", seller: "demo", size: 1, sha256: "x", now: Self.t0) == nil)

        let job = try #require(try a.claim(now: Self.t0, leaseUntil: Self.lease0))
        #expect(job.id == id)
        // While A's lease runs, B finds nothing to do.
        #expect(try b.claim(now: Self.t1, leaseUntil: Self.lease2) == nil)
        #expect(try a.renewLease(id, until: Self.lease0))
        #expect(try a.holdsLease(id))

        // A's lease lapses (its machine stopped answering): B takes the job over.
        let taken = try #require(try b.claim(now: Self.t2, leaseUntil: Self.lease2))
        #expect(taken.id == id && taken.attempts == 2)
        #expect(try !a.holdsLease(id))
        #expect(try !a.renewLease(id, until: Self.lease2))
        // A's end of the job changes nothing: B has it.
        try a.finish(job, state: .failed, outcome: "", error: "late", now: Self.t2)
        #expect(try home.texts("SELECT durum || ' ' || kilit_sahibi FROM is_kuyrugu") == ["processing host-b:2:2"])

        // A's ingest of the file, guarded as the watcher guards it: rolled back whole.
        home.ingestor.commitGuard = {
            guard try a.holdsLease(id) else { throw IngestError(.store, file: path, "another worker took this file over") }
        }
        let lost = home.ingestor.ingest(path: path, seller: "demo", jobID: id)
        #expect(lost.status == .failed)
        #expect(lost.error?.message.contains("another worker took this file over") == true)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
        // B's, holding the lease, lands.
        home.ingestor.commitGuard = {
            guard try b.holdsLease(id) else { throw IngestError(.store, file: path, "another worker took this file over") }
        }
        #expect(home.ingestor.ingest(path: path, seller: "demo", jobID: id).ordersInserted == 2)
        try b.finish(taken, state: .done, outcome: "ok", error: nil, now: Self.t2)
        #expect(try home.texts("SELECT durum FROM is_kuyrugu") == ["done"])
    }

    @Test func aDeadWorkerOfThisMachineIsTakenOverAtOnceAndALiveOneNever() throws {
        let home = try TestHome()
        let a = JobQueue(store: home.ingestor.store, worker: Self.worker("host:1:1"))
        _ = try a.enqueue(path: "inbox/x.csv", seller: "demo", size: 1, sha256: "x", now: Self.t0)
        _ = try #require(try a.claim(now: Self.t0, leaseUntil: Self.lease0))
        // Its lease still runs, but its process is gone: taken at once.
        let gone = JobQueue(store: home.ingestor.store, worker: Self.worker("host:2:2", .gone))
        #expect(try gone.claim(now: Self.t1, leaseUntil: Self.lease2) != nil)
        // A live holder keeps it while its lease runs.
        let alive = JobQueue(store: home.ingestor.store, worker: Self.worker("host:3:3", .alive))
        #expect(try alive.claim(now: Self.t1, leaseUntil: Self.lease2) == nil)
    }
}
