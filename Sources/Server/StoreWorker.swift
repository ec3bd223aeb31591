import Foundation
import OrderStore

/// The HTTP side's access to the order database, from one serial queue: SQLite calls block, so
/// they run there and never on the threads that serve requests. A connection is opened for each
/// call and closed after it, so that between requests none is open: a large file can then have
/// the database to itself (a rollback journal instead of the WAL, see
/// ``OrderStore/withDatabaseToItself(_:)``). While one does, a call waits for its commit (10 s at
/// most, then fails as busy).
final class StoreWorker: Sendable {
    private let queue = DispatchQueue(label: "praingest.http.store")
    private let location: StoreLocation

    init(location: StoreLocation) {
        self.location = location
    }

    /// Runs `body` with a store on the worker's queue.
    func run<T: Sendable>(_ body: @escaping @Sendable (OrderStore) throws -> T) async throws -> T {
        let location = self.location
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(try OrderStore(location: location)) }) }
        }
    }
}

/// Threads of their own for the server's tasks (``PraServer/run(host:port:onRunning:until:)``):
/// requests are answered even while the process's shared concurrency threads are all busy.
public final class ServerExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "praingest.http", attributes: .concurrent)

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
