import CXML2
import OrderCore

/// What every SAX reader's callbacks share: the parser (for the current line), the error that
/// stopped it from inside a callback, and libxml2's own first error.
struct SAXSession {
    var parser: xmlParserCtxtPtr?
    /// A refusal or a limit hit inside a callback (it cannot throw through C).
    private(set) var stopError: ParseError?
    /// libxml2's own first error, with its place.
    private(set) var firstXMLError: (line: Int, column: Int, message: String)?

    /// The line the parser is on.
    var line: Int { parser.map { Int($0.pointee.input.pointee.line) } ?? 0 }

    /// Stops the parser with `error`; the reader throws it.
    mutating func stop(_ error: ParseError) {
        if stopError == nil { stopError = error }
        if let parser { xmlStopParser(parser) }
    }

    /// Keeps libxml2's first error (warnings aside), for the message the reader throws.
    mutating func record(_ e: xmlError) {
        guard firstXMLError == nil, e.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = e.message.map { String(cString: $0) } ?? "XML error"
        firstXMLError = (Int(e.line), Int(e.int2), message.trimmingBlanks())
    }
}

/// The state a SAX reader's callbacks work on.
protocol SAXContext {
    var session: SAXSession { get set }
}

/// libxml2's SAX2 push parser fed chunk by chunk from a byte source (a file, a zip entry as it
/// inflates): no tree is built, memory stays flat. The callbacks of `handler` receive the
/// state, kept at a fixed address so they reach it with no reference counting.
final class SAXPushParser<State: SAXContext> {
    enum Progress { case more, end, malformed }

    let state: UnsafeMutablePointer<State>
    private let path: String
    private let handler: UnsafeMutablePointer<xmlSAXHandler>
    /// Fills a buffer from the source; 0 at its end.
    private let input: (UnsafeMutableRawBufferPointer) throws(ParseError) -> Int
    private let closeInput: () -> Void
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
    private var parser: xmlParserCtxtPtr?
    private(set) var bytesRead: Int64 = 0

    /// Options that held in the security tests: no network, no DTD loading, no entity substitution;
    /// `BIG_LINES` so errors past line 65,535 name their real line.
    static var options: Int32 {
        Int32(XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_BIG_LINES.rawValue
              | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
    }

    init(path: String, state: State, handler: UnsafeMutablePointer<xmlSAXHandler>,
         input: @escaping (UnsafeMutableRawBufferPointer) throws(ParseError) -> Int, close: @escaping () -> Void = {}) {
        self.path = path
        self.handler = handler
        self.input = input
        closeInput = close
        self.state = .allocate(capacity: 1)
        self.state.initialize(to: state)
    }

    deinit {
        if let parser { xmlFreeParserCtxt(parser) }
        closeInput()
        chunk.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Parses the next chunk of the source through the callbacks. Throws what a callback
    /// stopped the parser with, or the source's read error.
    func feed() throws(ParseError) -> Progress {
        let n = try input(chunk)
        bytesRead += Int64(n)
        let base = chunk.baseAddress!.assumingMemoryBound(to: CChar.self)
        let rc: Int32
        if let parser {
            rc = xmlParseChunk(parser, base, Int32(n), n == 0 ? 1 : 0)
        } else if let created = xmlCreatePushParserCtxt(handler, UnsafeMutableRawPointer(state), base, Int32(min(n, 4)), path) {
            // The first bytes tell libxml2 the encoding.
            let head = min(n, 4)
            parser = created
            xmlCtxtUseOptions(created, Self.options)
            state.pointee.session.parser = created
            rc = xmlParseChunk(created, base + head, Int32(n - head), n == 0 ? 1 : 0)
        } else {
            throw ParseError(.unreadable, file: path, message: "libxml2 could not start")
        }
        if let error = state.pointee.session.stopError { throw error }
        if rc != 0 || parser!.pointee.wellFormed == 0 { return .malformed }
        return n == 0 ? .end : .more
    }

    /// The error for a document that is not well-formed: libxml2's first, with its place.
    func malformed(_ fallback: String) -> ParseError {
        if let e = state.pointee.session.firstXMLError {
            return ParseError(.malformed, file: path, line: e.line, column: e.column, message: e.message)
        }
        let input = parser?.pointee.input
        return ParseError(.malformed, file: path, line: input.map { Int($0.pointee.line) },
                          column: input.map { Int($0.pointee.col) }, message: fallback)
    }
}

extension UnsafeMutablePointer {
    /// The pointer, its memory initialized to `value`: a handler table made once for the process.
    func initialized(to value: Pointee) -> Self {
        initialize(to: value)
        return self
    }
}
