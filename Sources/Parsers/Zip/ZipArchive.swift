import Glibc
import OrderCore

/// A zip archive's directory (`.xlsx` workbooks, zipped user lists and invoices), read with
/// `pread`: entries are then streamed one at a time (``ZipEntryStream``), never unzipped to
/// disk. Zip64 is supported (a sheet past 4 GB); encrypted entries and other containers are
/// named for what they are.
public final class ZipArchive {
    public struct Entry: Sendable {
        public var name: String
        public var method: UInt16
        public var flags: UInt16
        public var crc32: UInt32
        public var compressedSize: Int64
        public var uncompressedSize: Int64
        public var localHeaderOffset: Int64
        public var isEncrypted: Bool { flags & 1 != 0 }
    }

    let path: String
    let fd: Int32
    public let size: Int64
    public private(set) var entries: [Entry] = []

    /// Opens `path` and reads its central directory. `what` names the file kind in errors ("workbook").
    public init(path: String, what: String = "zip file") throws(ParseError) {
        self.path = path
        fd = try SourceFile.open(path)
        var st = stat()
        fstat(fd, &st)
        size = Int64(st.st_size)
        // On a throw from here the object is whole, so `deinit` runs and closes `fd` (closing it here
        // too closed whatever descriptor another thread had opened under that number meanwhile).
        try readDirectory(what: what)
    }

    deinit { Glibc.close(fd) }

    public subscript(name: String) -> Entry? { entries.first { $0.name == name } }

    /// Reads `count` bytes at `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) throws(ParseError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        guard n >= 0 else {
            throw ParseError(.unreadable, file: path, message: "read failed: \(String(cString: strerror(errno)))")
        }
        out.removeLast(count - n)
        return out
    }

    private func readDirectory(what: String) throws(ParseError) {
        let head = try read(at: 0, count: 8)
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw ParseError(.unsupported, file: path, message: "this is a password-protected (encrypted) \(what) or an old Excel 97–2003 "
                                + ".xls file, not an .xlsx: save it again in Excel without a password, as an Excel Workbook (.xlsx)")
        }
        guard head.starts(with: [0x50, 0x4B]) else {
            throw ParseError(.malformed, file: path, message: "not a \(what): it does not start as a zip file does")
        }
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
        let tailLength = Int(min(size, 65_557))
        let tail = try read(at: size - Int64(tailLength), count: tailLength)
        guard tail.count >= 22, let eocd = (0...(tail.count - 22)).reversed().first(where: { tail.u32($0) == 0x0605_4B50 }) else {
            throw ParseError(.malformed, file: path, message: "the \(what) is damaged or cut short: its zip directory is missing "
                                + "(download or copy it again)")
        }
        var count = Int64(tail.u16(eocd + 10))
        var directorySize = Int64(tail.u32(eocd + 12))
        var directoryOffset = Int64(tail.u32(eocd + 16))
        // Zip64: the locator just before the record points at the 64-bit record. Every 64-bit
        // value is checked before use: a hostile file may put anything there.
        if eocd >= 20, tail.u32(eocd - 20) == 0x0706_4B50 {
            let unreadable = ParseError(.malformed, file: path, message: "the \(what) is damaged: its zip64 directory is unreadable")
            guard let at = Int64(exactly: tail.u64(eocd - 20 + 8)), at < size else { throw unreadable }
            let record = try read(at: at, count: 56)
            guard record.count == 56, record.u32(0) == 0x0606_4B50, let c = Int64(exactly: record.u64(32)),
                  let ds = Int64(exactly: record.u64(40)), let o = Int64(exactly: record.u64(48)) else { throw unreadable }
            (count, directorySize, directoryOffset) = (c, ds, o)
        }
        guard directoryOffset >= 0, directorySize >= 0, directorySize <= 64 << 20, directoryOffset <= size - directorySize,
              count <= 100_000 else {
            throw ParseError(.malformed, file: path, message: "the \(what) is damaged: its zip directory points outside the file")
        }
        let directory = try read(at: directoryOffset, count: Int(directorySize))
        var p = 0
        for _ in 0..<count {
            guard p + 46 <= directory.count, directory.u32(p) == 0x0201_4B50 else {
                throw ParseError(.malformed, file: path, message: "the \(what) is damaged: its zip directory is cut short")
            }
            let nameLength = Int(directory.u16(p + 28)), extraLength = Int(directory.u16(p + 30))
            let commentLength = Int(directory.u16(p + 32))
            guard p + 46 + nameLength + extraLength + commentLength <= directory.count else {
                throw ParseError(.malformed, file: path, message: "the \(what) is damaged: a zip directory entry is cut short")
            }
            var entry = Entry(name: String(decoding: directory[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self),
                              method: directory.u16(p + 10), flags: directory.u16(p + 8), crc32: directory.u32(p + 16),
                              compressedSize: Int64(directory.u32(p + 20)), uncompressedSize: Int64(directory.u32(p + 24)),
                              localHeaderOffset: Int64(directory.u32(p + 42)))
            // Zip64 extra field: the 64-bit values of the fields set to 0xFFFFFFFF, in this order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = directory.u16(e), length = Int(directory.u16(e + 2))
                if id == 0x0001 {
                    var q = e + 4
                    func next() -> Int64? {
                        guard q + 8 <= e + 4 + length, q + 8 <= extraEnd else { return nil }
                        defer { q += 8 }
                        return Int64(truncatingIfNeeded: directory.u64(q))
                    }
                    if entry.uncompressedSize == 0xFFFF_FFFF { entry.uncompressedSize = next() ?? entry.uncompressedSize }
                    if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = next() ?? entry.compressedSize }
                    if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = next() ?? entry.localHeaderOffset }
                }
                e += 4 + length
            }
            entries.append(entry)
            p += 46 + nameLength + extraLength + commentLength
        }
    }

    /// Where the entry's compressed bytes start (after its local header).
    func dataOffset(of entry: Entry) throws(ParseError) -> Int64 {
        guard entry.localHeaderOffset >= 0, entry.localHeaderOffset <= size - 30 else {
            throw ParseError(.malformed, file: path, message: "the workbook is damaged: \(entry.name) points outside the file")
        }
        let header = try read(at: entry.localHeaderOffset, count: 30)
        guard header.count == 30, header.u32(0) == 0x0403_4B50 else {
            throw ParseError(.malformed, file: path, message: "the workbook is damaged: \(entry.name) has no local header")
        }
        let offset = entry.localHeaderOffset + 30 + Int64(header.u16(26)) + Int64(header.u16(28))
        guard entry.compressedSize >= 0, entry.compressedSize <= size - offset else {
            throw ParseError(.malformed, file: path, message: "the workbook is damaged or cut short: \(entry.name) runs past the end of the file")
        }
        return offset
    }

    /// The whole entry, for small parts (a workbook's part list, one invoice), at most `limit`
    /// bytes; `what` names the part in the error past it.
    public func contents(of entry: Entry, limit: Int, what: String, limits: Limits) throws(ParseError) -> [UInt8] {
        let stream = try ZipEntryStream(archive: self, entry: entry, limits: limits, stopAfter: nil)
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { (try? stream.read(into: $0)) ?? 0 }
            if let failure = stream.failure { throw failure }
            if n == 0 { return out }
            out += chunk[..<n]
            guard out.count <= limit else {
                throw ParseError(.malformed, file: path, message: "\(entry.name) is larger than \(what) can be (\(limit) bytes)")
            }
        }
    }
}

extension [UInt8] {
    func u16(_ i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
    func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
    func u64(_ i: Int) -> UInt64 { UInt64(u32(i)) | UInt64(u32(i + 4)) << 32 }
}
