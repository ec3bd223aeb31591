import Foundation
import OrderCore
import Parsers

/// What a file looks like from its first bytes: xlsx (zip), XML or text, plus its header
/// row or root element when a mapping asks.
struct FileSniff {
    enum Container { case xlsx, xml, text }
    let path: String
    let name: String
    let container: Container

    init(path: String) {
        self.path = path
        name = (path as NSString).lastPathComponent
        var head = [UInt8]()
        if let h = FileHandle(forReadingAtPath: path) {
            head = Array(h.readData(ofLength: 512))
            try? h.close()
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            container = .xlsx
        } else {
            var text = head
            if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
            let first = text.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            container = first == UInt8(ascii: "<") ? .xml : .text
        }
    }

    var kindDescription: String {
        switch container {
        case .xlsx: return "an Excel workbook"
        case .xml: return "XML with root element '\((try? XMLRecordReader.rootElement(path: path).get()) ?? "?")'"
        case .text: return "a text (CSV/TSV) file"
        }
    }

    /// Why `spec` does not claim this file, or `nil` when it does.
    func mismatch(_ spec: MappingSpec) -> String? {
        let kinds = spec.format.kinds
        switch container {
        case .xlsx where !kinds.contains(.xlsx): return "not an xlsx mapping"
        case .xml where !kinds.contains(.xml): return "not an xml mapping"
        case .text where !kinds.contains(.csv): return "not a csv mapping"
        default: break
        }
        if !spec.match.fileNames.isEmpty && !spec.match.fileNames.contains(where: { Self.glob($0, name) }) {
            return "file name does not match \(spec.match.fileNames.joined(separator: " or "))"
        }
        switch container {
        case .xml:
            let root = try? XMLRecordReader.rootElement(path: path).get()
            return root == spec.match.xmlRoot ? nil : "root element is '\(root ?? "?")', not '\(spec.match.xmlRoot ?? "")'"
        case .xlsx, .text:
            let header = headerNames(spec)
            let missing = spec.match.headerContains.filter { !header.contains(ColumnName.folded($0)) }
            return missing.isEmpty ? nil : "no column \(missing.map { "\"\($0)\"" }.joined(separator: ", "))"
        }
    }

    /// Folded cell texts of the first ten rows, read with the mapping's encoding and separator.
    private func headerNames(_ spec: MappingSpec) -> Set<String> {
        var names = Set<String>()
        func collect<R: TableRowSource>(_ rows: inout R) {
            rows.want(columns: nil)
            for _ in 0..<10 {
                guard let row = try? rows.nextRow() else { break }
                for c in row.cells { names.insert(ColumnName.folded(c ?? "")) }
            }
        }
        if container == .xlsx {
            guard var r = try? XLSXReader(path: path, numberStyle: spec.format.numberStyle,
                                      previewBytes: XLSXReader.previewBytes) else { return [] }
            collect(&r)
            if r.previewFellShort, var whole = try? XLSXReader(path: path, numberStyle: spec.format.numberStyle) {
                names = []
                collect(&whole)
            }
        } else {
            guard var r = try? CSVReader(path: path, encoding: spec.format.encoding, separator: spec.format.separator) else { return [] }
            collect(&r)
            r.close()
        }
        return names
    }

    /// Shell-style glob on the file name, case-insensitive.
    static func glob(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern.lowercased(), name.lowercased(), 0) == 0
    }
}
