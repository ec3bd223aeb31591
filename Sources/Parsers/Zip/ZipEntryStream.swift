import CZlib
import Glibc
import OrderCore

/// One zip entry, inflated as it is read: memory stays flat and nothing is written to disk.
/// Guards against zip bombs as it goes — the uncompressed size and the compression ratio are
/// checked on the bytes really produced, not the sizes the directory claims — and checks the
/// CRC at the end, so a damaged workbook says so.
public final class ZipEntryStream {
    private let archive: ZipArchive
    public let entry: ZipArchive.Entry
    private let limits: Limits
    private var stream = z_stream()
    private var inflating = false
    private var input = [UInt8](repeating: 0, count: 64 << 10)
    /// The compressed bytes read but not inflated yet: `input[inStart..<inEnd]`.
    private var inStart = 0, inEnd = 0
    private var nextOffset: Int64
    private let dataOffset: Int64
    private let endOffset: Int64
    private var crc: UInt = 0
    /// Uncompressed bytes produced so far.
    public private(set) var produced: Int64 = 0
    /// Compressed bytes consumed so far.
    public var consumed: Int64 { nextOffset - dataOffset - Int64(inEnd - inStart) }
    private var finished = false
    /// Stop (as at the end, without the CRC check) after this many bytes: a preview.
    private let stopAfter: Int64?
    public var isPreview: Bool { stopAfter != nil }
    /// Set when reading failed: the caller of a C callback collects it here.
    public private(set) var failure: ParseError?

    public init(archive: ZipArchive, entry: ZipArchive.Entry, limits: Limits, stopAfter: Int64?) throws(ParseError) {
        self.archive = archive
        self.entry = entry
        self.limits = limits
        self.stopAfter = stopAfter
        guard !entry.isEncrypted else {
            throw ParseError(.unsupported, file: archive.path, message: "the workbook is encrypted (\(entry.name)): save it again without a password")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw ParseError(.unsupported, file: archive.path, message: "\(entry.name) uses zip compression method \(entry.method); "
                                + "save the workbook again from Excel")
        }
        dataOffset = try archive.dataOffset(of: entry)
        nextOffset = dataOffset
        endOffset = dataOffset + entry.compressedSize
        guard entry.uncompressedSize <= limits.maxUnzippedBytes else { throw tooLarge(entry.uncompressedSize) }
        if entry.method == 8 {
            guard czlib_inflate_init_raw(&stream) == Z_OK else {
                throw ParseError(.unreadable, file: archive.path, message: "zlib could not start")
            }
            inflating = true
        }
    }

    deinit { if inflating { inflateEnd(&stream) } }

    private func tooLarge(_ bytes: Int64) -> ParseError {
        ParseError(.malformed, file: archive.path, message: "\(entry.name) unzips to more than \(limits.maxUnzippedBytes) bytes "
                     + "(\(bytes) or more; limits.max_unzipped_bytes in pra.yaml): refused as a possible zip bomb")
    }

    /// Fills `buffer` with the next uncompressed bytes; 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ParseError) -> Int {
        if let failure { throw failure }
        do {
            return try produce(into: buffer)
        } catch {
            failure = error
            throw error
        }
    }

    private func produce(into buffer: UnsafeMutableRawBufferPointer) throws(ParseError) -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        var want = buffer.count
        if let stopAfter { want = Int(min(Int64(want), max(0, stopAfter - produced))) }
        if want == 0 { finished = true; return 0 }
        var n = 0
        if inflating {
            while n == 0 {
                if inStart == inEnd && nextOffset < endOffset {
                    let chunk = try archive.read(at: nextOffset, count: Int(min(Int64(input.count), endOffset - nextOffset)))
                    guard !chunk.isEmpty else { throw damaged("it is cut short") }
                    input.replaceSubrange(0..<chunk.count, with: chunk)
                    (inStart, inEnd) = (0, chunk.count)
                    nextOffset += Int64(chunk.count)
                }
                let status = input.withUnsafeMutableBufferPointer { inBuf -> Int32 in
                    stream.next_in = inBuf.baseAddress! + inStart
                    stream.avail_in = UInt32(inEnd - inStart)
                    stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = UInt32(want)
                    let r = inflate(&stream, Z_NO_FLUSH)
                    inStart = inEnd - Int(stream.avail_in)
                    stream.next_in = nil
                    stream.next_out = nil
                    return r
                }
                n = want - Int(stream.avail_out)
                if status == Z_STREAM_END {
                    finished = true
                    break
                }
                guard status == Z_OK || (status == Z_BUF_ERROR && n > 0) else {
                    throw damaged("its compressed data is broken (zlib \(status))")
                }
                if n == 0 && inStart == inEnd && nextOffset >= endOffset { throw damaged("it is cut short") }
            }
        } else {
            let left = endOffset - nextOffset
            if left == 0 { finished = true; return 0 }
            let chunk = try archive.read(at: nextOffset, count: Int(min(Int64(want), left)))
            guard !chunk.isEmpty else { throw damaged("it is cut short") }
            chunk.withUnsafeBytes { buffer.copyMemory(from: $0) }
            nextOffset += Int64(chunk.count)
            n = chunk.count
            if nextOffset == endOffset { finished = true }
        }
        produced += Int64(n)
        crc = crc32(crc, buffer.baseAddress!.assumingMemoryBound(to: Bytef.self), UInt32(n))
        try checkLimits()
        if finished && stopAfter == nil {
            guard UInt32(truncatingIfNeeded: crc) == entry.crc32, produced == entry.uncompressedSize || entry.uncompressedSize == 0xFFFF_FFFF
            else { throw damaged("its checksum does not match (the file is damaged)") }
        }
        return n
    }

    private func checkLimits() throws(ParseError) {
        if produced > limits.maxUnzippedBytes { throw tooLarge(produced) }
        if produced > 16 << 20 {
            let ratio = produced / max(consumed, 1)
            if ratio > Int64(limits.maxCompressionRatio) {
                throw ParseError(.malformed, file: archive.path, message: "\(entry.name) unzips \(ratio) times larger than it is "
                                    + "(more than \(limits.maxCompressionRatio)×; limits.max_compression_ratio in pra.yaml): "
                                    + "refused as a possible zip bomb")
            }
        }
    }

    private func damaged(_ why: String) -> ParseError {
        ParseError(.malformed, file: archive.path, message: "the workbook is damaged: \(entry.name) cannot be unzipped: \(why)")
    }
}
