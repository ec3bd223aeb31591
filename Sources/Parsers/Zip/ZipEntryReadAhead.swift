/// A zip entry inflated on a thread of its own, a few chunks ahead of its reader: a sheet's
/// inflating and checksumming (a tenth of an xlsx read) overlap its parsing. Memory stays flat
/// (``depth`` chunks of ``chunkSize``); the stream's errors arrive in order, after the bytes read
/// before them. The thread is joined when the read-ahead is released.
final class ZipEntryReadAhead {
    private struct Chunk: Sendable {
        var bytes: [UInt8]
        /// The entry's compressed bytes consumed once this chunk was inflated.
        var consumed: Int64
        var error: ParseError?
    }

    /// The stream, handed to the inflating thread, which alone uses it from then on.
    private final class Handed: @unchecked Sendable {
        let stream: ZipEntryStream
        init(_ stream: ZipEntryStream) { self.stream = stream }
    }

    /// 64 KiB, libxml2's chunk: four of 256 KiB cost 1 MB more peak RSS (a 1M-order Trendyol
    /// workbook) and read no faster.
    static let chunkSize = 64 << 10
    static let depth = 4

    let entry: ZipArchive.Entry
    private let chunks = HandOff<Chunk>(capacity: depth)
    private let threads = ThreadGroup()
    private var current: [UInt8] = []
    private var offset = 0
    private var ended = false
    /// Compressed bytes consumed as far as the reader has read.
    private(set) var consumed: Int64 = 0
    /// The stream's error, once the reader has reached it.
    private(set) var failure: ParseError?

    init(_ stream: ZipEntryStream) {
        entry = stream.entry
        let handed = Handed(stream), chunks = self.chunks
        threads.start {
            while true {
                var failure: ParseError?
                let bytes = [UInt8](unsafeUninitializedCapacity: Self.chunkSize) { buffer, count in
                    do throws(ParseError) { count = try handed.stream.read(into: UnsafeMutableRawBufferPointer(buffer)) } catch {
                        failure = error
                        count = 0
                    }
                }
                let chunk = Chunk(bytes: bytes, consumed: handed.stream.consumed, error: failure)
                guard chunks.put(chunk), !bytes.isEmpty, failure == nil else { return }
            }
        }
    }

    deinit {
        chunks.cancel()
        threads.join()
    }

    /// Fills `buffer` with the next uncompressed bytes; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ParseError) -> Int {
        if let failure { throw failure }
        while offset == current.count {
            if ended { return 0 }
            guard let chunk = chunks.take() else { return 0 }
            consumed = chunk.consumed
            if let error = chunk.error {
                failure = error
                throw error
            }
            if chunk.bytes.isEmpty {
                ended = true
                return 0
            }
            current = chunk.bytes
            offset = 0
        }
        let n = min(buffer.count, current.count - offset)
        current.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
        offset += n
        return n
    }
}
