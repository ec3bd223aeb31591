/// Which of a central bank's published rates applies: TCMB publishes four per currency.
public enum RateKind: String, Sendable, CaseIterable {
    /// Döviz alış: what KDV Kanunu m.26 and VUK's valuation rules name (the default).
    case forex_buying, forex_selling, banknote_buying, banknote_selling

    /// The element of TCMB's daily file that carries it.
    public var tcmbElement: String {
        switch self {
        case .forex_buying: return "ForexBuying"
        case .forex_selling: return "ForexSelling"
        case .banknote_buying: return "BanknoteBuying"
        case .banknote_selling: return "BanknoteSelling"
        }
    }

    /// How invoices and accountants name it.
    public var turkishName: String {
        switch self {
        case .forex_buying: return "döviz alış"
        case .forex_selling: return "döviz satış"
        case .banknote_buying: return "efektif alış"
        case .banknote_selling: return "efektif satış"
        }
    }
}

/// How many Turkish lira one unit of a currency is worth, in millionths: GİB's `CalculationRate`
/// takes six decimals, and TCMB's four decimals per 100 yen are six per yen. Exact: no binary
/// fractions anywhere between the bank's file, the invoice and the ERP file.
public struct RateValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let millionths: Int64

    public init(millionths: Int64) { self.millionths = millionths }

    /// Reads a published rate (`42.5512` or `42,5512`) quoted for `unit` units (TCMB quotes the
    /// yen per 100): `nil` for anything but a positive decimal with at most 6 decimals per unit.
    public init?(published text: String, unit: Int = 1) {
        let t = text.trimmingBlanks()
        guard unit > 0, unit <= 1_000_000, !t.isEmpty else { return nil }
        var whole: Int64 = 0, fraction: Int64 = 0, fractionDigits = 0, seenPoint = false, digits = 0
        for c in t.utf8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if seenPoint {
                    fractionDigits += 1
                    guard fractionDigits <= 12 else { return nil }
                    fraction = fraction * 10 + Int64(c - 48)
                } else {
                    guard whole < 1_000_000_000 else { return nil }
                    whole = whole * 10 + Int64(c - 48)
                }
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard !seenPoint else { return nil }
                seenPoint = true
            default: return nil
            }
        }
        guard digits > 0 else { return nil }
        // value × 10^6 / unit, exactly; a rate that needs more than 6 decimals per unit is refused.
        var scaledNumerator = whole * 1_000_000
        var scale: Int64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let (q, r) = (fraction * 1_000_000).quotientAndRemainder(dividingBy: scale)
        guard r == 0 else { return nil }
        scaledNumerator += q
        guard scaledNumerator % Int64(unit) == 0, scaledNumerator > 0 else { return nil }
        millionths = scaledNumerator / Int64(unit)
    }

    public static func < (a: RateValue, b: RateValue) -> Bool { a.millionths < b.millionths }

    /// `42.5512`, `0.307666`: at least four decimals as TCMB writes them, at most six.
    public var description: String {
        let whole = millionths / 1_000_000
        var fraction = String(millionths % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.count > 4 && fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }

    /// `amount` in Turkish lira, rounded half away from zero to the kuruş.
    public func convert(_ amount: Money) throws(AmountOverflow) -> Money {
        Money(minorUnits: try Money.mulDiv(amount.minorUnits, millionths, 1_000_000, rounding: .halfAwayFromZero))
    }
}

/// The rate an invoice in another currency was issued at: the currency, the kind, the value and
/// the day the bank published it (with its bulletin number, when the file has one).
public struct ExchangeRate: Sendable, Hashable {
    public var currency: String
    public var kind: RateKind
    public var value: RateValue
    public var published: CalendarDay
    public var bulletin: String?

    public init(currency: String, kind: RateKind, value: RateValue, published: CalendarDay, bulletin: String? = nil) {
        self.currency = currency
        self.kind = kind
        self.value = value
        self.published = published
        self.bulletin = bulletin
    }
}
