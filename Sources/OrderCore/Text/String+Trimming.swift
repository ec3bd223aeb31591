extension String {
    /// The string without leading and trailing white space (blanks, tabs, line breaks, NBSP).
    /// Returns `self` untouched, without allocating, in the common case where there is none:
    /// this runs for every field of every record.
    public func trimmingBlanks() -> String {
        var text = self
        text.trimBlanks()
        return text
    }

    /// Drops leading and trailing white space in place: nothing is made or retained when there is none.
    public mutating func trimBlanks() {
        let trimmed = withUTF8Bytes { bytes -> String? in
            let kept = Self.blanklessRange(bytes)
            return kept.count == bytes.count ? nil : String(decoding: UnsafeBufferPointer(rebasing: bytes[kept]), as: UTF8.self)
        }
        if let trimmed { self = trimmed }
    }

    /// The part of UTF-8 `bytes` between their leading and trailing white space. Inlinable: most
    /// values start and end with a printable ASCII byte, which is answered at once.
    @inlinable
    public static func blanklessRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        if let first = bytes.first, let last = bytes.last, (0x21...0x7F).contains(first), (0x21...0x7F).contains(last) {
            return 0..<bytes.count
        }
        return blanklessRangeScanned(bytes)
    }

    @usableFromInline static func blanklessRangeScanned(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = 0, end = bytes.count
        while start < end, let n = blankLength(bytes, from: start) { start += n }
        while end > start, let n = blankLength(bytes, before: end) { end -= n }
        return start..<end
    }

    /// Whether the string is empty or white space only.
    public var isBlank: Bool { withUTF8Bytes(Self.isBlank) }

    /// Whether `bytes` (UTF-8) are none or white space only.
    public static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while start < bytes.count, let n = blankLength(bytes, from: start) { start += n }
        return start == bytes.count
    }

    /// `body` over the string's UTF-8, in place for a native string (no copy, no retain), else
    /// over a contiguous copy. Inlinable, so each caller gets it specialized.
    @inlinable
    public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = utf8.withContiguousStorageIfAvailable(body) { return r }
        var text = self
        return text.withUTF8(body)
    }

    /// The UTF-8 length of the white space scalar starting at `i`, if one does. Unicode's
    /// White_Space property spelled out in bytes: U+0009–000D, U+0020, U+0085, U+00A0, U+1680,
    /// U+2000–200A, U+2028, U+2029, U+202F, U+205F, U+3000 (a Turkish word ending in `ş` or `ı`
    /// costs two byte comparisons, no property table lookup).
    private static func blankLength(_ b: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        switch b[i] {
        case 0x09...0x0D, 0x20: return 1
        case 0xC2 where i + 1 < b.count: return b[i + 1] == 0x85 || b[i + 1] == 0xA0 ? 2 : nil
        case 0xE1, 0xE2, 0xE3: return i + 2 < b.count && isBlank(b[i], b[i + 1], b[i + 2]) ? 3 : nil
        default: return nil
        }
    }

    /// The UTF-8 length of the white space scalar ending just before `end`, if one does.
    private static func blankLength(_ b: UnsafeBufferPointer<UInt8>, before end: Int) -> Int? {
        let last = b[end - 1]
        if last < 0x80 { return (0x09...0x0D).contains(last) || last == 0x20 ? 1 : nil }
        if end >= 2 && b[end - 2] == 0xC2 && (last == 0x85 || last == 0xA0) { return 2 }
        return end >= 3 && isBlank(b[end - 3], b[end - 2], last) ? 3 : nil
    }

    /// Whether these three bytes are a white space scalar (U+1680, U+2000–200A, U+2028, U+2029,
    /// U+202F, U+205F, U+3000).
    private static func isBlank(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) -> Bool {
        switch (b0, b1) {
        case (0xE1, 0x9A): b2 == 0x80
        case (0xE2, 0x80): (0x80...0x8A).contains(b2) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF
        case (0xE2, 0x81): b2 == 0x9F
        case (0xE3, 0x80): b2 == 0x80
        default: false
        }
    }
}

extension String {
    /// Left-padded with zeros to `width` characters (`"7"` → `"0007"`).
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
