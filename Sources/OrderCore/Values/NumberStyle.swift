/// How a file writes numbers: which character is the decimal separator.
///
/// The other one (`.` for comma style, `,` for dot style) is accepted only as a thousands
/// separator between groups of exactly three digits, so `9,99` in a dot-style file or
/// `1.23` in a comma-style file is an error rather than a silently wrong amount.
public enum NumberStyle: String, Sendable, CaseIterable {
    /// `1.234,56` (Turkish panels and Excel).
    case comma
    /// `1,234.56` or `1234.56` (APIs, Shopify, Amazon).
    case dot

    var decimalSeparator: UInt8 { self == .comma ? UInt8(ascii: ",") : UInt8(ascii: ".") }
    var groupSeparator: UInt8 { self == .comma ? UInt8(ascii: ".") : UInt8(ascii: ",") }

    /// A decimal number as (mantissa, scale): `12,50` → (1250, 2). `nil` with a reason on error.
    public func parseDecimal(_ text: String) -> Result<(mantissa: Int64, scale: Int), ValueError> {
        text.withUTF8Bytes { parseDecimal(utf8: $0) }
    }

    /// ``parseDecimal(_:)`` over UTF-8, read in place (the text is made only for an error).
    public func parseDecimal(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Result<(mantissa: Int64, scale: Int), ValueError> {
        var text: String { String(decoding: bytes, as: UTF8.self) }
        var start = 0, end = bytes.count
        // Strip blanks and tabs spreadsheets put around numbers.
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        guard start < end else { return .failure(.notANumber(text, self)) }
        var i = start
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: Int64 = 0
        var scale = 0
        var digitsInGroup = 0
        var sawGroup = false
        var inFraction = false
        var anyDigit = false
        while i < end {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(Int64(b - 0x30))
                if o1 || o2 { return .failure(.outOfRange(text)) }
                mantissa = m2
                anyDigit = true
                if inFraction { scale += 1 } else { digitsInGroup += 1 }
            } else if b == groupSeparator && !inFraction {
                // A group separator must follow 1–3 digits (first group) or exactly 3.
                if !anyDigit || (sawGroup && digitsInGroup != 3) || digitsInGroup > 3 {
                    return .failure(.notANumber(text, self))
                }
                sawGroup = true
                digitsInGroup = 0
            } else if b == decimalSeparator && !inFraction {
                if sawGroup && digitsInGroup != 3 { return .failure(.notANumber(text, self)) }
                inFraction = true
            } else if (b == UInt8(ascii: "E") || b == UInt8(ascii: "e")) && anyDigit {
                return .failure(.scientificNotation(text))
            } else {
                return .failure(.notANumber(text, self))
            }
            i += 1
        }
        if !anyDigit { return .failure(.notANumber(text, self)) }
        if sawGroup && !inFraction && digitsInGroup != 3 { return .failure(.notANumber(text, self)) }
        return .success((negative ? -mantissa : mantissa, scale))
    }

    /// An amount of money; more than two decimals are accepted only when the extra digits are zero.
    public func parseMoney(_ text: String) -> Result<Money, ValueError> {
        text.withUTF8Bytes { parseMoney(utf8: $0) }
    }

    /// ``parseMoney(_:)`` over UTF-8, read in place (the text is made only for an error).
    public func parseMoney(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Result<Money, ValueError> {
        var text: String { String(decoding: bytes, as: UTF8.self) }
        switch parseDecimal(utf8: bytes) {
        case .failure(let e): return .failure(e)
        case .success(var (mantissa, scale)):
            while scale > 2 {
                if mantissa % 10 != 0 { return .failure(.tooManyDecimals(text)) }
                mantissa /= 10
                scale -= 1
            }
            while scale < 2 {
                let (m, o) = mantissa.multipliedReportingOverflow(by: 10)
                if o { return .failure(.outOfRange(text)) }
                mantissa = m
                scale += 1
            }
            return .success(Money(minorUnits: mantissa))
        }
    }

    /// A whole number (quantities); `2,00` and `2.0` are accepted, `2,5` is not.
    public func parseInteger(_ text: String) -> Result<Int, ValueError> {
        text.withUTF8Bytes { parseInteger(utf8: $0) }
    }

    /// ``parseInteger(_:)`` over UTF-8, read in place (the text is made only for an error).
    public func parseInteger(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Result<Int, ValueError> {
        var text: String { String(decoding: bytes, as: UTF8.self) }
        switch parseDecimal(utf8: bytes) {
        case .failure(let e): return .failure(e)
        case .success(var (mantissa, scale)):
            while scale > 0 {
                if mantissa % 10 != 0 { return .failure(.notAWholeNumber(text)) }
                mantissa /= 10
                scale -= 1
            }
            guard let v = Int(exactly: mantissa) else { return .failure(.outOfRange(text)) }
            return .success(v)
        }
    }
}
