import CXML2
import Foundation
import OrderCore
@testable import Parsers
import Testing

/// The sheet's XML scanner on documents built here: what it reports, wherever the chunks of its
/// input are cut, and what it refuses.
@Suite struct XMLByteScannerTests {
    /// Writes every event as a line: `<c r=A1 t=s>`, `</c>`, `"text"` (adjacent text joined).
    struct Recorder: XMLScanSink {
        var lines: [String] = []
        var pendingText: [UInt8] = []
        /// Each start tag's line (when the scanner counts them).
        var tagLines: [Int] = []

        mutating func start(_ tag: XMLTag) throws(ParseError) {
            flush()
            var line = "<" + String(decoding: tag.localName, as: UTF8.self)
            for name in ["r", "t", "s"] as [StaticString] {
                if let value = tag.attribute(name) { line += " \(name)=" + String(decoding: value, as: UTF8.self) }
            }
            lines.append(line + ">")
            tagLines.append(tag.line)
        }

        mutating func end(localName: UnsafeBufferPointer<UInt8>) throws(ParseError) {
            flush()
            lines.append("</" + String(decoding: localName, as: UTF8.self) + ">")
        }

        mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) { pendingText += bytes }

        /// Text that is not UTF-8 or holds a control character, which every real sink refuses
        /// (the scanner hands text on unchecked).
        var damagedText = false

        mutating func flush() {
            if !pendingText.isEmpty { lines.append("\"" + String(decoding: pendingText, as: UTF8.self) + "\"") }
            if !pendingText.withUnsafeBufferPointer(isXMLText) { damagedText = true }
            pendingText = []
        }
    }

    /// Scans `document` handed over `chunk` bytes at a time: the events, or the error.
    static func scan(_ document: [UInt8], chunk: Int, maxToken: Int = 1 << 16) -> Result<[String], ParseError> {
        scanRecording(document, chunk: chunk, maxToken: maxToken).map(\.lines)
    }

    static func scanRecording(_ document: [UInt8], chunk: Int, maxToken: Int = 1 << 16,
                              countsLines: Bool = false) -> Result<Recorder, ParseError> {
        var offset = 0
        var scanner = XMLByteScanner(path: "test.xml", part: "the sheet XML", maxToken: maxToken, countsLines: countsLines,
                                     input: { (buffer: UnsafeMutableRawBufferPointer) throws(ParseError) -> Int in
            let n = min(chunk, buffer.count, document.count - offset)
            document[offset..<(offset + n)].withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            offset += n
            return n
        })
        var recorder = Recorder()
        do {
            while true {
                switch try scanner.step(&recorder) {
                case .more: continue
                case .end:
                    recorder.flush()
                    if recorder.damagedText { return .failure(ParseError(.malformed, file: "test.xml", message: "damaged text")) }
                    return .success(recorder)
                case .malformed(let error): return .failure(error)
                }
            }
        } catch {
            return .failure(error)
        }
    }

    static let unkind = Array("\u{FEFF}<?xml version='1.0' encoding='UTF-8'?>\r\n<!-- a tool's note -->\r\n"
        .utf8) + Array(("<x:worksheet xmlns:x=\"urn:x\"><x:sheetData><?pi data?>"
        + "<x:row r = '2' ><x:c r=\"A2\"\tt = \"s\"><x:v>12</x:v></x:c>"
        + "<x:c r='B2' t='inlineStr'><x:is><x:t>a &amp; b &lt;&#231;&#x11F;&gt; &quot;&apos;</x:t></x:is></x:c>"
        + "<x:c r='C2' s='3'/><x:c r='D2' t='inlineStr'><x:is><x:t><![CDATA[<kept & raw>]]></x:t></x:is></x:c>"
        + "<x:c r='E2' t='inlineStr'><x:is><x:t>one\r\ntwo\rthree</x:t></x:is></x:c></x:row>"
        + "</x:sheetData></x:worksheet>\r\n<!-- after -->\n").utf8)

    static let expected = [
        "<worksheet>", "<sheetData>", "<row r=2>", "<c r=A2 t=s>", "<v>", "\"12\"", "</v>", "</c>",
        "<c r=B2 t=inlineStr>", "<is>", "<t>", "\"a & b <çğ> \"'\"", "</t>", "</is>", "</c>",
        "<c r=C2 s=3>", "</c>", "<c r=D2 t=inlineStr>", "<is>", "<t>", "\"<kept & raw>\"", "</t>", "</is>", "</c>",
        "<c r=E2 t=inlineStr>", "<is>", "<t>", "\"one\ntwo\nthree\"", "</t>", "</is>", "</c>", "</row>",
        "</sheetData>", "</worksheet>",
    ]

    @Test func readsWhatOtherToolsWriteTheSameWhereverTheChunksAreCut() throws {
        for chunk in [1, 2, 3, 5, 7, 64, 1 << 16] {
            #expect(try Self.scan(Self.unkind, chunk: chunk).get() == Self.expected, "chunks of \(chunk)")
        }
    }

    /// Each start tag's line, and an error's line and column, wherever the chunks are cut (the
    /// lines are counted eight bytes at a time: lines of every length around that).
    @Test func startTagsAndErrorsCarryTheirLineWhereverTheChunksAreCut() throws {
        var document = "<root>"
        for k in 0..<40 {
            document += String(repeating: "\n", count: k % 3) + String(repeating: " ", count: k) + "<e\n k='\(k)'>x\n</e>"
        }
        // The line each `<e` starts on, counted the plain way.
        let bytes = Array(document.utf8)
        let expected = [1] + bytes.indices.filter { bytes[$0] == UInt8(ascii: "<") && bytes[$0 + 1] == UInt8(ascii: "e") }
            .map { at in bytes[..<at].filter { $0 == 0x0A }.count + 1 }
        for chunk in [1, 3, 7, 8, 9, 1 << 16] {
            let recorder = try Self.scanRecording(Array((document + "</root>").utf8), chunk: chunk, countsLines: true).get()
            #expect(recorder.tagLines == expected, "chunks of \(chunk)")
            #expect(recorder.tagLines.count == 41)
            // The last `<e` spans two lines and its `</e>` a third; `</wrong>` is on the next.
            guard case .failure(let error) = Self.scanRecording(Array((document + "\n  </wrong>").utf8), chunk: chunk, countsLines: true)
            else { Issue.record("a wrong end tag was read"); continue }
            #expect(error.line == expected.last! + 3 && error.column == 3, "chunks of \(chunk): \(error)")
        }
    }

    /// Every XML fixture (the platforms' real layouts, the hostile ones) is read as libxml2 reads
    /// it: the same elements in the same order with the same text, or refused by both.
    @Test func readsEveryXMLFixtureAsLibxml2Does() throws {
        let root = Fixture.path("")
        let files = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".xml") }.sorted()
        #expect(files.count >= 20, "too few XML fixtures to compare anything")
        var compared = 0, refusedByBoth = 0
        for file in files {
            let path = root + "/" + file
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let mine = Self.scan(bytes, chunk: 4096).map(Self.withoutBlankText)
            guard let theirs = Self.libxml2Events(path) else {
                if case .success = mine { Issue.record("\(file): libxml2 refuses it, the scanner reads it") }
                refusedByBoth += 1
                continue
            }
            #expect((try? mine.get()) == theirs, "\(file)")
            compared += 1
        }
        #expect(compared >= 20 && refusedByBoth >= 1, "\(compared) compared, \(refusedByBoth) refused by both")
    }

    /// Every sheet and shared-strings part of every workbook fixture, the same way.
    @Test func readsEveryWorkbookPartAsLibxml2Does() throws {
        let root = Fixture.path("")
        let workbooks = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".xlsx") }.sorted()
        var compared = 0
        for file in workbooks {
            guard let archive = try? ZipArchive(path: root + "/" + file) else { continue } // the broken ones
            for entry in archive.entries where entry.name.hasPrefix("xl/worksheets/") || entry.name == "xl/sharedStrings.xml" {
                guard let bytes = try? archive.contents(of: entry, limit: 64 << 20, what: "a part", limits: Limits()) else { continue }
                let mine = Self.scan(bytes, chunk: 4096).map(Self.withoutBlankText)
                let theirs = bytes.withUnsafeBufferPointer { b in
                    b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) {
                        xmlReaderForMemory($0, Int32(b.count), entry.name, nil, XMLRecordReader.options)
                    }
                }.flatMap { reader in
                    defer { xmlFreeTextReader(reader) }
                    XMLTextReaderFile.silence(reader)
                    return Self.events(reader)
                }
                guard let theirs else {
                    if case .success = mine { Issue.record("\(file) \(entry.name): libxml2 refuses it, the scanner reads it") }
                    continue
                }
                #expect((try? mine.get()) == theirs, "\(file) \(entry.name)")
                compared += 1
            }
        }
        #expect(compared >= 20, "\(compared) parts compared")
    }

    /// Adjacent text joined, whitespace-only text dropped (libxml2's reader reports it apart).
    static func withoutBlankText(_ events: [String]) -> [String] {
        events.filter { !($0.hasPrefix("\"") && $0.dropFirst().dropLast().allSatisfy(\.isWhitespace)) }
    }

    /// The elements and text libxml2's pull reader reports, as ``Recorder`` writes them; `nil`
    /// when it refuses the file.
    static func libxml2Events(_ path: String) -> [String]? {
        guard let file = try? XMLTextReaderFile(path: path, options: XMLRecordReader.options) else { return nil }
        return events(file.reader)
    }

    static func events(_ r: xmlTextReaderPtr) -> [String]? {
        var events: [String] = [], text = ""
        func flush() {
            if !text.isEmpty { events.append("\"" + text + "\"") }
            text = ""
        }
        while true {
            let status = xmlTextReaderRead(r)
            if status == 0 { break }
            if status < 0 { return nil }
            let name = xmlTextReaderConstLocalName(r).map { String(cString: $0) } ?? ""
            switch xmlTextReaderNodeType(r) {
            case 1:
                flush()
                var line = "<" + name
                for attribute in ["r", "t", "s"] {
                    if let value = xmlTextReaderGetAttribute(r, attribute) {
                        line += " \(attribute)=" + String(cString: value)
                        free(value) // libxml2 allocates with malloc
                    }
                }
                events.append(line + ">")
                if xmlTextReaderIsEmptyElement(r) == 1 { events.append("</" + name + ">") }
            case 15:
                flush()
                events.append("</" + name + ">")
            case 3, 4:
                text += xmlTextReaderConstValue(r).map { String(cString: $0) } ?? ""
            case 10, 5:
                return nil
            default: break
            }
        }
        flush()
        return withoutBlankText(events)
    }

    @Test(arguments: [
        ("<a><b></a>", "closes no element open here"),
        ("<a><b>", "cut short: 2 element(s) are never closed"),
        ("", "cut short: it has no root element"),
        ("<a/>text", "text after the root element"),
        ("text<a/>", "text before the root element"),
        ("<a/><b/>", "a second root element"),
        ("<a b=c/>", "an attribute value without quotes"),
        ("<a b='<'/>", "a '<' inside an attribute value"),
        ("<a b='1'c='2'/>", "a broken attribute"),
        ("<a b/>", "an attribute without '='"),
        ("<a>x & y</a>", "an '&' that starts no reference"),
        ("<a>&" + String(repeating: "x", count: 70_000) + "</a>", "an '&' that starts no reference"),
        ("<a>&#0;</a>", "&#0; is no character XML allows"),
        ("<a>&#xD800;</a>", "is no character XML allows"),
        ("<a>< b</a>", "a '<' that starts no tag"),
        ("<a><!x></a>", "a '<!' that opens no comment or CDATA"),
        ("<a><!-- never closed </a>", "a comment, CDATA section or processing instruction is cut short"),
        ("<a></a", "a tag is cut short"),
        ("<?xml version='1.0' encoding='shift_jis'?><a/>", "declares the encoding shift_jis, which is not read"),
        ("<a b='\u{1}'/>", "an attribute value that is not UTF-8 or holds a control character"),
        ("\u{FEFF}", "no root element"),
    ])
    func refusesWhatIsNotWellFormedAndSaysWhere(document: String, expected: String) {
        for chunk in [1, 1 << 16] {
            switch Self.scan(Array(document.utf8), chunk: chunk) {
            case .success(let events): Issue.record("\(document) read as \(events)")
            case .failure(let error):
                #expect(error.code == .malformed, "\(error)")
                #expect(error.message.hasPrefix("the sheet XML is "), "\(error.message)")
                #expect(error.message.contains(expected), "\(document): \(error.message)")
            }
        }
    }

    @Test(arguments: ["<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", "<a>&e;</a>", "<a b='&e;'/>"])
    func refusesADoctypeOrAnEntityItWasNotGiven(document: String) {
        guard case .failure(let error) = Self.scan(Array(document.utf8), chunk: 3) else {
            Issue.record("\(document) was read")
            return
        }
        #expect(error.code == .forbiddenConstruct)
        #expect(error.message.contains("DOCTYPE or entity"))
    }

    /// UTF-16 (with a BOM or without), Windows-1254 and ISO-8859-9 read as the same UTF-8 events.
    @Test func readsTheEncodingsTurkishToolsSave() throws {
        let text = "<?xml version=\"1.0\" encoding=\"ENCODING\"?>\r\n<a ş='Ğ'><b>Sipariş İğdır ı</b><![CDATA[ç]]></a>"
        let expected = ["<a>", "<b>", "\"Sipariş İğdır ı\"", "</b>", "\"ç\"", "</a>"]
        let utf16LE = Array(text.replacingOccurrences(of: "ENCODING", with: "UTF-16").utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let utf16BE = Array(text.replacingOccurrences(of: "ENCODING", with: "UTF-16").utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        func singleByte(_ name: String) -> [UInt8] {
            // ş ğ İ ı Ş Ğ ç in both Turkish code pages (they differ only in 0x80–0x9F).
            let table: [Character: UInt8] = ["ş": 0xFE, "ğ": 0xF0, "İ": 0xDD, "ı": 0xFD, "Ş": 0xDE, "Ğ": 0xD0, "ç": 0xE7]
            return text.replacingOccurrences(of: "ENCODING", with: name).map { table[$0] ?? $0.asciiValue! }
        }
        for (name, document) in [("UTF-16LE with BOM", [0xFF, 0xFE] + utf16LE), ("UTF-16BE with BOM", [0xFE, 0xFF] + utf16BE),
                                 ("UTF-16LE", utf16LE), ("windows-1254", singleByte("windows-1254")), ("ISO-8859-9", singleByte("ISO-8859-9"))] {
            for chunk in [1, 3, 1 << 16] {
                #expect(try Self.scan(document, chunk: chunk).get() == expected, "\(name) in chunks of \(chunk)")
            }
        }
        // ISO-8859-1 (Latin-1) has ç but none of ş ğ İ ı.
        let latin1 = Array("<?xml version='1.0' encoding='ISO-8859-1'?><a>Fran".utf8) + [0xE7] + Array("ais</a>".utf8)
        #expect(try Self.scan(latin1, chunk: 5).get() == ["<a>", "\"Français\"", "</a>"])
        // A UTF-8 BOM decides over a declared code page.
        let bom = [0xEF, 0xBB, 0xBF] + Array("<?xml version='1.0' encoding='windows-1254'?><a>ş</a>".utf8)
        #expect(try Self.scan(bom, chunk: 2).get() == ["<a>", "\"ş\"", "</a>"])
    }

    @Test func longCommentsAndCDATAStreamThroughButDeepNestingAndOverlongTagsAreRefused() throws {
        let deep = Array((String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)).utf8)
        let long = Array(("<a b='" + String(repeating: "x", count: 200_000) + "'/>").utf8)
        let longName = Array(("<" + String(repeating: "n", count: 2_000) + "/>").utf8)
        for (document, expected) in [(deep, "nested deeper than 256"), (long, "longer than 65536 bytes"),
                                     (longName, "an element name longer than 1024 bytes")] {
            guard case .failure(let error) = Self.scan(document, chunk: 4096) else {
                Issue.record("a document of \(document.count) bytes was read")
                continue
            }
            #expect(error.message.contains(expected), "\(error.message)")
        }
        // Text, comments and CDATA stream through in pieces, however long: only tags must fit.
        let y = String(repeating: "y", count: 300_000)
        let longText = Array(("<!--" + y + "--><a>" + y + "<![CDATA[" + y + "\r\n]]><?pi " + y + "?></a>").utf8)
        #expect(try Self.scan(longText, chunk: 4096).get() == ["<a>", "\"" + y + y + "\n\"", "</a>"])
    }
}
