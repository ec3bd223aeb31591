import Glibc

/// A streaming XML scanner for order files and workbook parts: a fraction of libxml2's work
/// per byte, no copy of a name or a value unless it holds a reference. It checks what makes a
/// document well-formed where a broken or hostile file would show: names, quoted attributes,
/// nesting, a single root, text only inside it, known references only; a DOCTYPE is refused and
/// no entity is expanded. UTF-16, Windows-1254, ISO-8859-9 and ISO-8859-1 documents are read
/// through ``TextTranscoder``. Memory stays flat: a tag must fit in `maxToken` bytes; text,
/// comments and CDATA stream through in pieces. A struct, so the scanning loop pays no dynamic
/// exclusivity check for its own state.
struct XMLByteScanner: ~Copyable {
    /// What a step came to.
    enum Progress {
        case more, end
        /// The document is not well-formed (or cut short): why, at which byte.
        case malformed(ParseError)
    }

    private let path: String
    /// How errors name the part: "the sheet XML".
    private let part: String
    private let input: (UnsafeMutableRawBufferPointer) throws(ParseError) -> Int
    private static let chunk = 64 << 10
    /// Set for a document that is not UTF-8: the input passes through it into ``buffer``.
    private var transcoder: TextTranscoder?
    private var rawChunk: UnsafeMutableRawBufferPointer?
    private var transcoded: [UInt8] = []
    private var rawBytesRead: Int64 = 0
    /// Whether start tags and errors carry their line (the XML record reader's errors name lines).
    private let countsLines: Bool
    /// The line ``buffer``'s byte `lineCountedTo` is on.
    private var line = 1
    private var lineCountedTo = 0
    /// Where the last line that began in bytes already dropped begins, for an error's column.
    private var droppedLineStart: Int64 = 0
    private let maxToken: Int
    private var buffer: UnsafeMutableRawBufferPointer
    /// Unscanned bytes are `start..<end` of ``buffer``.
    private var start = 0, end = 0
    /// Bytes of the part dropped from the front of ``buffer``: scanned.
    private var dropped: Int64 = 0
    /// The names of the open elements, as written, one after the other, and where each ends
    /// (``openCount`` of them; room for ``maxDepth``, fixed: an `Array` checked its storage's
    /// uniqueness in a runtime call at every tag).
    private var openNames: UnsafeMutableBufferPointer<UInt8>
    private let openEnds: UnsafeMutablePointer<Int>
    private var openCount = 0
    /// Deeper than this, a document is refused (libxml2's default limit too); an element name
    /// longer than `maxName` too: the open names stay within 256 KiB.
    private static let maxDepth = 256
    private static let maxName = 1024
    private var rootSeen = false
    private enum Section { case comment, processingInstruction, cdata }
    /// A comment, processing instruction or CDATA section that goes on past the bytes scanned.
    private var openSection: Section?
    private var atStart = true
    private var ended = false
    /// Text with references decoded or line ends normalized.
    private var decoded: [UInt8] = []

    /// A scanner of `part` of the file at `path`, reading with `input` (0: the end).
    init(path: String, part: String, maxToken: Int, countsLines: Bool = false,
         input: @escaping (UnsafeMutableRawBufferPointer) throws(ParseError) -> Int) {
        self.path = path
        self.part = part
        self.countsLines = countsLines
        self.maxToken = max(maxToken, Self.chunk)
        self.input = input
        buffer = .allocate(byteCount: 2 * Self.chunk, alignment: 1)
        openNames = .allocate(capacity: 4096)
        openEnds = .allocate(capacity: Self.maxDepth)
    }

    deinit {
        buffer.deallocate()
        openNames.deallocate()
        openEnds.deallocate()
        rawChunk?.deallocate()
    }

    /// Bytes of the part read so far, as they are in the file.
    var bytesRead: Int64 { rawBytesRead }

    /// Reads the next chunk and reports everything in it that is complete to `sink`. Throws
    /// what the sink or the input throws, and a DOCTYPE's refusal.
    mutating func step<Sink: XMLScanSink>(_ sink: inout Sink) throws(ParseError) -> Progress {
        if ended { return .end }
        try makeRoom()
        let final = try fill() == 0
        do {
            try scan(&sink, final: final)
        } catch let failure as Malformed {
            ended = true
            if countsLines {
                return .malformed(ParseError(.malformed, file: path, line: failure.line, column: failure.column,
                                             message: "\(part) is not well-formed: \(failure.reason)"))
            }
            return .malformed(ParseError(.malformed, file: path, message: "\(part) is not well-formed at byte \(failure.offset): \(failure.reason)"))
        } catch {
            ended = true
            throw error as? ParseError ?? ParseError(.malformed, file: path, message: "\(part): \(error)")
        }
        if !final { return .more }
        ended = true
        if openCount > 0 || !rootSeen {
            let place = countsLines ? malformed(end, "") : nil
            return .malformed(ParseError(.malformed, file: path, line: place?.line, column: place?.column, message: "\(part) is cut short: "
                                            + (rootSeen ? "\(openCount) element(s) are never closed" : "it has no root element")))
        }
        return .end
    }

    /// Reads the next chunk into ``buffer``, through the transcoder if there is one; how many
    /// bytes of the file were read (0: its end).
    private mutating func fill() throws(ParseError) -> Int {
        guard transcoder != nil else {
            let n = try input(UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
            end += n
            rawBytesRead += Int64(n)
            return n
        }
        if rawChunk == nil { rawChunk = .allocate(byteCount: Self.chunk, alignment: 1) }
        let n = try input(rawChunk!)
        rawBytesRead += Int64(n)
        transcoded.removeAll(keepingCapacity: true)
        transcoder!.transcode(UnsafeRawBufferPointer(rebasing: rawChunk![..<n]), into: &transcoded)
        append(transcoded)
        return n
    }

    /// Appends `bytes` to ``buffer``, growing it to fit.
    private mutating func append(_ bytes: [UInt8]) {
        if buffer.count - end < bytes.count { grow(toFit: end + bytes.count) }
        bytes.withUnsafeBytes { (buffer.baseAddress! + end).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        end += bytes.count
    }

    private mutating func grow(toFit size: Int) {
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(2 * buffer.count, size), alignment: 1)
        if end > 0 { grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end) }
        buffer.deallocate()
        buffer = grown
    }

    /// From here on reads the document as `source` (a BOM of `bomLength` bytes first),
    /// transcoding what is already in ``buffer`` (the prolog, still at its start).
    private mutating func transcode(from source: TextTranscoder.Source, bomLength: Int) {
        var t = TextTranscoder(source: source)
        var utf8: [UInt8] = []
        t.transcode(UnsafeRawBufferPointer(rebasing: buffer[bomLength..<end]), into: &utf8)
        transcoder = t
        end = 0
        append(utf8)
    }

    /// Moves the unscanned bytes to the front and makes room for a chunk after them; a token
    /// longer than `maxToken` is refused.
    private mutating func makeRoom() throws(ParseError) {
        let pending = end - start
        if start > 0 {
            if countsLines {
                line += Self.newlines(in: bytes(lineCountedTo..<start))
                lineCountedTo = 0
                if let newline = bytes(0..<start).lastIndex(of: 0x0A) { droppedLineStart = dropped + Int64(newline + 1) }
            }
            if pending > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + start, pending) }
            dropped += Int64(start)
            start = 0
            end = pending
        }
        guard buffer.count - end < Self.chunk else { return }
        guard pending <= maxToken else {
            throw ParseError(.malformed, file: path, message: "\(part) has a tag longer than \(maxToken) bytes "
                               + "at byte \(dropped) (limits.max_field_bytes in pra.yaml)")
        }
        grow(toFit: end + Self.chunk)
    }

    private func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + range.lowerBound, count: range.count)
    }

    /// How many LF bytes `bytes` holds, eight at a time.
    private static func newlines(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var n = 0, i = 0
        while i + 8 <= bytes.count {
            // A byte of `x` is zero where the input byte is LF; count those bytes exactly
            // (the classic has-zero test, made exact by clearing each byte's high bit first).
            let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) ^ (ones &* 0x0A)
            let zero = ~(((x & ~highs) &+ ~highs) | x) & highs
            n += zero.nonzeroBitCount
            i += 8
        }
        while i < bytes.count {
            if bytes[i] == 0x0A { n += 1 }
            i += 1
        }
        return n
    }

    /// Why the document is not well-formed, at which byte of the part (and line, when counted).
    private struct Malformed: Error {
        let offset: Int64
        let line: Int?
        let column: Int?
        let reason: String
    }

    private func malformed(_ at: Int, _ reason: String) -> Malformed {
        guard countsLines && at >= lineCountedTo else { return Malformed(offset: dropped + Int64(at), line: nil, column: nil, reason: reason) }
        let line = self.line + Self.newlines(in: bytes(lineCountedTo..<at))
        let lineStart = bytes(0..<at).lastIndex(of: 0x0A).map { dropped + Int64($0 + 1) } ?? droppedLineStart
        return Malformed(offset: dropped + Int64(at), line: line, column: Int(dropped + Int64(at) - lineStart) + 1, reason: reason)
    }

    static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D
    }

    private static func isNameStart(_ c: UInt8) -> Bool {
        let folded = c | 0x20
        return (folded &- UInt8(ascii: "a") < 26) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c >= 0x80
    }

    /// A byte of a name: a letter, a digit, `_ : - .` or any byte past ASCII (one bit per
    /// ASCII byte in two words).
    private static func isNameByte(_ c: UInt8) -> Bool {
        // Bits 45 `-`, 46 `.`, 48–57 digits, 58 `:` of the first word; 65–90, 95 `_`, 97–122 of the second.
        let low: UInt64 = 0x07FF_6000_0000_0000, high: UInt64 = 0x07FF_FFFE_87FF_FFFE
        return c >= 0x80 || ((c < 64 ? low : high) >> UInt64(c & 63)) & 1 == 1
    }

    /// `x:row` → `row`.
    static func localPart(_ name: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let colon = name.lastIndex(of: UInt8(ascii: ":")) else { return name }
        return UnsafeBufferPointer(rebasing: name[(colon + 1)...])
    }

    /// Scans `start..<end`, leaving `start` at the first token that is not complete yet.
    private mutating func scan<Sink: XMLScanSink>(_ sink: inout Sink, final: Bool) throws -> Void {
        var p = start
        defer { start = p }
        if atStart {
            guard let next = try prolog(final: final) else { return }
            p = next
            atStart = false
        }
        let b = UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: end)
        while p < end {
            if let section = openSection {
                let (next, closed) = try pass(section, b, from: p, final: final, sink: &sink)
                p = next
                if closed { continue }
                break
            }
            if b[p] != UInt8(ascii: "<") {
                let lt = memchr(b.baseAddress! + p, Int32(UInt8(ascii: "<")), end - p)
                let stop = lt.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - b.baseAddress! } ?? end
                if openCount == 0 {
                    guard let bad = b[p..<stop].firstIndex(where: { !Self.isSpace($0) }) else { p = stop; continue }
                    throw malformed(bad, rootSeen ? "text after the root element" : "text before the root element")
                }
                p = try text(b, from: p, to: stop, more: lt == nil && !final, sink: &sink)
                if lt == nil { break }
                continue
            }
            guard p + 1 < end else { break }
            switch b[p + 1] {
            case UInt8(ascii: "/"):
                let nameEnd = Self.nameEnd(b, from: p + 2, to: end)
                var gt = nameEnd
                while gt < end, Self.isSpace(b[gt]) { gt += 1 }
                guard gt < end else { break }
                guard nameEnd > p + 2, b[gt] == UInt8(ascii: ">") else { throw malformed(p, "a broken end tag") }
                let name = UnsafeBufferPointer(rebasing: b[(p + 2)..<nameEnd])
                guard closesTheOpenElement(name) else {
                    throw malformed(p, "an end tag </\(String(decoding: name.prefix(40), as: UTF8.self))> closes no element open here")
                }
                openCount -= 1
                p = gt + 1
                try sink.end(localName: Self.localPart(name))
                continue
            case UInt8(ascii: "?"):
                openSection = .processingInstruction
                p += 2
                continue
            case UInt8(ascii: "!"):
                guard let next = try markupDeclaration(b, at: p) else { break }
                p = next
                continue
            default:
                guard let tag = try startTag(b, at: p) else { break }
                if rootSeen && openCount == 0 { throw malformed(p, "a second root element") }
                rootSeen = true
                let name = UnsafeBufferPointer(rebasing: b[(p + 1)..<tag.nameEnd])
                let local = Self.localPart(name)
                if countsLines {
                    line += Self.newlines(in: UnsafeBufferPointer(rebasing: b[lineCountedTo..<p]))
                    lineCountedTo = p
                }
                p = tag.next
                try sink.start(XMLTag(localName: local, attributeBytes: UnsafeBufferPointer(rebasing: b[tag.nameEnd..<tag.attributesEnd]),
                                      line: countsLines ? line : 0))
                if tag.isEmpty {
                    try sink.end(localName: local)
                } else {
                    try push(name, at: p)
                }
                continue
            }
            break // the token at `p` is not complete yet
        }
        if final && p < end { throw malformed(p, "a tag is cut short") }
    }

    /// Goes through the open comment, processing instruction or CDATA section from `from` (CDATA
    /// reported as it goes): where scanning goes on, and whether the section closed there.
    private mutating func pass<Sink: XMLScanSink>(_ section: Section, _ b: UnsafeBufferPointer<UInt8>, from: Int, final: Bool,
                                                  sink: inout Sink) throws -> (next: Int, closed: Bool) {
        let terminator: StaticString = section == .comment ? "-->" : section == .cdata ? "]]>" : "?>"
        if let close = Self.find(terminator, in: b, from: from) {
            if section == .cdata { try emit(b, from: from, to: close, isCDATA: true, sink: &sink) }
            openSection = nil
            return (close + terminator.utf8CodeUnitCount, true)
        }
        if final { throw malformed(from, "a comment, CDATA section or processing instruction is cut short") }
        // Keep what could be the start of the terminator (and a CR whose LF may follow).
        var kept = max(from, end - terminator.utf8CodeUnitCount + 1)
        if kept > from && b[kept - 1] == 0x0D { kept -= 1 }
        if section == .cdata && kept > from { try emit(b, from: from, to: kept, isCDATA: true, sink: &sink) }
        return (kept, false)
    }

    /// Opens element `name` (its tag at `p`).
    private mutating func push(_ name: UnsafeBufferPointer<UInt8>, at p: Int) throws {
        guard openCount < Self.maxDepth else { throw malformed(p, "elements nested deeper than \(Self.maxDepth)") }
        let openStart = openCount > 0 ? openEnds[openCount - 1] : 0
        if openStart + name.count > openNames.count {
            let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 2 * (openStart + name.count))
            grown.baseAddress!.update(from: openNames.baseAddress!, count: openStart)
            openNames.deallocate()
            openNames = grown
        }
        (openNames.baseAddress! + openStart).update(from: name.baseAddress!, count: name.count)
        openEnds[openCount] = openStart + name.count
        openCount += 1
    }

    /// Whether `name` is the name of the innermost open element.
    private func closesTheOpenElement(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard openCount > 0 else { return false }
        let top = openEnds[openCount - 1]
        let openStart = openCount > 1 ? openEnds[openCount - 2] : 0
        return top - openStart == name.count && memcmp(openNames.baseAddress! + openStart, name.baseAddress!, name.count) == 0
    }

    /// Settles the document's encoding (a BOM, UTF-16's first bytes, the declaration's
    /// `encoding`) and skips the prolog's BOM and declaration; `nil` until enough is read.
    private mutating func prolog(final: Bool) throws -> Int? {
        guard end >= 4 || final else { return nil }
        var raw = UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: end)
        if end >= 4 && transcoder == nil {
            switch (raw[0], raw[1], raw[2], raw[3]) {
            case (0xFF, 0xFE, _, _): transcode(from: .utf16LE, bomLength: 2)
            case (0xFE, 0xFF, _, _): transcode(from: .utf16BE, bomLength: 2)
            case (0x3C, 0, _, 0): transcode(from: .utf16LE, bomLength: 0)
            case (0, 0x3C, 0, _): transcode(from: .utf16BE, bomLength: 0)
            default: break
            }
            raw = UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: end)
        }
        let b = raw
        let p = end >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
        guard end - p >= 6 || final else { return nil }
        guard end - p >= 6, b[p..<(p + 6)].elementsEqual("<?xml ".utf8) else { return p }
        guard let close = Self.find("?>", in: b, from: p) else {
            if final { throw malformed(p, "the XML declaration is cut short") }
            return nil
        }
        let declaration = XMLTag(localName: UnsafeBufferPointer(rebasing: b[p..<(p + 5)]),
                                 attributeBytes: UnsafeBufferPointer(rebasing: b[(p + 5)..<close]))
        // A BOM decides over the declaration (a UTF-8 BOM before `encoding="windows-1254"`: UTF-8).
        if transcoder == nil, p == 0, let encoding = declaration.attribute("encoding") {
            switch String(decoding: encoding, as: UTF8.self).lowercased() {
            case "utf-8", "utf8", "us-ascii", "ascii": break
            case "windows-1254", "cp1254": transcode(from: .windows1254, bomLength: 0) // the declaration is ASCII: same bytes
            case "iso-8859-9", "latin5": transcode(from: .iso88599, bomLength: 0)
            case "iso-8859-1", "latin1": transcode(from: .latin1, bomLength: 0)
            case let other:
                throw malformed(p, "it declares the encoding \(other.prefix(40)), which is not read (UTF-8, UTF-16, "
                                    + "Windows-1254, ISO-8859-9 and ISO-8859-1 are); save it as UTF-8")
            }
        }
        return close + 2
    }

    /// The refusal of a DOCTYPE or an entity reference at `at`, with its line when counted.
    private func refusal(at: Int) -> ParseError {
        let place = countsLines ? malformed(at, "") : nil
        return ParseError(.forbiddenConstruct, file: path, line: place?.line, column: place?.column,
                          message: XMLRecordReader.doctypeRefusal + " (in \(part))")
    }

    /// Opens the comment or CDATA section at `p` (where it goes on); refuses a DOCTYPE; `nil`
    /// until there are bytes enough to tell.
    private mutating func markupDeclaration(_ b: UnsafeBufferPointer<UInt8>, at p: Int) throws -> Int? {
        func opens(_ prefix: StaticString) -> Bool? {
            let n = prefix.utf8CodeUnitCount
            let available = min(n, end - p)
            guard memcmp(b.baseAddress! + p, prefix.utf8Start, available) == 0 else { return false }
            return available == n ? true : nil
        }
        switch (opens("<!--"), opens("<![CDATA["), opens("<!DOCTYPE")) {
        case (true?, _, _):
            openSection = .comment
            return p + 4
        case (_, true?, _):
            guard openCount > 0 else { throw malformed(p, "CDATA outside the root element") }
            openSection = .cdata
            return p + 9
        case (_, _, true?):
            throw refusal(at: p)
        case (false?, false?, false?):
            throw malformed(p, "a '<!' that opens no comment or CDATA")
        default:
            return nil // too few bytes to tell yet
        }
    }

    /// The start tag at `p`, its attributes checked; `nil` until it is complete.
    private func startTag(_ b: UnsafeBufferPointer<UInt8>, at p: Int) throws -> (nameEnd: Int, attributesEnd: Int, isEmpty: Bool, next: Int)? {
        guard Self.isNameStart(b[p + 1]) else { throw malformed(p, "a '<' that starts no tag") }
        let nameEnd = Self.nameEnd(b, from: p + 1, to: end)
        guard nameEnd - (p + 1) <= Self.maxName else { throw malformed(p, "an element name longer than \(Self.maxName) bytes") }
        var i = nameEnd
        while true {
            let gap = i
            while i < end, Self.isSpace(b[i]) { i += 1 }
            guard i < end else { return nil }
            switch b[i] {
            case UInt8(ascii: ">"):
                return (nameEnd, gap, false, i + 1)
            case UInt8(ascii: "/"):
                guard i + 1 < end else { return nil }
                guard b[i + 1] == UInt8(ascii: ">") else { throw malformed(i, "a '/' inside a tag") }
                return (nameEnd, gap, true, i + 2)
            default:
                guard i > gap, Self.isNameStart(b[i]) else { throw malformed(i, "a broken attribute") }
                i = Self.nameEnd(b, from: i, to: end)
                while i < end, Self.isSpace(b[i]) { i += 1 }
                guard i < end else { return nil }
                guard b[i] == UInt8(ascii: "=") else { throw malformed(i, "an attribute without '='") }
                i += 1
                while i < end, Self.isSpace(b[i]) { i += 1 }
                guard i < end else { return nil }
                let quote = b[i]
                guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw malformed(i, "an attribute value without quotes") }
                guard let close = Self.find(quote, in: b, from: i + 1) else { return nil }
                let value = UnsafeBufferPointer(rebasing: b[(i + 1)..<close])
                if let lt = value.firstIndex(of: UInt8(ascii: "<")) { throw malformed(i + 1 + lt, "a '<' inside an attribute value") }
                guard isXMLText(value) else { throw malformed(i + 1, "an attribute value that is not UTF-8 or holds a control character") }
                var at = 0
                while let amp = value[at...].firstIndex(of: UInt8(ascii: "&")) {
                    at = amp + (try reference(value, at: amp, offset: i + 1)).length
                }
                i = close + 1
            }
        }
    }

    /// Text `from..<to`; returns where scanning resumes (before a reference or line end split by
    /// the chunk's end when `more` bytes will follow).
    private mutating func text<Sink: XMLScanSink>(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, more: Bool,
                                         sink: inout Sink) throws -> Int {
        let piece = UnsafeBufferPointer(rebasing: b[from..<to])
        guard memchr(piece.baseAddress!, Int32(UInt8(ascii: "&")), piece.count) != nil
                || memchr(piece.baseAddress!, 0x0D, piece.count) != nil else {
            try sink.text(piece)
            return to
        }
        var stop = to
        if more {
            // Hold back a trailing CR (its LF may follow) and a reference the chunk cut (one
            // is at most 12 bytes: an '&' further back with no ';' is refused by `emit`).
            if b[stop - 1] == 0x0D { stop -= 1 }
            if let amp = b[from..<stop].lastIndex(of: UInt8(ascii: "&")), stop - amp < 12,
               !b[amp..<stop].contains(UInt8(ascii: ";")) { stop = amp }
        }
        try emit(b, from: from, to: stop, isCDATA: false, sink: &sink)
        return stop
    }

    /// Reports `from..<to` as text: references decoded (unless CDATA), CR LF and lone CR as LF.
    private mutating func emit<Sink: XMLScanSink>(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, isCDATA: Bool,
                                         sink: inout Sink) throws {
        decoded.removeAll(keepingCapacity: true)
        var i = from
        while i < to {
            let c = b[i]
            if c == 0x0D {
                decoded.append(0x0A)
                i += i + 1 < to && b[i + 1] == 0x0A ? 2 : 1
            } else if c == UInt8(ascii: "&") && !isCDATA {
                let (scalar, length) = try reference(UnsafeBufferPointer(rebasing: b[..<to]), at: i, offset: 0)
                TextTranscoder.appendUTF8(scalar, to: &decoded)
                i += length
            } else {
                decoded.append(c)
                i += 1
            }
        }
        guard !decoded.isEmpty else { return }
        try decoded.withUnsafeBufferPointer { (d) throws(ParseError) in try isCDATA ? sink.cdata(d) : sink.text(d) }
    }

    /// The reference at `at` of `bytes` (`&amp;`, `&#231;`, `&#xE7;`): its scalar and length.
    /// A named entity other than XML's five is refused as the XML reader refuses one.
    private func reference(_ bytes: UnsafeBufferPointer<UInt8>, at: Int, offset: Int) throws -> (scalar: UInt32, length: Int) {
        if let found = Self.reference(bytes, at: at) { return found }
        let limit = min(bytes.count, at + 12)
        guard let semicolon = bytes[at..<limit].firstIndex(of: UInt8(ascii: ";")) else {
            throw malformed(offset + at, "an '&' that starts no reference (write it as &amp;)")
        }
        guard bytes[at + 1] == UInt8(ascii: "#") else { throw refusal(at: offset + at) }
        throw malformed(offset + at, "\(String(decoding: bytes[at...semicolon], as: UTF8.self)) is no character XML allows")
    }

    /// The reference at `at` of `bytes`, if it is one of XML's five or a character XML allows.
    static func reference(_ bytes: UnsafeBufferPointer<UInt8>, at: Int) -> (scalar: UInt32, length: Int)? {
        let limit = min(bytes.count, at + 12)
        guard let semicolon = bytes[at..<limit].firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let name = String(decoding: bytes[(at + 1)..<semicolon], as: UTF8.self)
        let length = semicolon + 1 - at
        switch name {
        case "lt": return (0x3C, length)
        case "gt": return (0x3E, length)
        case "amp": return (0x26, length)
        case "quot": return (0x22, length)
        case "apos": return (0x27, length)
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                    || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value) else { return nil }
            return (value, length)
        }
    }

    /// Past the name starting at `from` (no further than `to`).
    private static func nameEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var i = from
        while i < to, isNameByte(b[i]) { i += 1 }
        return i
    }

    private static func find(_ byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < b.count, let found = memchr(b.baseAddress! + from, Int32(byte), b.count - from) else { return nil }
        return UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - b.baseAddress!
    }

    private static func find(_ text: StaticString, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let n = text.utf8CodeUnitCount
        var at = from
        while let first = find(text.utf8Start[0], in: b, from: at) {
            guard first + n <= b.count else { return nil }
            if memcmp(b.baseAddress! + first, text.utf8Start, n) == 0 { return first }
            at = first + 1
        }
        return nil
    }
}
