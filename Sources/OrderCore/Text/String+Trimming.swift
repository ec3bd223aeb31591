extension String {
    /// The string without leading and trailing white space (blanks, tabs, line breaks, NBSP).
    /// Returns `self` untouched, without allocating, in the common case where there is none:
    /// this runs for every field of every record.
    public func trimmingBlanks() -> String {
        // Most values start and end with a printable ASCII character: nothing to trim.
        if let f = utf8.first, let l = utf8.last, (0x21..<0x7F).contains(f), (0x21..<0x7F).contains(l) { return self }
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        if !Self.isBlank(first) && !Self.isBlank(last) { return self }
        return String(String.UnicodeScalarView(scalars.drop(while: Self.isBlank).reversed().drop(while: Self.isBlank).reversed()))
    }

    /// Whether the string is empty or white space only (decided at its first byte for most values).
    public var isBlank: Bool {
        if let first = utf8.first, (0x21..<0x7F).contains(first) { return false }
        return unicodeScalars.allSatisfy(Self.isBlank)
    }

    /// Unicode's White_Space property, spelled out: a Turkish word ending in `ş` or `ı` then costs
    /// no property table lookup.
    private static func isBlank(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
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
