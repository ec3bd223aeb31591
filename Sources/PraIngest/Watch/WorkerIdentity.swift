import Foundation
import Glibc
import OrderStore

/// This process as a worker of a shared queue: `host:pid:start`, where `start` is the process's
/// start time in clock ticks since boot (`/proc/PID/stat`), so that a pid used again by another
/// process is never taken for the worker that had it.
enum WorkerIdentity {
    /// The queue's worker for this process.
    static func current() -> JobQueue.Worker {
        JobQueue.Worker(name: name, liveness: liveness)
    }

    static let host: String = {
        var buffer = [UInt8](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        let name = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name.replacingOccurrences(of: ":", with: "_")
    }()

    static let name: String = {
        let pid = getpid()
        return "\(host):\(pid):\(startTime(of: pid) ?? 0)"
    }()

    /// Whether the worker `name` runs on: known for a worker of this machine (its process, with
    /// its start time, is there or not); unknown for another machine's.
    @Sendable static func liveness(_ name: String) -> JobQueue.Worker.Liveness {
        let parts = name.split(separator: ":")
        guard parts.count == 3, parts[0] == host, let pid = Int32(parts[1]), let start = UInt64(parts[2]) else { return .unknown }
        return startTime(of: pid) == start ? .alive : .gone
    }

    /// The process's start time (field 22 of `/proc/PID/stat`); `nil` when there is no such process.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces): state is field 3, start time field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }
}

/// Renews a job's lease on its own connection while the job is worked on (the work's connection is
/// inside the file's transaction), every third of the lease.
final class LeaseKeeper: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var thread: Thread?

    /// Starts renewing `jobID`'s lease for `worker` on `store` (a location: the keeper opens its own connection).
    init(jobID: Int64, store: StoreLocation, worker: JobQueue.Worker, leaseSeconds: Double, clock: WatcherClock) {
        let interval = max(0.05, leaseSeconds / 3)
        thread = Thread { [self] in
            guard let connection = try? OrderStore(location: store) else { return }
            let queue = JobQueue(store: connection, worker: worker)
            while waitOrStop(interval) {
                let until = WatcherClock.stamp(clock.wall().addingTimeInterval(leaseSeconds))
                // A lost lease needs no action here: the work's commit checks the lease and rolls back.
                guard (try? queue.renewLease(jobID, until: until)) == true else { return }
            }
        }
        thread?.start()
    }

    /// Waits `seconds`; `false` once stopped.
    private func waitOrStop(_ seconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if !stopped { _ = condition.wait(until: Date().addingTimeInterval(seconds)) }
        return !stopped
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }
}
