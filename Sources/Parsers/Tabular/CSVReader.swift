import CCSV
import Glibc
import OrderCore

/// Streams rows of a CSV/TSV file through libcsv: quoted fields with separators and
/// newlines, `;` `,` or tab, any encoding ``TextTranscoder`` knows. Exact line numbers,
/// including blank lines and newlines inside quoted fields.
public struct CSVReader: TableRowSource {
    private let path: String
    private let fd: Int32
    private var parser = csv_parser()
    private let sink: RowSink
    private var transcoder: TextTranscoder?
    private let declaredEncoding: TextEncoding
    private var separator: UInt8?
    private var buffer: [UInt8]
    private var utf8 = [UInt8]()
    private var finished = false
    public private(set) var bytesRead: Int64 = 0
    private let limits: Limits

    /// Opens `path`; `separator` `nil` detects it from the first line. `chunkBytes`: how much is
    /// read and parsed at a time (``previewChunkBytes`` when only the first rows are wanted).
    public init(path: String, encoding: TextEncoding, separator: UInt8?, limits: Limits = Limits(),
                chunkBytes: Int = 1 << 18) throws(ParseError) {
        self.path = path
        buffer = [UInt8](repeating: 0, count: chunkBytes)
        self.limits = limits
        fd = try SourceFile.open(path)
        declaredEncoding = encoding
        self.separator = separator
        sink = RowSink()
        guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) == 0 else {
            Glibc.close(fd)
            throw ParseError(.unreadable, file: path, message: "libcsv could not start")
        }
    }

    /// Closes the file and frees the parser. Call once when done (also on errors).
    public mutating func close() {
        csv_free(&parser)
        Glibc.close(fd)
    }

    /// A chunk for reading a file's first rows: a 256 KiB chunk parsed all its rows (a whole
    /// morning-flood file) for each mapping that looked at the header.
    public static let previewChunkBytes = 16 << 10

    public mutating func want(columns: Set<Int>?) {
        if let columns {
            let n = (columns.max() ?? -1) + 1
            sink.state.wanted = (0..<n).map { columns.contains($0) }
            sink.state.wantAll = false
        } else {
            sink.state.wantAll = true
        }
    }

    public mutating func nextRow() throws(ParseError) -> TableRow? {
        while sink.state.taken == sink.state.rows.count {
            sink.state.rows.removeAll(keepingCapacity: true)
            sink.state.taken = 0
            if finished { return nil }
            try feed()
        }
        sink.state.taken += 1
        return sink.state.rows[sink.state.taken - 1]
    }

    private mutating func feed() throws(ParseError) {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            throw ParseError(.unreadable, file: path, line: sink.state.line, message: "read failed: \(String(cString: strerror(errno)))")
        }
        bytesRead += Int64(n)
        let s = UnsafeMutableRawPointer(sink.assembler)
        if n == 0 {
            finished = true
            if csv_fini(&parser, csvField, csvRowEnd, s) != 0 {
                throw ParseError(.malformed, file: path, line: sink.state.line,
                                 message: "a quoted field is not closed before the end of the file")
            }
            return
        }
        var start = 0
        if transcoder == nil {
            let (source, bom) = TextTranscoder.detect(Array(buffer[0..<n]), declared: declaredEncoding)
            transcoder = TextTranscoder(source: source)
            start = bom
            if separator == nil {
                separator = Self.detectSeparator(Array(buffer[start..<n]), source: source)
            }
            csv_set_delim(&parser, separator!)
        }
        utf8.removeAll(keepingCapacity: true)
        buffer.withUnsafeBytes { transcoder!.transcode(UnsafeRawBufferPointer(rebasing: $0[start..<n]), into: &utf8) }
        let parsed = utf8.withUnsafeBytes { csv_parse(&parser, $0.baseAddress, $0.count, csvField, csvRowEnd, s) }
        // A field or a record past the limits stops the file here, before it costs more memory.
        if parser.entry_pos > limits.maxFieldBytes || sink.state.longestField > limits.maxFieldBytes {
            throw ParseError(.malformed, file: path, line: sink.state.line,
                             message: "a field is longer than \(limits.maxFieldBytes) bytes (limits.max_field_bytes in pra.yaml); "
                                + "is the separator or the quoting right?")
        }
        if sink.state.raw.count + parser.entry_pos > limits.maxRecordBytes {
            throw ParseError(.malformed, file: path, line: sink.state.line,
                             message: "a row is longer than \(limits.maxRecordBytes) bytes (limits.max_record_bytes in pra.yaml); "
                                + "is the separator or the quoting right?")
        }
        if parsed != utf8.count {
            let message = csv_error(&parser) == CSV_EPARSE
                ? "malformed CSV: a quote inside an unquoted field, or text after a closing quote"
                : "CSV parser error: \(String(cString: csv_strerror(csv_error(&parser))))"
            throw ParseError(.malformed, file: path, line: sink.state.line, message: message)
        }
    }

    /// The separator that occurs most in the first line: `;`, `,` or tab.
    static func detectSeparator(_ head: [UInt8], source: TextTranscoder.Source) -> UInt8 {
        var t = TextTranscoder(source: source), text = [UInt8]()
        head.withUnsafeBytes { t.transcode($0, into: &text) }
        let firstLine = text.prefix { $0 != 0x0A && $0 != 0x0D }
        let candidates: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), 0x09]
        return candidates.max { a, b in firstLine.count(where: { $0 == a }) < firstLine.count(where: { $0 == b }) }!
    }
}

/// Where libcsv's callbacks land: owns the row assembler at a fixed address, which C reaches
/// through a `void *` with no reference counting and no exclusivity check per field (Shopify
/// 100k dry run: retain/release in the field callback were 8 % of the time).
final class RowSink {
    let assembler = UnsafeMutablePointer<RowAssembler>.allocate(capacity: 1)
    var state: RowAssembler {
        _read { yield assembler.pointee }
        _modify { yield &assembler.pointee }
    }

    init() { assembler.initialize(to: RowAssembler()) }

    deinit {
        assembler.deinitialize(count: 1)
        assembler.deallocate()
    }
}

/// Assembles libcsv's fields into table rows: each field's bytes appended to the row's buffer,
/// its end noted, and a wanted field with bytes past ASCII checked to be UTF-8. No string is
/// made here: the record reader makes one of a cell a rule reads.
struct RowAssembler {
    var wanted: [Bool] = []
    var wantAll = true
    var rows: [TableRow] = []
    /// How many of `rows` the reader has handed out.
    var taken = 0
    var raw: [UInt8] = []
    var ends: [Int] = []
    var embeddedNewlines = 0
    var encodingProblem: Int?
    /// The line the next row starts on.
    var line = 1
    var rowNumber = 0
    var lastTerminator: Int32 = -1
    /// The longest field seen since the reader last looked (checked against the limits).
    var longestField = 0

    mutating func field(_ bytes: UnsafeRawBufferPointer) {
        let column = ends.count
        longestField = max(longestField, bytes.count)
        if column > 0 { raw.append(0x1F) }
        raw.append(contentsOf: bytes)
        ends.append(raw.count)
        var ascii = true
        for b in bytes where b >= 0x80 || b == 0x0A {
            if b == 0x0A { embeddedNewlines += 1 } else { ascii = false }
        }
        if !ascii, encodingProblem == nil, wantAll || (column < wanted.count && wanted[column]),
           !isWellFormedUTF8(bytes.assumingMemoryBound(to: UInt8.self)) {
            encodingProblem = column
        }
    }

    mutating func rowEnd(_ terminator: Int32) {
        defer { lastTerminator = terminator }
        if ends.isEmpty {
            // An empty record: a blank line, or the "\n" of a "\r\n" pair.
            if !(terminator == 0x0A && lastTerminator == 0x0D) && terminator != -1 { line += 1 }
            return
        }
        rowNumber += 1
        rows.append(TableRow(line: line, rowNumber: rowNumber, raw: raw, ends: ends, encodingProblem: encodingProblem))
        line += 1 + embeddedNewlines
        raw = []
        raw.reserveCapacity(rows[rows.count - 1].raw.count)
        ends = []
        ends.reserveCapacity(rows[rows.count - 1].ends.count)
        embeddedNewlines = 0
        encodingProblem = nil
    }
}

private let csvField: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { s, len, data in
    data!.assumingMemoryBound(to: RowAssembler.self).pointee.field(UnsafeRawBufferPointer(start: s, count: len))
}

private let csvRowEnd: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { c, data in
    data!.assumingMemoryBound(to: RowAssembler.self).pointee.rowEnd(c)
}
