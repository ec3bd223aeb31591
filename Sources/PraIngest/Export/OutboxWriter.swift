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

    /// Writes `bytes` to `folder/name` atomically (replacing an earlier file of that name) and returns its path.
    @discardableResult
    public func write(_ bytes: [UInt8], folder: String, name: String) throws -> URL {
        let dir = root.appendingPathComponent(folder, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let safe = Self.safeName(name)
        let final = dir.appendingPathComponent(safe)
        let temp = dir.appendingPathComponent(".\(safe).tmp-\(getpid())")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var written = 0
        let ok: Bool = bytes.withUnsafeBytes { buf in
            while written < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + written, buf.count - written)
                if n <= 0 { return false }
                written += n
            }
            return fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(temp.path, final.path) == 0 else {
            unlink(temp.path)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let dfd = open(dir.path, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
        return final
    }
}
