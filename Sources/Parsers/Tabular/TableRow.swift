import Glibc
import OrderCore

/// One row of a table (CSV, or a sheet of an .xlsx): every cell's UTF-8 bytes in one buffer,
/// and where each cell ends. A cell becomes a `String` only when a rule reads it: a 79-column
/// Shopify row is two buffers, not 79 optional strings.
public struct TableRow: Sendable {
    /// 1-based line in the file (0 inside an .xlsx, where rows have no text lines).
    public var line: Int
    /// 1-based row number (CSV: physical row; xlsx: the sheet's row number).
    public var rowNumber: Int
    /// Every cell as UTF-8, joined by U+001F, for reporting a rejected row whole.
    public var raw: [UInt8]
    /// Where each cell ends in ``raw``; cell `i` starts one byte after cell `i - 1` ends.
    var ends: [Int]
    /// Set when a wanted cell was not valid text in the file's encoding.
    public var encodingProblem: Int?

    init(line: Int, rowNumber: Int, raw: [UInt8], ends: [Int], encodingProblem: Int?) {
        self.line = line
        self.rowNumber = rowNumber
        self.raw = raw
        self.ends = ends
        self.encodingProblem = encodingProblem
    }

    /// A row of nothing, left where a reader takes a row out of its batch (`exchange(&row, with:
    /// .empty)`): handed on without a retain and a release of its two buffers.
    static var empty: TableRow { TableRow(line: 0, rowNumber: 0, raw: [], ends: [], encodingProblem: nil) }

    /// How many cells the row has.
    public var count: Int { ends.count }

    /// Every cell as written.
    public var cells: [String] { (0..<count).map { String(decoding: bytes(of: $0), as: UTF8.self) } }

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
        guard column < ends.count else { return nil }
        return raw.withUnsafeBufferPointer { all in
            let cell = UnsafeBufferPointer(rebasing: all[range(of: column)])
            return body(UnsafeBufferPointer(rebasing: cell[String.blanklessRange(cell)]))
        }
    }

    private func range(of column: Int) -> Range<Int> {
        (column == 0 ? 0 : ends[column - 1] + 1)..<ends[column]
    }

    private func bytes(of column: Int) -> ArraySlice<UInt8> { raw[range(of: column)] }
}

/// A source of table rows: the CSV reader and the xlsx sheet reader.
public protocol TableRowSource {
    /// Which columns must be valid text from now on (all of them for the header).
    mutating func want(columns: Set<Int>?)
    mutating func nextRow() throws(ParseError) -> TableRow?
    var bytesRead: Int64 { get }
}
