import Synchronization

/// What a running watcher tells the rest of its process (the HTTP side): when its loop last
/// turned, how many mappings are usable, how often a mapping edit failed, whether a shutdown has
/// begun, and each file it finished. Times are the watcher's monotonic seconds.
public final class WatcherSignals: Sendable {
    /// One file the watcher finished, as metrics count it (seller codes and mapping names only).
    public struct FinishedFile: Sendable {
        public var seller: String
        public var mapping: String
        public var platform: String
        /// ingested, partial, duplicate, failed, quarantined (refused or set aside unread).
        public var outcome: String
        public var landed: Int
        public var rejected: Int
        public var warned: Int
        public var seconds: Double
    }

    private struct State {
        var lastTurn: Double?
        var mappingsUsable = 0
        var mappingReloadErrors = 0
        var stopping = false
        var onFinished: (@Sendable (FinishedFile) -> Void)?
    }

    private let state = Mutex(State())
    private let clock: WatcherClock

    public init(clock: WatcherClock = .system) {
        self.clock = clock
    }

    /// The monotonic time the watcher's loop last turned; `nil` before its first turn.
    public var lastTurn: Double? { state.withLock { $0.lastTurn } }

    /// Whether the loop turned within the last `seconds`, by the watcher's own clock.
    public func turned(within seconds: Double) -> Bool {
        guard let turn = lastTurn else { return false }
        return clock.monotonic() - turn < seconds
    }
    public var mappingsUsable: Int { state.withLock { $0.mappingsUsable } }
    public var mappingReloadErrors: Int { state.withLock { $0.mappingReloadErrors } }
    /// Set once a stop was asked for: readiness turns false, new uploads are refused.
    public var stopping: Bool { state.withLock { $0.stopping } }

    /// Called for every finished file (on the watcher's thread).
    public func onFinished(_ body: @escaping @Sendable (FinishedFile) -> Void) { state.withLock { $0.onFinished = body } }

    public func beginStopping() { state.withLock { $0.stopping = true } }

    func turned(at time: Double, mappingsUsable: Int) {
        state.withLock {
            $0.lastTurn = time
            $0.mappingsUsable = mappingsUsable
        }
    }

    func mappingReloadFailed() { state.withLock { $0.mappingReloadErrors += 1 } }

    func finished(_ file: FinishedFile) {
        let body = state.withLock { $0.onFinished }
        body?(file)
    }
}
