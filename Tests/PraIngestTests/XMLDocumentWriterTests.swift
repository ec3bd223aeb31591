import CXML2
@testable import Exporters
import Testing

/// ``XMLDocumentWriter`` writes the bytes libxml2's `xmlTextWriter` (indented two spaces, in
/// memory) wrote for the same calls, which it replaced: the same documents go through both, with
/// values as unkind as real ones (markup characters, line breaks and tabs, Turkish letters,
/// letters ISO-8859-9 lacks, an emoji, a NUL), in UTF-8 and in Logo's ISO-8859-9.
@Suite struct XMLDocumentWriterTests {
    enum Step {
        case start(String, [(String, String)])
        case text(String, String, [(String, String)])
        case empty(String)
        case end
    }

    static let unkind = [
        "", "plain", "Demo Ticaret & Ortakları A.Ş.", "Moda Cad. <No:1> \"A\" Blok; D:3 'ön'",
        "line\nbreak\r\nand\ttab", "ĞÜŞİÖÇ ğüşıöç", "Ðð Ýý Þþ ÀÉ ß", "€ 5 — “tırnak” 😀", "before\u{0}after", "  kenar  ",
    ]

    static var document: [Step] {
        var steps: [Step] = [.start("Invoice", [("xmlns", "urn:x"), ("xmlns:cbc", "urn:y")]), .empty("cbc:Placeholder")]
        for (i, value) in unkind.enumerated() {
            steps.append(.start("cac:Party", [("id", "\(i)")]))
            steps.append(.text("cbc:Name", value, []))
            steps.append(.text("cbc:Amount", "12.50", [("currencyID", "TRY"), ("note", value)]))
            steps.append(.start("cac:Nested", []))
            steps.append(.empty("cbc:Empty"))
            steps.append(.text("cbc:Value", value, [("schemeID", value)]))
            steps.append(.end)
            steps.append(.end)
        }
        steps.append(.end)
        return steps
    }

    static func ours(_ encoding: XMLDocumentWriter.Encoding) -> [UInt8] {
        let w = XMLDocumentWriter(encoding: encoding)
        for step in document {
            switch step {
            case .start(let name, let attributes): w.start(name, attributes)
            case .text(let name, let text, let attributes): w.element(name, text, attributes)
            case .empty(let name): w.empty(name)
            case .end: w.end()
            }
        }
        return w.finish()
    }

    static func libxml2(_ encoding: String) -> [UInt8] {
        let buffer = xmlBufferCreate()
        let w = xmlNewTextWriterMemory(buffer, 0)
        xmlTextWriterSetIndent(w, 1)
        xmlTextWriterSetIndentString(w, "  ")
        xmlTextWriterStartDocument(w, "1.0", encoding, nil)
        func start(_ name: String, _ attributes: [(String, String)]) {
            xmlTextWriterStartElement(w, name)
            for (k, v) in attributes { xmlTextWriterWriteAttribute(w, k, v) }
        }
        for step in document {
            switch step {
            case .start(let name, let attributes): start(name, attributes)
            case .text(let name, let text, let attributes):
                start(name, attributes)
                xmlTextWriterWriteString(w, text)
                xmlTextWriterEndElement(w)
            case .empty(let name):
                xmlTextWriterStartElement(w, name)
                xmlTextWriterEndElement(w)
            case .end: xmlTextWriterEndElement(w)
            }
        }
        xmlTextWriterEndDocument(w)
        xmlTextWriterFlush(w)
        let bytes = Array(UnsafeBufferPointer(start: xmlBufferContent(buffer), count: Int(xmlBufferLength(buffer))))
        xmlFreeTextWriter(w)
        xmlBufferFree(buffer)
        return bytes
    }

    @Test(arguments: [XMLDocumentWriter.Encoding.utf8, .iso8859_9])
    func writesTheBytesLibxml2Wrote(encoding: XMLDocumentWriter.Encoding) {
        let expected = Self.libxml2(encoding.rawValue)
        #expect(expected.count > 2_000) // the document was written
        let ours = Self.ours(encoding)
        let differ = ours.indices.first { $0 >= expected.count || ours[$0] != expected[$0] } ?? ours.count
        let same = ours == expected
        #expect(same, """
            first difference at byte \(differ): ours \(String(decoding: ours[max(0, differ - 60)..<min(ours.count, differ + 60)], as: UTF8.self))
            libxml2 \(String(decoding: expected[max(0, differ - 60)..<min(expected.count, differ + 60)], as: UTF8.self))
            """)
    }

    @Test func escapesWhatWouldBreakTheXML() {
        let text = String(decoding: Self.ours(.utf8), as: UTF8.self)
        #expect(text.contains("<cbc:Name>Moda Cad. &lt;No:1&gt; &quot;A&quot; Blok; D:3 'ön'</cbc:Name>"))
        #expect(text.contains("note=\"ĞÜŞİÖÇ ğüşıöç\""))
        #expect(text.contains("note=\"line&#10;break&#13;&#10;and&#9;tab\""))
        #expect(text.contains("<cbc:Name>line\nbreak&#13;\nand\ttab</cbc:Name>"))
        #expect(text.contains("<cbc:Name>before</cbc:Name>"))
        #expect(text.contains("<cbc:Name></cbc:Name>"))
        let latin5 = Self.ours(.iso8859_9)
        #expect(latin5.starts(with: Array("<?xml version=\"1.0\" encoding=\"ISO-8859-9\"?>\n".utf8)))
        #expect(String(decoding: latin5, as: UTF8.self).contains("&#208;&#240; &#221;&#253; &#222;&#254;"))
    }
}
