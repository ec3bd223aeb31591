/// The one rule that splits a VAT-inclusive amount into its base and its KDV, for the e-invoice
/// and every ERP file alike: KDV = gross × rate / (100 + rate), rounded half away from zero to the
/// kuruş (as Logo, Netsis, Mikro and Excel's ROUND compute it); base = gross − KDV, so the two
/// always add up to the gross exactly. A tie only occurs at 20 % (gross/6): 0,03 TL is 0,02 + 0,01.
public struct KDVSplit: Sendable, Equatable {
    /// The tax-exclusive amount (`LineExtensionAmount`).
    public var base: Money
    public var kdv: Money

    /// Splits `gross` at `rate` percent.
    public init(gross: Money, rate: Int) throws(AmountOverflow) {
        kdv = try gross.scaled(by: Int64(rate), over: Int64(100 + rate), rounding: .halfAwayFromZero)
        base = Money(minorUnits: gross.minorUnits - kdv.minorUnits)
    }
}
