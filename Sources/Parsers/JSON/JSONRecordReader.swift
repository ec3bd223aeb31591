import Foundation
import OrderCore

/// Streams records out of a JSON file (a platform API's response saved to disk) with flat
/// memory: a pull parser reads the bytes once and reports keys to the ``TreeRecordAssembler``
/// as elements, the way XML elements are, so a mapping's paths work alike in both:
///
/// - a member `"k": value` is an element `k` (its text the value: strings decoded, numbers
///   exactly as written, `true`/`false`; `null` an empty element: the key is there, its value not);
/// - an array `"k": [a, b]` is one element `k` per item, as repeated XML elements are;
/// - a top-level array's items are elements named `item`.
///
/// Values nobody reads are skipped without being decoded. Depth, string length and the number
/// of records are bounded (``Limits``).
public final class JSONRecordReader: RecordReader {
    private let path: String
    private let input: ByteInput
    private var assembler: TreeRecordAssembler
    private let limits: Limits
    public let header: [String] = []
    /// Open containers: an object (that ends an element when it closes, unless it is the root),
    /// or an array whose items are elements of its key's name.
    private var stack: [Container] = []
    private var started = false
    private var finished = false

    private enum Container {
        case object(closesElement: Bool, expectingMember: Bool)
        case array(name: Int, expectingItem: Bool)
    }

    static let maxDepth = 256
    static let itemName = "item"

    /// Reads the file at `path`; `observer` sees every byte read.
    public init(path: String, layout: SourceLayout, recordPath: [String], linePath: [String],
                limits: Limits = Limits(), observer: ReadObserver? = nil) throws(ParseError) {
        let input = try ByteInput(path: path, observer: observer)
        self.path = path
        self.input = input
        self.limits = limits
        assembler = TreeRecordAssembler(file: path, layout: layout, recordPath: recordPath, linePath: linePath, limits: limits)
    }

    public var bytesRead: Int64 { input.offset }

    /// Paths no key matched anywhere in the file (known once the file is read).
    public var unseenFields: UnseenFields { assembler.unseenFields }

    private func error(_ message: String) -> ParseError {
        ParseError(.malformed, file: path, line: input.line, column: input.column, message: message)
    }

    public func next() throws(ParseError) -> RecordResult? {
        if finished { return nil }
        if !started {
            started = true
            input.skipWhitespace()
            if input.peek() == 0xEF { input.skipBOM() }
            switch input.peek() {
            case UInt8(ascii: "{"):
                input.advance()
                stack.append(.object(closesElement: false, expectingMember: true))
            case UInt8(ascii: "["):
                input.advance()
                stack.append(.array(name: assembler.names.lookup(Self.itemName), expectingItem: true))
            case nil: throw error("the file is empty")
            default: throw error("a JSON file starts with { or [")
            }
        }
        while let top = stack.last {
            input.skipWhitespace()
            guard let c = input.peek() else { throw error("the file ends inside \(stack.count) open object(s) or array(s)") }
            switch top {
            case .object(let closes, let expectingMember):
                if c == UInt8(ascii: "}") {
                    input.advance()
                    stack.removeLast()
                    if closes, let record = assembler.end() { return record }
                    continue
                }
                if !expectingMember {
                    guard c == UInt8(ascii: ",") else { throw error("expected , or } after a value") }
                    input.advance()
                    input.skipWhitespace()
                } else if case .object(_, true) = top, c == UInt8(ascii: ",") {
                    throw error("unexpected ,")
                }
                stack[stack.count - 1] = .object(closesElement: closes, expectingMember: false)
                let key = try readString(what: "key")
                input.skipWhitespace()
                guard input.peek() == UInt8(ascii: ":") else { throw error("expected : after the key \"\(key.prefix(40))\"") }
                input.advance()
                if let record = try value(named: assembler.names.lookup(key)) { return record }
            case .array(let name, let expectingItem):
                if c == UInt8(ascii: "]") {
                    input.advance()
                    stack.removeLast()
                    continue
                }
                if !expectingItem {
                    guard c == UInt8(ascii: ",") else { throw error("expected , or ] after a value") }
                    input.advance()
                }
                stack[stack.count - 1] = .array(name: name, expectingItem: false)
                if let record = try value(named: name) { return record }
            }
        }
        input.skipWhitespace()
        guard input.peek() == nil else { throw error("unexpected content after the end of the JSON value") }
        finished = true
        if assembler.isInRecord { throw error("the file ends inside a record") }
        return nil
    }

    /// Reads the value of a member (or array item) named `name`, reporting it to the assembler.
    private func value(named name: Int) throws(ParseError) -> RecordResult? {
        input.skipWhitespace()
        let line = input.line
        switch input.peek() {
        case UInt8(ascii: "{")?:
            if try assembler.start(name, line: line, attribute: { _ in nil }) {
                input.advance()
                try push(.object(closesElement: true, expectingMember: true))
            } else {
                try skipValue()
            }
        case UInt8(ascii: "[")?:
            input.advance()
            try push(.array(name: name, expectingItem: true))
        case UInt8(ascii: "n")?:
            try literal("null")
            if try assembler.start(name, line: line, attribute: { _ in nil }) { return assembler.end() }
        case nil:
            throw error("the file ends where a value should be")
        default:
            let text = try scalar()
            if try assembler.start(name, line: line, attribute: { _ in nil }) {
                try assembler.text(text)
                return assembler.end()
            }
        }
        return nil
    }

    private func push(_ c: Container) throws(ParseError) {
        guard stack.count < Self.maxDepth else { throw error("the JSON nests deeper than \(Self.maxDepth) levels") }
        stack.append(c)
    }

    /// A string, number, `true` or `false`, as text.
    private func scalar() throws(ParseError) -> String {
        switch input.peek() {
        case UInt8(ascii: "\"")?: return try readString(what: "value")
        case UInt8(ascii: "t")?: try literal("true"); return "true"
        case UInt8(ascii: "f")?: try literal("false"); return "false"
        default: return try number()
        }
    }

    private func literal(_ word: StaticString) throws(ParseError) {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for b in bytes {
            guard input.peek() == b else { throw error("expected \(word)") }
            input.advance()
        }
    }

    /// A number exactly as written (amounts keep their digits; nothing goes through a Double).
    private func number() throws(ParseError) -> String {
        var bytes: [UInt8] = []
        while let c = input.peek(), (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            bytes.append(c)
            input.advance()
            guard bytes.count <= 64 else { throw error("a number longer than 64 characters") }
        }
        guard let first = bytes.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else {
            throw error(bytes.isEmpty ? "expected a value" : "'\(String(decoding: bytes, as: UTF8.self))' is not a JSON number")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A quoted string with its escapes decoded; invalid UTF-8 or a lone surrogate is an error.
    private func readString(what: String) throws(ParseError) -> String {
        guard input.peek() == UInt8(ascii: "\"") else { throw error("expected a quoted \(what)") }
        input.advance()
        var bytes: [UInt8] = []
        while true {
            guard let c = input.peek() else { throw error("the file ends inside a string") }
            input.advance()
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw error("a control character inside a string (it must be escaped)") }
            if c == UInt8(ascii: "\\") {
                guard let e = input.peek() else { throw error("the file ends inside a string") }
                input.advance()
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard input.peek() == UInt8(ascii: "\\") else { throw error("a lone surrogate in \\u escape") }
                        input.advance()
                        guard input.peek() == UInt8(ascii: "u") else { throw error("a lone surrogate in \\u escape") }
                        input.advance()
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("a lone surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw error("a lone surrogate in \\u escape")
                    }
                    bytes.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                default: throw error("an unknown escape \\\(Character(Unicode.Scalar(e)))")
                }
            } else {
                bytes.append(c)
            }
            guard bytes.count <= limits.maxFieldBytes else {
                throw error("a value is longer than \(limits.maxFieldBytes) bytes (limits.max_field_bytes in pra.yaml)")
            }
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
        return s
    }

    private func hex4() throws(ParseError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = input.peek(), let d = Self.hexDigit(c) else { throw error("a \\u escape needs four hex digits") }
            input.advance()
            v = v << 4 | d
        }
        return v
    }

    private static func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// Skips one value nobody reads, keeping only the nesting and the strings' ends in view.
    private func skipValue() throws(ParseError) {
        var depth = 0
        repeat {
            input.skipWhitespace()
            guard let c = input.peek() else { throw error("the file ends inside a value") }
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                guard depth <= Self.maxDepth else { throw error("the JSON nests deeper than \(Self.maxDepth) levels") }
                input.advance()
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                input.advance()
            case UInt8(ascii: "\""):
                input.advance()
                while true {
                    guard let s = input.peek() else { throw error("the file ends inside a string") }
                    input.advance()
                    if s == UInt8(ascii: "\"") { break }
                    if s == UInt8(ascii: "\\") { input.advance() }
                }
            default:
                input.advance()
            }
        } while depth > 0
    }

    /// The keys in the first `bytes` of a JSON file, for matching it to a mapping (`match.element`).
    public static func keys(path: String, bytes: Int = 65_536) -> Set<String> {
        let data = SourceFile.head(path, count: bytes)
        var keys = Set<String>(), i = 0
        while i < data.count {
            guard data[i] == UInt8(ascii: "\"") else { i += 1; continue }
            var j = i + 1
            while j < data.count && data[j] != UInt8(ascii: "\"") { j += data[j] == UInt8(ascii: "\\") ? 2 : 1 }
            var k = j + 1
            while k < data.count && [0x20, 0x09, 0x0A, 0x0D].contains(data[k]) { k += 1 }
            if j < data.count, k < data.count, data[k] == UInt8(ascii: ":") {
                keys.insert(String(decoding: data[(i + 1)..<j], as: UTF8.self))
            }
            i = j + 1
        }
        return keys
    }
}

/// A file's bytes read in chunks, with the line and column of the current byte.
final class ByteInput {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var count = 0
    private var index = 0
    private(set) var offset: Int64 = 0
    private(set) var line = 1
    private var lineStart: Int64 = 0
    private let observer: ReadObserver?

    init(path: String, observer: ReadObserver?) throws(ParseError) {
        self.observer = observer
        let fd = try SourceFile.open(path)
        guard let f = fdopen(fd, "rb") else {
            close(fd)
            throw ParseError(.unreadable, file: path, message: "cannot open the file")
        }
        file = f
    }

    deinit { fclose(file) }

    var column: Int { Int(offset - lineStart) + 1 }

    @inline(__always) func peek() -> UInt8? {
        if index < count { return buffer[index] }
        count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if let observer, count > 0 {
            buffer.withUnsafeBytes { observer.observe(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        } else if let observer, feof(file) != 0 {
            observer.reachedEnd() // not on a read error, which also reads nothing
        }
        index = 0
        return count > 0 ? buffer[0] : nil
    }

    @inline(__always) func advance() {
        guard index < count || peek() != nil else { return }
        if buffer[index] == 0x0A {
            line += 1
            lineStart = offset + 1
        }
        index += 1
        offset += 1
    }

    func skipWhitespace() {
        while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { advance() }
    }

    /// A UTF-8 byte-order mark at the start.
    func skipBOM() {
        for b: UInt8 in [0xEF, 0xBB, 0xBF] where peek() == b { advance() }
    }
}
