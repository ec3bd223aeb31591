import CXML2
import Glibc
import OrderCore

/// Streams records out of an XML file with ``XMLByteScanner``: memory stays flat however large
/// the file, no tree is built, subtrees the mapping does not read are passed over, and a
/// DOCTYPE or entity reference is refused (no XXE, no entity expansion). Which values make a
/// record is the ``TreeRecordAssembler``'s business; this reader only feeds it elements.
public final class XMLRecordReader: RecordReader {
    private var scanner: XMLByteScanner
    private var state: XMLRecordState
    private let closeInput: () -> Void
    private var taken = 0
    private var finished = false
    public let header: [String] = []

    /// Options for the small libxml2 reads that match a file to a mapping: no network, no DTD
    /// loading, no entity substitution; `BIG_LINES` so errors past line 65,535 name their line.
    static var options: Int32 {
        Int32(XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_BIG_LINES.rawValue
              | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
    }

    /// Reads the file at `path`; `observer` sees every byte read.
    public convenience init(path: String, layout: SourceLayout, recordPath: [String], linePath: [String],
                            limits: Limits = Limits(), observer: ReadObserver? = nil) throws(ParseError) {
        let fd = try SourceFile.open(path)
        self.init(path: path, layout: layout, recordPath: recordPath, linePath: linePath, limits: limits,
                  input: { (buffer: UnsafeMutableRawBufferPointer) throws(ParseError) -> Int in
                      let n = read(fd, buffer.baseAddress, buffer.count)
                      guard n >= 0 else {
                          throw ParseError(.unreadable, file: path, message: "read failed: \(String(cString: strerror(errno)))")
                      }
                      if let observer {
                          if n == 0 { observer.reachedEnd() } else { observer.observe(UnsafeRawBufferPointer(rebasing: buffer[..<n])) }
                      }
                      return n
                  }, close: { _ = Glibc.close(fd) })
    }

    /// Reads from a zip entry's stream (kept alive by the closure).
    convenience init(stream: ZipEntryStream, path: String, layout: SourceLayout, recordPath: [String], linePath: [String],
                     limits: Limits) {
        self.init(path: path, layout: layout, recordPath: recordPath, linePath: linePath, limits: limits,
                  input: { (buffer: UnsafeMutableRawBufferPointer) throws(ParseError) -> Int in try stream.read(into: buffer) },
                  close: {})
    }

    private init(path: String, layout: SourceLayout, recordPath: [String], linePath: [String], limits: Limits,
                 input: @escaping (UnsafeMutableRawBufferPointer) throws(ParseError) -> Int, close: @escaping () -> Void) {
        let assembler = TreeRecordAssembler(file: path, layout: layout, recordPath: recordPath, linePath: linePath, limits: limits)
        state = XMLRecordState(path: path, assembler: assembler)
        scanner = XMLByteScanner(path: path, part: "the XML", maxToken: limits.maxFieldBytes, countsLines: true, input: input)
        closeInput = close
    }

    deinit { closeInput() }

    public var bytesRead: Int64 { scanner.bytesRead }

    /// Paths no element matched anywhere in the file (known once the file is read).
    public var unseenFields: UnseenFields { state.assembler.unseenFields }

    public func next() throws(ParseError) -> RecordResult? {
        while true {
            if taken < state.ready.count {
                taken += 1
                return state.ready[taken - 1]
            }
            state.ready.removeAll(keepingCapacity: true)
            taken = 0
            if finished { return nil }
            let progress: XMLByteScanner.Progress
            do { progress = try scanner.step(&state) } catch {
                finished = true
                throw error
            }
            switch progress {
            case .more: break
            case .malformed(let error):
                finished = true
                throw error
            case .end:
                // The scanner ends only with every element closed, so no record is left open:
                // a file cut inside one is `.malformed` ("cut short"), with its line.
                finished = true
            }
        }
    }

    /// The local name of the root element, for matching a file to a mapping. Fails on a
    /// DOCTYPE (refused, as in ``next()``) or when there is no readable root element.
    public static func rootElement(path: String) -> Result<String, ParseError> {
        let file: XMLTextReaderFile
        do { file = try XMLTextReaderFile(path: path, options: options) } catch { return .failure(error) }
        let r = file.reader
        while xmlTextReaderRead(r) == 1 {
            let type = xmlTextReaderNodeType(r)
            if type == 10 {
                return .failure(ParseError(.forbiddenConstruct, file: path, message: doctypeRefusal))
            }
            if type == 1, let n = xmlTextReaderConstLocalName(r) { return .success(String(cString: n)) }
        }
        return .failure(ParseError(.malformed, file: path, line: Int(xmlTextReaderGetParserLineNumber(r)),
                                   message: "no root element could be read (not well-formed XML)"))
    }

    /// The local names of the first `limit` elements, for matching a file by an inner element
    /// (`DetailedOrderListResponse` inside a SOAP `Envelope`). Empty on a DOCTYPE or broken XML.
    public static func elementNames(path: String, limit: Int) -> [String] {
        guard let file = try? XMLTextReaderFile(path: path, options: options) else { return [] }
        let r = file.reader
        var names: [String] = []
        while names.count < limit, xmlTextReaderRead(r) == 1 {
            let type = xmlTextReaderNodeType(r)
            if type == 10 { return [] }
            if type == 1, let n = xmlTextReaderConstLocalName(r) { names.append(String(cString: n)) }
        }
        return names
    }

    static let doctypeRefusal = "the file has a DOCTYPE or entity; order exports never need one, and it is "
        + "refused so no external file or entity expansion can be involved"
}

