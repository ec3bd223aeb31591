import CXML2
import Foundation
import OrderCore
import ZIPFoundation

/// Reads the first sheet of an `.xlsx` workbook as table rows, like a CSV: shared strings,
/// inline strings and numbers. Numeric cells are written in the mapping's number style
/// (`1234,5` for comma style), so one mapping reads both the `.xlsx` and its CSV re-save;
/// date cells arrive as Excel serial numbers (map them with the `excel_serial` format).
///
/// The sheet is unzipped to a temporary file and streamed with libxml2's reader.
public final class XLSXReader: TableRowSource {
    private let path: String
    private let sheetFile: URL
    private let reader: xmlTextReaderPtr
    private let sharedStrings: SharedStringTable?
    private let numberStyle: NumberStyle
    private var wantAll = true
    private var wanted: [Bool] = []
    private let size: Int64

    /// What a preview reads of the sheet and of the shared strings by default.
    public static let previewBytes = 1 << 20
    /// Whether a previewed row needed a shared string past the preview (read the file whole then).
    public private(set) var previewFellShort = false
    private let isPreview: Bool

    /// Opens the first sheet of the workbook at `path`. A preview reads only the first
    /// `previewBytes` of the sheet and of its shared strings: enough for the header rows,
    /// without unzipping a 2 GB sheet.
    public init(path: String, numberStyle: NumberStyle, previewBytes: Int? = nil) throws(ParseError) {
        self.path = path
        self.isPreview = previewBytes != nil
        self.numberStyle = numberStyle
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ParseError(.malformed, file: path, message: "not a readable .xlsx (zip) file: \(error)")
        }
        size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        let sheetPath = try Self.firstSheetPath(archive, file: path)
        guard let sheet = archive[sheetPath] else {
            throw ParseError(.malformed, file: path, message: "the workbook names \(sheetPath), which is not in the file")
        }
        sheetFile = FileManager.default.temporaryDirectory.appendingPathComponent("pra-xlsx-\(UUID().uuidString).xml")
        do {
            try Self.extract(sheet, of: archive, to: sheetFile, limit: previewBytes)
            sharedStrings = try archive["xl/sharedStrings.xml"].map {
                try Self.readSharedStrings(archive, $0, file: path, limit: previewBytes)
            }
        } catch let e as ParseError {
            try? FileManager.default.removeItem(at: sheetFile)
            throw e
        } catch {
            try? FileManager.default.removeItem(at: sheetFile)
            throw ParseError(.malformed, file: path, message: "cannot unzip the sheet: \(error)")
        }
        guard let r = xmlReaderForFile(sheetFile.path, nil, XMLRecordReader.options) else {
            try? FileManager.default.removeItem(at: sheetFile)
            throw ParseError(.malformed, file: path, message: "cannot read the sheet XML")
        }
        reader = r
    }

    deinit {
        xmlFreeTextReader(reader)
        try? FileManager.default.removeItem(at: sheetFile)
    }

    /// Approximate: the share of the sheet read, scaled to the workbook's size.
    public var bytesRead: Int64 {
        let sheetSize = (try? FileManager.default.attributesOfItem(atPath: sheetFile.path)[.size] as? Int64) ?? 0
        guard sheetSize > 0 else { return 0 }
        return Int64(Double(xmlTextReaderByteConsumed(reader)) / Double(sheetSize) * Double(size))
    }

    public func want(columns: Set<Int>?) {
        if let columns {
            wanted = (0..<((columns.max() ?? -1) + 1)).map { columns.contains($0) }
            wantAll = false
        } else {
            wantAll = true
        }
    }

    public func nextRow() throws(ParseError) -> TableRow? {
        var cells: [String?] = []
        var rawCells: [String] = []
        var rowNumber = 0
        var column = 0, type = "n", value = "", inValue = false, inRow = false
        while true {
            let ret = xmlTextReaderRead(reader)
            if ret == 0 { return nil }
            if ret < 0 {
                throw ParseError(.malformed, file: path, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                 message: "the sheet XML is not well-formed")
            }
            let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
            switch xmlTextReaderNodeType(reader) {
            case 1:
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
                    column = attribute("r").map(Self.columnIndex) ?? rawCells.count
                    type = attribute("t") ?? "n"
                    value = ""
                    if xmlTextReaderIsEmptyElement(reader) == 1 { store(column, "", &cells, &rawCells) }
                case "v", "t": inValue = true
                default: break
                }
            case 3, 4, 14:
                if inValue, let v = xmlTextReaderConstValue(reader) { value += String(cString: v) }
            case 15:
                switch name {
                case "v", "t": inValue = false
                case "c": store(column, try resolve(value, type: type, row: rowNumber), &cells, &rawCells)
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

    private func store(_ column: Int, _ v: String, _ cells: inout [String?], _ raw: inout [String]) {
        while raw.count < column { raw.append(""); cells.append(nil) }
        guard raw.count == column else { return } // a repeated cell reference: keep the first
        raw.append(v)
        cells.append(wantAll || (column < wanted.count && wanted[column]) ? v : nil)
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

    /// `AB12` → 27 (0-based column).
    static func columnIndex(_ ref: String) -> Int {
        var n = 0
        for c in ref.unicodeScalars {
            guard c.value >= 65 && c.value <= 90 else { break }
            n = n * 26 + Int(c.value - 64)
        }
        return n - 1
    }

    /// `xl/worksheets/sheet1.xml`, through the workbook's first `<sheet>` and its relationship.
    static func firstSheetPath(_ archive: Archive, file: String) throws(ParseError) -> String {
        func read(_ entryPath: String) throws(ParseError) -> Data {
            guard let e = archive[entryPath] else {
                throw ParseError(.malformed, file: file, message: "not an Excel workbook: \(entryPath) is missing")
            }
            var data = Data()
            do { _ = try archive.extract(e, skipCRC32: false) { data.append($0) } } catch {
                throw ParseError(.malformed, file: file, message: "cannot unzip \(entryPath): \(error)")
            }
            return data
        }
        let workbook = String(decoding: try read("xl/workbook.xml"), as: UTF8.self)
        let rels = String(decoding: try read("xl/_rels/workbook.xml.rels"), as: UTF8.self)
        guard let sheetTag = workbook.range(of: "<sheet ").map({ workbook[$0.lowerBound...] }),
              let rid = sheetTag.firstMatch(of: /r:id="([^"]+)"/)?.1 else {
            throw ParseError(.malformed, file: file, message: "the workbook lists no sheet")
        }
        for rel in rels.matches(of: /<Relationship [^>]*>/) {
            let tag = rel.0
            guard tag.contains("Id=\"\(rid)\""), let target = tag.firstMatch(of: /Target="([^"]+)"/)?.1 else { continue }
            return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        throw ParseError(.malformed, file: file, message: "the workbook's first sheet \(rid) has no target")
    }

    /// Unzips `entry` to `url`, only its first `limit` bytes when given (then unchecked: its
    /// checksum covers the whole entry).
    static func extract(_ entry: Entry, of archive: Archive, to url: URL, limit: Int?) throws {
        guard let limit else {
            _ = try archive.extract(entry, to: url)
            return
        }
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let out = FileHandle(forWritingAtPath: url.path) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? out.close() }
        struct Enough: Error {}
        var written = 0
        do {
            _ = try archive.extract(entry, skipCRC32: true) { chunk in
                let part = chunk.prefix(limit - written)
                try out.write(contentsOf: part)
                written += part.count
                if written >= limit { throw Enough() }
            }
        } catch is Enough {}
    }

    /// Every `<si>` as one string (rich-text runs joined, phonetic runs left out); only those in
    /// the first `limit` bytes when given.
    static func readSharedStrings(_ archive: Archive, _ entry: Entry, file: String, limit: Int?) throws -> SharedStringTable {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("pra-ss-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: tmp) }
        try extract(entry, of: archive, to: tmp, limit: limit)
        guard let r = xmlReaderForFile(tmp.path, nil, XMLRecordReader.options) else {
            throw ParseError(.malformed, file: file, message: "cannot read sharedStrings.xml")
        }
        defer { xmlFreeTextReader(r) }
        let strings = try SharedStringTable(workbook: file)
        var current: [UInt8] = [], inT = false, inPhonetic = false
        while true {
            let ret = xmlTextReaderRead(r)
            if ret == 0 { break }
            if ret < 0 {
                if limit != nil { break } // the preview's cut
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
                }
            case 15:
                if name == "t" { inT = false }
                if name == "rPh" { inPhonetic = false }
                if name == "si" { try strings.append(current) }
            default: break
            }
        }
        try strings.finish()
        return strings
    }
}
