/// Header and value-map keys compared the way a Turkish admin means them.
///
/// `Sipariş Numarası`, `SIPARIŞ NUMARASI`, `SİPARİŞ NUMARASI`, `Siparis Numarasi` and
/// `\u{FEFF}Sipariş  Numarası ` all fold to `siparis numarasi`: dotted and dotless I are one
/// letter, Turkish letters fold to ASCII, a BOM and repeated blanks vanish, curly quotes
/// become straight. Locale-independent: the same on every machine.
public enum ColumnName {
    public static func folded(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            let mapped: Unicode.Scalar
            switch scalar {
            case "\u{FEFF}", "\u{200B}": continue
            case " ", "\t", "\u{00A0}", "\n", "\r":
                pendingSpace = !out.isEmpty
                continue
            case "İ", "I", "ı", "i": mapped = "i"
            case "Ş", "ş": mapped = "s"
            case "Ğ", "ğ": mapped = "g"
            case "Ü", "ü": mapped = "u"
            case "Ö", "ö": mapped = "o"
            case "Ç", "ç": mapped = "c"
            case "\u{201C}", "\u{201D}", "\u{201E}": mapped = "\""
            case "\u{2018}", "\u{2019}": mapped = "'"
            default:
                if scalar.value >= 0x41 && scalar.value <= 0x5A {
                    mapped = Unicode.Scalar(scalar.value + 0x20)!
                } else if scalar.value < 0x80 {
                    mapped = scalar
                } else {
                    for l in String(scalar).lowercased().unicodeScalars { 
                        if pendingSpace { out.append(" "); pendingSpace = false }
                        out.append(l)
                    }
                    continue
                }
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(mapped)
        }
        return String(out)
    }
}
