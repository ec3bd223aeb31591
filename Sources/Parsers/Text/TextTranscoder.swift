import OrderCore

/// Streams bytes of a text file in one encoding out as UTF-8, chunk by chunk, so CSV
/// parsing sees UTF-8 whatever the seller's Excel saved. Flat memory: no whole-file decode.
public struct TextTranscoder: Sendable {
    /// `latin1` (ISO-8859-1) only for XML that declares it; a CSV's encoding is never guessed as it.
    public enum Source: Sendable, Hashable { case utf8, utf16LE, utf16BE, windows1254, iso88599, latin1 }

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

    /// Valid UTF-8, allowing a sequence cut off at the end of the sample. ASCII is passed over
    /// eight bytes at a time (a file's sniff and its reader each ask of the first 16 KiB).
    static func isMostlyValidUTF8(_ sample: [UInt8]) -> Bool {
        sample.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return true }
            var i = 0
            while i < bytes.count {
                if i + 8 <= bytes.count,
                   UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
                let b = bytes[i]
                let n = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
                if n == 0 { return false }
                if i + n > bytes.count { return true }
                for k in 1..<n where bytes[i + k] >> 6 != 0b10 { return false }
                i += n
            }
            return true
        }
    }

    /// Converts the next chunk; bytes of a character split across chunks are carried over.
    public mutating func transcode(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        switch source {
        case .utf8:
            out.append(contentsOf: input)
        case .latin1:
            out.reserveCapacity(out.count + input.count * 2)
            for b in input {
                if b < 0x80 { out.append(b) } else { Self.appendUTF8(UInt32(b), to: &out) }
            }
        case .windows1254, .iso88599:
            let table = source == .windows1254 ? TurkishCodePages.windows1254 : TurkishCodePages.iso88599
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

}
