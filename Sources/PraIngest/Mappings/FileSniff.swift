import Foundation
import OrderCore
import Parsers

/// What a file looks like from its first bytes: xlsx (zip), XML, JSON or text, plus its header
/// row, root element or first keys when a mapping asks.
struct FileSniff {
    enum Container { case xlsx, xml, zippedXML, json, text }
    let path: String
    let name: String
    let container: Container
    let limits: Limits
    /// What one look inside found, for the next mapping that asks the same.
    private let seen = Seen()

    private final class Seen {
        /// The first rows by how they were read: a text file's resolved encoding and separator
        /// (mappings that declare them differently mostly read a file alike), a workbook's number style.
        var firstRows: [ReadAs: FirstRows] = [:]
        /// A text file's first chunk, which decides how it is read.
        var textHead: [UInt8]?
        /// How a text file is read, by the encoding and separator a mapping declares.
        var dialects: [Declared: CSVReader.Dialect] = [:]
        var xmlRoot: Result<String, ParseError>?
        var xmlElements: Set<String>?
        var jsonKeys: Set<String>?
    }

    /// How a file's first rows were read (keys, not strings: a string made of enum cases per
    /// mapping per file cost more than comparing the rows' reads).
    private enum ReadAs: Hashable {
        case workbook(NumberStyle)
        case text(TextTranscoder.Source, separator: UInt8)
    }

    /// The encoding and separator a mapping declares for a text file.
    private struct Declared: Hashable {
        let encoding: TextEncoding
        let separator: UInt8?
    }

    init(path: String, limits: Limits = Limits()) {
        self.path = path
        self.limits = limits
        name = (path as NSString).lastPathComponent
        let head = SourceFile.head(path, count: 512)
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            // A zip of XML documents (a provider's invoices) unless it is a workbook; a zip that does
            // not open is left to the workbook reader, which says what is wrong with it.
            container = ZippedXMLRecordReader.rootElement(path: path) != nil ? .zippedXML : .xlsx
        } else if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            container = .xlsx // an encrypted workbook or an old .xls: the xlsx reader says which
        } else {
            var text = head
            if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
            // UTF-16 (with its BOM): every other byte is zero; libxml2 reads it as it is.
            if text.starts(with: [0xFF, 0xFE]) || text.starts(with: [0xFE, 0xFF]) {
                text = stride(from: text.starts(with: [0xFF, 0xFE]) ? 2 : 3, to: text.count, by: 2).map { text[$0] }
            }
            let first = text.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            switch first {
            case UInt8(ascii: "<"): container = .xml
            case UInt8(ascii: "{"), UInt8(ascii: "["): container = .json
            default: container = .text
            }
        }
    }

    var kindDescription: String {
        switch container {
        case .xlsx: return "an Excel workbook"
        case .xml: return "XML with root element '\((try? xmlRoot.get()) ?? "?")'"
        case .json: return "JSON"
        case .zippedXML: return "a zip of XML files with root element '\(ZippedXMLRecordReader.rootElement(path: path) ?? "?")'"
        case .text: return "a text (CSV/TSV) file"
        }
    }

    /// Whether `spec` reads this kind of container at all.
    func claimsKind(_ spec: MappingSpec) -> Bool {
        switch container {
        case .xlsx: return spec.format.kinds.contains(.xlsx)
        case .xml, .zippedXML: return spec.format.kinds.contains(.xml)
        case .json: return spec.format.kinds.contains(.json)
        case .text: return spec.format.kinds.contains(.csv)
        }
    }

    /// Why `spec` does not claim this file, or `nil` when it does.
    /// - Parameter ignoringName: the file's name is no evidence (a test input has none).
    func mismatch(_ spec: MappingSpec, ignoringName: Bool = false) -> String? {
        let kinds = spec.format.kinds
        switch container {
        case .xlsx where !kinds.contains(.xlsx): return "not an xlsx mapping"
        case .xml where !kinds.contains(.xml), .zippedXML where !kinds.contains(.xml): return "not an xml mapping"
        case .json where !kinds.contains(.json): return "not a json mapping"
        case .text where !kinds.contains(.csv): return "not a csv mapping"
        default: break
        }
        if !ignoringName && !spec.match.fileNames.isEmpty && !spec.match.fileNames.contains(where: { Self.glob($0, name) }) {
            return "file name does not match \(spec.match.fileNames.joined(separator: " or "))"
        }
        switch container {
        case .xml:
            let root = try? xmlRoot.get()
            if root != spec.match.xmlRoot { return "root element is '\(root ?? "?")', not '\(spec.match.xmlRoot ?? "")'" }
            if let element = spec.match.element, !xmlElements.contains(element) { return "no element '\(element)' near the top" }
            if let present = spec.match.absent.first(where: xmlElements.contains) { return "has the element '\(present)' (absent_elements)" }
            return nil
        case .zippedXML:
            let root = ZippedXMLRecordReader.rootElement(path: path)
            return root == spec.match.xmlRoot ? nil : "the zip's XML root element is '\(root ?? "?")', not '\(spec.match.xmlRoot ?? "")'"
        case .json:
            if let element = spec.match.element, !jsonKeys.contains(element) { return "no key '\(element)' near the top" }
            if let present = spec.match.absent.first(where: jsonKeys.contains) { return "has the key '\(present)' (absent_elements)" }
            return nil
        case .xlsx, .text:
            if spec.format.columns != nil { return firstRowMismatch(spec) }
            switch headerNames(spec) {
            case .failure(let e): return "cannot read the first rows: \(e.positionedMessage)"
            case .success(let header):
                let missing = spec.match.headerContains.filter { !header.contains(ColumnName.folded($0)) }
                if !missing.isEmpty { return "no column \(missing.map { "\"\($0)\"" }.joined(separator: ", "))" }
                if let present = spec.match.absent.first(where: { header.contains(ColumnName.folded($0)) }) {
                    return "has the column \"\(present)\" (absent_columns)"
                }
                return nil
            }
        }
    }

    /// The local names of the first elements of an XML file (where a SOAP response names its operation).
    private var xmlElements: Set<String> {
        if let known = seen.xmlElements { return known }
        seen.xmlElements = Set(XMLRecordReader.elementNames(path: path, limit: 200))
        return seen.xmlElements!
    }

    private var jsonKeys: Set<String> {
        if let known = seen.jsonKeys { return known }
        seen.jsonKeys = JSONRecordReader.keys(path: path)
        return seen.jsonKeys!
    }

    /// The XML document's root element, or why it has none.
    var xmlRoot: Result<String, ParseError> {
        if let known = seen.xmlRoot { return known }
        seen.xmlRoot = XMLRecordReader.rootElement(path: path)
        return seen.xmlRoot!
    }

    /// A file without a header: its first row must have the mapping's column count and match its cell patterns.
    private func firstRowMismatch(_ spec: MappingSpec) -> String? {
        guard let columns = spec.format.columns else { return nil }
        let read = firstRows(spec)
        // A first row repeating the column names is a header; look at the next.
        let first = read.rows.first { c in
            c.contains(where: { !$0.trimmingBlanks().isEmpty }) && c.map(ColumnName.folded) != columns.map(ColumnName.folded)
        }
        guard var cells = first else {
            if let error = read.error { return "cannot read the first row: \(error.positionedMessage)" }
            return read.rows.count < FirstRows.limit ? "the file has no rows" : "no row with cells in its first \(FirstRows.limit) rows"
        }
        while cells.count > columns.count, cells.last?.trimmingBlanks().isEmpty == true { cells.removeLast() }
        guard cells.count == columns.count else { return "the first row has \(cells.count) cells, not \(columns.count)" }
        for (column, pattern) in spec.match.cellPatterns {
            guard let i = columns.firstIndex(of: column), let regex = try? LinearRegex(pattern) else { continue }
            if (try? regex.matches(cells[i].trimmingBlanks())) != true { return "\(column) '\(cells[i].prefix(40))' does not match /\(pattern)/" }
        }
        return nil
    }

    /// Why the file cannot be read as `spec` wants at all (broken quoting, a damaged or encrypted
    /// workbook, a line past the limits): the real cause when no mapping matches.
    func unreadable(_ spec: MappingSpec) -> ParseError? {
        guard container == .xlsx || container == .text, spec.format.columns == nil,
              case .failure(let e) = headerNames(spec) else { return nil }
        return e
    }

    /// Folded cell texts of the first ten rows, read as `spec` reads the file.
    private func headerNames(_ spec: MappingSpec) -> Result<Set<String>, ParseError> {
        let read = firstRows(spec)
        if let error = read.error { return .failure(error) }
        return .success(read.names)
    }

    /// The cells of a file's first rows, their folded texts, and the error that stopped reading them.
    private struct FirstRows {
        static let limit = 10
        var rows: [[String]] = []
        var names = Set<String>()
        var error: ParseError?
    }

    /// The first rows as `spec` reads them, read once for all the mappings that read them alike.
    private func firstRows(_ spec: MappingSpec) -> FirstRows {
        let key: ReadAs
        if container == .xlsx {
            key = .workbook(spec.format.numberStyle)
        } else {
            let declared = Declared(encoding: spec.format.encoding, separator: spec.format.separator)
            let dialect = seen.dialects[declared] ?? {
                if seen.textHead == nil { seen.textHead = SourceFile.head(path, count: CSVReader.previewChunkBytes) }
                return CSVReader.dialect(head: seen.textHead!, encoding: spec.format.encoding, separator: spec.format.separator)
            }()
            seen.dialects[declared] = dialect
            key = .text(dialect.source, separator: dialect.separator)
        }
        if let known = seen.firstRows[key] { return known }
        var read = FirstRows()
        func collect<R: TableRowSource>(_ rows: inout R) throws(ParseError) {
            read.rows = []
            rows.want(columns: nil)
            while read.rows.count < FirstRows.limit, let row = try rows.nextRow() { read.rows.append(row.cells) }
        }
        do {
            if container == .xlsx {
                var r = try XLSXReader(path: path, numberStyle: spec.format.numberStyle, previewBytes: XLSXReader.previewBytes,
                                       limits: limits)
                try collect(&r)
                if r.previewFellShort {
                    var whole = try XLSXReader(path: path, numberStyle: spec.format.numberStyle, limits: limits)
                    try collect(&whole)
                }
            } else {
                var r = try CSVReader(path: path, encoding: spec.format.encoding, separator: spec.format.separator, limits: limits,
                                      chunkBytes: CSVReader.previewChunkBytes)
                defer { r.close() }
                try collect(&r)
            }
        } catch {
            read.error = error
        }
        if read.error == nil { read.names = Set(read.rows.joined().map(ColumnName.folded)) }
        seen.firstRows[key] = read
        return read
    }

    /// Shell-style glob on the file name, case-insensitive.
    static func glob(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern.lowercased(), name.lowercased(), 0) == 0
    }
}
