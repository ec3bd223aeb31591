import Foundation
import Glibc

/// How PraIngest opens the files it reads: never through a symbolic link, only regular files,
/// and a file the pipeline holds (``hold(_:)``) always from the descriptor it was opened as.
///
/// A seller can rename a link over their own file between the scan and the read. While a file
/// is held, every reader, the checksum and the archive move reach the inode that was opened
/// and checked first (through `/proc/self/fd`), whatever its name points to by then.
public enum SourceFile {
    /// A file held open for the whole time it is handled.
    public final class Held: @unchecked Sendable {
        public let path: String
        public let descriptor: Int32
        /// Identity of the opened file, to tell whether its name still names it.
        public let device: UInt64
        public let inode: UInt64
        public let size: Int64

        init(path: String, descriptor: Int32, stat s: stat) {
            self.path = path
            self.descriptor = descriptor
            device = UInt64(s.st_dev)
            inode = UInt64(s.st_ino)
            size = Int64(s.st_size)
        }

        /// Whether `path` still names the file that was opened (not a link, not another file).
        public var isStillAtItsName: Bool {
            var s = Glibc.stat()
            return lstat(path, &s) == 0 && UInt64(s.st_dev) == device && UInt64(s.st_ino) == inode
        }

        /// Where the opened file really is (every link in its folders resolved), as the kernel names it.
        public var resolvedPath: String? {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
            guard n > 0 else { return nil }
            return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }

        /// Ends this hold; the descriptor closes with the last hold of the path.
        public func release() { SourceFile.table.release(path) }
    }

    /// Opens `path` once, without following a link, checks it is a regular file, and keeps it open:
    /// until ``Held/release()``, ``open(_:)`` of the same path reads this descriptor's file. A path
    /// held already is held again (counted) on the same descriptor.
    public static func hold(_ path: String) throws(ParseError) -> Held {
        if let held = table.retain(path) { return held }
        let fd = try openChecked(path)
        var s = Glibc.stat()
        fstat(fd, &s)
        return table.insert(Held(path: path, descriptor: fd, stat: s))
    }

    /// Holds a file this process made itself (an unlinked temporary file) under `path`; the hold
    /// owns `descriptor` and closes it on release.
    public static func adopt(_ descriptor: Int32, as path: String) -> Held {
        var s = Glibc.stat()
        fstat(descriptor, &s)
        return table.insert(Held(path: path, descriptor: descriptor, stat: s))
    }

    /// A new read-only descriptor for `path` (the caller closes it): the held file when it is
    /// held, else the file itself, refused when it is a symbolic link or not a regular file.
    public static func open(_ path: String) throws(ParseError) -> Int32 {
        if let held = table.lookup(path) {
            let fd = Glibc.open("/proc/self/fd/\(held.descriptor)", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ParseError(.unreadable, file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
            return fd
        }
        return try openChecked(path)
    }

    /// A buffer for reading the open file `fd` `chunk` bytes at a time: a file smaller than a
    /// chunk (a morning flood's) gets one of its own size (at least 4 KiB), not a zeroed chunk it
    /// never fills. The file may still grow: reading goes on until `read` returns 0.
    public static func readBuffer(_ fd: Int32, chunk: Int) -> [UInt8] {
        var info = Glibc.stat()
        let size = fstat(fd, &info) == 0 && info.st_size > 0 ? Int(info.st_size) : chunk
        return [UInt8](repeating: 0, count: max(1 << 12, min(chunk, size + 1)))
    }

    /// The first `count` bytes of `path` (fewer when it is shorter), read as ``open(_:)`` reads;
    /// empty when it cannot be opened.
    public static func head(_ path: String, count: Int) -> [UInt8] {
        guard let fd = try? open(path) else { return [] }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
        bytes.removeLast(count - max(0, n))
        return bytes
    }

    private static func openChecked(_ path: String) throws(ParseError) -> Int32 {
        // O_NONBLOCK: a FIFO put in the inbox must not block the open; cleared once it is known to be a file.
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let message = errno == ELOOP ? "it is a symbolic link: only files themselves are read"
                : "cannot open: \(String(cString: strerror(errno)))"
            throw ParseError(errno == ELOOP ? .forbiddenConstruct : .unreadable, file: path, message: message)
        }
        var s = Glibc.stat()
        guard fstat(fd, &s) == 0, s.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw ParseError(.forbiddenConstruct, file: path,
                             message: "not a regular file (a pipe, device or folder): only files themselves are read")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// The held files of this process, by path.
    fileprivate static let table = HeldTable()
}

private final class HeldTable: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (held: SourceFile.Held, holds: Int)] = [:]

    func lookup(_ path: String) -> SourceFile.Held? {
        lock.withLock { entries[path]?.held }
    }

    func retain(_ path: String) -> SourceFile.Held? {
        lock.withLock {
            guard let e = entries[path] else { return nil }
            entries[path] = (e.held, e.holds + 1)
            return e.held
        }
    }

    /// Adds a newly opened file; when another thread held the same path meanwhile, that hold wins.
    func insert(_ held: SourceFile.Held) -> SourceFile.Held {
        let kept: SourceFile.Held = lock.withLock {
            if let e = entries[held.path] {
                entries[held.path] = (e.held, e.holds + 1)
                return e.held
            }
            entries[held.path] = (held, 1)
            return held
        }
        if kept !== held { close(held.descriptor) }
        return kept
    }

    func release(_ path: String) {
        let closing: Int32? = lock.withLock {
            guard let e = entries[path] else { return nil }
            if e.holds > 1 {
                entries[path] = (e.held, e.holds - 1)
                return nil
            }
            entries[path] = nil
            return e.held.descriptor
        }
        if let closing { close(closing) }
    }
}
