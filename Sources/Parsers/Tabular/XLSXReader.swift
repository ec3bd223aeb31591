import CXML2
import Foundation
import OrderCore

/// Reads the first sheet of an `.xlsx` workbook as table rows, like a CSV: shared strings,
/// inline strings and numbers. Numeric cells are read as Excel shows them and written in the
/// mapping's number style (`1234,5` for comma style), so one mapping reads both the `.xlsx` and
/// its CSV re-save; date cells arrive as Excel serial numbers (the `excel_serial` format).
///
/// The sheet is inflated as libxml2 reads it (``ZipEntryStream``): no temporary copy, flat
/// memory, zip-bomb limits on what is really unzipped. Every XML part refuses a DOCTYPE and
/// entity references, as the XML reader does.
public final class XLSXReader: TableRowSource {
    private let path: String
    private let archive: ZipArchive
    private let sheet: ZipEntryStream
    private let reader: xmlTextReaderPtr
    private let sharedStrings: SharedStringTable?
    private let numberStyle: NumberStyle
    private let limits: Limits
    private var wantAll = true
    private var wanted: [Bool] = []

    /// What a preview reads of the sheet and of the shared strings by default.
    public static let previewBytes = 1 << 20
    /// Whether a previewed row needed a shared string past the preview (read the file whole then).
    public private(set) var previewFellShort = false
    private let isPreview: Bool

    /// Opens the first sheet of the workbook at `path`. A preview reads only the first
    /// `previewBytes` of the sheet and of its shared strings: enough for the header rows.
    public init(path: String, numberStyle: NumberStyle, previewBytes: Int? = nil, limits: Limits = Limits()) throws(ParseError) {
        self.path = path
        self.isPreview = previewBytes != nil
        self.numberStyle = numberStyle
        self.limits = limits
        let zip = try ZipArchive(path: path, what: "Excel workbook")
        archive = zip
        let sheetPath = try Self.firstSheetPath(zip, file: path, limits: limits)
        guard let sheetEntry = zip[sheetPath] else {
            throw ParseError(.malformed, file: path, message: "the workbook names \(sheetPath), which is not in the file")
        }
        let stop = previewBytes.map(Int64.init)
        if let entry = zip["xl/sharedStrings.xml"] {
            sharedStrings = try Self.readSharedStrings(ZipEntryStream(archive: zip, entry: entry, limits: limits, stopAfter: stop),
                                                       file: path, limits: limits)
        } else {
            sharedStrings = nil
        }
        sheet = try ZipEntryStream(archive: zip, entry: sheetEntry, limits: limits, stopAfter: stop)
        guard let r = Self.xmlReader(sheet, name: sheetPath) else {
            throw ParseError(.malformed, file: path, message: "cannot read the sheet XML")
        }
        reader = r
    }

    deinit { xmlFreeTextReader(reader) }

    /// Approximate: the share of the sheet's compressed bytes read, scaled to the workbook's size.
    public var bytesRead: Int64 {
        let total = max(sheet.entry.compressedSize, 1)
        return Int64(Double(sheet.consumed) / Double(total) * Double(archive.size))
    }

    public func want(columns: Set<Int>?) {
        if let columns {
            wanted = (0..<((columns.max() ?? -1) + 1)).map { columns.contains($0) }
            wantAll = false
        } else {
            wantAll = true
        }
    }

    /// A libxml2 reader pulling from a zip entry as it inflates.
    static func xmlReader(_ stream: ZipEntryStream, name: String) -> xmlTextReaderPtr? {
        xmlReaderForIO(readEntry, nil, Unmanaged.passUnretained(stream).toOpaque(), name, nil, XMLRecordReader.options)
    }

    /// Why reading stopped: the zip stream's own error (a limit, damage) first, else the XML's.
    private func failure(_ what: String) -> ParseError {
        sheet.failure ?? ParseError(.malformed, file: path, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                    message: "the sheet XML is not well-formed (\(what))")
    }

    public func nextRow() throws(ParseError) -> TableRow? {
        var cells: [String?] = []
        var rawCells: [String] = []
        var rowNumber = 0
        var column = 0, type = "n", value = "", inValue = false, inRow = false
        while true {
            let ret = xmlTextReaderRead(reader)
            if ret == 0 {
                if let failure = sheet.failure { throw failure }
                return nil
            }
            if ret < 0 {
                if isPreview && sheet.failure == nil { return nil } // the preview's cut
                throw failure("a tag is broken or cut short")
            }
            switch xmlTextReaderNodeType(reader) {
            case 1:
                let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                switch name {
                case "row":
                    inRow = true
                    rowNumber = attribute("r").flatMap(Int.init) ?? rowNumber + 1
                    cells = []
                    rawCells = []
                    if xmlTextReaderIsEmptyElement(reader) == 1 {
                        return TableRow(line: 0, rowNumber: rowNumber, cells: [], raw: [], encodingProblem: nil)
                    }
                case "c":
                    column = try attribute("r").map { ref throws(ParseError) in try columnIndex(ref, row: rowNumber) } ?? rawCells.count
                    type = attribute("t") ?? "n"
                    value = ""
                    if xmlTextReaderIsEmptyElement(reader) == 1 { try store(column, "", &cells, &rawCells, row: rowNumber) }
                case "v", "t": inValue = true
                default: break
                }
            case 3, 4, 14:
                if inValue, let v = xmlTextReaderConstValue(reader) {
                    value += String(cString: v)
                    guard value.utf8.count <= limits.maxFieldBytes else {
                        throw ParseError(.malformed, file: path, message: "row \(rowNumber): a cell is longer than "
                                            + "\(limits.maxFieldBytes) bytes (limits.max_field_bytes in pra.yaml)")
                    }
                }
            case 5, 10:
                throw ParseError(.forbiddenConstruct, file: path, message: XMLRecordReader.doctypeRefusal + " (in the workbook's sheet)")
            case 15:
                let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                switch name {
                case "v", "t": inValue = false
                case "c": try store(column, try resolve(value, type: type, row: rowNumber), &cells, &rawCells, row: rowNumber)
                case "row":
                    if inRow {
                        let raw = Array(rawCells.joined(separator: "\u{1F}").utf8)
                        return TableRow(line: 0, rowNumber: rowNumber, cells: cells, raw: raw, encodingProblem: nil)
                    }
                default: break
                }
            default: break
            }
        }
    }

    private func store(_ column: Int, _ v: String, _ cells: inout [String?], _ raw: inout [String], row: Int) throws(ParseError) {
        guard column < limits.maxColumns else { throw tooManyColumns(row: row) }
        while raw.count < column { raw.append(""); cells.append(nil) }
        guard raw.count == column else { return } // a repeated cell reference: keep the first
        raw.append(v)
        cells.append(wantAll || (column < wanted.count && wanted[column]) ? v : nil)
    }

    private func tooManyColumns(row: Int) -> ParseError {
        ParseError(.malformed, file: path, message: "row \(row) has a cell beyond column \(limits.maxColumns) "
                     + "(Excel's last column is XFD; limits.max_columns in pra.yaml)")
    }

    private func resolve(_ v: String, type: String, row: Int) throws(ParseError) -> String {
        switch type {
        case "s":
            if let i = Int(v), let string = sharedStrings?[i] { return string }
            if isPreview, let i = Int(v), i >= 0 {
                previewFellShort = true // past the preview's cut: the caller reads the whole file
                return ""
            }
            throw ParseError(.malformed, file: path, message: "row \(row): shared string \(v) does not exist")
        case "n":
            // As Excel shows it (15 significant digits), in the file's decimal style.
            let shown = ExcelNumber.displayed(v) ?? v
            guard numberStyle == .comma, shown.utf8.contains(UInt8(ascii: ".")) else { return shown }
            return String(decoding: shown.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: ",") : $0 }, as: UTF8.self)
        default:
            return v
        }
    }

    private func attribute(_ name: String) -> String? {
        guard let v = xmlTextReaderGetAttribute(reader, name) else { return nil }
        defer { cxml2_free(v) }
        return String(cString: v)
    }

    /// `AB12` → 27 (0-based column); a reference past ``Limits/maxColumns`` is an error.
    private func columnIndex(_ ref: String, row: Int) throws(ParseError) -> Int {
        guard let n = Self.columnIndex(ref, max: limits.maxColumns) else { throw tooManyColumns(row: row) }
        return n
    }

    /// `AB12` → 27 (0-based); `nil` past `max` columns (no overflow, however many letters).
    static func columnIndex(_ ref: String, max: Int) -> Int? {
        var n = 0
        for c in ref.unicodeScalars {
            guard c.value >= 65 && c.value <= 90 else { break }
            n = n * 26 + Int(c.value - 64)
            if n > max { return nil }
        }
        return n - 1
    }

    /// `xl/worksheets/sheet1.xml`, through the workbook's first `<sheet>` and its relationship.
    static func firstSheetPath(_ archive: ZipArchive, file: String, limits: Limits) throws(ParseError) -> String {
        func read(_ entryPath: String) throws(ParseError) -> String {
            guard let e = archive[entryPath] else {
                throw ParseError(.malformed, file: file, message: "not an Excel workbook: \(entryPath) is missing")
            }
            let text = String(decoding: try archive.contents(of: e, limit: 4 << 20, what: "a workbook's part list", limits: limits), as: UTF8.self)
            if text.contains("<!DOCTYPE") || text.contains("<!ENTITY") {
                throw ParseError(.forbiddenConstruct, file: file, message: XMLRecordReader.doctypeRefusal + " (in \(entryPath))")
            }
            return text
        }
        let workbook = try read("xl/workbook.xml")
        let rels = try read("xl/_rels/workbook.xml.rels")
        guard let sheetTag = workbook.range(of: "<sheet ").map({ workbook[$0.lowerBound...] }),
              let rid = sheetTag.firstMatch(of: /r:id="([^"]+)"/)?.1 else {
            throw ParseError(.malformed, file: file, message: "the workbook has no sheet")
        }
        for rel in rels.matches(of: /<Relationship [^>]*>/) {
            let tag = rel.0
            guard tag.contains("Id=\"\(rid)\""), let target = tag.firstMatch(of: /Target="([^"]+)"/)?.1 else { continue }
            return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        throw ParseError(.malformed, file: file, message: "the workbook's first sheet \(rid) has no target")
    }

    /// Every `<si>` as one string (rich-text runs joined, phonetic runs left out), streamed from
    /// the zip into a table on disk; a preview stops at its cut.
    static func readSharedStrings(_ stream: ZipEntryStream, file: String, limits: Limits) throws(ParseError) -> SharedStringTable {
        guard let r = xmlReader(stream, name: "sharedStrings.xml") else {
            throw ParseError(.malformed, file: file, message: "cannot read sharedStrings.xml")
        }
        defer { xmlFreeTextReader(r) }
        let strings = try SharedStringTable(workbook: file)
        var current: [UInt8] = [], inT = false, inPhonetic = false
        while true {
            let ret = xmlTextReaderRead(r)
            if ret == 0 { break }
            if ret < 0 {
                if let failure = stream.failure { throw failure }
                if stream.isPreview { break } // the preview's cut
                throw ParseError(.malformed, file: file, message: "sharedStrings.xml is not well-formed")
            }
            let name = xmlTextReaderConstLocalName(r).map { String(cString: $0) } ?? ""
            switch xmlTextReaderNodeType(r) {
            case 1:
                if name == "si" {
                    current.removeAll(keepingCapacity: true)
                    if xmlTextReaderIsEmptyElement(r) == 1 { try strings.append([]) }
                }
                if name == "t" { inT = true }
                if name == "rPh" { inPhonetic = true }
            case 3, 4, 14:
                if inT && !inPhonetic, let v = xmlTextReaderConstValue(r) {
                    current += UnsafeBufferPointer(start: v, count: strlen(v))
                    guard current.count <= limits.maxFieldBytes else {
                        throw ParseError(.malformed, file: file, message: "a shared string is longer than \(limits.maxFieldBytes) bytes "
                                            + "(limits.max_field_bytes in pra.yaml)")
                    }
                }
            case 5, 10:
                throw ParseError(.forbiddenConstruct, file: file, message: XMLRecordReader.doctypeRefusal + " (in sharedStrings.xml)")
            case 15:
                if name == "t" { inT = false }
                if name == "rPh" { inPhonetic = false }
                if name == "si" { try strings.append(current) }
            default: break
            }
        }
        if let failure = stream.failure { throw failure }
        try strings.finish()
        return strings
    }
}

/// libxml2's read callback: the next inflated bytes of a ``ZipEntryStream`` (its error is kept in the stream).
private let readEntry: xmlInputReadCallback = { context, buffer, length in
    let stream = Unmanaged<ZipEntryStream>.fromOpaque(context!).takeUnretainedValue()
    guard let buffer, length > 0 else { return 0 }
    do {
        return Int32(try stream.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))))
    } catch {
        return -1
    }
}
