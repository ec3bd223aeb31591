import Foundation
import Glibc

/// Writes files into the outbox so a polling ERP never sees half a file: a temporary name in
/// the same folder, fsync, rename, fsync of the folder. Names are checked, never taken raw
/// from input data.
public struct OutboxWriter: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// A file name made safe: ASCII letters, digits, `-`, `_` and `.` kept, anything else `_`; no leading dot.
    public static func safeName(_ raw: String) -> String {
        var bytes = raw.unicodeScalars.map { c -> UInt8 in
            switch c.value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F: UInt8(c.value)
            default: UInt8(ascii: "_")
            }
        }
        if bytes.first == UInt8(ascii: ".") { bytes[0] = UInt8(ascii: "_") }
        return bytes.isEmpty ? "_" : String(decoding: bytes, as: UTF8.self)
    }

    /// Deletes temporary files a killed writer left behind (`.<name>.tmp-<pid>` of a process
    /// that no longer runs). Live writers' files are left alone.
    public func removeStaleTemporaries() {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return }
        for case let relative as String in walker {
            let name = (relative as NSString).lastPathComponent
            guard name.hasPrefix("."), let dash = name.range(of: ".tmp-", options: .backwards),
                  let pid = Int32(name[dash.upperBound...]) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                unlink(root.appendingPathComponent(relative).path)
            }
        }
    }

    /// One file to write: `folder` relative to the outbox root, `name` made safe.
    public struct Item: Sendable {
        public var folder: String
        public var name: String
        public var bytes: [UInt8]
        public init(folder: String, name: String, bytes: [UInt8]) {
            self.folder = folder
            self.name = name
            self.bytes = bytes
        }
    }

    /// Writes `bytes` to `folder/name` atomically (replacing an earlier file of that name) and
    /// returns its path relative to the root.
    @discardableResult
    public func write(_ bytes: [UInt8], folder: String, name: String) throws -> String {
        try write([Item(folder: folder, name: name, bytes: bytes)])[0]
    }

    /// Writes `bytes` to `relativePath` (`erp/logo_invoice/x.xml`) atomically.
    @discardableResult
    public func write(_ bytes: [UInt8], relativePath: String) throws -> String {
        let parts = relativePath.split(separator: "/")
        return try write(bytes, folder: parts.dropLast().joined(separator: "/"), name: String(parts.last!))
    }

    /// Writes many files, each atomically: all to temporary names, one `syncfs` for the data,
    /// then the renames and one fsync per folder. A reader sees each file whole or not at all.
    /// Returns the paths relative to the root.
    public func write(_ items: [Item]) throws -> [String] {
        var folders: [String: Int32] = [:]
        var staged: [(folder: Int32, temp: String, final: String)] = []
        var renamed = 0
        defer {
            for s in staged[renamed...] { unlinkat(s.folder, s.temp, 0) }
            for fd in folders.values { close(fd) }
        }
        for item in items {
            let folder = try folders[item.folder] ?? open(folder: item.folder)
            folders[item.folder] = folder
            let safe = Self.safeName(item.name)
            let temp = ".\(safe).tmp-\(getpid())"
            let fd = openat(folder, temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw failure("create", folder: item.folder, name: safe) }
            staged.append((folder, temp, safe))
            let writeError = item.bytes.withUnsafeBytes { Self.writeAll($0, to: fd) }
            if items.count == 1 { fsync(fd) }
            close(fd)
            if let writeError { throw failure("write", folder: item.folder, name: safe, code: writeError) }
        }
        if items.count > 1, let any = folders.values.first { _ = syncfs(any) }
        for (item, s) in zip(items, staged) {
            guard renameat(s.folder, s.temp, s.folder, s.final) == 0 else { throw failure("put in place", folder: item.folder, name: s.final) }
            renamed += 1
        }
        for fd in folders.values { fsync(fd) }
        return zip(items, staged).map { $0.folder + "/" + $1.final }
    }

    /// A file too large to hold whole, written in parts under a temporary name and put in place
    /// whole by ``StreamedFile/commit()``; dropped without a commit, it is removed.
    public func stream(folder: String, name: String) throws -> StreamedFile {
        let dir = try open(folder: folder)
        let safe = Self.safeName(name)
        let temp = ".\(safe).tmp-\(getpid())"
        let fd = openat(dir, temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno // before the close can change it
            close(dir)
            throw failure("create", folder: folder, name: safe, code: code)
        }
        return StreamedFile(folder: dir, fd: fd, temp: temp, final: safe, relative: folder + "/" + safe,
                            path: root.appendingPathComponent(folder).appendingPathComponent(safe).path)
    }

    /// A file being written by ``OutboxWriter/stream(folder:name:)``.
    public final class StreamedFile {
        private let folder: Int32
        private var fd: Int32
        private let temp: String, final: String
        /// Its path relative to the outbox root.
        public let relativePath: String
        /// Its whole path, for errors.
        private let path: String
        private var buffer: [UInt8] = []

        init(folder: Int32, fd: Int32, temp: String, final: String, relative: String, path: String) {
            (self.folder, self.fd, self.temp, self.final, relativePath, self.path) = (folder, fd, temp, final, relative, path)
            buffer.reserveCapacity(1 << 16)
        }

        deinit {
            if fd >= 0 {
                close(fd)
                unlinkat(folder, temp, 0)
            }
            close(folder)
        }

        public func append(_ bytes: [UInt8]) throws {
            buffer += bytes
            if buffer.count >= 1 << 16 { try flush() }
        }

        private func flush() throws {
            let writeError = buffer.withUnsafeBytes { OutboxWriter.writeAll($0, to: fd) }
            buffer.removeAll(keepingCapacity: true)
            if let writeError { throw OutboxWriter.failure("write", path, code: writeError) }
        }

        /// Writes what is left, syncs, and renames the file into place.
        public func commit() throws {
            try flush()
            fsync(fd)
            close(fd)
            fd = -1
            guard renameat(folder, temp, folder, final) == 0 else {
                let code = errno // before the unlink can change it
                unlinkat(folder, temp, 0)
                throw OutboxWriter.failure("put in place", path, code: code)
            }
            fsync(folder)
        }
    }

    /// Creates `folder` under the root if needed and opens it for `openat`/`renameat`/`fsync`.
    private func open(folder: String) throws -> Int32 {
        let dir = root.appendingPathComponent(folder, isDirectory: true)
        if let code = Home.makeFolders(dir.path) { throw failure("create the folder", folder: folder, name: "", code: code) }
        let fd = Glibc.open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open the folder", folder: folder, name: "") }
        return fd
    }

    /// Writes all of `bytes` to `fd`; the system's error code when it could not (read at once,
    /// before a sync or close can change it).
    fileprivate static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Int32? {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return n < 0 ? errno : EIO }
            written += n
        }
        return nil
    }

    /// The system's error `code` (by default the one just now), for `step` of the file `name` in
    /// `folder` under the root.
    private func failure(_ step: String, folder: String, name: String, code: Int32 = errno) -> OutboxError {
        let path = name.isEmpty ? root.appendingPathComponent(folder).path : root.appendingPathComponent(folder).appendingPathComponent(name).path
        return Self.failure(step, path, code: code)
    }

    /// The system's error `code` for `step` of the file at `path`.
    fileprivate static func failure(_ step: String, _ path: String, code: Int32) -> OutboxError {
        OutboxError(path: path, step: step, cause: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO))
    }
}

/// A file that could not be written: which one, at which step, and the system's reason (a full
/// disk, a folder or a read-only file in its place).
public struct OutboxError: Error, CustomStringConvertible {
    public let path: String
    public let step: String
    public let cause: POSIXError

    public var description: String { "\(path): cannot \(step): \(String(cString: strerror(cause.code.rawValue)))" }
}

/// Files being written by an ``OutboxWriter`` on a thread of their own, so the caller can
/// prepare the next batch meanwhile.
final class BackgroundWrite: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Set once by the writing thread before `done` is signalled; read only after waiting on it.
    private var result: Result<[String], any Error> = .success([])

    init(_ writer: OutboxWriter, _ items: [OutboxWriter.Item]) {
        Thread { [self] in
            result = Result { try writer.write(items) }
            done.signal()
        }.start()
    }

    /// Waits for the files; returns their paths relative to the outbox root. Call once.
    func wait() throws -> [String] {
        done.wait()
        return try result.get()
    }
}

/// `syncfs(2)`: flushes the file system holding `fd` in one call. Glibc declares it only under
/// `_GNU_SOURCE`, which Swift's Glibc module does not set, so it is declared here.
@_silgen_name("syncfs")
private func syncfs(_ fd: Int32) -> Int32
