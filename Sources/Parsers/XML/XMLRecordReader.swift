import Foundation
import CXML2
import OrderCore

/// Streams records out of an XML file with libxml2's `xmlTextReader`: memory stays flat however
/// large the file, subtrees the mapping does not read are skipped unparsed into nodes, and a
/// DOCTYPE or entity reference is refused (no XXE, no entity expansion). Which values make a
/// record is the ``TreeRecordAssembler``'s business; this reader only feeds it elements.
public final class XMLRecordReader: RecordReader {
    private let path: String
    private let reader: xmlTextReaderPtr
    private let errors = XMLErrorBox()
    private var assembler: TreeRecordAssembler
    /// Name ids by libxml2's interned name pointer: a direct-mapped cache, as a dictionary's
    /// hashing per element cost more than the lookup saved.
    private var cachedNames = [UnsafeRawPointer?](repeating: nil, count: 1024)
    private var cachedIDs = [Int](repeating: -1, count: 1024)
    private var finished = false
    public let header: [String] = []
    /// Keeps a zip entry's stream alive while libxml2 reads from it.
    private let source: AnyObject?

    /// Options that held in the security tests: no network, no DTD loading, no entity substitution;
    /// `BIG_LINES` so errors past line 65,535 name their real line.
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_BIG_LINES.rawValue
                               | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    public convenience init(path: String, layout: SourceLayout, recordPath: [String], linePath: [String],
                            limits: Limits = Limits()) throws(ParseError) {
        guard let r = xmlReaderForFile(path, nil, Self.options) else {
            throw ParseError(.unreadable, file: path, message: "cannot open the file")
        }
        self.init(reader: r, source: nil, path: path, layout: layout, recordPath: recordPath, linePath: linePath, limits: limits)
    }

    /// Reads from an open libxml2 reader (a zip entry's stream, kept alive by `source`).
    init(reader r: xmlTextReaderPtr, source: AnyObject?, path: String, layout: SourceLayout, recordPath: [String],
         linePath: [String], limits: Limits) {
        self.path = path
        reader = r
        self.source = source
        assembler = TreeRecordAssembler(file: path, layout: layout, recordPath: recordPath, linePath: linePath, limits: limits)
        xmlTextReaderSetStructuredErrorHandler(reader, xmlErrorCallback, Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit { xmlFreeTextReader(reader) }

    public var bytesRead: Int64 { Int64(max(0, xmlTextReaderByteConsumed(reader))) }

    /// Paths no element matched anywhere in the file (known once the file is read).
    public var unseenFields: [String] { assembler.unseenFields }

    private func nameID() -> Int {
        guard let p = xmlTextReaderConstLocalName(reader) else { return -1 }
        let key = UnsafeRawPointer(p)
        let slot = Int((UInt(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 54) // Fibonacci hashing into 1024 slots
        if cachedNames[slot] == key { return cachedIDs[slot] }
        // libxml2 interns names, so the pointer stands for the name while this reader lives.
        let id = assembler.names.lookup(String(cString: p))
        cachedNames[slot] = key
        cachedIDs[slot] = id
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

    private func attribute(_ name: String) -> String? {
        guard let v = xmlTextReaderGetAttribute(reader, name) else { return nil }
        defer { cxml2_free(v) }
        return String(cString: v)
    }

    public func next() throws(ParseError) -> RecordResult? {
        if finished { return nil }
        var ret = xmlTextReaderRead(reader)
        while ret == 1 {
            var skip = false
            switch xmlTextReaderNodeType(reader) {
            case 1: // element
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                let descend = try assembler.start(nameID(), line: currentLine(), attribute: attribute)
                if !descend {
                    skip = !empty // nothing wanted below: let libxml2 skip the subtree
                } else if empty, let record = assembler.end() {
                    return record
                }
            case 3, 4: // text, CDATA
                if assembler.wantsText, let v = xmlTextReaderConstValue(reader) { try assembler.text(String(cString: v)) }
            case 15: // end element
                if let record = assembler.end() { return record }
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
        if assembler.isInRecord { throw failure("the file ends inside a record") }
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

    /// The local names of the first `limit` elements, for matching a file by an inner element
    /// (`DetailedOrderListResponse` inside a SOAP `Envelope`). Empty on a DOCTYPE or broken XML.
    public static func elementNames(path: String, limit: Int) -> [String] {
        guard let r = xmlReaderForFile(path, nil, options) else { return [] }
        defer { xmlFreeTextReader(r) }
        var names: [String] = []
        while names.count < limit, xmlTextReaderRead(r) == 1 {
            let type = xmlTextReaderNodeType(r)
            if type == 10 { return [] }
            if type == 1, let n = xmlTextReaderConstLocalName(r) { names.append(String(cString: n)) }
        }
        return names
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
