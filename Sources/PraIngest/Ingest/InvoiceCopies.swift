import Foundation
import Glibc
import OrderCore
import OrderStore
import Parsers

/// The kept copies of one file's received invoices (`invoices/<seller>/<ETTN>.xml`), each the
/// single invoice document it was read from (its file, or its entry of a zip), streamed and no
/// larger than `limits.max_invoice_bytes`.
///
/// A copy is staged (written and synced under a temporary name) inside the file's transaction and
/// put in place only once the transaction has committed (``commit()``); a file that fails leaves
/// every earlier copy as it was (``discard()``). A kill between the commit and the renames is
/// finished by ``recover(root:store:)`` when the watcher starts: a staged copy that a committed
/// row names is put in place, any other is removed.
final class InvoiceCopies {
    /// `<home>/invoices`.
    let root: URL
    let seller: String
    let sourcePath: String
    let limits: Limits
    private var staged: [(temp: String, name: String)] = []
    private var stagedNames = Set<String>()
    /// The source zip, opened (its directory read) once for all the invoices it holds.
    private var zip: ZipArchive?
    private static let stagedMarker = ".staged-"

    init(root: URL, seller: String, sourcePath: String, limits: Limits) {
        self.root = root
        self.seller = seller
        self.sourcePath = sourcePath
        self.limits = limits
    }

    /// A document too large to keep as a copy.
    struct TooLarge: Error {
        var message: String
    }

    /// Stages the copy of the invoice `ettn` (a UUID) from the zip entry `part`, or the whole file;
    /// returns its path relative to the home. Nothing is written when the copy is there already
    /// for the same invoice (`sameAsStored`) or was staged by this file.
    func stage(ettn: String, part: String?, sameAsStored: Bool) throws -> String {
        let name = ettn + ".xml"
        let relative = "\(root.lastPathComponent)/\(seller)/\(name)"
        let folder = root.appendingPathComponent(seller, isDirectory: true)
        if stagedNames.contains(name) || (sameAsStored && FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)) {
            return relative
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The process and its machine: workers of several machines may share the folder.
        let temp = folder.appendingPathComponent("." + name + Self.stagedMarker + "\(getpid())@\(WorkerIdentity.host)").path
        let out = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard out >= 0 else { throw Self.lastError() }
        var keep = false
        defer {
            close(out)
            if !keep { unlink(temp) }
        }
        let read = try reader(part: part)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total: Int64 = 0
        while true {
            let n = try buffer.withUnsafeMutableBytes { try read($0) }
            if n == 0 { break }
            total += Int64(n)
            guard total <= limits.maxInvoiceBytes else {
                throw TooLarge(message: "the invoice's document is larger than \(limits.maxInvoiceBytes) bytes "
                                  + "(limits.max_invoice_bytes in pra.yaml): it is not kept")
            }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(out, $0.baseAddress! + written, n - written) }
                guard w > 0 else { throw Self.lastError() }
                written += w
            }
        }
        guard fsync(out) == 0 else { throw Self.lastError() }
        keep = true
        staged.append((temp, name))
        stagedNames.insert(name)
        return relative
    }

    /// What reads the document's bytes into a buffer (0 at its end).
    private func reader(part: String?) throws -> (UnsafeMutableRawBufferPointer) throws -> Int {
        if let part {
            let archive = try zip ?? ZipArchive(path: sourcePath)
            zip = archive
            guard let entry = archive[part] else {
                throw ParseError(.malformed, file: sourcePath, message: "the zip has no entry \(part)")
            }
            let stream = try ZipEntryStream(archive: archive, entry: entry, limits: limits, stopAfter: nil)
            return { buffer in try stream.read(into: buffer) }
        }
        let fd = try SourceFile.open(sourcePath)
        let file = DescriptorOwner(fd)
        return { buffer in
            let n = read(file.fd, buffer.baseAddress, buffer.count)
            guard n >= 0 else { throw Self.lastError() }
            return n
        }
    }

    /// Puts every staged copy in place; call once the file's transaction has committed.
    func commit() throws {
        let folder = root.appendingPathComponent(seller, isDirectory: true)
        for s in staged {
            guard rename(s.temp, folder.appendingPathComponent(s.name).path) == 0 else { throw Self.lastError() }
        }
        if !staged.isEmpty { Self.syncFolder(folder.path) }
        staged = []
    }

    /// Removes the staged copies; call when the file's transaction rolled back.
    func discard() {
        for s in staged { unlink(s.temp) }
        staged = []
    }

    /// Finishes what a killed run left in `root`: a staged copy whose final path a committed row
    /// names is put in place; any other staged or temporary file of a process of this machine that
    /// no longer runs is removed.
    static func recover(root: URL, store: OrderStore) {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return }
        for case let relative as String in walker {
            let name = (relative as NSString).lastPathComponent
            guard name.hasPrefix("."), let marker = name.range(of: stagedMarker, options: .backwards)
                    ?? name.range(of: ".tmp-", options: .backwards),
                  case let owner = name[marker.upperBound...].split(separator: "@", maxSplits: 1),
                  owner.count == 1 || owner[1] == WorkerIdentity.host, // another machine's process is its own to finish
                  let pid = Int32(owner[0]), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = root.appendingPathComponent(relative).path
            let finalName = String(name[name.index(after: name.startIndex)..<marker.lowerBound])
            let folder = (relative as NSString).deletingLastPathComponent
            let final = "\(root.lastPathComponent)/\(folder)/\(finalName)"
            if name[marker] == stagedMarker, (try? store.isKeptInvoiceCopy(final)) == true {
                let target = root.appendingPathComponent(folder).appendingPathComponent(finalName).path
                if rename(path, target) == 0 { syncFolder((target as NSString).deletingLastPathComponent) }
            } else {
                unlink(path)
            }
        }
    }

    private static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    private static func lastError() -> POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}

/// Closes a descriptor when the last reference to it goes.
private final class DescriptorOwner {
    let fd: Int32
    init(_ fd: Int32) { self.fd = fd }
    deinit { close(fd) }
}
