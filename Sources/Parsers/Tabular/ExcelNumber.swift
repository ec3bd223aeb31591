/// A numeric cell as Excel shows it: a workbook stores binary doubles (`9210.559999999999`),
/// Excel displays 15 significant digits (`9210.56`). Reading cells the same way makes a
/// workbook written by any library read as the seller sees it; the kuruş rule applies after.
enum ExcelNumber {
    /// `raw` (`9210.559999999999`, `1.5E-3`, `8691234567890`) rounded half away from zero to 15
    /// significant digits, written plainly (`9210.56`, `0.0015`); `nil` when `raw` is not a number.
    /// (A cell ``isShownAsWritten(_:)`` is shown as it is, without this.)
    static func rounded(_ raw: String) -> String? {
        var bytes = Array(raw.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes.removeFirst() } else if bytes.first == UInt8(ascii: "+") {
            bytes.removeFirst()
        }
        var digits: [UInt8] = [], pointAt: Int?, exponent = 0, i = 0
        while i < bytes.count, bytes[i] != UInt8(ascii: "e") && bytes[i] != UInt8(ascii: "E") {
            let b = bytes[i]
            if b == UInt8(ascii: ".") {
                guard pointAt == nil else { return nil }
                pointAt = digits.count
            } else {
                guard b >= 48 && b <= 57 else { return nil }
                digits.append(b - 48)
            }
            i += 1
        }
        guard !digits.isEmpty else { return nil }
        if i < bytes.count {
            guard let e = Int(String(decoding: bytes[(i + 1)...], as: UTF8.self)), abs(e) < 400 else { return nil }
            exponent = e
        }
        // value = 0.d1d2d3… × 10^decimalExponent
        var decimalExponent = (pointAt ?? digits.count) + exponent
        while let first = digits.first, first == 0, digits.count > 1 { digits.removeFirst(); decimalExponent -= 1 }
        if digits.allSatisfy({ $0 == 0 }) { return "0" }
        if digits.count > 15 {
            let roundUp = digits[15] >= 5
            digits.removeLast(digits.count - 15)
            if roundUp {
                var k = 14
                while k >= 0 {
                    if digits[k] == 9 { digits[k] = 0; k -= 1 } else { digits[k] += 1; break }
                }
                if k < 0 { digits.insert(1, at: 0); digits.removeLast(); decimalExponent += 1 }
            }
        }
        while digits.count > 1, digits.last == 0, digits.count > decimalExponent { digits.removeLast() }
        var out = negative ? "-" : ""
        if decimalExponent <= 0 {
            out += "0." + String(repeating: "0", count: -decimalExponent) + digits.map(String.init).joined()
        } else if decimalExponent >= digits.count {
            out += digits.map(String.init).joined() + String(repeating: "0", count: decimalExponent - digits.count)
        } else {
            out += digits[..<decimalExponent].map(String.init).joined() + "." + digits[decimalExponent...].map(String.init).joined()
        }
        return out
    }

    /// Whether Excel shows `raw` as written: no exponent, no leading or trailing zeros, at most
    /// 15 digits (`1234`, `-0.05`, `245.08`) — most cells, spared the general rounding.
    static func isShownAsWritten<Bytes: Collection<UInt8>>(_ raw: Bytes) -> Bool {
        var digits = 0, i = raw.startIndex
        if i < raw.endIndex && raw[i] == UInt8(ascii: "-") { i = raw.index(after: i) }
        let integerStart = i
        while i < raw.endIndex, (48...57).contains(raw[i]) { digits += 1; i = raw.index(after: i) }
        let integerDigits = digits
        guard integerDigits > 0, integerDigits == 1 || raw[integerStart] != 48 else { return false }
        if i == raw.endIndex {
            // `-0` is shown as `0`.
            return digits <= 15 && !(raw[integerStart] == 48 && integerStart != raw.startIndex)
        }
        guard raw[i] == UInt8(ascii: ".") else { return false }
        i = raw.index(after: i)
        var last: UInt8 = 48
        while i < raw.endIndex, (48...57).contains(raw[i]) { last = raw[i]; digits += 1; i = raw.index(after: i) }
        return i == raw.endIndex && digits > integerDigits && last != 48 && digits <= 15
    }
}
