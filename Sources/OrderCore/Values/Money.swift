/// An exact amount of money in minor units (kuruş for TRY): never a binary floating point.
///
/// Amounts are stored as INTEGER minor units in SQLite and rendered with a dot and two
/// decimals (`1234.56`) for UBL and logs; ``NumberStyle`` parses what platforms write.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in minor units (1/100 of the currency unit).
    public var minorUnits: Int64

    public init(minorUnits: Int64) { self.minorUnits = minorUnits }

    public static let zero = Money(minorUnits: 0)

    public static func + (a: Money, b: Money) -> Money { Money(minorUnits: a.minorUnits + b.minorUnits) }
    public static func - (a: Money, b: Money) -> Money { Money(minorUnits: a.minorUnits - b.minorUnits) }
    public static func += (a: inout Money, b: Money) { a.minorUnits += b.minorUnits }
    public static func -= (a: inout Money, b: Money) { a.minorUnits -= b.minorUnits }
    public static func * (a: Money, n: Int) -> Money { Money(minorUnits: a.minorUnits * Int64(n)) }
    public static func < (a: Money, b: Money) -> Bool { a.minorUnits < b.minorUnits }

    /// `self / divisor`, rounded half to even to the minor unit (used to derive unit prices).
    public func divided(by divisor: Int) -> Money {
        Money(minorUnits: Self.divideRoundingHalfEven(minorUnits, Int64(divisor)))
    }

    /// `numerator / denominator` rounded half to even: the one rounding rule of the project.
    public static func divideRoundingHalfEven(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        precondition(denominator != 0, "division by zero")
        var q = numerator / denominator
        let r = numerator % denominator
        let twice = 2 * abs(r), d = abs(denominator)
        let negative = (numerator < 0) != (denominator < 0)
        if twice > d || (twice == d && q % 2 != 0) {
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
