import Foundation
import Glibc
import Parsers

/// Moves handled files out of the inbox: never overwriting an earlier file of the same name,
/// and durable (the folder is fsynced) before the job is marked done.
struct FileMover {
    let home: Home

    /// `archive/2026/11/23/` for a day (local time), `archive/duplicates/`, or `failed/`.
    func archiveFolder(for date: (year: Int, month: Int, day: Int)) -> URL {
        home.archive.appendingPathComponent(String(format: "%04d/%02d/%02d", date.year, date.month, date.day), isDirectory: true)
    }

    var duplicatesFolder: URL { home.archive.appendingPathComponent("duplicates", isDirectory: true) }

    /// The longest name a file system takes (bytes), and what may be added to a destination's
    /// name: a report's suffix, and the outbox writer's temporary name around that (`.<name>.tmp-<pid>`).
    static let nameMax = 255
    static let roomForSuffixes = ".rejects.csv".utf8.count + ".".utf8.count + ".tmp-4194304".utf8.count

    /// A free name in `folder` for `name`: `orders.csv`, else `orders-2.csv`, `orders-3.csv`, …
    /// (also free of the report names that go beside it in failed/). A long name is shortened (at a
    /// character's boundary, keeping its extension) so that it fits with its reports' suffixes.
    func freeDestination(for name: String, in folder: URL) -> URL {
        var ext = (name as NSString).pathExtension
        var stem = (name as NSString).deletingPathExtension
        if ext.utf8.count > 16 { (stem, ext) = (name, "") }
        var n = 1
        while true {
            let tail = (n == 1 ? "" : "-\(n)") + (ext.isEmpty ? "" : "." + ext)
            let room = Self.nameMax - Self.roomForSuffixes - tail.utf8.count
            let candidate = (stem.utf8.count <= room ? stem : Self.prefix(of: stem, bytes: room)) + tail
            let url = folder.appendingPathComponent(candidate)
            let taken = [url.path, url.path + ".error.txt"].contains { FileManager.default.fileExists(atPath: $0) }
            if !taken { return url }
            n += 1
        }
    }

    /// The longest start of `text` that fits in `bytes` of UTF-8, cut between Unicode scalars.
    static func prefix(of text: String, bytes: Int) -> String {
        var used = 0
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            used += UTF8.width(scalar)
            guard used <= bytes else { break }
            out.append(scalar)
        }
        return String(out)
    }

    /// Renames `source` to `destination` (copying across file systems: the held file when `source`
    /// is held, see ``SourceFile``), then syncs the folder.
    func move(_ source: String, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        if rename(source, destination.path) != 0 {
            guard errno == EXDEV else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            // Another file system (a mounted share): copy, sync, then remove the original.
            let temp = destination.deletingLastPathComponent().appendingPathComponent("." + destination.lastPathComponent + ".moving")
            try? FileManager.default.removeItem(at: temp)
            try copy(source, to: temp.path)
            guard rename(temp.path, destination.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            try FileManager.default.removeItem(atPath: source)
        }
        let dfd = open(destination.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// Copies the bytes of `source` (never through a link) to a new file, synced.
    private func copy(_ source: String, to target: String) throws {
        let input = try SourceFile.open(source)
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            guard n >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            if n == 0 { break }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, n - written) }
                guard w > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                written += w
            }
        }
        guard fsync(output) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}
