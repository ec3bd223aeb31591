import Glibc
import Synchronization

/// Tells a crash apart from a kill. While a queued file is processed, its job id is armed; a
/// fatal signal (a Swift trap is SIGILL or SIGTRAP; SIGSEGV, SIGBUS, SIGFPE, SIGABRT) appends
/// `<job id>\n` to `<home>/.pra-crashes` with async-signal-safe calls only, then hands the
/// signal back to the handler that was there before (Swift's backtracer) and the process dies.
/// On the next start the watcher counts those crashes per job: a file that crashed the process
/// `maxCrashes` times is set aside in `failed/`, while a `kill -9` (no signal handler runs) only
/// resumes the job. A crash on the exports' thread is no file's doing: it counts as a kill.
enum CrashRecorder {
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]
    private static let armedJob = Atomic<Int64>(0)
    private static let fd = Atomic<Int32>(-1)
    private static let installed = Atomic<Bool>(false)
    nonisolated(unsafe) private static var previous: [Int32: sigaction] = [:]
    /// Set on a thread whose crash is never the file in hand's (``exemptThisThread()``).
    private static let exemptKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Opens the crash log and installs the handlers (once per process).
    static func install(log path: String) {
        let f = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        let old = fd.exchange(f, ordering: .sequentiallyConsistent)
        if old >= 0 { close(old) }
        guard !installed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        _ = exemptKey // made now: the handler only reads it
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in CrashRecorder.record(sig) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_NODEFER
            var before = sigaction()
            sigaction(sig, &action, &before)
            previous[sig] = before
        }
    }

    /// The job in hand (0: none).
    static func arm(_ job: Int64) { armedJob.store(job, ordering: .sequentiallyConsistent) }

    /// Whether a job is armed now (the crash tests' fault injection waits for one).
    static var hasArmedJob: Bool { armedJob.load(ordering: .sequentiallyConsistent) != 0 }

    /// A crash of the calling thread (the exports') is not blamed on the file in hand.
    static func exemptThisThread() { pthread_setspecific(exemptKey, UnsafeRawPointer(bitPattern: 1)) }

    private static func record(_ sig: Int32) {
        let job = pthread_getspecific(exemptKey) == nil ? armedJob.exchange(0, ordering: .sequentiallyConsistent) : 0
        let f = fd.load(ordering: .sequentiallyConsistent)
        if job > 0 && f >= 0 {
            // Digits by hand: no allocation in a signal handler.
            var buffer: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                         UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &buffer) { raw in
                var n = job, i = 20
                raw[i] = UInt8(ascii: "\n")
                repeat {
                    i -= 1
                    raw[i] = UInt8(48 + n % 10)
                    n /= 10
                } while n > 0 && i > 0
                _ = write(f, raw.baseAddress! + i, 21 - i)
                fsync(f)
            }
        }
        // Back to the handler that was there before; returning re-runs the faulting instruction
        // (or, for a raised signal, lets it take its course).
        if var before = previous[sig] {
            sigaction(sig, &before, nil)
        } else {
            signal(sig, SIG_DFL)
        }
        if sig == SIGABRT || sig == SIGTRAP { raise(sig) }
    }

    /// The job ids that crashed the process, one per crash, read and cleared.
    static func takeCrashes(log path: String) -> [Int64] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        _ = truncate(path, 0)
        return text.split(separator: "\n").compactMap { Int64($0) }
    }
}
