import Foundation
import Glibc

/// Moves handled files out of the inbox: never overwriting an earlier file of the same name,
/// and durable (the folder is fsynced) before the job is marked done.
struct FileMover {
    let home: Home

    /// `archive/2026/11/23/` for a day (local time), `archive/duplicates/`, or `failed/`.
    func archiveFolder(for date: (year: Int, month: Int, day: Int)) -> URL {
        home.archive.appendingPathComponent(String(format: "%04d/%02d/%02d", date.year, date.month, date.day), isDirectory: true)
    }

    var duplicatesFolder: URL { home.archive.appendingPathComponent("duplicates", isDirectory: true) }

    /// A free name in `folder` for `name`: `orders.csv`, else `orders-2.csv`, `orders-3.csv`, …
    /// (also free of the report names that go beside it in failed/).
    func freeDestination(for name: String, in folder: URL) -> URL {
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        var n = 1
        while true {
            let candidate = n == 1 ? name : (ext.isEmpty ? "\(stem)-\(n)" : "\(stem)-\(n).\(ext)")
            let url = folder.appendingPathComponent(candidate)
            let taken = [url.path, url.path + ".error.txt"].contains { FileManager.default.fileExists(atPath: $0) }
            if !taken { return url }
            n += 1
        }
    }

    /// Renames `source` to `destination` (copying across file systems), then syncs the folder.
    func move(_ source: String, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        if rename(source, destination.path) != 0 {
            guard errno == EXDEV else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            // Another file system (a mounted share): copy, sync, then remove the original.
            let temp = destination.deletingLastPathComponent().appendingPathComponent("." + destination.lastPathComponent + ".moving")
            try? FileManager.default.removeItem(at: temp)
            try FileManager.default.copyItem(atPath: source, toPath: temp.path)
            let fd = open(temp.path, O_RDONLY)
            if fd >= 0 { fsync(fd); close(fd) }
            guard rename(temp.path, destination.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            try FileManager.default.removeItem(atPath: source)
        }
        let dfd = open(destination.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}
