import Glibc
import OrderCore

/// Streams rows of a CSV/TSV file (``CSVTokenizer``): quoted fields with separators and
/// newlines, `;` `,` or tab, any encoding ``TextTranscoder`` knows. Exact line numbers,
/// including blank lines and newlines inside quoted fields.
public struct CSVReader: TableRowSource {
    private let path: String
    private let fd: Int32
    private var tokenizer: CSVTokenizer?
    private var assembler = RowAssembler()
    private var transcoder: TextTranscoder?
    private let declaredEncoding: TextEncoding
    private var separator: UInt8?
    private var buffer: [UInt8]
    private var utf8 = [UInt8]()
    private var finished = false
    public private(set) var bytesRead: Int64 = 0
    private let limits: Limits
    private let observer: ReadObserver?

    /// Opens `path`; `separator` `nil` detects it from the first line. `chunkBytes`: how much is
    /// read and parsed at a time (``previewChunkBytes`` when only the first rows are wanted);
    /// `observer` sees every byte read.
    public init(path: String, encoding: TextEncoding, separator: UInt8?, limits: Limits = Limits(),
                chunkBytes: Int = 1 << 18, observer: ReadObserver? = nil) throws(ParseError) {
        self.path = path
        self.limits = limits
        self.observer = observer
        fd = try SourceFile.open(path)
        buffer = SourceFile.readBuffer(fd, chunk: chunkBytes)
        declaredEncoding = encoding
        self.separator = separator
    }

    /// Closes the file. Call once when done (also on errors).
    public mutating func close() {
        Glibc.close(fd)
    }

    /// A chunk for reading a file's first rows: a 256 KiB chunk parsed all its rows (a whole
    /// morning-flood file) for each mapping that looked at the header.
    public static let previewChunkBytes = 16 << 10

    public mutating func want(columns: Set<Int>?) {
        if let columns {
            let n = (columns.max() ?? -1) + 1
            assembler.wanted = (0..<n).map { columns.contains($0) }
            assembler.wantAll = false
        } else {
            assembler.wantAll = true
        }
    }

    public mutating func nextRow() throws(ParseError) -> TableRow? {
        while assembler.taken == assembler.rows.count {
            assembler.rows.removeAll(keepingCapacity: true)
            assembler.taken = 0
            if finished { return nil }
            try feed()
        }
        assembler.taken += 1
        return exchange(&assembler.rows[assembler.taken - 1], with: .empty)
    }

    public mutating func recycle(_ row: consuming TableRow) {
        assembler.buffers.give(row.buffer())
    }

    private mutating func feed() throws(ParseError) {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            throw ParseError(.unreadable, file: path, line: assembler.line, message: "read failed: \(String(cString: strerror(errno)))")
        }
        bytesRead += Int64(n)
        if let observer {
            if n == 0 { observer.reachedEnd() } else { buffer.withUnsafeBytes { observer.observe(UnsafeRawBufferPointer(rebasing: $0[..<n])) } }
        }
        if n == 0 {
            finished = true
            if tokenizer?.finish(into: &assembler) == false {
                throw ParseError(.malformed, file: path, line: assembler.line,
                                 message: "a quoted field is not closed before the end of the file")
            }
            return
        }
        var start = 0
        if transcoder == nil {
            let dialect = Self.dialect(head: Array(buffer[0..<n]), encoding: declaredEncoding, separator: separator)
            transcoder = TextTranscoder(source: dialect.source)
            start = dialect.bomLength
            separator = dialect.separator
            tokenizer = CSVTokenizer(separator: dialect.separator)
        }
        utf8.removeAll(keepingCapacity: true)
        buffer.withUnsafeBytes { transcoder!.transcode(UnsafeRawBufferPointer(rebasing: $0[start..<n]), into: &utf8) }
        let badQuote = utf8.withUnsafeBufferPointer { tokenizer!.parse($0, into: &assembler) }
        // A field or a record past the limits stops the file here, before it costs more memory.
        if tokenizer!.openFieldBytes(assembler) > limits.maxFieldBytes || assembler.longestField > limits.maxFieldBytes {
            throw ParseError(.malformed, file: path, line: assembler.line,
                             message: "a field is longer than \(limits.maxFieldBytes) bytes (limits.max_field_bytes in pra.yaml); "
                                + "is the separator or the quoting right?")
        }
        if assembler.raw.count > limits.maxRecordBytes {
            throw ParseError(.malformed, file: path, line: assembler.line,
                             message: "a row is longer than \(limits.maxRecordBytes) bytes (limits.max_record_bytes in pra.yaml); "
                                + "is the separator or the quoting right?")
        }
        if badQuote != nil {
            // The line of the stray byte (a row's quoted fields may span lines), and its field.
            throw ParseError(.malformed, file: path, line: assembler.line + assembler.embeddedNewlines,
                             message: "malformed CSV in field \(assembler.ends.count + 1) of the row: a quote inside an unquoted "
                                + "field, or text after a closing quote")
        }
    }

    /// How a file is read, as its first chunk decides it.
    public struct Dialect: Hashable, Sendable {
        public let source: TextTranscoder.Source
        public let bomLength: Int
        public let separator: UInt8
    }

    /// The encoding (`auto`: BOM, else UTF-8 if valid, else Windows-1254) and separator (`nil`:
    /// the one the first line has most of) a reader resolves from a file's first chunk `head`.
    public static func dialect(head: [UInt8], encoding: TextEncoding, separator: UInt8?) -> Dialect {
        let (source, bom) = TextTranscoder.detect(head, declared: encoding)
        return Dialect(source: source, bomLength: bom,
                       separator: separator ?? detectSeparator(Array(head[min(bom, head.count)...]), source: source))
    }

    /// The separator that occurs most in the first line: `;`, `,` or tab.
    static func detectSeparator(_ head: [UInt8], source: TextTranscoder.Source) -> UInt8 {
        // Only the first line is transcoded: in UTF-8 and the single-byte code pages a line break
        // is its own byte, never part of a character.
        let isUTF16 = source == .utf16LE || source == .utf16BE
        let lineEnd = isUTF16 ? head.count : head.firstIndex { $0 == 0x0A || $0 == 0x0D } ?? head.count
        var t = TextTranscoder(source: source), text = [UInt8]()
        head.withUnsafeBytes { t.transcode(UnsafeRawBufferPointer(rebasing: $0[..<lineEnd]), into: &text) }
        let firstLine = text.prefix { $0 != 0x0A && $0 != 0x0D }
        let candidates: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), 0x09]
        return candidates.max { a, b in firstLine.count(where: { $0 == a }) < firstLine.count(where: { $0 == b }) }!
    }
}

/// Assembles the tokenizer's fields into table rows: each field's bytes written to the row
/// being assembled, its end noted, and a wanted field with bytes past ASCII checked to be UTF-8.
/// No string is made here: the record reader makes one of a cell a rule reads. The row being
/// assembled is scratch reused from row to row (``ScratchArray``); each ended row is copied
/// out at its exact size, in one buffer (``TableRow``).
struct RowAssembler {
    var wanted: [Bool] = []
    var wantAll = true
    var rows: [TableRow] = []
    /// How many of `rows` the reader has handed out.
    var taken = 0
    /// The buffers of rows handed back (``CSVReader/recycle(_:)``).
    var buffers = RowBuffers()
    /// The row so far: its ended fields, each followed by U+001F, then the field being written.
    private(set) var raw = ScratchArray<UInt8>(capacity: 1 << 10)
    /// Where each ended field of the row ends in ``raw``.
    private(set) var ends = ScratchArray<Int>(capacity: 64)
    /// Where the field being written starts in ``raw``.
    private(set) var fieldStart = 0
    /// The line the next row starts on.
    var line = 1
    var rowNumber = 0
    var lastTerminator: Int32 = -1
    /// The longest field seen since the reader last looked (checked against the limits).
    var longestField = 0

    /// Appends `run` to the field being written.
    @inline(__always) mutating func append(_ run: UnsafeBufferPointer<UInt8>) { raw.append(contentsOf: run) }

    /// Appends `byte` to the field being written.
    @inline(__always) mutating func append(_ byte: UInt8) { raw.append(byte) }

    /// The field being written ends, without its last `dropping` bytes (blanks, a closing quote).
    mutating func endField(dropping: Int) {
        raw.removeLast(dropping)
        longestField = max(longestField, raw.count - fieldStart)
        ends.append(raw.count)
        raw.append(0x1F)
        fieldStart = raw.count
    }

    /// Line breaks inside the quoted fields of the row so far.
    var embeddedNewlines: Int {
        let row = raw.elements
        guard let base = row.baseAddress, memchr(base, 0x0A, row.count) != nil else { return 0 }
        return row.count(where: { $0 == 0x0A })
    }

    /// The first wanted field of the ended row that is not UTF-8: one pass over the whole row
    /// (the separators between its fields are ASCII), fields looked at one by one only when it
    /// is not.
    private func encodingProblem() -> Int? {
        let row = raw.elements
        guard !isWellFormedUTF8(row) else { return nil }
        var start = 0
        for column in 0..<ends.count {
            let end = ends[column]
            defer { start = end + 1 }
            guard wantAll || (column < wanted.count && wanted[column]) else { continue }
            let field = UnsafeBufferPointer(rebasing: row[start..<end])
            if field.contains(where: { $0 >= 0x80 }) && !isWellFormedUTF8(field) { return column }
        }
        return nil
    }

    /// The row ends at line break `terminator` (CR, LF; -1 at the end of the file).
    mutating func endRow(_ terminator: Int32) {
        defer { lastTerminator = terminator }
        if ends.isEmpty {
            // An empty record: a blank line, or the "\n" of a "\r\n" pair.
            if !(terminator == 0x0A && lastTerminator == 0x0D) && terminator != -1 { line += 1 }
            return
        }
        raw.removeLast(1) // the separator after the last field
        rowNumber += 1
        rows.append(TableRow(line: line, rowNumber: rowNumber, raw: raw.elements, ends: ends.elements, encodingProblem: encodingProblem(),
                             buffers: &buffers))
        line += 1 + embeddedNewlines
        raw.removeAll()
        ends.removeAll()
        fieldStart = 0
    }
}
