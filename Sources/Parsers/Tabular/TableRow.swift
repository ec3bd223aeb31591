/// One row of a table (CSV, or a sheet of an .xlsx): wanted cells as strings, every cell raw.
public struct TableRow: Sendable {
    /// 1-based line in the file (0 inside an .xlsx, where rows have no text lines).
    public var line: Int
    /// 1-based row number (CSV: physical row; xlsx: the sheet's row number).
    public var rowNumber: Int
    /// Cells by column index; only columns asked for are decoded, others are `nil`.
    public var cells: [String?]
    /// Every cell as UTF-8, joined by U+001F, for reporting a rejected row whole.
    public var raw: [UInt8]
    /// Set when a wanted cell was not valid text in the file's encoding.
    public var encodingProblem: Int?
}

/// A source of table rows: the CSV reader and the xlsx sheet reader.
public protocol TableRowSource {
    /// Which columns to decode into strings from now on (all of them for the header).
    mutating func want(columns: Set<Int>?)
    mutating func nextRow() throws(ParseError) -> TableRow?
    var bytesRead: Int64 { get }
}
