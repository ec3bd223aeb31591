import OrderCore

/// What an ``XLSXReader`` builds as its ``XMLByteScanner`` reports a sheet: the row being
/// built cell by cell, and the rows a chunk of the sheet completed.
struct SheetState: XMLScanSink {
    let path: String
    let sharedStrings: SharedStringTable?
    let numberStyle: NumberStyle
    let limits: Limits
    let isPreview: Bool
    /// Rows completed by the chunk just parsed.
    var ready: [TableRow] = []
    /// In a preview, whether each of `ready` needed a shared string past the preview's cut.
    var readyFellShort: [Bool] = []
    private var rowFellShort = false

    private enum CellType { case number, shared, text }
    /// A cell's text: a string, or the bytes of its `<v>` or `<t>` as they are (most cells:
    /// no string is made), a number's decimal point written as the file's style has it.
    private enum CellText {
        case string(String)
        case shared(UnsafeRawBufferPointer)
        case asWritten
        case numberAsWritten
    }
    /// The sheet row last begun, for the place of an error.
    private(set) var rowNumber = 0
    /// Every cell of the row as UTF-8, joined by U+001F (``TableRow/raw``), and where each ends:
    /// scratch reused from row to row, each row copied out at its exact size.
    private var raw = ScratchArray<UInt8>(capacity: 1 << 10)
    private var ends = ScratchArray<Int>(capacity: 64)
    /// The buffers of rows handed back (``XLSXReader/recycle(_:)``).
    var buffers = RowBuffers()
    private var column = 0
    private var type = CellType.number
    /// The text of the cell's `<v>` or `<t>`.
    private var value = ScratchArray<UInt8>(capacity: 256)
    private var inValue = false
    /// The cell has a `<v>` or `<t>`: an empty `<c/>` (a formatted blank) is stored as empty.
    private var cellHasValue = false

    init(path: String, sharedStrings: SharedStringTable?, numberStyle: NumberStyle, limits: Limits, isPreview: Bool) {
        self.path = path
        self.sharedStrings = sharedStrings
        self.numberStyle = numberStyle
        self.limits = limits
        self.isPreview = isPreview
    }

    mutating func start(_ tag: XMLTag) throws(ParseError) {
        let name = tag.localName
        if name.isName("c") {
            let (ref, t) = tag.attributes("r", "t")
            if let ref {
                guard let index = XLSXReader.columnIndex(ref, max: limits.maxColumns) else { throw tooManyColumns() }
                column = index
            } else {
                column = ends.count
            }
            // `t` absent or "n": a number; "s": a shared string; anything else ("str", "inlineStr", "b", "e"): as written.
            if let t {
                type = t.count != 1 ? .text : t[0] == UInt8(ascii: "n") ? .number : t[0] == UInt8(ascii: "s") ? .shared : .text
            } else {
                type = .number
            }
            value.removeAll()
            cellHasValue = false
        } else if name.isName("v") || name.isName("t") {
            inValue = true
            cellHasValue = true
        } else if name.isName("row") {
            let number = tag.attribute("r").flatMap { Int(String(decoding: $0, as: UTF8.self)) }
            rowNumber = number ?? rowNumber + 1
            raw.removeAll()
            ends.removeAll()
            rowFellShort = false
        }
    }

    mutating func end(localName name: UnsafeBufferPointer<UInt8>) throws(ParseError) {
        if name.isName("c") {
            try store(cellHasValue ? try resolve() : nil)
        } else if name.isName("v") || name.isName("t") {
            inValue = false
        } else if name.isName("row") {
            ready.append(TableRow(line: 0, rowNumber: rowNumber, raw: raw.elements, ends: ends.elements, encodingProblem: nil,
                                  buffers: &buffers))
            if isPreview { readyFellShort.append(rowFellShort) }
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) {
        guard inValue else { return }
        value.append(contentsOf: bytes)
        if value.count > limits.maxFieldBytes {
            throw ParseError(.malformed, file: path, message: "row \(rowNumber): a cell is longer than "
                                + "\(limits.maxFieldBytes) bytes (limits.max_field_bytes in pra.yaml)")
        }
    }

    /// Writes the cell (`nil`: empty) to the row, after empty ones for the columns it skipped.
    private mutating func store(_ text: CellText?) throws(ParseError) {
        guard column < limits.maxColumns else { throw tooManyColumns() }
        while ends.count < column { append(nil) }
        guard ends.count == column else { return } // a repeated cell reference: keep the first
        append(text)
    }

    private mutating func append(_ text: CellText?) {
        if !ends.isEmpty { raw.append(0x1F) }
        switch text {
        case .string(let s)?: s.withUTF8Bytes { raw.append(contentsOf: $0) }
        case .shared(let bytes)?: raw.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
        case .asWritten?: raw.append(contentsOf: value.elements)
        case .numberAsWritten?: for b in value.elements { raw.append(b == UInt8(ascii: ".") ? UInt8(ascii: ",") : b) }
        case nil: break
        }
        ends.append(raw.count)
    }

    private func tooManyColumns() -> ParseError {
        ParseError(.malformed, file: path, message: "row \(rowNumber) has a cell beyond column \(limits.maxColumns) "
                     + "(Excel's last column is XFD; limits.max_columns in pra.yaml)")
    }

    /// The cell's text: a shared string, a number as Excel shows it (in the file's decimal
    /// style), or inline text as written.
    private mutating func resolve() throws(ParseError) -> CellText? {
        switch type {
        case .shared:
            let index = Self.index(value.elements)
            if let index, let string = sharedStrings?[index] { return .shared(string) }
            if isPreview, let index, index >= 0 {
                rowFellShort = true // past the preview's cut: the caller reads the whole file
                return nil
            }
            throw ParseError(.malformed, file: path,
                             message: "row \(rowNumber): shared string \(String(decoding: value.elements, as: UTF8.self)) does not exist")
        case .number:
            // As Excel shows it (15 significant digits), in the file's decimal style.
            if ExcelNumber.isShownAsWritten(value.elements) { return numberStyle == .comma ? .numberAsWritten : .asWritten }
            let text = String(decoding: value.elements, as: UTF8.self)
            let shown = ExcelNumber.rounded(text) ?? text
            guard numberStyle == .comma, shown.utf8.contains(UInt8(ascii: ".")) else { return .string(shown) }
            return .string(String(decoding: shown.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: ",") : $0 }, as: UTF8.self))
        case .text:
            try Self.checkText(value.elements, row: rowNumber, file: path)
            return .asWritten
        }
    }

    /// Refuses text XML does not allow: bytes that are not UTF-8, control characters other than
    /// tab and line ends (the scanner does not look inside text it hands over).
    static func checkText(_ bytes: UnsafeBufferPointer<UInt8>, row: Int, file: String) throws(ParseError) {
        guard isXMLText(bytes) else {
            throw ParseError(.malformed, file: file, message: "row \(row): a cell's text is not UTF-8 or holds a control character, "
                                + "which a workbook cannot (the file is damaged)")
        }
    }

    /// A shared string's index, written in decimal digits (at most 9: more strings than any
    /// workbook holds); `nil` otherwise.
    private static func index(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        var n = 0
        for d in digits {
            guard (48...57).contains(d) else { return nil }
            n = n * 10 + Int(d - 48)
        }
        return n
    }
}
