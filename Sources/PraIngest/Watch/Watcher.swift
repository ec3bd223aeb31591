import Foundation
import Glibc
import Logging
import OrderCore
import OrderStore
import Parsers

/// The inbox daemon behind `pra-ingest run`: finds complete files (inotify plus a periodic
/// rescan, or polling only), queues them in `is_kuyrugu`, ingests each through the same
/// ``Ingestor`` as `pra-ingest ingest`, runs the exports, and moves the file to `archive/` or
/// `failed/`. Each step is recorded before the next, so a kill at any moment resumes without
/// loss or duplicates.
public final class Watcher {
    public struct Options: Sendable {
        /// Seconds a file must stay unchanged before it is taken (when no close event was seen).
        public var settle: Double = 2
        /// Seconds a file must stay unchanged after its writer closed it or it was renamed in.
        public var settleAfterClose: Double = 0.05
        /// Seconds between full rescans of the inbox (network shares send no events).
        public var rescanInterval: Double = 5
        /// Poll only: no inotify.
        public var pollOnly = false
        /// Run the exports after ingested files (on a thread of their own, ``BackgroundExports``).
        public var export = true
        /// While more files wait in the queue, the export after a file is put off until this many
        /// seconds have passed since the last one (or the queue is empty): a morning flood of 200
        /// small files is exported a few times, not 200 times. A lone file is exported at once.
        /// A quarter second: the exports run beside the files, so more of them hold no file up, and
        /// less is left to export after the last file (the flood, 5 runs against 1 s: 2.2 s, not 2.6).
        public var exportBatchSeconds: Double = 0.25
        /// Attempts for a file that failed for a passing reason (unreadable, database busy).
        public var maxAttempts = 3
        /// Crashes of the process on one file before it is set aside in `failed/`.
        public var maxCrashes = 3
        /// Times one file may be interrupted (killed, crashed, retried) before it is set aside.
        public var maxInterruptions = 10
        /// Seconds a claimed file stays this worker's without a renewal: after a worker on another
        /// machine dies, its file waits this long before another worker takes it over (one of this
        /// machine is taken over at once). Renewed every third of it while the file is worked on.
        public var leaseSeconds: Double = 30
        /// The watcher's time (tests drive their own).
        public var clock = WatcherClock.system
        public init() {}
    }

    let home: Home
    let options: Options
    let ingestor: Ingestor
    var exporter: Exporter
    let queue: JobQueue
    var scanner: InboxScanner
    /// `reference/`: the operator's reference data (GİB's user list), for no seller in particular.
    let referenceScanner: InboxScanner
    let mover: FileMover
    let inotify: InotifyWatcher?
    var readiness: FileReadiness
    var logger: Logger
    /// What the loop tells the rest of the process (the HTTP side).
    public let signals: WatcherSignals
    /// The settings in force (the last `pra.yaml` that loaded).
    public private(set) var settings: Configuration
    private var mappingsStamp: [String]
    /// `pra.yaml` as last seen (size, time, inode), to reload it after an edit.
    private var configStamp: String
    /// The home's real path (links resolved), to tell that a held file is where its job says.
    private let canonicalRoot: String
    private var lastRescan = -Double.infinity

    public init(home: Home, options: Options, logger: Logger) throws {
        try home.prepare()
        self.home = home
        self.options = options
        self.logger = logger
        signals = WatcherSignals(clock: options.clock)
        // A broken pra.yaml never stops the daemon once one has loaded: it runs on the last good copy.
        let (config, problem) = try Configuration.loadKeepingLastGood(home: home)
        if let problem { logger.error("pra.yaml not loaded; running with the last good settings: \(problem)") }
        configStamp = Self.configStamp(home)
        settings = config
        ingestor = try Ingestor.open(home: home, config: config)
        exporter = Exporter(store: ingestor.store, config: config, outbox: home.outbox)
        queue = JobQueue(store: ingestor.store, worker: WorkerIdentity.current())
        if let copies = ingestor.invoiceCopies { InvoiceCopies.recover(root: copies, store: ingestor.store) } // a killed run's
        scanner = InboxScanner(inbox: home.inbox, defaultSeller: config.defaultSeller)
        referenceScanner = InboxScanner(inbox: home.reference, defaultSeller: "")
        mover = FileMover(home: home)
        canonicalRoot = URL(fileURLWithPath: home.root.path).resolvingSymlinksInPath().path
        readiness = FileReadiness(settle: options.settle, settleAfterClose: options.settleAfterClose)
        inotify = options.pollOnly ? nil : InotifyWatcher()
        mappingsStamp = Self.stamp(home.mappings)
        let crashLog = home.root.appendingPathComponent(".pra-crashes").path
        for job in CrashRecorder.takeCrashes(log: crashLog) { try queue.recordCrash(job) }
        CrashRecorder.install(log: crashLog)
        for p in ingestor.registry.problems { logger.error("mapping not loaded: \(p)") }
        if inotify == nil && !options.pollOnly { logger.warning("inotify unavailable: polling the inbox") }
        for folder in scanner.folders() + referenceScanner.folders() { inotify?.watch(folder) }
    }

    /// Seconds of the monotonic clock (the loop's and liveness's time).
    public static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    var now: String { options.clock.nowStamp }

    /// When a lease taken now runs out.
    var leaseUntil: String { WatcherClock.stamp(options.clock.wall().addingTimeInterval(options.leaseSeconds)) }

    /// Runs until `shouldStop` says so (checked between files and at least every second);
    /// the file in hand is always finished first.
    public func run(shouldStop: () -> Bool) {
        logger.info("watching", metadata: ["home": "\(home.root.path)", "mode": "\(inotify == nil ? "poll" : "inotify+rescan")"])
        if options.export {
            // Finish exports a crash may have left half done (numbered invoices, planned ERP files),
            // then export beside the files, on a thread of their own.
            do { _ = try exporter.run() } catch { logger.error("export failed: \(error)") }
            background = BackgroundExports(home: home, config: settings, batchSeconds: options.exportBatchSeconds,
                                           clock: options.clock, logger: logger)
        }
        while !shouldStop() {
            signals.turned(at: options.clock.monotonic(), mappingsUsable: ingestor.registry.mappings.count)
            step()
            while !shouldStop(), let job = try? queue.claim(now: now, leaseUntil: leaseUntil) { process(job) }
            background?.queueDrained()
        }
        // What landed is exported before the watcher stops (after another worker's export, if one runs).
        background?.finish()
        background = nil
        signals.beginStopping()
        logger.info("stopped")
    }

    /// The exports' thread while ``run(shouldStop:)`` runs.
    private var background: BackgroundExports?

    /// One look at the inbox: events, rescans, readiness, queueing.
    func step() {
        reloadMappingsIfChanged()
        reloadSettingsIfChanged()
        let t = options.clock.monotonic()
        let untilRescan = max(0, lastRescan + options.rescanInterval - t)
        let untilReady = readiness.nextCheck().map { max(0, $0 - t) } ?? untilRescan
        let timeout = min(1, max(0.01, min(untilRescan, untilReady)))
        var interesting = false
        if let inotify {
            for event in inotify.next(timeoutMs: Int32(timeout * 1000)) {
                interesting = true
                switch event {
                case .complete(let path): readiness.closed(path, now: options.clock.monotonic())
                case .newFolder(let folder):
                    for f in InboxScanner(inbox: URL(fileURLWithPath: folder), defaultSeller: "").folders() { startWatching(f) }
                }
            }
            interesting = interesting || inotify.needsRescan
            for p in inotify.problems where !reported.contains(p) {
                logger.warning("\(p)")
                reported.insert(p)
            }
        } else {
            options.clock.sleep(timeout)
        }
        let t2 = options.clock.monotonic()
        let due = t2 - lastRescan >= options.rescanInterval || readiness.nextCheck().map { $0 <= t2 } ?? false
        guard interesting || due || options.pollOnly else { return }
        if t2 - lastRescan >= options.rescanInterval {
            lastRescan = t2
            for folder in scanner.folders() + referenceScanner.folders() { startWatching(folder) }
        }
        let entries = scanner.scan() + referenceScanner.scan()
        readiness.retain(only: Set(entries.map(\.path)))
        // Checksums first, then one transaction for all: no lock is held while files are read.
        let ready = entries.filter { entry in
            // A file a writer still holds open is not ready.
            readiness.observe(entry.path, entry.stat, now: t2) && InboxScanner.isOpenForWriting(entry.path) != true
        }.compactMap(queueable)
        guard !ready.isEmpty else { return }
        do {
            try queue.together { for file in ready { enqueue(file) } }
        } catch {
            logLimited("cannot queue: \(error)", metadata: ["files": "\(ready.count)"])
        }
    }

    private var reported = Set<String>()

    /// Watches `folder`; files already in a folder watched only now were written unseen (a folder
    /// made and filled between two looks): they count as closed, so the short settle applies
    /// (the write-lease check still waits for a writer that holds one open).
    private func startWatching(_ folder: String) {
        guard let inotify, inotify.watch(folder) else { return }
        let t = options.clock.monotonic()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where !FileReadiness.isTemporaryName(name) {
            readiness.closed(folder + "/" + name, now: t)
        }
    }
    private var limiter = LogLimiter()

    /// Logs an error at most once a minute for the same message (the count of the others follows).
    func logLimited(_ message: String, metadata: Logger.Metadata) {
        if let line = limiter.admit(message, now: options.clock.monotonic()) { logger.error("\(line)", metadata: metadata) }
    }

    /// When a job put back may be tried again: 2, 4, 8 … seconds after this attempt, at most a minute.
    func retryTime(_ job: JobQueue.Job) -> String {
        let delay = Int64(1) << Int64(min(max(job.attempts, 1), 6))
        return Timestamp(epochSeconds: Int64(options.clock.wall().timeIntervalSince1970) + delay, utcOffsetSeconds: 0).description
    }

    /// A ready file as it is queued: where, whose, its checksum, or why it is refused.
    private struct QueueableFile {
        var relative: String
        var entry: InboxScanner.Entry
        var isReference: Bool
        var refusal: String?
        var sha256: String
    }

    /// What queueing `entry` takes, read before the queue's transaction; `nil` when it is gone.
    private func queueable(_ entry: InboxScanner.Entry) -> QueueableFile? {
        readiness.forget(entry.path)
        let relative = relativePath(entry.path)
        let isReference = Self.isReference(relative)
        // A file that cannot be read is queued all the same: it is retried, then set aside with the reason.
        let refusal = entry.refusal ?? (isReference ? nil : SellerCode.problem(entry.seller).map {
            "the seller folder \"\(SellerCode.printable(entry.seller))\" is not a valid seller code: \($0)"
        })
        let sha = refusal == nil ? (try? SHA256.hex(ofFile: entry.path)) ?? "" : ""
        // Gone since the scan (another worker sharing the inbox took it): nothing to queue.
        if sha.isEmpty && refusal == nil && !FileManager.default.fileExists(atPath: entry.path) { return nil }
        return QueueableFile(relative: relative, entry: entry, isReference: isReference, refusal: refusal, sha256: sha)
    }

    private func enqueue(_ file: QueueableFile) {
        let meta: Logger.Metadata = ["file.name": "\(SellerCode.printable(file.relative))"]
        do {
            if try queue.enqueue(path: file.relative, seller: file.refusal == nil && !file.isReference ? file.entry.seller : "",
                                 size: file.entry.stat.size, sha256: file.sha256, referenceData: file.refusal == nil && file.isReference,
                                 refusal: file.refusal, now: now) != nil {
                logger.debug("queued", metadata: meta)
            }
        } catch {
            logLimited("cannot queue: \(error)", metadata: meta)
        }
    }

    /// Whether a path of the home (`reference/userlist.zip`) is reference data, for no seller.
    static func isReference(_ relative: String) -> Bool { relative.hasPrefix("reference/") }

    func relativePath(_ path: String) -> String {
        let root = home.root.path + "/"
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }

    /// Ingests and moves one queued file, and has what landed exported: by the exports' thread
    /// while ``run(shouldStop:)`` runs, else (a replay) at once. `nil` when there was no file to ingest.
    @discardableResult
    func process(_ job: JobQueue.Job) -> IngestReport? {
        let started = options.clock.monotonic()
        // A large file waits for a running export, and none starts while it is written: it has the
        // database to itself (``OrderStore/withDatabaseToItself(_:)``).
        let handled: IngestReport?
        if let background, job.size >= ingestor.limits.exclusiveIngestBytes {
            handled = background.paused { handle(job) }
        } else {
            handled = handle(job)
        }
        guard var report = handled else { return nil }
        if options.export && report.landedAny {
            if let background {
                background.landed()
            } else {
                // A replayed file: its invoices are written before the replay returns.
                report.exportFailures = exportNow(after: job.path)
            }
        }
        let quarantined = report.error.map { [.refused, .crashed].contains($0.code) } ?? false
        signals.finished(WatcherSignals.FinishedFile(
            seller: job.seller, mapping: report.mapping ?? "none", platform: ingestor.registry.platform(of: report.mapping),
            outcome: quarantined ? "quarantined" : report.status.rawValue, landed: report.ordersWritten + report.recordsWritten,
            rejected: report.rejectedCount, warned: report.warningCount, seconds: options.clock.monotonic() - started))
        return report
    }

    private func handle(_ job: JobQueue.Job) -> IngestReport? {
        let absolute = home.root.appendingPathComponent(job.path).path
        var meta: Logger.Metadata = ["file.name": "\(SellerCode.printable(job.path))", "seller": "\(job.seller)"]
        guard FileManager.default.fileExists(atPath: absolute) else {
            if let d = job.destination, FileManager.default.fileExists(atPath: home.root.appendingPathComponent(d).path) {
                try? queue.finish(job, state: .done, outcome: "moved to \(d) before a restart", error: nil, now: now)
            } else if (try? queue.discardIfHandledElsewhere(job)) == true {
                // Another worker sharing the inbox took the file first.
            } else {
                try? queue.finish(job, state: .failed, outcome: "", error: "the file disappeared before it was processed", now: now)
                logger.warning("file disappeared before processing", metadata: meta)
            }
            return nil
        }
        // Held open from here to the archive: a link renamed over the name meanwhile changes nothing.
        let held = try? SourceFile.hold(absolute)
        defer { held?.release() }
        // The lease is renewed while the file is worked on (PostgreSQL: SQLite's workers share one
        // machine and are told apart by their processes), and checked before the file commits.
        let keeper = home.store.isShared ? LeaseKeeper(jobID: job.id, store: home.store, worker: queue.worker,
                                                       leaseSeconds: options.leaseSeconds, clock: options.clock) : nil
        defer { keeper?.stop() }
        ingestor.commitGuard = { [queue, path = job.path] in
            guard try queue.holdsLease(job.id) else {
                throw IngestError(.store, file: path, "another worker took this file over (this worker's lease on it ran out); "
                                    + "what this worker did with it is rolled back")
            }
        }
        defer { ingestor.commitGuard = nil }
        let report: IngestReport
        if !isInPlace(held, job) {
            // A folder on its way was swapped for a link: the file is elsewhere, perhaps another seller's.
            let reason = IngestError(.refused, file: job.path, "the file was reached through a symbolic link "
                                        + "(a folder of its path was replaced by a link); only files inside the inbox are taken")
            report = IngestReport(file: absolute, seller: job.seller, status: .failed, error: reason)
            logger.error("set aside: \(reason.message)", metadata: meta)
        } else if let reason = setAside(job) {
            report = IngestReport(file: absolute, seller: job.seller, status: .failed, error: reason)
            logger.error("set aside: \(reason.message)", metadata: meta)
        } else {
            CrashRecorder.arm(job.id)
            // Fault injection for the crash tests: a real trap while this file is in hand.
            if let name = ProcessInfo.processInfo.environment["PRA_FAULT_CRASH_ON"], !name.isEmpty, job.path.hasSuffix(name) {
                fatalError("PRA_FAULT_CRASH_ON: injected crash on \(name)")
            }
            report = Self.isReference(job.path) ? ingestor.ingestReference(path: absolute)
                : ingestor.ingest(path: absolute, seller: job.seller, jobID: job.id, force: job.force)
            CrashRecorder.arm(0)
            if let users = report.userListUsers {
                logger.notice("GİB user list replaced", metadata: meta.merging([
                    "users": "\(users)", "users.before": "\(report.userListUsersBefore.map(String.init) ?? "none")",
                ]) { a, _ in a })
            }
        }
        if let m = report.mapping { meta["platform"] = "\(m)" }
        if report.hadDatabaseToItself { meta["database"] = "to itself" }
        if let e = report.error, [.unreadable, .store].contains(e.code), job.attempts < options.maxAttempts {
            logger.warning("will retry: \(e.code.rawValue)", metadata: meta)
            try? queue.finish(job, state: .pending, outcome: "", error: e.message, retryAt: retryTime(job), now: now)
            return report
        }
        do {
            try settle(job, report: report, absolute: absolute, held: held)
            logger.info("\(report.status.rawValue)", metadata: meta.merging([
                "orders": "\(report.ordersWritten)", "lines": "\(report.linesWritten)",
                "rejected": "\(report.rejectedCount)",
            ]) { a, _ in a })
        } catch where job.attempts < options.maxAttempts {
            logLimited("cannot move the file, will retry: \(error)", metadata: meta)
            try? queue.finish(job, state: .pending, outcome: "", error: "cannot move: \(error)", retryAt: retryTime(job), now: now)
        } catch {
            // It would fail the same way again: the job ends, and the same content under that name is not taken again.
            logLimited("cannot move the file; it stays where it is and is not taken again until it changes: \(error)",
                       metadata: meta)
            try? queue.finish(job, state: .failed, outcome: report.summary, error: "cannot move the file out of the inbox: \(error)",
                              leftInPlace: true, result: report.jobResult, now: now)
        }
        return report
    }

    /// Runs files again after a fix (a mapping edit, a corrected `pra.yaml`): each goes through the
    /// same steps as a dropped file and ends in `archive/` or `failed/`. A file in `failed/` belongs
    /// to the seller whose file it was; its old reports are replaced. A file elsewhere in the home
    /// (an archived one) is ingested even though its content landed before.
    public func replay(_ path: String, seller explicitSeller: String?) throws -> IngestReport? {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let relative = relativePath(absolute)
        guard relative != absolute else {
            // A file kept elsewhere (the export an admin fixed the mapping for): read in place, never
            // moved, and ingested even though its content landed before, superseding that ingest.
            guard FileManager.default.fileExists(atPath: absolute) else { return nil }
            var report = ingestor.ingest(path: absolute, seller: explicitSeller ?? scanner.defaultSeller, force: true)
            if options.export && report.landedAny { report.exportFailures = exportNow(after: absolute) }
            return report
        }
        let inFailed = relative.hasPrefix("failed/")
        let seller = try explicitSeller ?? queue.seller(ofFileMovedTo: relative) ?? scanner.defaultSeller
        let size = InboxScanner.stat(absolute)?.readiness.size ?? 0
        guard let id = try queue.enqueue(path: relative, seller: seller, size: size, sha256: try SHA256.hex(ofFile: absolute),
                                         force: !inFailed, now: now),
              let job = try queue.claim(id: id, now: now, leaseUntil: leaseUntil) else {
            throw IngestError(.internal, file: path, "the file is already queued")
        }
        let report = process(job)
        if inFailed, let report, report.status == .ingested || report.status == .duplicate {
            for suffix in [".error.txt", ".rejects.csv"] { try? FileManager.default.removeItem(atPath: absolute + suffix) }
        }
        return report
    }

    /// Runs the exports on this thread after the replayed file at `path`, waiting for another
    /// worker's to end (a replay is a command of its own: its invoices are written when it
    /// returns). Returns what stopped, also logged with the file's name.
    private func exportNow(after path: String) -> [String] {
        let meta: Logger.Metadata = ["file.name": "\(SellerCode.printable(path))"]
        do {
            let r = try exporter.run()
            for w in r.warnings { logger.warning("\(w)") }
            for f in r.failures { logger.error("\(f)", metadata: meta) }
            return r.failures
        } catch {
            logLimited("export failed: \(error)", metadata: meta)
            return ["export failed: \(error)"]
        }
    }

    /// The files waiting in `failed/` (not the reports beside them), oldest name first.
    public var failedFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: home.failed.path)) ?? []).sorted()
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".error.txt") && !$0.hasSuffix(".rejects.csv") }
            .map { home.failed.appendingPathComponent($0).path }
    }

    /// Why a job is not even tried: a refused place, or a file that brought the process down too often.
    private func setAside(_ job: JobQueue.Job) -> IngestError? {
        if let refusal = job.refusal { return IngestError(.refused, file: job.path, refusal) }
        if job.crashes >= options.maxCrashes {
            return IngestError(.crashed, file: job.path,
                               "this file crashed the process \(job.crashes) times; it was set aside so other files keep flowing "
                                + "(a bug in PraIngest: please report it with the file)")
        }
        if job.attempts > options.maxInterruptions {
            return IngestError(.crashed, file: job.path,
                               "processing this file was interrupted \(job.attempts - 1) times; it was set aside so other files keep flowing")
        }
        return nil
    }

    /// Moves the file where its outcome says, writes the seller's reports, ends the job.
    private func settle(_ job: JobQueue.Job, report: IngestReport, absolute: String, held: SourceFile.Held?) throws {
        let name = (absolute as NSString).lastPathComponent
        let today = DateFormat.instant(epochSeconds: Int64(options.clock.wall().timeIntervalSince1970), zone: Exporter.istanbul).local
        let folder: URL
        switch report.status {
        case .duplicate: folder = mover.duplicatesFolder
        case .failed: folder = home.failed
        case .ingested, .partial: folder = mover.archiveFolder(for: (today.year, today.month, today.day))
        }
        // A replayed file from failed/ that fails again stays where it is, its reports replaced.
        let alreadyFailed = (absolute as NSString).deletingLastPathComponent == home.failed.path
        let destination = alreadyFailed && report.status == .failed
            ? URL(fileURLWithPath: absolute) : mover.freeDestination(for: name, in: folder)
        let relative = relativePath(destination.path)
        try queue.setDestination(job, relative, now: now)
        if report.status == .failed || report.status == .partial {
            let reportBase = alreadyFailed ? name : report.status == .failed ? destination.lastPathComponent
                : mover.freeDestination(for: name, in: home.failed).lastPathComponent
            let writer = OutboxWriter(root: home.root)
            let local = DateFormat.instant(epochSeconds: Int64(options.clock.wall().timeIntervalSince1970), zone: Exporter.istanbul).description
            try writer.write(Array(FailureReport.errorText(report: report, originalName: name, movedTo: relative, at: local).utf8),
                             folder: "failed", name: reportBase + ".error.txt")
            if let rejects = FailureReport.rejectsCSV(report: report) {
                try writer.write(rejects, folder: "failed", name: reportBase + ".rejects.csv")
            }
        }
        if destination.path != absolute {
            guard FileManager.default.fileExists(atPath: absolute) || report.status == .failed else {
                // Removed from the inbox while it was read: what it held has landed all the same.
                try queue.finish(job, state: .done, outcome: report.summary + " (the file was removed from the inbox "
                                    + "before it could be archived)", error: nil, result: report.jobResult, now: now)
                return
            }
            if !isInPlace(held, job) {
                // Something else was put under its name while it was read: that is a new file (or a link,
                // refused when it is scanned), never archived as this one.
                try queue.finish(job, state: report.status == .failed ? .failed : .done, outcome: report.summary
                                    + " (the file was replaced in the inbox while it was read; what was read is reported here)",
                                 error: report.error?.message, result: report.jobResult, now: now)
                return
            }
            try mover.move(absolute, to: destination)
        }
        try queue.finish(job, state: report.status == .failed ? .failed : .done, outcome: report.summary,
                         error: report.error?.message, result: report.jobResult, now: now)
    }

    /// Whether the job's name still names the held file, reached through no link on the way (no
    /// file held: whether its folder is reached through none), so moving that name moves this file.
    private func isInPlace(_ held: SourceFile.Held?, _ job: JobQueue.Job) -> Bool {
        let expected = canonicalRoot + "/" + job.path
        if let held { return held.isStillAtItsName && held.resolvedPath == expected }
        let folder = home.root.appendingPathComponent(job.path).deletingLastPathComponent()
        return folder.resolvingSymlinksInPath().path == (expected as NSString).deletingLastPathComponent
    }

    /// Reloads the mappings when a file in `mappings/` changed; a broken edit keeps the last good version.
    private func reloadMappingsIfChanged() {
        let stamp = Self.stamp(home.mappings)
        guard stamp != mappingsStamp else { return }
        mappingsStamp = stamp
        ingestor.registry = ingestor.registry.reloaded(from: home.mappings)
        logger.info("mappings reloaded", metadata: ["count": "\(ingestor.registry.mappings.count)"])
        for p in ingestor.registry.problems { logger.error("mapping edit not applied (last good version stays): \(p)") }
        if !ingestor.registry.problems.isEmpty { signals.mappingReloadFailed() }
    }

    /// Takes an edited `pra.yaml` once it loads; a broken edit is logged at once and the settings
    /// in force stay (also across restarts, through the last good copy).
    private func reloadSettingsIfChanged() {
        let stamp = Self.configStamp(home)
        guard stamp != configStamp else { return }
        configStamp = stamp
        do {
            let (config, problem) = try Configuration.loadKeepingLastGood(home: home)
            if let problem {
                logger.error("pra.yaml edit not applied (the last good settings stay): \(problem)")
                return
            }
            ingestor.apply(config)
            settings = config
            exporter = Exporter(store: ingestor.store, config: config, outbox: home.outbox)
            background?.reconfigure(config)
            scanner = InboxScanner(inbox: home.inbox, defaultSeller: config.defaultSeller)
            logger.info("settings reloaded from pra.yaml")
        } catch {
            logger.error("pra.yaml edit not applied (the settings in force stay): \(error)")
        }
    }

    static func configStamp(_ home: Home) -> String {
        InboxScanner.stat(home.configFile.path).map { "\($0.readiness.size):\($0.readiness.modified):\($0.readiness.inode)" } ?? ""
    }

    static func stamp(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted().compactMap { name in
            InboxScanner.stat(folder.appendingPathComponent(name).path).map { "\(name):\($0.readiness.size):\($0.readiness.modified)" }
        }
    }
}
