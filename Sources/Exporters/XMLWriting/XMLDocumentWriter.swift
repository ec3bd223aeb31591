/// Writes an XML document into memory, indented two spaces, in UTF-8 or in ISO-8859-9 (Logo's).
/// Every text and attribute value is escaped, so names and addresses with `&`, `<` or quotes
/// never break the XML.
///
/// The bytes are those libxml2's `xmlTextWriter` wrote for the same calls, which this replaced
/// (it was a third of an export's instructions, in many small buffered writes; the goldens and
/// `XMLDocumentWriterTests` hold the bytes): text escapes `<`, `>`, `&`, `"` and CR, an attribute
/// value also tab and line feed; in ISO-8859-9, a character the encoding lacks becomes a decimal
/// reference (`&#8364;`). A value ends at a NUL, as a C string does.
final class XMLDocumentWriter {
    /// The document's encoding (the text is UTF-8 until ``finish()``).
    enum Encoding: String {
        case utf8 = "UTF-8"
        case iso8859_9 = "ISO-8859-9"
    }

    // A writer is never shared: the runtime's exclusivity checks on these (each append inside a
    // closure) were a quarter of an export's instructions.
    private let encoding: Encoding
    @exclusivity(unchecked) private var out: [UInt8] = []
    /// The open elements, innermost last: the name, and whether its start tag still waits for its `>`.
    @exclusivity(unchecked) private var open: [(name: String, startTagOpen: Bool)] = []
    /// Whether the next end tag of an element with content goes on a line of its own (it follows
    /// a child's end tag, not text).
    @exclusivity(unchecked) private var endTagOnItsOwnLine = true

    /// Starts a document in `encoding`.
    init(encoding: Encoding = .utf8) {
        self.encoding = encoding
        out.reserveCapacity(16 << 10)
        append("<?xml version=\"1.0\" encoding=\"\(encoding.rawValue)\"?>\n")
    }

    func start(_ name: String, _ attributes: [(String, String)] = []) {
        if open.last?.startTagOpen == true {
            append(">\n")
            open[open.count - 1].startTagOpen = false
        }
        indent(open.count)
        out.append(UInt8(ascii: "<"))
        append(name)
        for (key, value) in attributes {
            out.append(UInt8(ascii: " "))
            append(key)
            append("=\"")
            escape(value, attribute: true)
            out.append(UInt8(ascii: "\""))
        }
        open.append((name, true))
    }

    func end() {
        let element = open.removeLast()
        if element.startTagOpen {
            append("/>")
        } else {
            if endTagOnItsOwnLine { indent(open.count) }
            append("</")
            append(element.name)
            out.append(UInt8(ascii: ">"))
        }
        endTagOnItsOwnLine = true
        out.append(UInt8(ascii: "\n"))
    }

    /// `<name attr="…">text</name>` (`<name></name>` for empty text).
    func element(_ name: String, _ text: String, _ attributes: [(String, String)] = []) {
        start(name, attributes)
        open[open.count - 1].startTagOpen = false
        out.append(UInt8(ascii: ">"))
        endTagOnItsOwnLine = false
        escape(text, attribute: false)
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
        while !open.isEmpty { end() }
        return encoding == .utf8 ? out : Self.latin5(out)
    }

    private func append(_ ascii: String) {
        var ascii = ascii
        ascii.withUTF8 { out.append(contentsOf: $0) }
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    private func indent(_ depth: Int) {
        var left = 2 * depth
        while left > 0 {
            let n = min(left, Self.spaces.count)
            out.append(contentsOf: Self.spaces[..<n])
            left -= n
        }
    }

    /// Appends `value` escaped as text or as an attribute value (see the type's comment).
    private func escape(_ value: String, attribute: Bool) {
        var value = value
        value.withUTF8 { bytes in
            var i = 0, run = 0
            while i < bytes.count {
                let b = bytes[i]
                let replacement: String?
                switch b {
                case 0:
                    out.append(contentsOf: bytes[run..<i])
                    return
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case 0x0D: replacement = "&#13;"
                case 0x0A where attribute: replacement = "&#10;"
                case 0x09 where attribute: replacement = "&#9;"
                default: replacement = nil
                }
                if let replacement {
                    out.append(contentsOf: bytes[run..<i])
                    append(replacement)
                    i += 1
                    run = i
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: bytes[run..<i])
        }
    }

    /// The Unicode scalar whose UTF-8 starts at `bytes[i]` (a lead byte), and its length.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[i])
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var scalar = lead & (0x7F >> UInt32(length))
        for k in 1..<length where i + k < bytes.count { scalar = scalar << 6 | UInt32(bytes[i + k] & 0x3F) }
        return (scalar, length)
    }

    /// ISO-8859-9 (Latin-5) from UTF-8: Latin-1 with the six Turkish letters in place of
    /// Ð ð Ý ý Þ þ; a character it lacks becomes a decimal reference.
    private static func latin5(_ utf8: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        utf8.withUnsafeBufferPointer { bytes in
            var i = 0
            while i < bytes.count {
                guard bytes[i] >= 0x80 else {
                    out.append(bytes[i])
                    i += 1
                    continue
                }
                let (scalar, length) = decode(bytes, at: i)
                i += length
                switch scalar {
                case 0x011E: out.append(0xD0) // Ğ
                case 0x0130: out.append(0xDD) // İ
                case 0x015E: out.append(0xDE) // Ş
                case 0x011F: out.append(0xF0) // ğ
                case 0x0131: out.append(0xFD) // ı
                case 0x015F: out.append(0xFE) // ş
                case 0xD0, 0xDD, 0xDE, 0xF0, 0xFD, 0xFE: out.append(contentsOf: Array("&#\(scalar);".utf8)) // Ð Ý Þ ð ý þ
                case 0x80...0xFF: out.append(UInt8(scalar))
                default: out.append(contentsOf: Array("&#\(scalar);".utf8))
                }
            }
        }
        return out
    }
}
