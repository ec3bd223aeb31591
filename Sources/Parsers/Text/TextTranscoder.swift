import OrderCore

/// Streams bytes of a text file in one encoding out as UTF-8, chunk by chunk, so CSV
/// parsing sees UTF-8 whatever the seller's Excel saved. Flat memory: no whole-file decode.
public struct TextTranscoder: Sendable {
    public enum Source: Sendable, Equatable { case utf8, utf16LE, utf16BE, windows1254, iso88599 }

    public let source: Source
    private var carry: [UInt8] = []

    public init(source: Source) { self.source = source }

    /// Picks the encoding from a BOM, or for `auto` from whether the first bytes are valid UTF-8
    /// (otherwise Windows-1254, what Turkish Excel writes). Returns the BOM length to skip.
    public static func detect(_ head: [UInt8], declared: TextEncoding) -> (Source, bomLength: Int) {
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if head.starts(with: [0xFF, 0xFE]) { return (.utf16LE, 2) }
        if head.starts(with: [0xFE, 0xFF]) { return (.utf16BE, 2) }
        switch declared {
        case .utf8: return (.utf8, 0)
        case .utf16: return (.utf16LE, 0)
        case .windows1254: return (.windows1254, 0)
        case .iso88599: return (.iso88599, 0)
        case .auto: return (isMostlyValidUTF8(head) ? .utf8 : .windows1254, 0)
        }
    }

    /// Valid UTF-8, allowing a sequence cut off at the end of the sample.
    static func isMostlyValidUTF8(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let n = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            if n == 0 { return false }
            if i + n > bytes.count { return true }
            for k in 1..<n where bytes[i + k] >> 6 != 0b10 { return false }
            i += n
        }
        return true
    }

    /// Converts the next chunk; bytes of a character split across chunks are carried over.
    public mutating func transcode(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        switch source {
        case .utf8:
            out.append(contentsOf: input)
        case .windows1254, .iso88599:
            let table = source == .windows1254 ? Self.cp1254 : Self.iso88599
            out.reserveCapacity(out.count + input.count * 2)
            for b in input {
                if b < 0x80 { out.append(b) } else { Self.appendUTF8(UInt32(table[Int(b) - 0x80]), to: &out) }
            }
        case .utf16LE, .utf16BE:
            var bytes = carry
            bytes.append(contentsOf: input)
            var i = 0
            let le = source == .utf16LE
            func unit(_ at: Int) -> UInt32 {
                le ? UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 : UInt32(bytes[at]) << 8 | UInt32(bytes[at + 1])
            }
            while i + 1 < bytes.count {
                let u = unit(i)
                if u >= 0xD800 && u < 0xDC00 {
                    guard i + 3 < bytes.count else { break }
                    let low = unit(i + 2)
                    if low >= 0xDC00 && low < 0xE000 {
                        Self.appendUTF8(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00), to: &out)
                        i += 4
                    } else {
                        Self.appendUTF8(0xFFFD, to: &out)
                        i += 2
                    }
                } else {
                    Self.appendUTF8(u >= 0xDC00 && u < 0xE000 ? 0xFFFD : u, to: &out)
                    i += 2
                }
            }
            carry = Array(bytes[i...])
        }
    }

    static func appendUTF8(_ c: UInt32, to out: inout [UInt8]) {
        switch c {
        case ..<0x80: out.append(UInt8(c))
        case ..<0x800:
            out.append(UInt8(0xC0 | c >> 6)); out.append(UInt8(0x80 | c & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | c >> 12)); out.append(UInt8(0x80 | c >> 6 & 0x3F)); out.append(UInt8(0x80 | c & 0x3F))
        default:
            out.append(UInt8(0xF0 | c >> 18)); out.append(UInt8(0x80 | c >> 12 & 0x3F))
            out.append(UInt8(0x80 | c >> 6 & 0x3F)); out.append(UInt8(0x80 | c & 0x3F))
        }
    }

    /// Windows-1254 0x80–0xFF (generated from Python's cp1254 codec; U+FFFD where undefined).
    static let cp1254: [UInt16] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0xFFFD, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0xFFFD, 0x0178,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
        0x011E, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x0130, 0x015E, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
        0x011F, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x0131, 0x015F, 0x00FF,
    ]
    /// ISO-8859-9 0x80–0xFF (generated from Python's iso8859_9 codec).
    static let iso88599: [UInt16] = [
        0x0080, 0x0081, 0x0082, 0x0083, 0x0084, 0x0085, 0x0086, 0x0087,
        0x0088, 0x0089, 0x008A, 0x008B, 0x008C, 0x008D, 0x008E, 0x008F,
        0x0090, 0x0091, 0x0092, 0x0093, 0x0094, 0x0095, 0x0096, 0x0097,
        0x0098, 0x0099, 0x009A, 0x009B, 0x009C, 0x009D, 0x009E, 0x009F,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
        0x011E, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x0130, 0x015E, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
        0x011F, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x0131, 0x015F, 0x00FF,
    ]
}
