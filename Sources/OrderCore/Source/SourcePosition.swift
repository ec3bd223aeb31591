/// Where a record sits in its source file: the record's ordinal and the line it starts on.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    /// 1-based ordinal of the record (data row, or XML record element).
    public var record: Int
    /// 1-based line in the file where the record starts (0 when unknown, e.g. inside a zip).
    public var line: Int
    /// 1-based column, when the parser knows it.
    public var column: Int?

    public init(record: Int, line: Int, column: Int? = nil) {
        self.record = record
        self.line = line
        self.column = column
    }

    /// `line 12`, or `row 3` in an .xlsx sheet (its rows have no text lines).
    public var description: String {
        if line > 0 {
            return column.map { "line \(line):\($0)" } ?? "line \(line)"
        }
        return "row \(record)"
    }
}
