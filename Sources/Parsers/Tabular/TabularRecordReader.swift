import Foundation
import OrderCore

/// Turns table rows into order records: finds the header, resolves the mapping's columns by
/// name (Turkish-insensitively, BOM-proof), and groups consecutive rows that share the
/// order number into one record. Exact duplicate rows of an order (a known export quirk)
/// are dropped and counted.
public struct TabularRecordReader<Rows: TableRowSource>: RecordReader {
    private var rows: Rows
    private let file: String
    private let layout: SourceLayout
    private var orderColumns: [Int?] = []
    private var lineColumns: [Int?] = []
    private var groupColumn = 0
    private var pending: TableRow?
    private var started = false
    private var exhausted = false
    private let headerRow: Int?
    private let headerHints: [String]
    private let limits: Limits
    private var records = 0
    public private(set) var header: [String] = []
    /// Exact duplicate rows dropped so far.
    public private(set) var duplicateRowsDropped = 0

    /// - Parameters:
    ///   - headerRow: 1-based header row; `nil` finds the first of the first 10 rows that has all `headerHints`.
    public init(rows: Rows, file: String, layout: SourceLayout, headerRow: Int?, headerHints: [String], limits: Limits = Limits()) {
        self.rows = rows
        self.limits = limits
        self.file = file
        self.layout = layout
        self.headerRow = headerRow
        self.headerHints = headerHints
    }

    public var bytesRead: Int64 { rows.bytesRead }
    public var rowSource: Rows { rows }

    /// Reads up to the header and resolves columns; called by the first ``next()``.
    private mutating func start() throws(ParseError) {
        started = true
        rows.want(columns: nil)
        let hints = headerHints.map(ColumnName.folded)
        var candidate: TableRow?
        var sawRow = false
        while let row = try rows.nextRow() {
            sawRow = true
            let names = row.cells.map { ColumnName.folded($0 ?? "") }
            if let headerRow {
                if row.rowNumber == headerRow { candidate = row; break }
            } else if hints.allSatisfy(names.contains) {
                candidate = row
                break
            }
            if row.rowNumber >= max(headerRow ?? 0, 10) { break }
        }
        guard sawRow else {
            throw ParseError(.malformed, file: file, message: "the file is empty: it has no rows")
        }
        guard let headerLine = candidate else {
            let want = headerRow.map { "row \($0)" } ?? "a row with the columns \(headerHints.map { "\"\($0)\"" }.joined(separator: ", "))"
            throw ParseError(.missingColumn, file: file, message: "no header found: expected \(want) near the top of the file")
        }
        header = headerLine.cells.map { $0 ?? "" }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[ColumnName.folded(name)] == nil {
            index[ColumnName.folded(name)] = i
        }
        orderColumns = layout.orderFields.map { index[ColumnName.folded($0)] }
        lineColumns = layout.lineFields.map { index[ColumnName.folded($0)] }
        guard let group = layout.groupBy else {
            throw ParseError(.unsupported, file: file, message: "the mapping has no group_by column for a tabular file")
        }
        guard let g = index[ColumnName.folded(group)] else {
            throw ParseError(.missingColumn, file: file, line: headerLine.line > 0 ? headerLine.line : nil,
                             message: "the header has no column \"\(group)\" (the mapping groups rows by it)")
        }
        groupColumn = g
        rows.want(columns: Set((orderColumns + lineColumns).compactMap { $0 } + [g]))
    }

    /// The next row that has any content: blank rows (an Excel sheet's formatted but empty rows,
    /// a CSV's blank lines) are no records, not even rejected ones.
    private mutating func nextNonBlankRow() throws(ParseError) -> TableRow? {
        while let row = try rows.nextRow() {
            if row.cells.contains(where: { !($0 ?? "").allSatisfy(\.isWhitespace) })
                || row.raw.contains(where: { $0 != 0x1F && $0 != 0x20 && $0 != 0x09 }) {
                return row
            }
        }
        return nil
    }

    public mutating func next() throws(ParseError) -> RecordResult? {
        if !started { try start() }
        let next: TableRow?
        if let pending { next = pending } else { next = try nextNonBlankRow() }
        guard let first = next else { return nil }
        pending = nil
        records += 1
        guard records <= limits.maxRecordsPerFile else {
            throw ParseError(.malformed, file: file, line: first.line > 0 ? first.line : nil,
                             message: "the file has more than \(limits.maxRecordsPerFile) orders (limits.max_records_per_file in pra.yaml)")
        }
        let position = SourcePosition(record: first.rowNumber, line: first.line)
        guard let key = Self.cell(first, groupColumn), !key.isEmpty else {
            return .rejected(RecordError(position: position, sourceField: layout.groupBy,
                                         reason: "the row has no order number"), rawRows: [first.raw])
        }
        // Exact duplicate rows of one order are dropped: a set of the rows seen, so an order of
        // many rows costs linear time. Past the lines-per-order limit rows are only counted.
        var group = [first]
        var seen: Set<[UInt8]> = [first.raw]
        var tooMany = 0
        while let row = try nextNonBlankRow() {
            if Self.cell(row, groupColumn) == key {
                if group.count >= limits.maxLinesPerOrder {
                    tooMany += 1
                } else if !seen.insert(row.raw).inserted {
                    duplicateRowsDropped += 1
                } else {
                    group.append(row)
                }
            } else {
                pending = row
                break
            }
        }
        if tooMany > 0 {
            return .rejected(RecordError(position: position, orderNumber: key,
                                         reason: "the order has \(group.count + tooMany) rows, more than the \(limits.maxLinesPerOrder) lines "
                                            + "accepted (limits.max_lines_per_order in pra.yaml)"), rawRows: [first.raw])
        }
        if let bad = group.first(where: { $0.encodingProblem != nil }), let column = bad.encodingProblem {
            let name = column < header.count ? header[column] : "column \(column + 1)"
            return .rejected(RecordError(position: SourcePosition(record: bad.rowNumber, line: bad.line), orderNumber: key,
                                         sourceField: name,
                                         reason: "the text is not valid UTF-8; set `encoding:` in the mapping (e.g. windows-1254)"),
                             rawRows: group.map(\.raw))
        }
        var orderValues = [String?](repeating: nil, count: orderColumns.count)
        for (slot, column) in orderColumns.enumerated() {
            guard let column else { continue }
            orderValues[slot] = group.lazy.compactMap { Self.cell($0, column) }.first { !$0.isEmpty }
        }
        let lines = group.map { row in
            SourceLine(position: SourcePosition(record: row.rowNumber, line: row.line),
                       values: lineColumns.map { $0.flatMap { Self.cell(row, $0) } })
        }
        return .record(SourceRecord(position: position, orderValues: orderValues, lines: lines, rawRows: group.map(\.raw)))
    }

    private static func cell(_ row: TableRow, _ column: Int) -> String? {
        guard column < row.cells.count, let v = row.cells[column] else { return nil }
        return v.trimmingBlanks()
    }
}
