import Glibc

/// Linux inotify over the inbox tree: close-after-write, renamed-in and new folders. Events only
/// say *where to look*; completeness is still decided by ``FileReadiness``, and a periodic rescan
/// covers what inotify cannot see (network shares, a full event queue).
final class InotifyWatcher {
    private let fd: Int32
    private var watches: [Int32: String] = [:]
    private var watched: Set<String> = []
    /// Set when the kernel dropped events or a watch could not be added: rescan everything.
    private(set) var needsRescan = false
    /// Why a folder could not be watched (e.g. the inotify watch limit), to report once.
    private(set) var problems: [String] = []

    enum Event: Equatable {
        /// A file was closed after writing, or renamed into a watched folder.
        case complete(String)
        /// A folder appeared (now watched too).
        case newFolder(String)
    }

    init?() {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd < 0 { return nil }
    }

    deinit { close(fd) }

    /// Watches `folder`; true when it was not watched before (its files may have been written
    /// before any event could be seen).
    @discardableResult
    func watch(_ folder: String) -> Bool {
        guard !watched.contains(folder) else { return false }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF | IN_ONLYDIR)
        let wd = inotify_add_watch(fd, folder, mask)
        if wd < 0 {
            if errno == ENOSPC {
                problems.append("cannot watch \(folder): the inotify watch limit is reached "
                                + "(raise fs.inotify.max_user_watches); polling it instead")
            }
            needsRescan = true
            return false
        }
        watches[wd] = folder
        watched.insert(folder)
        return true
    }

    /// Waits up to `timeoutMs` for events and returns them.
    func next(timeoutMs: Int32) -> [Event] {
        needsRescan = false
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, timeoutMs) > 0 else { return [] }
        var events: [Event] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            var offset = 0
            while offset < n {
                let (wd, mask, length, name) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int, String) in
                    let e = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let bytes = raw[nameStart..<(nameStart + Int(e.len))].prefix { $0 != 0 }
                    return (e.wd, e.mask, Int(e.len), String(decoding: bytes, as: UTF8.self))
                }
                offset += MemoryLayout<inotify_event>.size + length
                if mask & UInt32(IN_Q_OVERFLOW) != 0 { needsRescan = true; continue }
                if mask & UInt32(IN_IGNORED) != 0, let folder = watches.removeValue(forKey: wd) {
                    watched.remove(folder)
                    continue
                }
                guard let folder = watches[wd], !name.isEmpty else { continue }
                let path = folder + "/" + name
                if mask & UInt32(IN_ISDIR) != 0 {
                    if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { events.append(.newFolder(path)) }
                } else if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 {
                    events.append(.complete(path))
                }
            }
        }
        return events
    }
}
