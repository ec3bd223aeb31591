/// Upper- and lower-casing with Turkish letters: `istanbul` → `İSTANBUL`, `IĞDIR` → `ığdır`.
/// Swift's own casing is locale-free and would give `ISTANBUL` and `iğdir`.
public enum TurkishCase {
    public static func upper(_ s: String) -> String {
        String(s.map { c -> String in
            switch c {
            case "i": return "İ"
            case "ı": return "I"
            default: return c.uppercased()
            }
        }.joined())
    }

    public static func lower(_ s: String) -> String {
        String(s.map { c -> String in
            switch c {
            case "I": return "ı"
            case "İ": return "i"
            default: return c.lowercased()
            }
        }.joined())
    }
}
