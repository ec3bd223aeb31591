import CXML2
import Glibc
import OrderCore

/// What libxml2's SAX callbacks work on while an ``XLSXReader`` reads a sheet: the row being
/// built cell by cell, and the rows a chunk of the sheet completed.
struct SheetState: SAXContext {
    var session = SAXSession()
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
        case asWritten
        case numberAsWritten
    }
    private var rowNumber = 0
    /// Every cell of the row as UTF-8, joined by U+001F (``TableRow/raw``), and where each ends.
    private var raw: [UInt8] = []
    private var ends: [Int] = []
    private var column = 0
    private var type = CellType.number
    private var value: [UInt8] = []
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

    /// The SAX2 callbacks; a DOCTYPE, an entity declaration or an entity reference is refused.
    nonisolated(unsafe) static let handler: UnsafeMutablePointer<xmlSAXHandler> = {
        var h = xmlSAXHandler()
        h.initialized = XML_SAX2_MAGIC
        h.startElementNs = { ctx, localName, _, _, _, _, attributeCount, _, attributes in
            ctx!.assumingMemoryBound(to: SheetState.self).pointee.start(localName!, attributes, Int(attributeCount))
        }
        h.endElementNs = { ctx, localName, _, _ in ctx!.assumingMemoryBound(to: SheetState.self).pointee.end(localName!) }
        h.characters = { ctx, bytes, count in ctx!.assumingMemoryBound(to: SheetState.self).pointee.characters(bytes!, Int(count)) }
        h.cdataBlock = h.characters
        h.internalSubset = { ctx, _, _, _ in ctx!.assumingMemoryBound(to: SheetState.self).pointee.refuse() }
        h.externalSubset = { ctx, _, _, _ in ctx!.assumingMemoryBound(to: SheetState.self).pointee.refuse() }
        h.entityDecl = { ctx, _, _, _, _, _ in ctx!.assumingMemoryBound(to: SheetState.self).pointee.refuse() }
        h.reference = { ctx, _ in ctx!.assumingMemoryBound(to: SheetState.self).pointee.refuse() }
        h.serror = { ctx, error in
            guard let ctx, let error else { return }
            ctx.assumingMemoryBound(to: SheetState.self).pointee.session.record(error.pointee)
        }
        return .allocate(capacity: 1).initialized(to: h)
    }()

    mutating func refuse() {
        session.stop(ParseError(.forbiddenConstruct, file: path, message: XMLRecordReader.doctypeRefusal + " (in the workbook's sheet)"))
    }

    private static func named(_ name: UnsafePointer<xmlChar>, _ expected: StaticString) -> Bool {
        strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self),
               UnsafeRawPointer(expected.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    /// The value of attribute `name` as bytes (SAX2 gives local name, prefix, URI, value start, value end).
    private static func attribute(_ name: StaticString, in attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                                  count: Int) -> UnsafeBufferPointer<UInt8>? {
        guard let attributes else { return nil }
        for i in 0..<count where named(attributes[5 * i]!, name) {
            let start = attributes[5 * i + 3]!, end = attributes[5 * i + 4]!
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    mutating func start(_ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ count: Int) {
        guard session.stopError == nil else { return }
        if Self.named(name, "c") {
            if let ref = Self.attribute("r", in: attributes, count: count) {
                guard let index = XLSXReader.columnIndex(ref, max: limits.maxColumns) else { return session.stop(tooManyColumns()) }
                column = index
            } else {
                column = ends.count
            }
            // `t` absent or "n": a number; "s": a shared string; anything else ("str", "inlineStr", "b", "e"): as written.
            if let t = Self.attribute("t", in: attributes, count: count) {
                type = t.count != 1 ? .text : t[0] == UInt8(ascii: "n") ? .number : t[0] == UInt8(ascii: "s") ? .shared : .text
            } else {
                type = .number
            }
            value.removeAll(keepingCapacity: true)
            cellHasValue = false
        } else if Self.named(name, "v") || Self.named(name, "t") {
            inValue = true
            cellHasValue = true
        } else if Self.named(name, "row") {
            let number = Self.attribute("r", in: attributes, count: count).flatMap { Int(String(decoding: $0, as: UTF8.self)) }
            rowNumber = number ?? rowNumber + 1
            raw = []
            ends = []
            rowFellShort = false
        }
    }

    mutating func end(_ name: UnsafePointer<xmlChar>) {
        guard session.stopError == nil else { return }
        if Self.named(name, "c") {
            do {
                try store(cellHasValue ? try resolve() : nil)
            } catch {
                session.stop(error)
            }
        } else if Self.named(name, "v") || Self.named(name, "t") {
            inValue = false
        } else if Self.named(name, "row") {
            ready.append(TableRow(line: 0, rowNumber: rowNumber, raw: raw, ends: ends, encodingProblem: nil))
            if isPreview { readyFellShort.append(rowFellShort) }
        }
    }

    mutating func characters(_ bytes: UnsafePointer<xmlChar>, _ count: Int) {
        guard inValue, session.stopError == nil else { return }
        value.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        if value.count > limits.maxFieldBytes {
            session.stop(ParseError(.malformed, file: path, message: "row \(rowNumber): a cell is longer than "
                                        + "\(limits.maxFieldBytes) bytes (limits.max_field_bytes in pra.yaml)"))
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
        case .asWritten?: raw.append(contentsOf: value)
        case .numberAsWritten?: for b in value { raw.append(b == UInt8(ascii: ".") ? UInt8(ascii: ",") : b) }
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
            let index = Self.index(value)
            if let index, let string = sharedStrings?[index] { return .string(string) }
            if isPreview, let index, index >= 0 {
                rowFellShort = true // past the preview's cut: the caller reads the whole file
                return nil
            }
            throw ParseError(.malformed, file: path,
                             message: "row \(rowNumber): shared string \(String(decoding: value, as: UTF8.self)) does not exist")
        case .number:
            // As Excel shows it (15 significant digits), in the file's decimal style.
            if ExcelNumber.isShownAsWritten(value) { return numberStyle == .comma ? .numberAsWritten : .asWritten }
            let text = String(decoding: value, as: UTF8.self)
            let shown = ExcelNumber.rounded(text) ?? text
            guard numberStyle == .comma, shown.utf8.contains(UInt8(ascii: ".")) else { return .string(shown) }
            return .string(String(decoding: shown.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: ",") : $0 }, as: UTF8.self))
        case .text:
            // libxml2 hands over UTF-8 only (it refuses a document that is not).
            return .asWritten
        }
    }

    /// A shared string's index, written in decimal digits (at most 9: more strings than any
    /// workbook holds); `nil` otherwise.
    private static func index(_ digits: [UInt8]) -> Int? {
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        var n = 0
        for d in digits {
            guard (48...57).contains(d) else { return nil }
            n = n * 10 + Int(d - 48)
        }
        return n
    }
}
