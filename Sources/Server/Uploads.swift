import Foundation
import Glibc
import Hummingbird
import OrderCore
import OrderStore
import PraIngest

/// Files that arrive over HTTP become files in a seller's inbox, as if dropped there: the body is
/// streamed to a temporary name inside `inbox/<seller>/` (the watcher skips such names), counted
/// against `limits.max_file_bytes` and hashed as it goes, synced, and linked in under its name
/// (or the next free one) only when complete; then queued. A body that dies half-way, or grows
/// past the limit, leaves nothing in the inbox.
struct Uploads: Sendable {
    let home: Home
    let maxBytes: Int64
    let store: StoreWorker

    /// A stored upload: its queue job, checksum, and path in the home.
    struct Stored: Sendable {
        var job: Int64
        var sha256: String
        var file: String
    }

    /// Why an upload was not stored (HTTP status and message).
    struct Refusal: Error {
        var status: HTTPResponse.Status
        var message: String
    }

    /// Whether `name` may be a file name in an inbox: no separators, no `..`, no control
    /// characters, no leading dot (the watcher's temporary names), at most 255 bytes.
    static func problem(fileName name: String) -> String? {
        if name.isEmpty || name.utf8.count > 255 { return "the file name must have 1 to 255 bytes" }
        if name.contains("/") || name.contains("\\") { return "the file name may not hold a path separator" }
        if name == "." || name == ".." || name.contains("..") { return "the file name may not hold '..'" }
        if name.hasPrefix(".") { return "the file name may not start with a dot" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) }) {
            return "the file name may not hold control characters"
        }
        if FileReadiness.isTemporaryName(name) { return "the file name ends like a temporary file (.part, .tmp …)" }
        return nil
    }

    /// Streams `body` into `seller`'s inbox as `name` (or the name `finalName` gives once the
    /// content's hash is known) and queues it.
    func store(_ body: RequestBody, seller: String, name: String? = nil,
               finalName: (@Sendable (String) -> String)? = nil) async throws -> Stored {
        let folder = home.inbox.appendingPathComponent(seller, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temp = folder.appendingPathComponent(".upload-\(UUID().uuidString).part").path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var linked = false
        var open = true
        defer {
            if open { close(fd) }
            if !linked { unlink(temp) }
        }
        let digest = SHA256Digest()
        var size: Int64 = 0
        for try await buffer in body {
            size += Int64(buffer.readableBytes)
            guard size <= maxBytes else {
                throw Refusal(status: .contentTooLarge, message: "the body is larger than \(maxBytes) bytes (limits.max_file_bytes)")
            }
            try buffer.withUnsafeReadableBytes { bytes in
                digest.update(bytes)
                var written = 0
                while written < bytes.count {
                    let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
                    guard n > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                    written += n
                }
            }
        }
        let sha = digest.hex()
        let wanted = name ?? finalName?(sha) ?? sha
        let fileDescriptor = fd, total = size
        let stored = try await store.run { store -> Stored in
            guard fsync(fileDescriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            let final = try Self.linkIn(temp, as: wanted, in: folder)
            let dfd = Glibc.open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dfd >= 0 { fsync(dfd); close(dfd) }
            let relative = "inbox/\(seller)/\(final)"
            let queue = JobQueue(store: store)
            let now = Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970), utcOffsetSeconds: 0).description
            // The watcher may have seen the name first and queued it itself: the same job then.
            let job = try queue.enqueue(path: relative, seller: seller, size: total, sha256: sha, now: now)
                ?? queue.activeJob(path: relative)
            guard let job else { throw Refusal(status: .internalServerError, message: "the file was stored but could not be queued") }
            return Stored(job: job, sha256: sha, file: relative)
        }
        linked = true
        close(fd)
        open = false
        unlink(temp)
        return stored
    }

    /// Puts a file of `failed/` back into `seller`'s inbox (under its name, or the next free one),
    /// removes its reports and queues it.
    func replay(failed file: URL, seller: String) async throws -> Stored {
        let folder = home.inbox.appendingPathComponent(seller, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sha = try SHA256.hex(ofFile: file.path)
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int64) ?? 0
        return try await store.run { store -> Stored in
            let final = try Self.linkIn(file.path, as: file.lastPathComponent, in: folder)
            for suffix in ["", ".error.txt", ".rejects.csv"] { unlink(file.path + suffix) }
            let relative = "inbox/\(seller)/\(final)"
            let queue = JobQueue(store: store)
            let now = Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970), utcOffsetSeconds: 0).description
            guard let job = try queue.enqueue(path: relative, seller: seller, size: size, sha256: sha, now: now)
                    ?? queue.activeJob(path: relative) else {
                throw Refusal(status: .internalServerError, message: "the file was put back but could not be queued")
            }
            return Stored(job: job, sha256: sha, file: relative)
        }
    }

    /// Links `temp` into `folder` as `name`, or `name-2`, `name-3` … when taken (never replacing
    /// a file waiting there); returns the name used.
    private static func linkIn(_ temp: String, as name: String, in folder: URL) throws -> String {
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        for n in 1...1_000 {
            let candidate = n == 1 ? name : (ext.isEmpty ? "\(stem)-\(n)" : "\(stem)-\(n).\(ext)")
            if link(temp, folder.appendingPathComponent(candidate).path) == 0 { return candidate }
            guard errno == EEXIST else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
        throw Refusal(status: .conflict, message: "too many files named \(name) wait in the inbox")
    }
}
