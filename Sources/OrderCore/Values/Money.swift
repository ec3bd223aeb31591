/// An exact amount of money in minor units (kuruş for TRY): never a binary floating point.
///
/// Amounts are stored as INTEGER minor units in SQLite and rendered with a dot and two
/// decimals (`1234.56`) for UBL and logs; ``NumberStyle`` parses what platforms write.
/// Every operation is checked: an amount that would leave `Int64` throws ``AmountOverflow``
/// instead of trapping, so a hostile file costs its record, never the process.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in minor units (1/100 of the currency unit).
    public var minorUnits: Int64

    public init(minorUnits: Int64) { self.minorUnits = minorUnits }

    public static let zero = Money(minorUnits: 0)

    public static func + (a: Money, b: Money) throws(AmountOverflow) -> Money {
        let (r, o) = a.minorUnits.addingReportingOverflow(b.minorUnits)
        if o { throw AmountOverflow() }
        return Money(minorUnits: r)
    }

    public static func - (a: Money, b: Money) throws(AmountOverflow) -> Money {
        let (r, o) = a.minorUnits.subtractingReportingOverflow(b.minorUnits)
        if o { throw AmountOverflow() }
        return Money(minorUnits: r)
    }

    public static func * (a: Money, n: Int) throws(AmountOverflow) -> Money {
        let (r, o) = a.minorUnits.multipliedReportingOverflow(by: Int64(n))
        if o { throw AmountOverflow() }
        return Money(minorUnits: r)
    }

    public static func < (a: Money, b: Money) -> Bool { a.minorUnits < b.minorUnits }

    /// The sum of `amounts`, checked.
    public static func sum<S: Sequence>(_ amounts: S) throws(AmountOverflow) -> Money where S.Element == Money {
        var total = Money.zero
        for a in amounts { total = try total + a }
        return total
    }

    /// `self / divisor`, rounded half to even to the minor unit (used to derive unit prices).
    public func divided(by divisor: Int) -> Money {
        Money(minorUnits: Self.divideRoundingHalfEven(minorUnits, Int64(divisor)))
    }

    /// How a result between two kuruş is rounded.
    public enum Rounding: Sendable {
        /// Half to even: the project's rule for amounts it derives (unit prices, expressions).
        case halfEven
        /// Half away from zero: how Turkish ERPs (Logo, Netsis, Mikro) and Excel's ROUND compute
        /// KDV, so that the KDV of a line is the same in the e-invoice and in the ERP.
        case halfAwayFromZero
    }

    /// `self × numerator / denominator`, computed in 128 bits and rounded (half to even unless
    /// said otherwise): a VAT split (`gross × 20 / 120`) or raise never overflows on the way,
    /// only when the result itself does not fit.
    public func scaled(by numerator: Int64, over denominator: Int64, rounding: Rounding = .halfEven) throws(AmountOverflow) -> Money {
        Money(minorUnits: try Self.mulDiv(minorUnits, numerator, denominator, rounding: rounding))
    }

    /// `a × b / d` in 128 bits, rounded half to even.
    public static func mulDivRoundingHalfEven(_ a: Int64, _ b: Int64, _ d: Int64) throws(AmountOverflow) -> Int64 {
        try mulDiv(a, b, d, rounding: .halfEven)
    }

    /// `a × b / d` in 128 bits, rounded as `rounding` says.
    public static func mulDiv(_ a: Int64, _ b: Int64, _ d: Int64, rounding: Rounding) throws(AmountOverflow) -> Int64 {
        precondition(d > 0, "a positive denominator")
        let negative = (a < 0) != (b < 0)
        let product = a.magnitude.multipliedFullWidth(by: b.magnitude)
        guard product.high < d.magnitude else { throw AmountOverflow() }
        let (q, r) = d.magnitude.dividingFullWidth(product)
        var quotient = q
        let twice = r.multipliedReportingOverflow(by: 2)
        let tie = !twice.overflow && twice.partialValue == d.magnitude
        if twice.overflow || twice.partialValue > d.magnitude || (tie && (rounding == .halfAwayFromZero || q % 2 != 0)) {
            quotient += 1
        }
        guard quotient <= UInt64(Int64.max) else { throw AmountOverflow() }
        return negative ? -Int64(quotient) : Int64(quotient)
    }

    /// `numerator / denominator` rounded half to even: the one rounding rule of the project.
    public static func divideRoundingHalfEven(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        precondition(denominator != 0, "division by zero")
        if denominator == -1 { return numerator == .min ? .max : -numerator }
        var q = numerator / denominator
        let r = (numerator % denominator).magnitude, d = denominator.magnitude
        let negative = (numerator < 0) != (denominator < 0)
        // Compare the remainder with the rest of the divisor: no 2 × r that could overflow.
        if r > d - r || (r == d - r && q % 2 != 0) {
            q += negative ? -1 : 1
        }
        return q
    }

    /// `1234.56`, `-0.05`: dot decimal, always two decimals, no grouping.
    public var description: String {
        let sign = minorUnits < 0 ? "-" : ""
        let m = minorUnits.magnitude
        let cents = m % 100
        return "\(sign)\(m / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// `1.234,56`: Turkish grouping, as a seller reads it in a report.
    public var turkishDescription: String {
        let sign = minorUnits < 0 ? "-" : ""
        let m = minorUnits.magnitude
        var whole = String(m / 100)
        var grouped = ""
        while whole.count > 3 {
            grouped = "." + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        let cents = m % 100
        return "\(sign)\(whole)\(grouped),\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// An amount beyond what an `Int64` of kuruş holds (±92 quadrillion TL): a broken or hostile
/// value, never a real one.
public struct AmountOverflow: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "the amount is too large to compute with" }
}
