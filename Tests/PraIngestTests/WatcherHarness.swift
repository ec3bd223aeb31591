import Foundation
import Logging
import OrderStore
@testable import PraIngest
import Synchronization
import OrderCore
import Testing

/// A watcher running in-process on its own thread over a test home, stopped on demand.
final class RunningWatcher: Sendable {
    final class Flags: Sendable {
        let stop = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
    }
    private let flags = Flags()

    init(home: Home, options: Watcher.Options) {
        let flags = self.flags
        let thread = Thread {
            do {
                let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
                let watcher = try Watcher(home: home, options: options, logger: logger)
                watcher.run { flags.stop.load(ordering: .relaxed) }
            } catch {
                Issue.record("watcher did not start: \(error)")
            }
            flags.finished.store(true, ordering: .relaxed)
        }
        thread.start()
    }

    /// Asks the watcher to stop and waits until it has.
    func stop() {
        flags.stop.store(true, ordering: .relaxed)
        waitUntil(timeout: 10) { flags.finished.load(ordering: .relaxed) }
    }
}

/// Polls `condition` every 20 ms; false when `timeout` seconds pass first.
@discardableResult
func waitUntil(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

extension TestHome {
    /// Jobs in the queue by state.
    func jobs(_ state: String) throws -> Int64 {
        try scalar("SELECT count(*) FROM is_kuyrugu WHERE durum = '\(state)'")
    }

    /// Writes `bytes` at `relative` (creating folders) in one go.
    func drop(_ relative: String, _ bytes: Data) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: url)
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path)
    }

    /// Every file under `folder`, relative to it.
    func files(under folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path)?.compactMap { $0 as? String } ?? [])
            .filter { !FileManager.default.isDirectory(root.appendingPathComponent(folder).appendingPathComponent($0).path) }
            .sorted()
    }

    var today: String {
        let t = DateFormat.instant(epochSeconds: Int64(Date().timeIntervalSince1970), zone: TimeZone(identifier: "Europe/Istanbul")!).local
        return String(format: "%04d/%02d/%02d", t.year, t.month, t.day)
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var d: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }
}

/// Quick settings for tests: short settle and rescan times.
func fastOptions(poll: Bool = false, settle: Double = 0.3) -> Watcher.Options {
    var o = Watcher.Options()
    o.settle = settle
    o.settleAfterClose = 0.05
    o.rescanInterval = poll ? 0.1 : 0.5
    o.pollOnly = poll
    return o
}
