/// An amount written out in Turkish for the invoice note: `Bin İki Yüz Elli TL Elli Kr`.
public enum TurkishAmountInWords {
    static let ones = ["", "Bir", "İki", "Üç", "Dört", "Beş", "Altı", "Yedi", "Sekiz", "Dokuz"]
    static let tens = ["", "On", "Yirmi", "Otuz", "Kırk", "Elli", "Altmış", "Yetmiş", "Seksen", "Doksan"]
    static let scales = ["", "Bin", "Milyon", "Milyar", "Trilyon", "Katrilyon"]

    /// `Sıfır TL`, `Bir TL Beş Kr`, `Bin TL` ("Bir Bin" is not said).
    public static func words(_ amount: Money, currency: String = "TRY") -> String {
        let major = amount.minorUnits.magnitude / 100, minor = amount.minorUnits.magnitude % 100
        let unit = currency == "TRY" ? ("TL", "Kr") : (currency, "")
        var s = (amount.minorUnits < 0 ? "Eksi " : "") + (major == 0 ? "Sıfır" : integer(major)) + " " + unit.0
        if minor > 0 { s += " " + integer(minor) + (unit.1.isEmpty ? "/100" : " " + unit.1) }
        return s
    }

    static func integer(_ n: UInt64) -> String {
        var groups: [UInt64] = []
        var v = n
        while v > 0 { groups.append(v % 1000); v /= 1000 }
        var parts: [String] = []
        for (i, g) in groups.enumerated().reversed() where g > 0 {
            let text = i == 1 && g == 1 ? "" : hundreds(Int(g))
            parts.append([text, scales[i]].filter { !$0.isEmpty }.joined(separator: " "))
        }
        return parts.joined(separator: " ")
    }

    static func hundreds(_ g: Int) -> String {
        let h = g / 100, t = g / 10 % 10, o = g % 10
        var p: [String] = []
        if h > 0 { p.append(h == 1 ? "Yüz" : ones[h] + " Yüz") }
        if t > 0 { p.append(tens[t]) }
        if o > 0 { p.append(ones[o]) }
        return p.joined(separator: " ")
    }
}
