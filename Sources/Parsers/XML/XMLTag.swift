/// What an ``XMLByteScanner`` reports, in document order.
protocol XMLScanSink {
    /// A start tag; an empty-element tag (`<c/>`) is followed at once by its ``end(localName:)``.
    mutating func start(_ tag: XMLTag) throws(ParseError)
    /// An end tag, by its local name (the part after any prefix).
    mutating func end(localName: UnsafeBufferPointer<UInt8>) throws(ParseError)
    /// Character data inside the root element, references decoded and line ends normalized;
    /// a long run may arrive in several pieces.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError)
    /// A CDATA section's content (by default: text).
    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError)
}

extension XMLScanSink {
    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) { try text(bytes) }
}

/// A start tag as scanned, already checked well-formed: its local name and its attributes.
struct XMLTag {
    let localName: UnsafeBufferPointer<UInt8>
    /// The bytes between the tag's name and its `>` or `/>`.
    let attributeBytes: UnsafeBufferPointer<UInt8>
    /// The tag's 1-based line when the scanner counts lines, 0 otherwise.
    var line = 0

    /// The value of attribute `name` (any prefix ignored) with its references decoded and its
    /// tabs and line ends read as spaces, as XML reads an attribute; `nil` when the tag has none.
    func attribute(named name: String) -> String? {
        var name = name
        return name.withUTF8 { wanted in
            guard let raw = attribute(where: { $0.elementsEqual(wanted) }) else { return nil }
            guard raw.contains(where: { $0 == UInt8(ascii: "&") || $0 < 0x20 }) else { return String(decoding: raw, as: UTF8.self) }
            var out: [UInt8] = []
            var i = 0
            while i < raw.count {
                if raw[i] == UInt8(ascii: "&"), let (scalar, length) = XMLByteScanner.reference(raw, at: i) {
                    TextTranscoder.appendUTF8(scalar, to: &out)
                    i += length
                } else {
                    out.append(raw[i] < 0x20 ? 0x20 : raw[i])
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The value of attribute `name` (any prefix ignored) as written, references left as they
    /// are; `nil` when the tag has none.
    func attribute(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        attribute { $0.isName(name) }
    }

    /// The values of attributes `first` and `second` (any prefix ignored) as written, read in
    /// one pass over the tag (a cell's `r` and `t`).
    func attributes(_ first: StaticString, _ second: StaticString) -> (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) {
        var found: (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?) = (nil, nil)
        forEachAttribute { name, value in
            if found.0 == nil, name.isName(first) { found.0 = value } else if found.1 == nil, name.isName(second) { found.1 = value }
            return found.0 == nil || found.1 == nil
        }
        return found
    }

    /// The raw value of the first attribute whose local name `matches`.
    private func attribute(where matches: (UnsafeBufferPointer<UInt8>) -> Bool) -> UnsafeBufferPointer<UInt8>? {
        var found: UnsafeBufferPointer<UInt8>?
        forEachAttribute { name, value in
            if matches(name) { found = value }
            return found == nil
        }
        return found
    }

    /// Calls `body` with each attribute's local name and raw value, in order, while it returns true.
    private func forEachAttribute(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool) {
        let a = attributeBytes
        var i = 0
        while i < a.count {
            while i < a.count, XMLByteScanner.isSpace(a[i]) { i += 1 }
            var localStart = i
            while i < a.count, a[i] != UInt8(ascii: "="), !XMLByteScanner.isSpace(a[i]) {
                if a[i] == UInt8(ascii: ":") { localStart = i + 1 }
                i += 1
            }
            let name = UnsafeBufferPointer(rebasing: a[localStart..<i])
            while i < a.count, a[i] != UInt8(ascii: "\""), a[i] != UInt8(ascii: "'") { i += 1 }
            guard i < a.count else { return }
            let quote = a[i]
            let valueStart = i + 1
            i = valueStart
            while i < a.count, a[i] != quote { i += 1 }
            guard body(name, UnsafeBufferPointer(rebasing: a[valueStart..<i])) else { return }
            i += 1
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are the name `expected` (a tag's or an attribute's local name).
    func isName(_ expected: StaticString) -> Bool {
        guard count == expected.utf8CodeUnitCount else { return false }
        let wanted = expected.utf8Start
        for k in 0..<count where self[k] != wanted[k] { return false }
        return true
    }
}
