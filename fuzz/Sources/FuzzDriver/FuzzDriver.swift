import Foundation
import Glibc
import Parsers

/// libFuzzer's driver, for targets whose `main` SwiftPM names `<Target>_main`.
@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                                 _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                                 _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

public enum FuzzDriver {
    /// Runs libFuzzer with `callback` as the target.
    public static func run(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> Int32 {
        var c = argc
        var v = argv
        return llvmFuzzerRunDriver(&c, &v, callback)
    }

    /// The input as a file readers can open (an unlinked temporary file, through /proc/self/fd).
    public static func withFile<T>(_ data: UnsafePointer<UInt8>, _ size: Int, _ body: (String) -> T) -> T {
        var template = Array((NSTemporaryDirectory() + "/pra-fuzz-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(fd >= 0, "mkstemp")
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let path = "/proc/self/fd/\(fd)"
        let held = SourceFile.adopt(fd, as: path) // readers open it through SourceFile, which reads this descriptor
        defer { held.release() }
        var written = 0
        while written < size {
            let n = write(fd, data + written, size - written)
            precondition(n > 0, "write")
            written += n
        }
        return body(path)
    }
}
