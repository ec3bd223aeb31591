/// The Turkish lira equivalents of an invoice in another currency, by one rule the invoice's note
/// and every ERP file share: each line's base and KDV converted at the rate and rounded half away
/// from zero to the kuruş, its total their sum; the document's totals the sums of its lines. So
/// an ERP's lines add up to its header, and both to what the invoice says, to the kuruş.
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
        var lines: [Amounts] = []
        var taxable = Money.zero, tax = Money.zero
        for l in invoiceLines {
            let t = try rate.convert(l.taxableAmount), k = try rate.convert(l.taxAmount)
            lines.append(Amounts(taxable: t, tax: k, gross: try t + k))
            taxable = try taxable + t
            tax = try tax + k
        }
        self.lines = lines
        self.taxable = taxable
        self.tax = tax
        self.gross = try taxable + tax
    }
}
