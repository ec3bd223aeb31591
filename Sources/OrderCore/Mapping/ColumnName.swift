/// Header and value-map keys compared the way a Turkish admin means them.
///
/// `Sipariş Numarası`, `SIPARIŞ NUMARASI`, `SİPARİŞ NUMARASI`, `Siparis Numarasi` and
/// `\u{FEFF}Sipariş  Numarası ` all fold to `siparis numarasi`: dotted and dotless I are one
/// letter, Turkish letters fold to ASCII, a BOM and repeated blanks vanish, curly quotes
/// become straight. Locale-independent: the same on every machine.
public enum ColumnName {
    public static func folded(_ s: String) -> String {
        if let ascii = s.withUTF8Bytes(foldedASCII) { return ascii }
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

    /// ``folded(_:)`` of UTF-8 bytes: ASCII is folded from the bytes, no string made first.
    public static func folded(utf8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        foldedASCII(bytes) ?? folded(String(decoding: bytes, as: UTF8.self))
    }

    /// ``folded(_:)`` of an all-ASCII text (most names and cells), byte by byte; `nil` for any other.
    private static func foldedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            var n = 0, pendingSpace = false
            for b in bytes {
                switch b {
                case 0x20, 0x09, 0x0A, 0x0D: pendingSpace = n > 0
                default:
                    if pendingSpace { out[n] = 0x20; n += 1; pendingSpace = false }
                    out[n] = b >= 0x41 && b <= 0x5A ? b + 0x20 : b
                    n += 1
                }
            }
            return n
        }
    }
}

extension ColumnName {
    /// The name among `candidates` that `name` looks like a misspelling of: folded, at most one
    /// edit per five letters (at least one) apart, the closest first; else one that contains the
    /// other whole (`tax_number` in `_billing_tax_number`, four letters at least). `nil` when none is.
    public static func lookalike(of name: String, among candidates: [String]) -> String? {
        let target = Array(folded(name).unicodeScalars)
        var best: (name: String, distance: Int)?
        var containing: String?
        for candidate in candidates {
            let other = Array(folded(candidate).unicodeScalars)
            if containing == nil, min(target.count, other.count) >= 4, target.count != other.count {
                let (short, long) = target.count < other.count ? (target, other) : (other, target)
                if String(String.UnicodeScalarView(long)).contains(String(String.UnicodeScalarView(short))) { containing = candidate }
            }
            let allowed = max(1, min(target.count, other.count) / 5)
            guard abs(target.count - other.count) <= allowed, let d = distance(target, other, atMost: allowed) else { continue }
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        return best?.name ?? containing
    }

    /// The edit distance of `a` and `b`, or `nil` past `limit` (a row of the table at a time).
    private static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atMost limit: Int) -> Int? {
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            guard row.min()! <= limit else { return nil }
            previous = row
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
