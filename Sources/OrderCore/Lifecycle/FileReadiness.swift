/// Decides when a dropped file is complete enough to read: the read lock of the watcher.
///
/// A file is ready when its size, modification time and inode have not changed for
/// ``settle`` seconds of observation — measured from when *we* first saw that state, not from
/// the file's mtime, because a Windows copy keeps the source's old mtime. A close-after-write
/// or rename-into event (inotify) shortens the wait to ``settleAfterClose``. Pure value type:
/// the caller supplies the clock, so it is tested without sleeping.
public struct FileReadiness: Sendable {
    /// What the file system says about a file.
    public struct Stat: Sendable, Equatable {
        public var size: Int64
        public var modified: Int64
        public var inode: UInt64
        public init(size: Int64, modified: Int64, inode: UInt64) {
            self.size = size
            self.modified = modified
            self.inode = inode
        }
    }

    struct Observation: Sendable {
        var stat: Stat
        var since: Double
        var closed: Bool
    }

    /// Seconds a file must stay unchanged when no close event was seen (polling, network shares).
    public var settle: Double
    /// Seconds a file must stay unchanged after its writer closed it or it was renamed in.
    public var settleAfterClose: Double
    private var observations: [String: Observation] = [:]

    public init(settle: Double = 2, settleAfterClose: Double = 0.05) {
        self.settle = settle
        self.settleAfterClose = settleAfterClose
    }

    /// The writer closed the file, or it was renamed into place (an inotify event).
    public mutating func closed(_ path: String, now: Double) {
        if var o = observations[path] {
            o.closed = true
            o.since = min(o.since, now)
            observations[path] = o
        } else {
            observations[path] = Observation(stat: Stat(size: -1, modified: 0, inode: 0), since: now, closed: true)
        }
    }

    /// Records what a scan saw; returns whether the file is ready to be taken now.
    public mutating func observe(_ path: String, _ stat: Stat, now: Double) -> Bool {
        guard let previous = observations[path] else {
            observations[path] = Observation(stat: stat, since: now, closed: false)
            return settle <= 0
        }
        if previous.stat != stat {
            // Changed since last look: start over, keeping a close event only if it came with this state.
            observations[path] = Observation(stat: stat, since: now, closed: previous.closed && previous.stat.size < 0)
            return false
        }
        let wait = previous.closed ? settleAfterClose : settle
        return now - previous.since >= wait
    }

    /// Forgets a file (taken, or gone).
    public mutating func forget(_ path: String) { observations[path] = nil }

    /// Forgets every file not in `present` (deleted or moved away since).
    public mutating func retain(only present: Set<String>) {
        observations = observations.filter { present.contains($0.key) }
    }

    /// The earliest moment one of the watched files could become ready (possibly already
    /// past), to sleep until then; `nil` when nothing is being watched.
    public func nextCheck() -> Double? {
        observations.values.map { $0.since + ($0.closed ? settleAfterClose : settle) }.min()
    }

    /// Whether the name is one writers use while a file is incomplete, or hidden.
    public static func isTemporaryName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return name.hasPrefix(".") || name.hasPrefix("~$") || lower.hasSuffix(".tmp") || lower.hasSuffix(".part")
            || lower.hasSuffix(".crdownload") || lower.hasSuffix(".partial") || lower.hasSuffix(".filepart")
    }
}
