import Foundation
import OrderCore

/// How a table's rows become records: where the header is (or the column names of a file
/// without one), and which rows are no records or no lines.
public struct TableShape: Sendable {
    /// 1-based header row; `nil` finds the first of the first 10 rows that has all `headerHints`.
    public var headerRow: Int?
    public var headerHints: [String]
    /// A file without a header: its column names (a first row repeating them is skipped).
    public var columns: [String]?
    /// A row is skipped when every condition of any group holds.
    public var skipRows: [[RuleCase.Condition]]
    /// A row of an order is one of its lines only when every condition holds.
    public var lineRows: [RuleCase.Condition]
    /// Lines packed into one cell: line fields are then the keys inside it.
    public var linesFrom: CellLines?

    public init(headerRow: Int? = nil, headerHints: [String] = [], columns: [String]? = nil,
                skipRows: [[RuleCase.Condition]] = [], lineRows: [RuleCase.Condition] = [], linesFrom: CellLines? = nil) {
        self.headerRow = headerRow
        self.headerHints = headerHints
        self.columns = columns
        self.skipRows = skipRows
        self.lineRows = lineRows
        self.linesFrom = linesFrom
    }

    /// The shape a mapping gives its files.
    public init(_ spec: MappingSpec) {
        self.init(headerRow: spec.format.headerRow, headerHints: spec.match.headerContains, columns: spec.format.columns,
                  skipRows: spec.records.skipRows, lineRows: spec.records.lineRows, linesFrom: spec.records.linesFrom)
    }
}

/// Turns table rows into records: finds the header, resolves the mapping's columns by name
/// (Turkish-insensitively, BOM-proof; a column the mapping needs and the file lacks fails the
/// file), and groups consecutive rows that share the order number into one record (or takes
/// each row as a record when there is no `group_by`). Exact duplicate rows of an order (a known
/// export quirk) are dropped and counted.
public struct TabularRecordReader<Rows: TableRowSource>: RecordReader {
    private var rows: Rows
    private let file: String
    private let layout: SourceLayout
    private let shape: TableShape
    private var orderColumns: [Int?] = []
    private var lineColumns: [Int?] = []
    /// Room reserved for a record's values, its lines' included (``SourceValues/roomForNext(reserved:)``).
    private var recordValueBytes = 0
    /// The lines of the record being read: where each came from and its table in the record's values.
    private var lineTables: [(position: SourcePosition, table: Int)] = []
    /// Order slots whose column no line field reads too: only there do an order's rows disagree.
    private var slotIsOrderOnly: [Bool] = []
    private var groupColumn: Int?
    private var cellLinesColumn: Int?
    /// Prepared row filters with their column indexes.
    private var skipConditions: [[(column: Int?, condition: PreparedCondition)]] = []
    private var lineConditions: [(column: Int?, condition: PreparedCondition)] = []
    private var pending: TableRow?
    /// The rows of the order being read, and the line each order value came from: kept from
    /// record to record, so reading one allocates neither.
    private var orderRows: [TableRow] = []
    private var origins: [Int] = []
    private var started = false
    private let limits: Limits
    private var records = 0
    public private(set) var header: [String] = []
    /// Exact duplicate rows dropped so far.
    public private(set) var duplicateRowsDropped = 0
    /// Rows skipped by the mapping's `skip_rows`.
    public private(set) var rowsSkipped = 0

    public init(rows: Rows, file: String, layout: SourceLayout, shape: TableShape, limits: Limits = Limits()) {
        self.rows = rows
        self.limits = limits
        self.file = file
        self.layout = layout
        self.shape = shape
    }

    /// Lines packed in a cell: the keys some item of the file had.
    private var cellKeysSeen: [Bool] = []

    public var bytesRead: Int64 { rows.bytesRead }

    /// Columns the mapping reads (optional ones: a missing required one fails the file) that the
    /// header lacks, and keys of packed lines no item had.
    public var unseenFields: UnseenFields {
        guard started else { return UnseenFields() }
        let lines = shape.linesFrom == nil
            ? zip(layout.lineFields, lineColumns).filter { $0.1 == nil }.map(\.0)
            : zip(layout.lineFields, cellKeysSeen).filter { !$0.1 }.map(\.0)
        var unseen = UnseenFields(order: Set(zip(layout.orderFields, orderColumns).filter { $0.1 == nil }.map(\.0)), line: Set(lines))
        // A column no rule reads, one letter or so from a name the file lacks: a misspelling.
        let read = Set((orderColumns + lineColumns + [groupColumn, cellLinesColumn]).compactMap { $0 })
        let unread = header.indices.filter { !read.contains($0) }.map { header[$0] }
        for name in shape.linesFrom == nil ? unseen.order.union(unseen.line) : unseen.order {
            if let near = ColumnName.lookalike(of: name, among: unread) { unseen.lookalikes[name] = "a column \"\(near)\"" }
        }
        return unseen
    }

    /// Reads up to the header and resolves columns; called by the first ``next()``.
    private mutating func start() throws(ParseError) {
        started = true
        rows.want(columns: nil)
        var headerLine: TableRow?
        if let columns = shape.columns {
            header = columns
            // A first row that repeats the column names is a header after all: skip it.
            if let first = try nextNonBlankRow(), first.cells.map(ColumnName.folded) != columns.map(ColumnName.folded) {
                pending = first
            }
        } else {
            headerLine = try findHeader()
            header = headerLine!.cells
        }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[ColumnName.folded(name)] == nil {
            index[ColumnName.folded(name)] = i
        }
        func column(_ name: String) -> Int? { index[ColumnName.folded(name)] }
        let place = headerLine.flatMap { $0.line > 0 ? $0.line : nil }
        // Line fields packed into a cell are keys inside it, not columns.
        var checked = layout
        if let cell = shape.linesFrom {
            checked.requiredLine = [[cell.column]]
            cellLinesColumn = column(cell.column)
        }
        var missing = checked.missing(from: Set(index.keys), key: ColumnName.folded).map { group in
            group.map { "\"\($0)\"" }.joined(separator: " or ") + (layout.readers[group[0]].map { " (rule \($0))" } ?? "")
        }
        let conditionColumns = shape.skipRows.flatMap { $0.map(\.field) } + shape.lineRows.map(\.field)
        missing += conditionColumns.filter { column($0) == nil }.map { "\"\($0)\"" }
        if let group = layout.groupBy {
            guard let g = column(group) else {
                throw ParseError(.missingColumn, file: file, line: place,
                                 message: "the header has no column \"\(group)\" (the mapping groups rows by it)")
            }
            groupColumn = g
        }
        if !missing.isEmpty {
            throw ParseError(.missingColumn, file: file, line: place,
                             message: "the file has no column \(missing.joined(separator: ", ")), which the mapping reads; "
                                + "fix the name in the mapping, or mark the rule `optional: true` if some exports lack it")
        }
        orderColumns = layout.orderFields.map(column)
        lineColumns = shape.linesFrom == nil ? layout.lineFields.map(column) : []
        let lineColumnSet = Set(lineColumns.compactMap { $0 })
        slotIsOrderOnly = orderColumns.map { $0.map { !lineColumnSet.contains($0) } ?? false }
        cellKeysSeen = Array(repeating: false, count: shape.linesFrom == nil ? 0 : layout.lineFields.count)
        func prepared(_ c: RuleCase.Condition) -> (column: Int?, condition: PreparedCondition)? {
            (try? PreparedCondition(c)).map { (column(c.field), $0) } // patterns were checked when the mapping loaded
        }
        skipConditions = shape.skipRows.map { $0.compactMap(prepared) }
        lineConditions = shape.lineRows.compactMap(prepared)
        let filterColumns = (skipConditions.flatMap { $0 } + lineConditions).compactMap(\.column)
        rows.want(columns: Set((orderColumns + lineColumns + [cellLinesColumn, groupColumn]).compactMap { $0 } + filterColumns))
    }

    private mutating func findHeader() throws(ParseError) -> TableRow {
        let hints = shape.headerHints.map(ColumnName.folded)
        var sawRow = false
        while let row = try rows.nextRow() {
            sawRow = true
            let names = row.cells.map(ColumnName.folded)
            if let headerRow = shape.headerRow {
                if row.rowNumber == headerRow { return row }
            } else if hints.allSatisfy(names.contains) {
                return row
            }
            if row.rowNumber >= max(shape.headerRow ?? 0, 10) { break }
        }
        guard sawRow else {
            throw ParseError(.malformed, file: file, message: "the file is empty: it has no rows")
        }
        let want = shape.headerRow.map { "row \($0)" } ?? "a row with the columns \(shape.headerHints.map { "\"\($0)\"" }.joined(separator: ", "))"
        throw ParseError(.missingColumn, file: file, message: "no header found: expected \(want) near the top of the file")
    }

    /// The next row that has any content and is not skipped: blank rows (an Excel sheet's
    /// formatted but empty rows, a CSV's blank lines) are no records, not even rejected ones.
    private mutating func nextNonBlankRow() throws(ParseError) -> TableRow? {
        while let row = try rows.nextRow() {
            // Its raw bytes hold every cell: a row with anything but blanks and tabs has content.
            guard row.withRaw({ $0.contains(where: { $0 != 0x1F && $0 != 0x20 && $0 != 0x09 }) }) else { continue }
            if started, skipConditions.contains(where: { group in group.allSatisfy { holds($0, row) } }) {
                rowsSkipped += 1
                continue
            }
            return row
        }
        return nil
    }

    private func holds(_ c: (column: Int?, condition: PreparedCondition), _ row: TableRow) -> Bool {
        // A value too costly for a skip pattern keeps its row: the mapping then decides about it.
        (try? c.condition.holds(c.column.flatMap(row.trimmedCell))) ?? false
    }

    public mutating func next() throws(ParseError) -> RecordResult? {
        if !started { try start() }
        let next: TableRow? = if let taken = pending.take() { taken } else { try nextNonBlankRow() }
        guard let first = next else { return nil }
        records += 1
        guard records <= limits.maxRecordsPerFile else {
            throw ParseError(.malformed, file: file, line: first.line > 0 ? first.line : nil,
                             message: "the file has more than \(limits.maxRecordsPerFile) records (limits.max_records_per_file in pra.yaml)")
        }
        let position = SourcePosition(record: first.rowNumber, line: first.line)
        orderRows.removeAll(keepingCapacity: true)
        orderRows.append(first)
        var key: String?
        if let groupColumn {
            guard let k = first.trimmedCell(groupColumn), !k.isEmpty else {
                return .rejected(RecordError(position: position, sourceField: layout.groupBy,
                                             reason: "the row has no order number"), rawRows: [first.raw])
            }
            key = k
            // Exact duplicate rows of one order are dropped. Past the lines-per-order limit rows are only counted.
            var seen = SeenRows()
            var tooMany = 0
            while let row = try nextNonBlankRow() {
                if row.trimmedCell(groupColumn, equals: k) {
                    if orderRows.count >= limits.maxLinesPerOrder {
                        tooMany += 1
                    } else if !seen.insert(row, earlier: orderRows) {
                        duplicateRowsDropped += 1
                    } else {
                        orderRows.append(row)
                    }
                } else {
                    pending = row
                    break
                }
            }
            if tooMany > 0 {
                return .rejected(RecordError(position: position, orderNumber: k,
                                             reason: "the order has \(orderRows.count + tooMany) rows, more than the \(limits.maxLinesPerOrder) "
                                                + "lines accepted (limits.max_lines_per_order in pra.yaml)"), rawRows: [first.raw])
            }
        }
        if let bad = orderRows.first(where: { $0.encodingProblem != nil }), let column = bad.encodingProblem {
            let name = column < header.count ? header[column] : "column \(column + 1)"
            return .rejected(RecordError(position: SourcePosition(record: bad.rowNumber, line: bad.line), orderNumber: key,
                                         sourceField: name,
                                         reason: "the text is not valid UTF-8; set `encoding:` in the mapping (e.g. windows-1254)"),
                             rawRows: RawRows(orderRows.map(\.raw)))
        }
        // Each order field from the first of the order's rows that has it: rows outside, so a row
        // is read in place once, not once per field. A later row with another value in a column
        // read only for the order is noted (one read for lines too differs by nature). The row's
        // line is made in the same pass.
        var orderValues = SourceValues(absent: orderColumns.count, valueBytes: recordValueBytes)
        origins.removeAll(keepingCapacity: true)
        origins.append(contentsOf: repeatElement(0, count: orderColumns.count))
        var disagreements: [RowDisagreement] = []
        var lines: [SourceLine] = []
        lines.reserveCapacity(orderRows.count)
        lineTables.removeAll(keepingCapacity: true)
        var rows = exchange(&orderRows, with: [])
        for row in rows {
            readOrderValues(row, into: &orderValues, disagreements: &disagreements)
            guard lineConditions.isEmpty || lineConditions.allSatisfy({ holds($0, row) }) else { continue }
            readLines(row, into: &lines, values: &orderValues)
        }
        recordValueBytes = orderValues.roomForNext(reserved: recordValueBytes)
        // The lines' values, read into the record's storage, shared from it now that it is whole.
        for (position, table) in lineTables {
            lines.append(SourceLine(position: position, values: orderValues.sharing(table: table, count: lineColumns.count)))
        }
        guard lines.count <= limits.maxLinesPerOrder else {
            orderRows = rows
            return .rejected(RecordError(position: position, orderNumber: key,
                                         reason: "the order has \(lines.count) lines, more than the \(limits.maxLinesPerOrder) accepted "
                                            + "(limits.max_lines_per_order in pra.yaml)"), rawRows: [first.raw])
        }
        // The rows' bytes in one buffer; the rows, taken out (not copied), go back to the reader for their buffers.
        var bytes = 0
        for r in rows.indices { bytes += rows[r].rawCount }
        var rawRows = RawRows(reservingRows: rows.count, bytes: bytes)
        for r in rows.indices {
            let row = exchange(&rows[r], with: .empty)
            row.withRaw { rawRows.append($0) }
            self.rows.recycle(row)
        }
        rows.removeAll(keepingCapacity: true)
        orderRows = rows
        // Made in the result: a record set up first and then returned was copied (a retain and a release per array).
        return .record(SourceRecord(position: position, orderValues: orderValues, lines: lines, rawRows: rawRows,
                                    disagreements: disagreements))
    }

    /// Copies `row`'s order fields into the slots `values` has not filled yet; notes a later row
    /// that disagrees with a value read only for the order.
    private mutating func readOrderValues(_ row: borrowing TableRow, into orderValues: inout SourceValues,
                                          disagreements: inout [RowDisagreement]) {
        for (slot, column) in orderColumns.enumerated() {
            guard let column, column < row.count else { continue }
            if !orderValues.isAbsent(slot) {
                // A blank cell (most later rows of an order leave the order's columns empty) says nothing.
                guard slotIsOrderOnly[slot], disagreements.count < 8, !row.isBlankCell(column) else { continue }
                let first = orderValues[slot]!
                guard !row.trimmedCell(column, equals: first), let value = row.trimmedCell(column), value != first else { continue }
                disagreements.append(RowDisagreement(slot: slot, first: (origins[slot], first), other: (row.line, value)))
            } else if row.copyCell(column, to: &orderValues, slot: slot, keepsBlank: false) { // a blank cell stays absent
                origins[slot] = row.line
            }
        }
    }

    /// Appends the lines packed in `row`'s `lines_from` cell to `lines`, or its line's values to
    /// `values` as a table of their own (``lineTables``).
    private mutating func readLines(_ row: borrowing TableRow, into lines: inout [SourceLine], values: inout SourceValues) {
        let position = SourcePosition(record: row.rowNumber, line: row.line)
        // The column first (set only with `lines_from`): the cell spec is copied only when there is one.
        if let c = cellLinesColumn, let cell = shape.linesFrom {
            for item in cell.items(row.trimmedCell(c) ?? "") {
                let itemValues = layout.lineFields.map { item[$0] }
                for (i, v) in itemValues.enumerated() where v != nil { cellKeysSeen[i] = true }
                lines.append(SourceLine(position: position, values: SourceValues(itemValues)))
            }
        } else {
            let table = values.appendTable(count: lineColumns.count)
            for (slot, column) in lineColumns.enumerated() {
                if let column { row.copyCell(column, to: &values, table: table, count: lineColumns.count, slot: slot) }
            }
            lineTables.append((position, table))
        }
    }
}

/// The rows of one order seen so far, to drop exact duplicates in linear time: the first few
/// are compared byte for byte, beyond them a hash set takes over. (A `Set<[UInt8]>` hashed
/// every byte on its own: 13 % of a Shopify 100k read.)
private struct SeenRows {
    private static let directLimit = 16
    private var hashed: Set<RowBytes>?

    /// Adds `row` (the row after `earlier`, the distinct rows kept so far); false when it is a duplicate.
    mutating func insert(_ row: TableRow, earlier: [TableRow]) -> Bool {
        if hashed == nil {
            if earlier.count < Self.directLimit { return !earlier.contains { $0.hasSameCells(as: row) } }
            hashed = Set(earlier.map { RowBytes($0.raw) })
        }
        return hashed!.insert(RowBytes(row.raw)).inserted
    }
}

/// A row's bytes, compared with `memcmp` and hashed in one pass.
private struct RowBytes: Hashable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func == (a: RowBytes, b: RowBytes) -> Bool {
        a.bytes.count == b.bytes.count && a.bytes.withUnsafeBytes { x in
            b.bytes.withUnsafeBytes { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
