/// Whether `bytes` are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
/// past U+10FFFF), checked without making a string of them. Runs of ASCII are passed eight
/// bytes at a time.
func isWellFormedUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = bytes.count
    guard let base = bytes.baseAddress else { return true }
    var i = 0
    func continues(_ j: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool { j < n && range.contains(bytes[j]) }
    while i < n {
        switch bytes[i] {
        case 0x00...0x7F:
            i += 1
            while i + 8 <= n && UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
        case 0xC2...0xDF:
            guard continues(i + 1) else { return false }
            i += 2
        case 0xE0, 0xE1...0xEC, 0xED, 0xEE...0xEF:
            let second: ClosedRange<UInt8> = bytes[i] == 0xE0 ? 0xA0...0xBF : bytes[i] == 0xED ? 0x80...0x9F : 0x80...0xBF
            guard continues(i + 1, second), continues(i + 2) else { return false }
            i += 3
        case 0xF0...0xF4:
            let second: ClosedRange<UInt8> = bytes[i] == 0xF0 ? 0x90...0xBF : bytes[i] == 0xF4 ? 0x80...0x8F : 0x80...0xBF
            guard continues(i + 1, second), continues(i + 2), continues(i + 3) else { return false }
            i += 4
        default: return false
        }
    }
    return true
}

/// Whether `bytes` are text XML allows: well-formed UTF-8 with no control character other than
/// tab, line feed and carriage return.
func isXMLText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    !bytes.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } && (bytes.allSatisfy { $0 < 0x80 } || isWellFormedUTF8(bytes))
}
