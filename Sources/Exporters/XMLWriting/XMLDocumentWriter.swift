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
        xmlTextWriterStartElement(writer, name)
        for (k, v) in attributes { xmlTextWriterWriteAttribute(writer, k, v) }
    }

    func end() { xmlTextWriterEndElement(writer) }

    /// `<name attr="…">text</name>`
    func element(_ name: String, _ text: String, _ attributes: [(String, String)] = []) {
        start(name, attributes)
        xmlTextWriterWriteString(writer, text)
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

    /// Ends the document and returns its bytes.
    func finish() -> [UInt8] {
        xmlTextWriterEndDocument(writer)
        xmlTextWriterFlush(writer)
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }
}
