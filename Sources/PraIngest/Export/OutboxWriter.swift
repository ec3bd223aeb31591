import Foundation
import Glibc

/// Writes files into the outbox so a polling ERP never sees half a file: a temporary name in
/// the same folder, fsync, rename, fsync of the folder. Names are checked, never taken raw
/// from input data.
public struct OutboxWriter: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// A file name made safe: letters, digits, `-`, `_` and `.` kept, anything else `_`; no leading dot.
    public static func safeName(_ raw: String) -> String {
        var s = String(raw.unicodeScalars.map { c -> Character in
            (c.isASCII && (CharacterSet.alphanumerics.contains(c) || c == "-" || c == "_" || c == ".")) ? Character(c) : "_"
        })
        while s.hasPrefix(".") { s = "_" + s.dropFirst() }
        return s.isEmpty ? "_" : s
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

    /// Writes `bytes` to `folder/name` atomically (replacing an earlier file of that name) and returns its path.
    @discardableResult
    public func write(_ bytes: [UInt8], folder: String, name: String) throws -> URL {
        try write([Item(folder: folder, name: name, bytes: bytes)])[0]
    }

    /// Writes many files, each atomically: all to temporary names, one `syncfs` for the data,
    /// then the renames and one fsync per folder. A reader sees each file whole or not at all.
    public func write(_ items: [Item]) throws -> [URL] {
        var staged: [(temp: URL, final: URL)] = []
        defer { for s in staged where FileManager.default.fileExists(atPath: s.temp.path) { unlink(s.temp.path) } }
        for item in items {
            let dir = root.appendingPathComponent(item.folder, isDirectory: true)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let safe = Self.safeName(item.name)
            let temp = dir.appendingPathComponent(".\(safe).tmp-\(getpid())")
            staged.append((temp, dir.appendingPathComponent(safe)))
            let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            var written = 0
            let ok: Bool = item.bytes.withUnsafeBytes { buf in
                while written < buf.count {
                    let n = Glibc.write(fd, buf.baseAddress! + written, buf.count - written)
                    if n <= 0 { return false }
                    written += n
                }
                return true
            }
            if items.count == 1 { fsync(fd) }
            close(fd)
            guard ok else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
        if items.count > 1, let first = staged.first {
            let fd = open(first.temp.path, O_RDONLY)
            if fd >= 0 { _ = syncfs(fd); close(fd) }
        }
        for s in staged {
            guard rename(s.temp.path, s.final.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
        for dir in Set(staged.map { $0.final.deletingLastPathComponent().path }) {
            let dfd = open(dir, O_RDONLY | O_DIRECTORY)
            if dfd >= 0 { fsync(dfd); close(dfd) }
        }
        return staged.map(\.final)
    }
}

/// `syncfs(2)`: flushes the file system holding `fd` in one call. Glibc declares it only under
/// `_GNU_SOURCE`, which Swift's Glibc module does not set, so it is declared here.
@_silgen_name("syncfs")
private func syncfs(_ fd: Int32) -> Int32
