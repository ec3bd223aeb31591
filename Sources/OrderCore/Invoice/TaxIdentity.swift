/// Turkish tax identities: the VKN (vergi kimlik numarası, 10 digits) of a company and the TCKN
/// (T.C. kimlik numarası, 11 digits) of a person, each with its check digits.
public enum TaxIdentity {
    /// GİB's TCKN for a consumer whose identity number is not known. It fails the TCKN check
    /// digits on purpose and is allowed all the same.
    public static let anonymousConsumer = "11111111111"
    /// GİB's VKN for a buyer abroad on an e-Arşiv invoice (a foreigner has no VKN or TCKN).
    public static let abroad = "2222222222"

    /// Whether `vkn` is ten digits whose last is the check digit of the first nine.
    public static func isValidVKN(_ vkn: String) -> Bool {
        let d = vkn.utf8.map { Int($0) - 48 }
        guard d.count == 10, d.allSatisfy({ (0...9).contains($0) }) else { return false }
        var sum = 0
        for i in 0..<9 {
            let t = (d[i] + 9 - i) % 10
            var v = (t * (1 << (9 - i))) % 9
            if t != 0 && v == 0 { v = 9 }
            sum += v
        }
        return (10 - sum % 10) % 10 == d[9]
    }

    /// Whether `tckn` is eleven digits, not starting with 0, with both check digits right.
    public static func isValidTCKN(_ tckn: String) -> Bool {
        let d = tckn.utf8.map { Int($0) - 48 }
        guard d.count == 11, d.allSatisfy({ (0...9).contains($0) }), d[0] != 0 else { return false }
        let odd = d[0] + d[2] + d[4] + d[6] + d[8], even = d[1] + d[3] + d[5] + d[7]
        return ((odd * 7 - even) % 10 + 10) % 10 == d[9] && d[0..<10].reduce(0, +) % 10 == d[10]
    }

    /// Why `id` cannot stand on an invoice as a VKN (10 digits) or TCKN (11), or `nil` when it can.
    public static func problem(_ id: String) -> String? {
        switch id.count {
        case 10: return id == abroad || isValidVKN(id) ? nil : "the VKN \(id) fails its check digit"
        case 11: return id == anonymousConsumer || isValidTCKN(id) ? nil : "the TCKN \(id) fails its check digits"
        default: return "'\(id)' is neither a 10-digit VKN nor an 11-digit TCKN"
        }
    }
}
