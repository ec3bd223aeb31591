import Glibc
import OrderCore

/// One row of a table (CSV, or a sheet of an .xlsx): every cell's UTF-8 bytes and where each
/// cell ends, in one buffer. A cell becomes a `String` only when a rule reads it: a 79-column
/// Shopify row is one allocation, not 79 optional strings (nor two buffers: the ends apart cost
/// an allocation and a free per row, and a retain and a release per copy).
public struct TableRow: Sendable {
    /// 1-based line in the file (0 inside an .xlsx, where rows have no text lines).
    public var line: Int
    /// 1-based row number (CSV: physical row; xlsx: the sheet's row number).
    public var rowNumber: Int
    /// The cells' bytes, joined by U+001F (``raw``), then where each cell ends, an `Int` each
    /// (then, in a reused buffer, whatever an earlier row left: nothing reads past the table).
    private var storage: [UInt8]
    /// How many bytes of ``storage`` the cells take (``raw``'s count).
    private(set) var rawCount: Int
    /// How many cells the row has.
    public private(set) var count: Int
    /// Set when a wanted cell was not valid text in the file's encoding.
    public var encodingProblem: Int?

    /// A row of the cells `raw` (joined by U+001F), cell `i` ending at `ends[i]`, in a buffer
    /// from `buffers` (a new one when it has none large enough).
    init(line: Int, rowNumber: Int, raw: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>, encodingProblem: Int?,
         buffers: inout RowBuffers) {
        self.line = line
        self.rowNumber = rowNumber
        rawCount = raw.count
        count = ends.count
        self.encodingProblem = encodingProblem
        storage = buffers.take(atLeast: raw.count + MemoryLayout<Int>.size * ends.count)
        storage.withUnsafeMutableBytes { buffer in
            if let from = raw.baseAddress, !raw.isEmpty { buffer.baseAddress!.copyMemory(from: from, byteCount: raw.count) }
            if let from = ends.baseAddress, !ends.isEmpty {
                (buffer.baseAddress! + raw.count).copyMemory(from: from, byteCount: MemoryLayout<Int>.size * ends.count)
            }
        }
    }

    /// The row's buffer, for ``RowBuffers/give(_:)`` once the row is read.
    consuming func buffer() -> [UInt8] { storage }

    /// A row of nothing, left where a reader takes a row out of its batch (`exchange(&row, with:
    /// .empty)`): handed on without a retain and a release of its buffer.
    static var empty: TableRow { TableRow() }

    private init() {
        line = 0
        rowNumber = 0
        storage = []
        rawCount = 0
        count = 0
    }

    /// Every cell as UTF-8, joined by U+001F, for reporting a rejected row whole (a copy).
    public var raw: [UInt8] { Array(storage[..<rawCount]) }

    /// `body` over the bytes ``raw`` gives, read in place.
    func withRaw<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[..<rawCount])) }
    }

    /// Whether this row's cells are byte for byte `other`'s.
    func hasSameCells(as other: TableRow) -> Bool {
        rawCount == other.rawCount && withRaw { a in other.withRaw { b in a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    }

    /// Every cell as written.
    public var cells: [String] {
        storage.withUnsafeBufferPointer { all in
            (0..<count).map { String(decoding: UnsafeBufferPointer(rebasing: all[range(of: $0, in: all)]), as: UTF8.self) }
        }
    }

    /// Cell `column` without its leading and trailing blanks; `nil` past the row's last cell.
    public func trimmedCell(_ column: Int) -> String? {
        withTrimmedCell(column) { String(decoding: $0, as: UTF8.self) }
    }

    /// Copies cell `column`, without its leading and trailing blanks, into `values` at `slot`
    /// (no string made). Returns false, leaving the slot alone, past the row's last cell, and when
    /// the cell is blank unless `keepsBlank`.
    func copyCell(_ column: Int, to values: inout SourceValues, slot: Int, keepsBlank: Bool) -> Bool {
        withTrimmedCell(column) { cell in
            guard keepsBlank || !cell.isEmpty else { return false }
            values.set(slot, utf8: cell)
            return true
        } ?? false
    }

    /// Copies cell `column` as ``copyCell(_:to:slot:keepsBlank:)`` does, blank or not, into slot
    /// `slot` of the table at `table` (of `count` slots) in `values`' storage.
    func copyCell(_ column: Int, to values: inout SourceValues, table: Int, count: Int, slot: Int) {
        _ = withTrimmedCell(column) { values.set(slot, utf8: $0, inTable: table, count: count) }
    }

    /// Whether cell `column`, without its blanks, is exactly `text` (no string made).
    func trimmedCell(_ column: Int, equals text: String) -> Bool {
        text.withUTF8Bytes { t in
            withTrimmedCell(column) { kept in t.count == kept.count && (t.isEmpty || memcmp(t.baseAddress!, kept.baseAddress!, t.count) == 0) }
        } ?? false
    }

    /// Whether cell `column` is empty or blanks only (no string made).
    func isBlankCell(_ column: Int) -> Bool {
        withTrimmedCell(column) { $0.isEmpty } ?? true
    }

    /// `body` over cell `column`'s bytes without their leading and trailing blanks, read in
    /// place; `nil` past the row's last cell.
    private func withTrimmedCell<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard column < count else { return nil }
        return storage.withUnsafeBufferPointer { all in
            let cell = UnsafeBufferPointer(rebasing: all[range(of: column, in: all)])
            return body(UnsafeBufferPointer(rebasing: cell[String.blanklessRange(cell)]))
        }
    }

    /// Where cell `column` is in `storage` (read through `all`).
    private func range(of column: Int, in all: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let table = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(all)[rawCount...])
        let end = table.loadUnaligned(fromByteOffset: MemoryLayout<Int>.size * column, as: Int.self)
        return (column == 0 ? 0 : table.loadUnaligned(fromByteOffset: MemoryLayout<Int>.size * (column - 1), as: Int.self) + 1)..<end
    }
}

/// A source of table rows: the CSV reader and the xlsx sheet reader.
public protocol TableRowSource {
    /// Which columns must be valid text from now on (all of them for the header).
    mutating func want(columns: Set<Int>?)
    mutating func nextRow() throws(ParseError) -> TableRow?
    /// Takes back a row its reader is done with: its buffer holds a later row.
    mutating func recycle(_ row: consuming TableRow)
    var bytesRead: Int64 { get }
}

/// Buffers of rows the reader is done with, reused for the rows after: on the reading thread a
/// row's buffer is not freed and allocated again. Up to 2 MiB of them are kept (a CSV chunk's
/// rows, a thousand of a Shopify export's), none over 64 KiB: one hostile row of megabytes is
/// not held for the rest of the file.
struct RowBuffers {
    private var free: [[UInt8]] = []
    private var keptBytes = 0
    private static let maxKeptBytes = 2 << 20
    private static let largestKept = 1 << 16

    /// A buffer of at least `size` bytes (their contents undefined): a kept one, or a new one.
    /// A new one that may be kept has room to spare (a power of two, at least 1 KiB), so that it
    /// fits the rows after; a larger one is exactly `size` (a hostile row is not doubled).
    mutating func take(atLeast size: Int) -> [UInt8] {
        if let kept = free.popLast() {
            keptBytes -= kept.count
            if kept.count >= size { return kept }
        }
        let room = size > Self.largestKept ? size : max(1024, size.nextPowerOfTwo)
        // UInt8 needs no initializing: every byte a row reads, it writes first.
        return [UInt8](unsafeUninitializedCapacity: room) { _, initialized in initialized = room }
    }

    mutating func give(_ buffer: consuming [UInt8]) {
        guard buffer.count <= Self.largestKept, keptBytes + buffer.count <= Self.maxKeptBytes else { return }
        keptBytes += buffer.count
        free.append(buffer)
    }
}
