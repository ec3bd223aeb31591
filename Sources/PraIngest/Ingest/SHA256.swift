import CCrypto
import Foundation
import Glibc
import Parsers

/// SHA-256 of a file, streamed (OpenSSL's SHA-256, hardware-accelerated where available).
public enum SHA256 {
    public static func hex(ofFile path: String) throws(IngestError) -> String {
        let fd: Int32
        do { fd = try SourceFile.open(path) } catch { throw IngestError(error) }
        defer { close(fd) }
        let digest = SHA256Digest()
        var buffer = SourceFile.readBuffer(fd, chunk: 1 << 18) // 256 KiB: larger reads save no time, only memory
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw IngestError(.unreadable, file: path, "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
        }
        return digest.hex()
    }
}

/// A file's SHA-256 that may still be in the making while the file is ingested.
protocol PendingChecksum: Sendable {
    /// The checksum, once it is complete.
    func value() throws(IngestError) -> String
}

/// A file's SHA-256 made from the bytes its reader reads, as it reads them (``ReadObserver``):
/// the file is read once, and the checksum is of exactly the bytes that were parsed. When the
/// reader stopped before the end (an error), the file is read again for it.
final class ChecksumTap: ReadObserver, PendingChecksum, @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private let digest = SHA256Digest()
    private var atEnd = false
    private var result: Result<String, IngestError>?

    init(path: String) { self.path = path }

    func observe(_ bytes: UnsafeRawBufferPointer) {
        lock.withLock {
            guard result == nil else { return } // a reader still running after the ingest gave up
            atEnd = false
            digest.update(bytes)
        }
    }

    func reachedEnd() { lock.withLock { atEnd = true } }

    func value() throws(IngestError) -> String {
        lock.lock()
        defer { lock.unlock() }
        if result == nil {
            if atEnd {
                result = .success(digest.hex())
            } else {
                do throws(IngestError) { result = .success(try SHA256.hex(ofFile: path)) } catch { result = .failure(error) }
            }
        }
        return try result!.get()
    }
}

/// A file's SHA-256 computed on a thread of its own while the file is ingested; a small file's
/// (below ``inlineBytes``) at once, as starting and ending a thread costs more than hashing it.
/// For a file whose reader reads out of order (a workbook); others use ``ChecksumTap``.
final class BackgroundSHA256: PendingChecksum, @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<String, IngestError>?
    static let inlineBytes: Int64 = 1 << 20

    init(path: String, size: Int64) {
        if size < Self.inlineBytes {
            do throws(IngestError) { result = .success(try SHA256.hex(ofFile: path)) } catch { result = .failure(error) }
            return
        }
        Thread { [self] in
            let digest: Result<String, IngestError>
            do throws(IngestError) { digest = .success(try SHA256.hex(ofFile: path)) } catch { digest = .failure(error) }
            condition.lock()
            result = digest
            condition.broadcast()
            condition.unlock()
        }.start()
    }

    /// The checksum; waits for the thread, whose last act is to set it.
    func value() throws(IngestError) -> String {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return try result!.get()
    }
}

/// A SHA-256 computed as bytes arrive (an upload streamed to disk).
public final class SHA256Digest {
    private let context = UnsafeMutablePointer<SHA256_CTX>.allocate(capacity: 1)

    public init() { SHA256_Init(context) }

    deinit { context.deallocate() }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        _ = SHA256_Update(context, bytes.baseAddress, bytes.count)
    }

    /// The digest in lowercase hexadecimal; call once, at the end.
    public func hex() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        SHA256_Final(&digest, context)
        return digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// SHA-256 of `bytes`, in hexadecimal.
    public static func hex(of bytes: some Collection<UInt8>) -> String {
        let digest = SHA256Digest()
        Array(bytes).withUnsafeBytes { digest.update($0) }
        return digest.hex()
    }
}
