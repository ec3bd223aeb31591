/// A seller's code (`kullanicilar.kod`): the folder name under `inbox/` and the key under
/// `sellers:` in `pra.yaml`. It names files, log lines and invoice folders, so only a safe
/// pattern is accepted: 1–64 ASCII letters, digits, `-`, `_` and `.`, starting with a letter or digit.
public enum SellerCode {
    /// Why `code` cannot be a seller code, or `nil` when it can.
    public static func problem(_ code: String) -> String? {
        let bytes = Array(code.utf8)
        guard (1...64).contains(bytes.count) else { return "a seller code has 1 to 64 characters" }
        let allowed = bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
        }
        let first = bytes[0]
        guard allowed, first != 0x2D, first != 0x5F, first != 0x2E else {
            return "a seller code is ASCII letters, digits, '-', '_' and '.', starting with a letter or digit"
        }
        return nil
    }

    /// `text` with control characters and non-ASCII shown as `\u{…}` escapes: safe in a log line
    /// or a report whatever a folder or file name holds.
    public static func printable(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            if s.value < 0x20 || s.value == 0x7F || (0x80..<0xA0).contains(s.value) || s == "\u{2028}" || s == "\u{2029}" {
                out += "\\u{\(String(s.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }
}
