import Foundation
import CXML2
import OrderCore

/// Streams order records out of an XML file with libxml2's `xmlTextReader`: memory stays
/// flat however large the file, subtrees the mapping does not read are skipped unparsed
/// into nodes, and a DOCTYPE or entity reference is refused (no XXE, no entity expansion).
///
/// Records are found by the local names of the path to them, matched as a suffix of the
/// element stack, so SOAP envelopes and namespace prefixes do not matter.
public final class XMLRecordReader: RecordReader {
    private let path: String
    private let reader: xmlTextReaderPtr
    private let errors = XMLErrorBox()
    private let recordPath: [Int]
    private var names: NameTable
    private let trie: XMLPathNode
    private let layout: SourceLayout
    private var nameIDs: [UnsafeRawPointer: Int] = [:]
    private var finished = false
    private var recordCount = 0
    private let limits: Limits
    public let header: [String] = []

    /// Options that held in the security tests: no network, no DTD loading, no entity substitution;
    /// `BIG_LINES` so errors past line 65,535 name their real line.
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_BIG_LINES.rawValue
                               | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    public init(path: String, layout: SourceLayout, recordPath: [String], linePath: [String],
                limits: Limits = Limits()) throws(ParseError) {
        guard let r = xmlReaderForFile(path, nil, Self.options) else {
            throw ParseError(.unreadable, file: path, message: "cannot open the file")
        }
        self.path = path
        self.limits = limits
        reader = r
        self.layout = layout
        var table = NameTable()
        trie = XMLPathNode.build(layout: layout, linePath: linePath, names: &table)
        self.recordPath = recordPath.map { table.id($0) }
        names = table
        xmlTextReaderSetStructuredErrorHandler(reader, xmlErrorCallback, Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit { xmlFreeTextReader(reader) }

    public var bytesRead: Int64 { Int64(max(0, xmlTextReaderByteConsumed(reader))) }

    private func nameID() -> Int {
        guard let p = xmlTextReaderConstLocalName(reader) else { return -1 }
        let key = UnsafeRawPointer(p)
        if let id = nameIDs[key] { return id }
        let id = names.id(String(cString: p))
        nameIDs[key] = id
        return id
    }

    private func failure(_ fallback: String) -> ParseError {
        if let e = errors.first {
            return ParseError(.malformed, file: path, line: e.line, column: e.column, message: e.message)
        }
        return ParseError(.malformed, file: path, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                          column: Int(xmlTextReaderGetParserColumnNumber(reader)), message: fallback)
    }

    private func currentLine() -> Int {
        guard let node = xmlTextReaderCurrentNode(reader) else { return 0 }
        return Int(xmlGetLineNo(node))
    }

    // Per-record state.
    private var outerStack: [Int] = []
    private struct Frame { var node: XMLPathNode?; var inLine: Bool; var slotOwner: Bool }

    public func next() throws(ParseError) -> RecordResult? {
        if finished { return nil }
        var frames: [Frame] = []
        var orderValues = [String?](repeating: nil, count: layout.orderFields.count)
        var lines: [SourceLine] = []
        var lineValues: [String?] = []
        var linePosition = SourcePosition(record: 0, line: 0)
        var position = SourcePosition(record: 0, line: 0)
        var inRecord = false
        var textSlot: (slot: Int, line: Bool)?
        var extraLines = 0

        var ret = xmlTextReaderRead(reader)
        while ret == 1 {
            var skip = false
            let type = xmlTextReaderNodeType(reader)
            switch type {
            case 1: // element
                let id = nameID()
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                if !inRecord {
                    outerStack.append(id)
                    if outerStack.count >= recordPath.count && Array(outerStack.suffix(recordPath.count)) == recordPath {
                        inRecord = true
                        recordCount += 1
                        guard recordCount <= limits.maxRecordsPerFile else {
                            throw ParseError(.malformed, file: path, line: currentLine(), message: "the file has more than "
                                                + "\(limits.maxRecordsPerFile) orders (limits.max_records_per_file in pra.yaml)")
                        }
                        position = SourcePosition(record: recordCount, line: currentLine())
                        frames = [Frame(node: trie, inLine: false, slotOwner: false)]
                    }
                    if empty {
                        outerStack.removeLast()
                        if inRecord {
                            return .record(SourceRecord(position: position, orderValues: orderValues, lines: []))
                        }
                    }
                    break
                }
                let parent = frames[frames.count - 1]
                guard let child = parent.node?.children[id] else {
                    if !empty { skip = true } // nothing wanted below: let libxml2 skip the subtree
                    break
                }
                var inLine = parent.inLine
                if child.isLineRoot {
                    inLine = true
                    lineValues = [String?](repeating: nil, count: layout.lineFields.count)
                    linePosition = SourcePosition(record: position.record, line: currentLine())
                }
                for (attr, slot) in child.attributes {
                    if let v = xmlTextReaderGetAttribute(reader, attr) {
                        let s = String(cString: v)
                        cxml2_free(v)
                        if inLine { if lineValues[slot] == nil { lineValues[slot] = s } }
                        else if orderValues[slot] == nil { orderValues[slot] = s }
                    }
                }
                var owner = false
                if let slot = child.textSlot {
                    let taken = inLine ? lineValues[slot] != nil : orderValues[slot] != nil
                    if !taken {
                        owner = true
                        textSlot = (slot, inLine)
                        if inLine { lineValues[slot] = "" } else { orderValues[slot] = "" }
                    }
                }
                if empty {
                    if child.isLineRoot { lines.append(SourceLine(position: linePosition, values: lineValues)) }
                    if owner { textSlot = nil }
                } else {
                    frames.append(Frame(node: child, inLine: inLine, slotOwner: owner))
                }
            case 3, 4: // text, CDATA
                if inRecord, let (slot, line) = textSlot, frames.last?.slotOwner == true, let v = xmlTextReaderConstValue(reader) {
                    let s = String(cString: v)
                    guard s.utf8.count + (line ? lineValues[slot]! : orderValues[slot]!).utf8.count <= limits.maxFieldBytes else {
                        throw ParseError(.malformed, file: path, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                         message: "a value is longer than \(limits.maxFieldBytes) bytes (limits.max_field_bytes in pra.yaml)")
                    }
                    // Usually one text node per element: take it as is; join the rare split ones.
                    if line {
                        if lineValues[slot]!.isEmpty { lineValues[slot] = s } else { lineValues[slot]! += s }
                    } else {
                        if orderValues[slot]!.isEmpty { orderValues[slot] = s } else { orderValues[slot]! += s }
                    }
                }
            case 15: // end element
                if !inRecord {
                    if !outerStack.isEmpty { outerStack.removeLast() }
                    break
                }
                let frame = frames.removeLast()
                if frame.slotOwner { textSlot = nil }
                if frame.node?.isLineRoot == true {
                    // Past the lines-per-order limit lines are only counted: memory stays bounded.
                    if lines.count < limits.maxLinesPerOrder {
                        lines.append(SourceLine(position: linePosition, values: lineValues))
                    } else {
                        extraLines += 1
                    }
                }
                if frames.isEmpty {
                    outerStack.removeLast()
                    if extraLines > 0 {
                        return .rejected(RecordError(position: position, reason: "the order has \(lines.count + extraLines) lines, "
                                                        + "more than the \(limits.maxLinesPerOrder) accepted "
                                                        + "(limits.max_lines_per_order in pra.yaml)"), rawRows: [])
                    }
                    return .record(SourceRecord(position: position, orderValues: orderValues, lines: lines))
                }
            case 10, 5, 6, 17: // DOCTYPE, entity reference, entity, notation
                throw ParseError(.forbiddenConstruct, file: path, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                 message: Self.doctypeRefusal)
            default:
                break
            }
            ret = skip ? xmlTextReaderNext(reader) : xmlTextReaderRead(reader)
        }
        finished = true
        if ret < 0 { throw failure("the XML is not well-formed") }
        if inRecord { throw failure("the file ends inside a record") }
        return nil
    }

    /// The local name of the root element, for matching a file to a mapping. Fails on a
    /// DOCTYPE (refused, as in ``next()``) or when there is no readable root element.
    public static func rootElement(path: String) -> Result<String, ParseError> {
        guard let r = xmlReaderForFile(path, nil, options) else {
            return .failure(ParseError(.unreadable, file: path, message: "cannot open the file"))
        }
        defer { xmlFreeTextReader(r) }
        while xmlTextReaderRead(r) == 1 {
            let type = xmlTextReaderNodeType(r)
            if type == 10 {
                return .failure(ParseError(.forbiddenConstruct, file: path, message: doctypeRefusal))
            }
            if type == 1, let n = xmlTextReaderConstLocalName(r) { return .success(String(cString: n)) }
        }
        return .failure(ParseError(.malformed, file: path, line: Int(xmlTextReaderGetParserLineNumber(r)),
                                   message: "no root element could be read (not well-formed XML)"))
    }

    static let doctypeRefusal = "the file has a DOCTYPE or entity; order exports never need one, and it is "
        + "refused so no external file or entity expansion can be involved"
}

/// The first error libxml2 reported for one reader (per-reader state, no global handler).
final class XMLErrorBox {
    var first: (line: Int, column: Int, message: String)?
}

private let xmlErrorCallback: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<xmlError>?) -> Void = { ctx, error in
    guard let ctx, let error else { return }
    let box = Unmanaged<XMLErrorBox>.fromOpaque(ctx).takeUnretainedValue()
    guard box.first == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = error.pointee.message.map { String(cString: $0) } ?? "XML error"
    box.first = (Int(error.pointee.line), Int(error.pointee.int2),
                 message.trimmingCharacters(in: .whitespacesAndNewlines))
}
