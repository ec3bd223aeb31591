import Foundation
import Logging
import OrderStore

/// When the watcher's next export is due, on the watcher's clock: at once for a lone file; while
/// more files keep landing, at most every `batchSeconds` and again as soon as the queue is empty.
/// A morning flood of 200 small files is exported a few times, not 200 times.
struct ExportPacing {
    /// Seconds between two exports while files keep landing (``Watcher/Options/exportBatchSeconds``).
    var batchSeconds: Double
    /// Orders landed that no export has taken yet. None at first: the watcher itself runs the
    /// exports a crash may have left half done before it starts taking files.
    private(set) var owed = false
    /// No file waited in the queue when the watcher last looked.
    private var drained = false
    /// The last export could not run (another worker was exporting, or it failed): the next is
    /// tried at the watcher's next look at the queue, not at once.
    private var waitsForNextLook = false
    /// When the last export ended.
    private var lastExport: Double?

    init(batchSeconds: Double) { self.batchSeconds = batchSeconds }

    /// A file landed orders: more files may follow.
    mutating func landed() {
        owed = true
        drained = false
    }

    /// The watcher found no file waiting.
    mutating func queueDrained() {
        drained = true
        waitsForNextLook = false
    }

    /// Whether an export should start at `now`.
    func isDue(now: Double) -> Bool {
        guard owed, !waitsForNextLook else { return false }
        return drained || lastExport.map { now - $0 >= batchSeconds } ?? true
    }

    /// An export starts: it takes every order landed so far.
    mutating func started() { owed = false }

    /// The export ended at `now`; `ran`: whether it ran (else what it was owed stays owed).
    mutating func ended(at now: Double, ran: Bool) {
        lastExport = now
        if !ran {
            owed = true
            waitsForNextLook = true
        }
    }
}

/// The watcher's exports, on a thread of their own: while a flood's next files are read and
/// written, the invoices of those already landed are built. Each export opens its own connection
/// and closes it after, so that between exports none is open and a large file can have the
/// database to itself (``OrderStore/withDatabaseToItself(_:)``). Workers sharing the store still
/// export one at a time (``Exporter/runIfFree()``).
final class BackgroundExports: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var pacing: ExportPacing
    private var config: Configuration
    private var stopping = false
    private var stopped = false
    /// An export is running.
    private var exporting = false
    /// The watcher writes a large file: no export starts.
    private var largeFileInHand = false
    /// `pra.yaml` changed since the last export: its warnings are given again.
    private var reconfigured = false

    private let home: Home
    private let clock: WatcherClock
    private let logger: Logger
    // The export thread's own:
    private var memory = Exporter.Memory()
    private var limiter = LogLimiter()

    /// Starts the thread (after the watcher ran the exports a crash may have left half done).
    init(home: Home, config: Configuration, batchSeconds: Double, clock: WatcherClock, logger: Logger) {
        self.home = home
        self.config = config
        self.clock = clock
        self.logger = logger
        pacing = ExportPacing(batchSeconds: batchSeconds)
        Thread { [self] in loop() }.start()
    }

    /// A file landed orders.
    func landed() { update { $0.landed() } }

    /// The watcher found no file waiting (called at each of its looks at the queue).
    func queueDrained() { update { $0.queueDrained() } }

    /// Exports from now on with `config` (an edited `pra.yaml`), giving its warnings afresh (as
    /// the watcher's new exporter does).
    func reconfigure(_ config: Configuration) {
        condition.lock()
        self.config = config
        reconfigured = true
        condition.unlock()
    }

    /// Runs `body` once no export runs, and starts none meanwhile (a large file, which then has
    /// the database to itself).
    func paused<T>(_ body: () -> T) -> T {
        condition.lock()
        largeFileInHand = true
        while exporting { condition.wait() }
        condition.unlock()
        defer {
            condition.lock()
            largeFileInHand = false
            condition.broadcast()
            condition.unlock()
        }
        return body()
    }

    /// Runs what is owed (waiting for another worker's export to end) and stops the thread;
    /// returns once it has stopped.
    func finish() {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
    }

    private func update(_ change: (inout ExportPacing) -> Void) {
        condition.lock()
        change(&pacing)
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        CrashRecorder.exemptThisThread()
        condition.lock()
        while true {
            if !largeFileInHand && (pacing.isDue(now: clock.monotonic()) || (stopping && pacing.owed)) {
                let (config, last) = (self.config, stopping)
                if reconfigured { memory.warned = [] }
                reconfigured = false
                pacing.started()
                exporting = true
                condition.unlock()
                let ran = export(config, waiting: last)
                condition.lock()
                exporting = false
                condition.broadcast()
                pacing.ended(at: clock.monotonic(), ran: ran)
                if last { break }
            } else if stopping {
                break
            } else {
                condition.wait()
            }
        }
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// One export run on a connection of its own; whether it ran. `waiting`: for another worker's
    /// export to end (the last run before the watcher stops), rather than trying again later.
    private func export(_ config: Configuration, waiting: Bool) -> Bool {
        // Fault injection for the crash tests: a real trap on this thread while a file is in hand.
        if ProcessInfo.processInfo.environment["PRA_FAULT_CRASH_IN_EXPORT"] == "1" {
            while !CrashRecorder.hasArmedJob { usleep(100) }
            fatalError("PRA_FAULT_CRASH_IN_EXPORT: injected crash on the exports' thread")
        }
        do {
            let exporter = Exporter(store: try OrderStore(location: home.store), config: config, outbox: home.outbox)
            exporter.memory = memory
            defer { memory = exporter.memory }
            guard let report = waiting ? try exporter.run() : try exporter.runIfFree() else { return false }
            for w in report.warnings { logger.warning("\(w)") }
            for f in report.failures { logger.error("\(f)") }
            return true
        } catch {
            if let line = limiter.admit("export failed, tried again at the next look at the inbox: \(error)", now: clock.monotonic()) {
                logger.error("\(line)")
            }
            return false
        }
    }
}
