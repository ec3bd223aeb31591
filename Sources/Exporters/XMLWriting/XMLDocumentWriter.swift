import CXML2

/// A thin owner of libxml2's `xmlTextWriter` writing to memory: every text and attribute is
/// escaped by libxml2, so names and addresses with `&`, `<` or quotes never break the XML.
final class XMLDocumentWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    /// Starts a document in `encoding` (libxml2 converts from UTF-8), indented two spaces.
    init(encoding: String = "UTF-8") {
        buffer = xmlBufferCreate()
        writer = xmlNewTextWriterMemory(buffer, 0)
        xmlTextWriterSetIndent(writer, 1)
        xmlTextWriterSetIndentString(writer, "  ")
        xmlTextWriterStartDocument(writer, "1.0", encoding, nil)
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    func start(_ name: String, _ attributes: [(String, String)] = []) {
        Self.withXMLChars(name) { xmlTextWriterStartElement(writer, $0) }
        for (k, v) in attributes {
            Self.withXMLChars(k) { k in Self.withXMLChars(v) { v in xmlTextWriterWriteAttribute(writer, k, v) } }
        }
    }

    func end() { xmlTextWriterEndElement(writer) }

    /// `<name attr="…">text</name>`
    func element(_ name: String, _ text: String, _ attributes: [(String, String)] = []) {
        start(name, attributes)
        Self.withXMLChars(text) { xmlTextWriterWriteString(writer, $0) }
        end()
    }

    /// `<name/>`
    func empty(_ name: String) {
        start(name)
        end()
    }

    /// Optional text: writes nothing when `text` is nil or empty.
    func element(_ name: String, ifPresent text: String?) {
        if let text, !text.isEmpty { element(name, text) }
    }

    /// `text` as libxml2's NUL-terminated UTF-8 for the call of `body`. A string passed straight
    /// to a C function is copied into a new array for each call; `withCString` hands over the
    /// string's own storage (a literal's, or a large string's) or a copy on the stack. An invoice
    /// names about 300 elements.
    @discardableResult
    private static func withXMLChars<R>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
        text.withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }

    /// Ends the document and returns its bytes.
    func finish() -> [UInt8] {
        xmlTextWriterEndDocument(writer)
        xmlTextWriterFlush(writer)
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }
}
