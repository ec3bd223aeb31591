import OrderCore

/// A file that cannot be read further: not well-formed XML, a broken zip, a missing header
/// column, a refused DTD. Names the file and, where known, line and column.
public struct ParseError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreadable, malformed, forbiddenConstruct, missingColumn, encoding, unsupported
    }
    public var code: Code
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(_ code: Code, file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line 14, column 3: …` without the file name, for messages that already name it.
    public var positionedMessage: String {
        guard let line else { return message }
        return "line \(line)" + (column.map { ", column \($0)" } ?? "") + ": " + message
    }

    /// `orders.xml:14:3: error: …`, compiler style.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return "\(place): error: \(message)"
    }
}

/// What a record reader yields: a record to map, or a record it could not even read.
public enum RecordResult: Sendable {
    case record(SourceRecord)
    case rejected(RecordError, rawRows: RawRows)
}

/// Streams the records of one file. Memory stays flat: one order at a time.
public protocol RecordReader {
    /// The next record, `nil` at the end. Throws ``ParseError`` when the file cannot be read further.
    mutating func next() throws(ParseError) -> RecordResult?
    /// Bytes of the file consumed so far, for progress.
    var bytesRead: Int64 { get }
    /// Tabular files: the header cells, to render rejected rows.
    var header: [String] { get }
    /// The source fields the mapping reads that nothing in the file had (once read to its end):
    /// paths no element matched (XML, JSON), optional columns the header lacks (tabular).
    var unseenFields: UnseenFields { get }
    /// Tabular files: exact duplicate rows of an order, dropped.
    var duplicateRowsDropped: Int { get }
    /// Tabular files: rows the mapping's `skip_rows` skipped.
    var rowsSkipped: Int { get }
}

extension RecordReader {
    public var unseenFields: UnseenFields { UnseenFields() }
    public var duplicateRowsDropped: Int { 0 }
    public var rowsSkipped: Int { 0 }
}
