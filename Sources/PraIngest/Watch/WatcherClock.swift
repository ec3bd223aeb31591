import Foundation
import Glibc
import OrderCore

/// The watcher's time: a monotonic clock for its decisions (settle, rescans, back-off, liveness),
/// the wall clock for what it records, and how it waits. Injected, so that tests drive a watcher
/// through time without sleeping.
public struct WatcherClock: Sendable {
    /// Seconds of a clock that never goes back.
    public var monotonic: @Sendable () -> Double
    /// The date now.
    public var wall: @Sendable () -> Date
    /// Waits this many seconds (when no inotify event can wake the loop sooner).
    public var sleep: @Sendable (Double) -> Void

    public init(monotonic: @escaping @Sendable () -> Double, wall: @escaping @Sendable () -> Date,
                sleep: @escaping @Sendable (Double) -> Void) {
        self.monotonic = monotonic
        self.wall = wall
        self.sleep = sleep
    }

    /// The machine's clocks.
    public static let system = WatcherClock(monotonic: { Watcher.monotonic() }, wall: { Date() },
                                            sleep: { usleep(useconds_t(max(0, $0) * 1_000_000)) })

    /// The wall clock as the queue stores it (UTC).
    var nowStamp: String { Self.stamp(wall()) }

    /// A date as the queue stores it (UTC, to the second).
    static func stamp(_ date: Date) -> String {
        Timestamp(epochSeconds: Int64(date.timeIntervalSince1970), utcOffsetSeconds: 0).description
    }
}
