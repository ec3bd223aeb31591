import Glibc
import OrderCore

/// What an ``XMLRecordReader`` does as its ``XMLByteScanner`` reports the file: feeds the
/// record assembler element by element and keeps the records a chunk completed.
struct XMLRecordState: XMLScanSink {
    let path: String
    var assembler: TreeRecordAssembler
    /// Records completed by the chunk just scanned.
    var ready: [RecordResult] = []
    /// Depth inside a subtree the mapping reads nothing from (0: not in one).
    private var skipDepth = 0
    /// The current text node, gathered over the pieces the scanner delivers it in.
    private var text = ScratchArray<UInt8>(capacity: 256)
    private var textIsCDATA = false
    /// The line of the last start tag, for an error in the text after it.
    private var line = 0
    /// Name ids by the name's bytes: a direct-mapped cache, as a dictionary lookup of a new
    /// string per element cost more than the rest of the element's handling.
    private var cachedNames = [[UInt8]](repeating: [], count: 1024)
    private var cachedIDs = [Int](repeating: -1, count: 1024)

    init(path: String, assembler: TreeRecordAssembler) {
        self.path = path
        self.assembler = assembler
    }

    /// The id the assembler knows `name` by (-1: a name no path uses), cached by its bytes.
    private mutating func nameID(_ name: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 // FNV-1a
        for b in name { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        let slot = Int(hash >> 54)
        let cached = !name.isEmpty && cachedNames[slot].withUnsafeBufferPointer {
            $0.count == name.count && memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0
        }
        if cached { return cachedIDs[slot] }
        let id = assembler.names.lookup(String(decoding: name, as: UTF8.self))
        cachedNames[slot] = Array(name)
        cachedIDs[slot] = id
        return id
    }

    mutating func start(_ tag: XMLTag) throws(ParseError) {
        if skipDepth > 0 {
            skipDepth += 1
            return
        }
        try flushText()
        line = tag.line
        let descend = try assembler.start(nameID(tag.localName), line: tag.line) { tag.attribute(named: $0) }
        if !descend { skipDepth = 1 } // nothing wanted below: its end is not reported either
    }

    mutating func end(localName: UnsafeBufferPointer<UInt8>) throws(ParseError) {
        if skipDepth > 0 {
            skipDepth -= 1
            return
        }
        try flushText()
        if let record = assembler.end() { ready.append(record) }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) { try gather(bytes, cdata: false) }

    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) { try gather(bytes, cdata: true) }

    private mutating func gather(_ bytes: UnsafeBufferPointer<UInt8>, cdata: Bool) throws(ParseError) {
        guard skipDepth == 0, assembler.wantsText else { return }
        if !text.isEmpty && textIsCDATA != cdata { try flushText() }
        textIsCDATA = cdata
        text.append(contentsOf: bytes)
        try assembler.checkValueLength(text.count) // before a hostile value costs memory
    }

    /// Hands the gathered text to the assembler: a text node or CDATA section as a whole;
    /// whitespace alone between elements is no value. Text that is not UTF-8 or holds a control
    /// character XML does not allow fails the file, as a parser that checks every byte would.
    private mutating func flushText() throws(ParseError) {
        guard !text.isEmpty else { return }
        defer { text.removeAll() }
        let gathered = text.elements
        if !textIsCDATA && gathered.allSatisfy(XMLByteScanner.isSpace) { return }
        guard isXMLText(gathered) else {
            throw ParseError(.malformed, file: path, line: line, message: "the XML is not well-formed: text after this line's tag "
                                + "is not UTF-8 or holds a control character")
        }
        try assembler.text(utf8: gathered)
    }
}
