import Foundation
import OrderCore

/// Reads a configuration file (a mapping, `pra.yaml`) as text an admin wrote: strict UTF-8 (an
/// invalid byte is an error with its line and column, never a U+FFFD that would end up on an
/// invoice) and at most ``Limits/maxConfigBytes``.
public enum ConfigText {
    public static func read(path: String, as displayName: String, maxBytes: Int) throws(MappingError) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try decode(Array(data), file: displayName, maxBytes: maxBytes)
    }

    public static func decode(_ bytes: [UInt8], file: String, maxBytes: Int) throws(MappingError) -> String {
        guard bytes.count <= maxBytes else {
            throw MappingError("the file is \(bytes.count) bytes, more than the \(maxBytes) accepted (limits.max_config_bytes)",
                               at: SpecLocation(file: file, line: 1, column: 1))
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if let text = String(validating: body, as: UTF8.self) { return text }
        // Find the first invalid byte for the message.
        var line = 1, column = 1, i = 0
        while i < body.count {
            let width = utf8Width(body, at: i)
            guard width > 0 else { break }
            if body[i] == 0x0A { line += 1; column = 1 } else { column += 1 }
            i += width
        }
        throw MappingError("the file is not valid UTF-8 (byte 0x\(String(body[min(i, body.count - 1)], radix: 16, uppercase: true)) here); "
                           + "save it as UTF-8", at: SpecLocation(file: file, line: line, column: column))
    }

    /// The length of the valid UTF-8 sequence at `i`, 0 when it is not one.
    private static func utf8Width(_ b: [UInt8], at i: Int) -> Int {
        let first = b[i]
        let width: Int
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: width = 2
        case 0xE0...0xEF: width = 3
        case 0xF0...0xF4: width = 4
        default: return 0
        }
        guard i + width <= b.count, String(validating: b[i..<(i + width)], as: UTF8.self) != nil else { return 0 }
        return width
    }
}
