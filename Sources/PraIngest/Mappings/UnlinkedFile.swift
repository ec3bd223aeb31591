import Foundation
import Glibc
import Parsers

/// A temporary file that is unlinked as soon as it is created: readers open it through
/// `/proc/self/fd/N` while this process holds it, and a kill leaves nothing behind.
final class UnlinkedFile {
    private let fd: Int32
    /// Readers open `path` through ``SourceFile``, which reads this descriptor's file.
    private var held: SourceFile.Held?
    /// A path readers can open while this object lives.
    let path: String

    init(contents: [UInt8]) throws {
        var template = Array((NSTemporaryDirectory() + "/pra-XXXXXX").utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        path = "/proc/self/fd/\(fd)"
        var written = 0
        while written < contents.count {
            let n = contents[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                close(fd)
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            written += n
        }
        held = SourceFile.adopt(fd, as: path)
    }

    deinit { held?.release() }
}
