import Foundation
import Glibc

/// An `.xlsx` workbook's shared strings, kept on disk instead of in memory: a year of orders
/// holds millions of distinct texts (names, addresses, order numbers), hundreds of MB as Swift
/// strings. The texts go to an unlinked temporary file (UTF-8, back to back) and their offsets
/// to another; both are mapped read-only, and the pages read are dropped from the process every
/// so often, so memory stays flat however large the workbook (the page cache keeps them warm).
///
/// Its properties are touched by one reader at a time (the table is never shared), so they go
/// without the runtime's exclusivity checks: four per lookup were 2 % of a workbook's reading.
final class SharedStringTable {
    @exclusivity(unchecked) private var texts = MappedFile()
    @exclusivity(unchecked) private var offsets = MappedFile()
    /// Number of strings.
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var lookupsSinceRelease = 0
    private static let lookupsPerRelease = 1 << 16
    /// The workbook, named in errors.
    private let workbook: String

    /// Collects the strings of `workbook` with ``append(_:)``; call ``finish()`` before ``subscript(_:)``.
    init(workbook: String) throws(ParseError) {
        self.workbook = workbook
        do {
            try texts.create()
            try offsets.create()
            try offsets.append(UInt64(0))
        } catch {
            throw ParseError(.unreadable, file: workbook, message: "cannot create a temporary file for its shared strings: \(error)")
        }
    }

    /// Adds the next string.
    func append(_ utf8: UnsafeBufferPointer<UInt8>) throws(ParseError) {
        do {
            try texts.append(utf8)
            try offsets.append(UInt64(texts.length))
        } catch {
            throw ParseError(.unreadable, file: workbook, message: "cannot write its shared strings to a temporary file: \(error)")
        }
        count += 1
    }

    /// Flushes and maps what was appended.
    func finish() throws(ParseError) {
        do {
            try texts.map()
            try offsets.map()
        } catch {
            throw ParseError(.unreadable, file: workbook, message: "cannot map its shared strings: \(error)")
        }
    }

    /// The UTF-8 of the string at `index` (0-based), valid until the next lookup; `nil` when
    /// there is none.
    subscript(index: Int) -> UnsafeRawBufferPointer? {
        guard index >= 0, index < count, let textBase = texts.bytes, let offsetBase = offsets.bytes else { return nil }
        lookupsSinceRelease += 1
        if lookupsSinceRelease >= Self.lookupsPerRelease {
            lookupsSinceRelease = 0
            texts.releasePages()
            offsets.releasePages()
        }
        let bounds = offsetBase.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            ..< offsetBase.loadUnaligned(fromByteOffset: (index + 1) * 8, as: UInt64.self)
        return UnsafeRawBufferPointer(rebasing: textBase[Int(bounds.lowerBound)..<Int(bounds.upperBound)])
    }
}

/// An unlinked temporary file written through a buffer, then mapped read-only.
private struct MappedFile: ~Copyable {
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private(set) var length = 0
    private(set) var bytes: UnsafeRawBufferPointer?

    mutating func create() throws {
        var template = Array((NSTemporaryDirectory() + "/pra-strings-XXXXXX").utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        buffer.reserveCapacity(1 << 20)
    }

    mutating func append(_ utf8: UnsafeBufferPointer<UInt8>) throws {
        buffer.append(contentsOf: utf8)
        length += utf8.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func append(_ value: UInt64) throws {
        withUnsafeBytes(of: value.littleEndian) { buffer += $0 }
        length += 8
        if buffer.count >= 1 << 20 { try flush() }
    }

    private mutating func flush() throws {
        let failed: Bool = buffer.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n <= 0 { return true }
                done += n
            }
            return false
        }
        guard !failed else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func map() throws {
        try flush()
        buffer = []
        guard length > 0 else { bytes = UnsafeRawBufferPointer(start: nil, count: 0); return }
        let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let base, base != MAP_FAILED else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        bytes = UnsafeRawBufferPointer(start: base, count: length)
    }

    /// Drops the mapped pages from the process; the next read maps them again from the page cache.
    func releasePages() {
        if let base = bytes?.baseAddress { madvise(UnsafeMutableRawPointer(mutating: base), length, MADV_DONTNEED) }
    }

    deinit {
        if let base = bytes?.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), length) }
        if fd >= 0 { close(fd) }
    }
}
