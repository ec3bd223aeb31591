import Glibc

/// What an ``XMLByteScanner`` reports, in document order.
protocol XMLScanSink {
    /// A start tag; an empty-element tag (`<c/>`) is followed at once by its ``end(localName:)``.
    mutating func start(_ tag: XMLTag) throws(ParseError)
    /// An end tag, by its local name (the part after any prefix).
    mutating func end(localName: UnsafeBufferPointer<UInt8>) throws(ParseError)
    /// Character data inside the root element, references decoded and line ends normalized;
    /// a long run may arrive in several pieces.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError)
}

/// A start tag as scanned, already checked well-formed: its local name and its attributes.
struct XMLTag {
    let localName: UnsafeBufferPointer<UInt8>
    /// The bytes between the tag's name and its `>` or `/>`.
    let attributeBytes: UnsafeBufferPointer<UInt8>

    /// The value of attribute `name` (any prefix ignored) as written, references left as they
    /// are; `nil` when the tag has none.
    func attribute(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        let a = attributeBytes, wanted = name.utf8Start, n = name.utf8CodeUnitCount
        var i = 0
        while i < a.count {
            while i < a.count, XMLByteScanner.isSpace(a[i]) { i += 1 }
            var localStart = i
            while i < a.count, a[i] != UInt8(ascii: "="), !XMLByteScanner.isSpace(a[i]) {
                if a[i] == UInt8(ascii: ":") { localStart = i + 1 }
                i += 1
            }
            var matches = i - localStart == n
            if matches { for k in 0..<n where a[localStart + k] != wanted[k] { matches = false } }
            while i < a.count, a[i] != UInt8(ascii: "\""), a[i] != UInt8(ascii: "'") { i += 1 }
            guard i < a.count else { return nil }
            let quote = a[i]
            let valueStart = i + 1
            i = valueStart
            while i < a.count, a[i] != quote { i += 1 }
            if matches { return UnsafeBufferPointer(rebasing: a[valueStart..<i]) }
            i += 1
        }
        return nil
    }
}

/// A streaming XML scanner over UTF-8 bytes for parts whose shape PraIngest knows (a workbook's
/// sheet and shared strings): a fraction of libxml2's work per byte, no copy of a name or a
/// value unless it holds a reference. It checks what makes a document well-formed where a
/// broken or hostile file would show: names, quoted attributes, nesting, a single root, text
/// only inside it, known references only; a DOCTYPE is refused. Memory stays flat: a token
/// (a tag, a comment) must fit in `maxToken` bytes, text streams through in pieces. A struct, so
/// the scanning loop pays no dynamic exclusivity check for its own state.
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
    private let maxToken: Int
    private var buffer: UnsafeMutableRawBufferPointer
    /// Unscanned bytes are `start..<end` of ``buffer``.
    private var start = 0, end = 0
    /// Bytes of the part dropped from the front of ``buffer``: scanned.
    private var dropped: Int64 = 0
    /// The names of the open elements, as written, one after the other, and where each ends.
    private var openNames: UnsafeMutableBufferPointer<UInt8>
    private var openEnds: [Int] = []
    /// Deeper than this, a document is refused (libxml2's default limit too): flat memory.
    private static let maxDepth = 256
    private var rootSeen = false
    private var atStart = true
    private var ended = false
    /// Text with references decoded or line ends normalized.
    private var decoded: [UInt8] = []

    /// A scanner of `part` of the file at `path`, reading with `input` (0: the end).
    init(path: String, part: String, maxToken: Int, input: @escaping (UnsafeMutableRawBufferPointer) throws(ParseError) -> Int) {
        self.path = path
        self.part = part
        self.maxToken = max(maxToken, Self.chunk)
        self.input = input
        buffer = .allocate(byteCount: 2 * Self.chunk, alignment: 1)
        openNames = .allocate(capacity: 4096)
    }

    deinit {
        buffer.deallocate()
        openNames.deallocate()
    }

    /// Bytes of the part read so far.
    var bytesRead: Int64 { dropped + Int64(end) }

    /// Reads the next chunk and reports everything in it that is complete to `sink`. Throws
    /// what the sink or the input throws, and a DOCTYPE's refusal.
    mutating func step<Sink: XMLScanSink>(_ sink: inout Sink) throws(ParseError) -> Progress {
        if ended { return .end }
        try makeRoom()
        let n = try input(UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        end += n
        let final = n == 0
        do {
            try scan(&sink, final: final)
        } catch let failure as Malformed {
            ended = true
            return .malformed(ParseError(.malformed, file: path, message: "\(part) is not well-formed at byte \(failure.offset): \(failure.reason)"))
        } catch {
            ended = true
            throw error as? ParseError ?? ParseError(.malformed, file: path, message: "\(part): \(error)")
        }
        if !final { return .more }
        ended = true
        if !openEnds.isEmpty || !rootSeen {
            return .malformed(ParseError(.malformed, file: path, message: "\(part) is cut short: "
                                            + (rootSeen ? "\(openEnds.count) element(s) are never closed" : "it has no root element")))
        }
        return .end
    }

    /// Moves the unscanned bytes to the front and makes room for a chunk after them; a token
    /// longer than `maxToken` is refused.
    private mutating func makeRoom() throws(ParseError) {
        let pending = end - start
        if start > 0 {
            if pending > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + start, pending) }
            dropped += Int64(start)
            start = 0
            end = pending
        }
        guard buffer.count - end < Self.chunk else { return }
        guard pending <= maxToken else {
            throw ParseError(.malformed, file: path, message: "\(part) has a tag, comment or reference longer than \(maxToken) bytes "
                               + "at byte \(dropped) (limits.max_field_bytes in pra.yaml)")
        }
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(2 * buffer.count, end + Self.chunk), alignment: 1)
        if end > 0 { grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end) }
        buffer.deallocate()
        buffer = grown
    }

    /// Why the document is not well-formed, at which byte of the part.
    private struct Malformed: Error {
        let offset: Int64
        let reason: String
    }

    private func malformed(_ at: Int, _ reason: String) -> Malformed {
        Malformed(offset: dropped + Int64(at), reason: reason)
    }

    static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D
    }

    private static func isNameStart(_ c: UInt8) -> Bool {
        let folded = c | 0x20
        return (folded >= UInt8(ascii: "a") && folded <= UInt8(ascii: "z")) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c >= 0x80
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }

    /// `x:row` → `row`.
    static func localPart(_ name: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let colon = name.lastIndex(of: UInt8(ascii: ":")) else { return name }
        return UnsafeBufferPointer(rebasing: name[(colon + 1)...])
    }

    /// Scans `start..<end`, leaving `start` at the first token that is not complete yet.
    private mutating func scan<Sink: XMLScanSink>(_ sink: inout Sink, final: Bool) throws -> Void {
        let b = UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: end)
        var p = start
        defer { start = p }
        if atStart {
            guard let next = try prolog(b, final: final) else { return }
            p = next
            atStart = false
        }
        while p < end {
            if b[p] != UInt8(ascii: "<") {
                let lt = memchr(b.baseAddress! + p, Int32(UInt8(ascii: "<")), end - p)
                let stop = lt.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - b.baseAddress! } ?? end
                if openEnds.isEmpty {
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
                openEnds.removeLast()
                p = gt + 1
                try sink.end(localName: Self.localPart(name))
                continue
            case UInt8(ascii: "?"):
                guard let close = Self.find("?>", in: b, from: p + 2) else { break }
                p = close + 2
                continue
            case UInt8(ascii: "!"):
                guard let next = try markupDeclaration(b, at: p, final: final, sink: &sink) else { break }
                p = next
                continue
            default:
                guard let tag = try startTag(b, at: p) else { break }
                if rootSeen && openEnds.isEmpty { throw malformed(p, "a second root element") }
                rootSeen = true
                let name = UnsafeBufferPointer(rebasing: b[(p + 1)..<tag.nameEnd])
                let local = Self.localPart(name)
                p = tag.next
                try sink.start(XMLTag(localName: local, attributeBytes: UnsafeBufferPointer(rebasing: b[tag.nameEnd..<tag.attributesEnd])))
                if tag.isEmpty {
                    try sink.end(localName: local)
                } else {
                    try push(name, at: p)
                }
                continue
            }
            break // the token at `p` is not complete yet
        }
        if final && p < end { throw malformed(p, "a tag or comment is cut short") }
    }

    /// Opens element `name` (its tag at `p`).
    private mutating func push(_ name: UnsafeBufferPointer<UInt8>, at p: Int) throws {
        guard openEnds.count < Self.maxDepth else { throw malformed(p, "elements nested deeper than \(Self.maxDepth)") }
        let openStart = openEnds.last ?? 0
        if openStart + name.count > openNames.count {
            let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 2 * (openStart + name.count))
            grown.baseAddress!.update(from: openNames.baseAddress!, count: openStart)
            openNames.deallocate()
            openNames = grown
        }
        (openNames.baseAddress! + openStart).update(from: name.baseAddress!, count: name.count)
        openEnds.append(openStart + name.count)
    }

    /// Whether `name` is the name of the innermost open element.
    private func closesTheOpenElement(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let top = openEnds.last else { return false }
        let openStart = openEnds.count > 1 ? openEnds[openEnds.count - 2] : 0
        guard top - openStart == name.count else { return false }
        for k in 0..<name.count where openNames[openStart + k] != name[k] { return false }
        return true
    }

    /// Skips a byte-order mark and checks the XML declaration's encoding; `nil` until enough is read.
    private func prolog(_ b: UnsafeBufferPointer<UInt8>, final: Bool) throws -> Int? {
        guard end >= 5 || final else { return nil }
        if end >= 2 && (b[0] == 0xFE && b[1] == 0xFF || b[0] == 0xFF && b[1] == 0xFE || b[0] == 0 || b[1] == 0) {
            throw malformed(0, "it is not UTF-8 (a UTF-16 part); save the workbook again from Excel or LibreOffice")
        }
        var p = end >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
        guard end - p >= 6 || final else { return nil }
        let declaration = Array("<?xml ".utf8)
        guard end - p >= 6, b[p..<(p + 6)].elementsEqual(declaration) else { return p }
        guard let close = Self.find("?>", in: b, from: p) else {
            if final { throw malformed(p, "the XML declaration is cut short") }
            return nil
        }
        let tag = XMLTag(localName: UnsafeBufferPointer(rebasing: b[p..<(p + 5)]),
                         attributeBytes: UnsafeBufferPointer(rebasing: b[(p + 5)..<close]))
        if let encoding = tag.attribute("encoding") {
            let name = String(decoding: encoding, as: UTF8.self).lowercased()
            guard name == "utf-8" || name == "utf8" else {
                throw malformed(p, "it declares the encoding \(name.prefix(40)), not UTF-8; save the workbook again from Excel or LibreOffice")
            }
        }
        p = close + 2
        return p
    }

    /// A comment, CDATA (as text) or DOCTYPE at `p`; the byte after it, `nil` until it is complete.
    private mutating func markupDeclaration<Sink: XMLScanSink>(_ b: UnsafeBufferPointer<UInt8>, at p: Int, final: Bool,
                                                       sink: inout Sink) throws -> Int? {
        func opens(_ prefix: StaticString) -> Bool? {
            let n = prefix.utf8CodeUnitCount
            let available = min(n, end - p)
            guard memcmp(b.baseAddress! + p, prefix.utf8Start, available) == 0 else { return false }
            return available == n ? true : nil
        }
        switch (opens("<!--"), opens("<![CDATA["), opens("<!DOCTYPE")) {
        case (true?, _, _):
            guard let close = Self.find("-->", in: b, from: p + 4) else { return nil }
            return close + 3
        case (_, true?, _):
            guard let close = Self.find("]]>", in: b, from: p + 9) else { return nil }
            guard !openEnds.isEmpty else { throw malformed(p, "CDATA outside the root element") }
            try emit(b, from: p + 9, to: close, decodingReferences: false, sink: &sink)
            return close + 3
        case (_, _, true?):
            throw ParseError(.forbiddenConstruct, file: path, message: XMLRecordReader.doctypeRefusal + " (in \(part))")
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
                if let lt = value.firstIndex(of: UInt8(ascii: "<")) { throw malformed(lt, "a '<' inside an attribute value") }
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
        guard piece.contains(where: { $0 == UInt8(ascii: "&") || $0 == 0x0D }) else {
            try sink.text(piece)
            return to
        }
        var stop = to
        if more {
            // Hold back a trailing CR (its LF may follow) and a reference the chunk cut.
            if b[stop - 1] == 0x0D { stop -= 1 }
            if let amp = b[from..<stop].lastIndex(of: UInt8(ascii: "&")), !b[amp..<stop].contains(UInt8(ascii: ";")) { stop = amp }
        }
        try emit(b, from: from, to: stop, decodingReferences: true, sink: &sink)
        return stop
    }

    /// Reports `from..<to` as text: references decoded (unless CDATA), CR LF and lone CR as LF.
    private mutating func emit<Sink: XMLScanSink>(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, decodingReferences: Bool,
                                         sink: inout Sink) throws {
        decoded.removeAll(keepingCapacity: true)
        var i = from
        while i < to {
            let c = b[i]
            if c == 0x0D {
                decoded.append(0x0A)
                i += i + 1 < to && b[i + 1] == 0x0A ? 2 : 1
            } else if c == UInt8(ascii: "&") && decodingReferences {
                let (scalar, length) = try reference(UnsafeBufferPointer(rebasing: b[..<to]), at: i, offset: 0)
                TextTranscoder.appendUTF8(scalar, to: &decoded)
                i += length
            } else {
                decoded.append(c)
                i += 1
            }
        }
        if !decoded.isEmpty { try decoded.withUnsafeBufferPointer { (d) throws(ParseError) in try sink.text(d) } }
    }

    /// The reference at `at` of `bytes` (`&amp;`, `&#231;`, `&#xE7;`): its scalar and length.
    /// A named entity other than XML's five is refused as the XML reader refuses one.
    private func reference(_ bytes: UnsafeBufferPointer<UInt8>, at: Int, offset: Int) throws -> (scalar: UInt32, length: Int) {
        let limit = min(bytes.count, at + 12)
        guard let semicolon = bytes[at..<limit].firstIndex(of: UInt8(ascii: ";")) else {
            throw malformed(offset + at, "an '&' that starts no reference (write it as &amp;)")
        }
        let name = String(decoding: bytes[(at + 1)..<semicolon], as: UTF8.self)
        let length = semicolon + 1 - at
        switch name {
        case "lt": return (0x3C, length)
        case "gt": return (0x3E, length)
        case "amp": return (0x26, length)
        case "quot": return (0x22, length)
        case "apos": return (0x27, length)
        default:
            guard name.hasPrefix("#") else {
                throw ParseError(.forbiddenConstruct, file: path, message: XMLRecordReader.doctypeRefusal + " (in \(part))")
            }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                    || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value) else {
                throw malformed(offset + at, "&\(name.prefix(10)); is no character XML allows")
            }
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
