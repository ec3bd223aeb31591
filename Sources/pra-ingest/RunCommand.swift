import ArgumentParser
import Foundation
import Logging
import PraIngest
import Server
import Synchronization

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch inbox/ and ingest every file dropped there, until SIGTERM or SIGINT.",
        discussion: """
            Files in inbox/<seller>/ belong to that seller; files directly in inbox/ to pra.yaml's default_seller.
            A file is taken once it is complete (unchanged for --settle seconds, or closed by its writer), then
            moved to archive/YYYY/MM/DD/ (archive/duplicates/ for content already ingested) or failed/ with a report.
            """
    )

    @OptionGroup var options: HomeOptions

    @Flag(help: "Poll the inbox instead of using inotify (network shares).")
    var poll = false

    @Option(help: "Seconds a file must stay unchanged before it is taken.")
    var settle: Double = 2

    @Option(help: "Seconds between full rescans of the inbox.")
    var rescan: Double = 5

    @Flag(help: "Do not run the exports after each file.")
    var noExport = false

    @Option(help: "Log level.")
    var logLevel: Logger.Level = .info

    @Option(help: ArgumentHelp(
        "HOST:PORT for health, metrics, the status page and uploads, or off. Default: http.listen in pra.yaml, else 127.0.0.1:8470.",
        discussion: "When the default address is taken (another worker of this machine serves it), this worker runs without HTTP."))
    var listen: String?

    @Option(help: ArgumentHelp(
        "Seconds a claimed file stays this worker's without renewal (renewed every third of it while worked on).",
        discussion: "Workers sharing a PostgreSQL store take over a dead worker's file of another machine after this long."))
    var lease: Double = 30

    func run() throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        var opts = Watcher.Options()
        opts.pollOnly = poll
        opts.settle = settle
        opts.rescanInterval = rescan
        opts.export = !noExport
        guard lease >= 3 else { throw ValidationError("--lease takes 3 seconds or more") }
        opts.leaseSeconds = lease
        let logger = Logger(label: "pra-ingest")
        let home = try options.openHome()
        let watcher = try Watcher(home: home, options: opts, logger: logger)
        Self.handleStopSignals()
        let http = try startHTTP(home: home, watcher: watcher, logger: logger)
        watcher.run { stopRequested.load(ordering: .relaxed) }
        if let http {
            // The file in hand is finished; uploads being received may finish for up to 10 s more.
            http.server.waitForUploads(seconds: 10)
            http.trigger.trigger()
            _ = http.stopped.wait(timeout: .now() + 10)
        }
    }

    /// Starts the HTTP side beside the watcher, unless `--listen off`; waits until it listens.
    private func startHTTP(home: Home, watcher: Watcher, logger: Logger) throws
        -> (server: PraServer, trigger: ShutdownTrigger, stopped: DispatchSemaphore)? {
        let address = listen ?? watcher.settings.http.listen
        guard address != "off" else { return nil }
        guard let (host, port) = Configuration.HTTPSettings.hostAndPort(address) else {
            throw ValidationError("--listen takes HOST:PORT (127.0.0.1:8470) or off")
        }
        let server = try PraServer(home: home, config: watcher.settings, signals: watcher.signals, version: PraIngestCommand.version,
                                   logger: logger, stopping: { stopRequested.load(ordering: .relaxed) })
        let trigger = ShutdownTrigger()
        let listening = DispatchSemaphore(value: 0), stopped = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        Task(executorPreference: ServerExecutor()) {
            do {
                try await server.run(host: host, port: port, onRunning: { bound in
                    logger.info("http listening", metadata: ["address": "\(host):\(bound)"])
                    listening.signal()
                }, until: trigger)
            } catch {
                failure.withLock { $0 = error }
                listening.signal()
            }
            stopped.signal()
        }
        _ = listening.wait(timeout: .now() + 30)
        if let error = failure.withLock({ $0 }) {
            if listen == nil, "\(error)".contains(String(cString: strerror(EADDRINUSE))) {
                // Several workers on one machine: the first serves HTTP, the others work the queue.
                logger.warning("""
                    http: \(address) is taken (another worker of this machine?); this worker runs without HTTP \
                    (--listen HOST:PORT gives it its own)
                    """)
                return nil
            }
            throw ValidationError("cannot listen on \(address): \(error)")
        }
        return (server, trigger, stopped)
    }

    /// SIGTERM and SIGINT ask the loop to stop after the file in hand. The signals are also
    /// unblocked: a daemon started by another program may inherit a mask that blocks them.
    static func handleStopSignals() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in stopRequested.store(true, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGTERM, SIGINT] {
            sigaction(sig, &action, nil)
            sigaddset(&unblock, sig)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}

/// Set by the signal handler (async-signal-safe: one atomic store), read by the watcher loop.
let stopRequested = Atomic<Bool>(false)

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Queue depth, the last files and their outcome, errors per seller and mapping, orders per platform."
    )

    @OptionGroup var options: HomeOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let report = try StatusReport.read(home: try options.openHome())
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text, terminator: "")
        }
    }
}

/// `--log-level`: an unknown level is refused, and the help lists every level.
extension Logger.Level: @retroactive ExpressibleByArgument {}
