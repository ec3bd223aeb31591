import CXML2
import OrderCore

/// What libxml2's SAX callbacks work on for one ``XMLRecordReader``: the record assembler fed
/// element by element, and the records a chunk completed.
struct XMLRecordState: SAXContext {
    let path: String
    var assembler: TreeRecordAssembler
    /// Records completed by the chunk just parsed.
    var ready: [RecordResult] = []
    var session = SAXSession()
    /// Depth inside a subtree the mapping reads nothing from (0: not in one).
    private var skipDepth = 0
    /// The current text node, gathered over the pieces SAX delivers it in.
    private var text: [UInt8] = []
    private var textIsCDATA = false
    /// Name ids by libxml2's interned name pointer: a direct-mapped cache, as a dictionary's
    /// hashing per element cost more than the lookup saved.
    private var cachedNames = [UnsafeRawPointer?](repeating: nil, count: 1024)
    private var cachedIDs = [Int](repeating: -1, count: 1024)

    init(path: String, assembler: TreeRecordAssembler) {
        self.path = path
        self.assembler = assembler
        text.reserveCapacity(256)
    }

    /// The SAX2 callbacks; a DOCTYPE, an entity declaration or an entity reference is refused.
    nonisolated(unsafe) static let handler: UnsafeMutablePointer<xmlSAXHandler> = {
        var h = xmlSAXHandler()
        h.initialized = XML_SAX2_MAGIC
        h.startElementNs = { ctx, localName, _, _, _, _, attributeCount, _, attributes in
            ctx!.assumingMemoryBound(to: XMLRecordState.self).pointee.start(localName!, attributes, Int(attributeCount))
        }
        h.endElementNs = { ctx, _, _, _ in ctx!.assumingMemoryBound(to: XMLRecordState.self).pointee.end() }
        h.characters = { ctx, bytes, count in
            ctx!.assumingMemoryBound(to: XMLRecordState.self).pointee.characters(bytes!, Int(count), cdata: false)
        }
        h.cdataBlock = { ctx, bytes, count in
            ctx!.assumingMemoryBound(to: XMLRecordState.self).pointee.characters(bytes!, Int(count), cdata: true)
        }
        h.internalSubset = { ctx, _, _, _ in ctx!.assumingMemoryBound(to: XMLRecordState.self).pointee.refuse() }
        h.externalSubset = { ctx, _, _, _ in ctx!.assumingMemoryBound(to: XMLRecordState.self).pointee.refuse() }
        h.entityDecl = { ctx, _, _, _, _, _ in ctx!.assumingMemoryBound(to: XMLRecordState.self).pointee.refuse() }
        h.reference = { ctx, _ in ctx!.assumingMemoryBound(to: XMLRecordState.self).pointee.refuse() }
        h.serror = { ctx, error in
            guard let ctx, let error else { return }
            ctx.assumingMemoryBound(to: XMLRecordState.self).pointee.session.record(error.pointee)
        }
        return .allocate(capacity: 1).initialized(to: h)
    }()

    mutating func refuse() {
        session.stop(ParseError(.forbiddenConstruct, file: path, line: session.line, message: XMLRecordReader.doctypeRefusal))
    }

    private mutating func nameID(_ name: UnsafePointer<xmlChar>) -> Int {
        let key = UnsafeRawPointer(name)
        let slot = Int((UInt(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 54) // Fibonacci hashing into 1024 slots
        if cachedNames[slot] == key { return cachedIDs[slot] }
        // libxml2 interns names in its dictionary, so the pointer stands for the name while the parser lives.
        let id = assembler.names.lookup(String(cString: name))
        cachedNames[slot] = key
        cachedIDs[slot] = id
        return id
    }

    /// SAX2 attributes come as (local name, prefix, URI, value start, value end) per attribute.
    private static func attribute(_ name: String, in attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                                  count: Int) -> String? {
        guard let attributes else { return nil }
        for i in 0..<count where String(cString: attributes[5 * i]!) == name {
            let start = attributes[5 * i + 3]!, end = attributes[5 * i + 4]!
            return String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
        }
        return nil
    }

    mutating func start(_ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                        _ attributeCount: Int) {
        guard session.stopError == nil else { return }
        if skipDepth > 0 {
            skipDepth += 1
            return
        }
        flushText()
        do {
            let descend = try assembler.start(nameID(name), line: session.line) { Self.attribute($0, in: attributes, count: attributeCount) }
            if !descend { skipDepth = 1 } // nothing wanted below: its end is not reported either
        } catch {
            session.stop(error)
        }
    }

    mutating func end() {
        guard session.stopError == nil else { return }
        if skipDepth > 0 {
            skipDepth -= 1
            return
        }
        flushText()
        if let record = assembler.end() { ready.append(record) }
    }

    mutating func characters(_ bytes: UnsafePointer<xmlChar>, _ count: Int, cdata: Bool) {
        guard session.stopError == nil, skipDepth == 0, assembler.wantsText else { return }
        if !text.isEmpty && textIsCDATA != cdata { flushText() }
        textIsCDATA = cdata
        text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
    }

    /// Hands the gathered text to the assembler: a text node or CDATA section as a whole, as
    /// `xmlTextReader` reported them; whitespace alone between elements is no value.
    private mutating func flushText() {
        guard !text.isEmpty else { return }
        defer { text.removeAll(keepingCapacity: true) }
        if !textIsCDATA && text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return }
        do { try assembler.text(String(decoding: text, as: UTF8.self)) } catch { session.stop(error) }
    }
}
