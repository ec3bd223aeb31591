/// The Turkish lira equivalents of an invoice in another currency, by one rule the invoice's note
/// and every ERP file share. The document's total and its KDV are converted at the rate and
/// rounded half away from zero to the kuruş (so the lira total is the payable amount × the rate,
/// as anyone checking the invoice computes it); the base is their difference. Each line's base
/// and KDV are its own converted, then adjusted by a kuruş where the rounding of the lines would
/// not add up to the document's (to the lines whose rounding lost or gained the most): the lines
/// add up to the header, in every ERP, to the kuruş.
public struct LiraEquivalent: Sendable, Equatable {
    public struct Amounts: Sendable, Equatable {
        public var taxable: Money
        public var tax: Money
        public var gross: Money
        public init(taxable: Money, tax: Money, gross: Money) {
            self.taxable = taxable
            self.tax = tax
            self.gross = gross
        }
    }

    public let lines: [Amounts]
    public let taxable: Money
    public let tax: Money
    public let gross: Money

    public init(lines invoiceLines: [InvoiceLine], rate: RateValue) throws(AmountOverflow) {
        let totals = try InvoiceTotals(invoiceLines)
        gross = try rate.convert(totals.gross)
        tax = try rate.convert(totals.tax)
        taxable = try gross - tax
        let taxables = try Self.allocate(taxable, invoiceLines.map(\.taxableAmount), rate: rate)
        let taxes = try Self.allocate(tax, invoiceLines.map(\.taxAmount), rate: rate)
        var lines: [Amounts] = []
        for (t, k) in zip(taxables, taxes) { lines.append(Amounts(taxable: t, tax: k, gross: try t + k)) }
        self.lines = lines
    }

    /// `amounts` converted one by one, then a kuruş more (or less) to those whose rounding fell
    /// furthest short (or over) until they add up to `total`.
    static func allocate(_ total: Money, _ amounts: [Money], rate: RateValue) throws(AmountOverflow) -> [Money] {
        var parts = try amounts.map { a throws(AmountOverflow) in try rate.convert(a) }
        var sum = Money.zero
        for p in parts { sum = try sum + p }
        var difference = total.minorUnits - sum.minorUnits
        guard difference != 0, !parts.isEmpty else { return parts }
        // What each part's rounding left out, in millionths of a kuruş.
        let shortfall = amounts.indices.map { i in
            Int128(amounts[i].minorUnits) * Int128(rate.millionths) - Int128(parts[i].minorUnits) * 1_000_000
        }
        let step: Int64 = difference > 0 ? 1 : -1
        let order = parts.indices.sorted { step > 0 ? shortfall[$0] > shortfall[$1] : shortfall[$0] < shortfall[$1] }
        var k = 0
        while difference != 0 {
            let i = order[k % order.count]
            parts[i] = Money(minorUnits: parts[i].minorUnits + step)
            difference -= step
            k += 1
        }
        return parts
    }
}
