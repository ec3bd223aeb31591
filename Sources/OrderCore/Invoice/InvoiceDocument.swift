/// An e-invoice ready to be written: every amount already derived and reconciled.
/// Built by ``InvoiceBuilder``; written by the UBL-TR writer.
public struct InvoiceDocument: Sendable, Equatable {
    public enum Profile: String, Sendable, CaseIterable { case TEMELFATURA, TICARIFATURA, EARSIVFATURA }
    public enum TypeCode: String, Sendable { case SATIS, IADE }

    /// `PRA2026000000001`: prefix, year, 9-digit sequence.
    public var id: String
    /// The ETTN (a UUID, lower case).
    public var uuid: String
    public var issueDate: CivilDateTime
    public var profile: Profile
    public var typeCode: TypeCode
    public var currency: String
    public var supplier: SellerProfile
    public var customer: InvoiceCustomer
    public var orderNumber: String
    public var orderDate: CivilDateTime?
    public let lines: [InvoiceLine]
    public var notes: [String]

    /// Per KDV rate: taxable base and tax, ascending by rate.
    public var taxSubtotals: [(rate: Int, taxable: Money, tax: Money)] { totals.subtotals }
    public var lineExtensionTotal: Money { totals.taxable }
    public var taxTotal: Money { totals.tax }
    public var taxInclusiveTotal: Money { totals.gross }
    /// The document totals, summed (checked) from the lines when the document was made.
    public let totals: InvoiceTotals

    public init(id: String, uuid: String, issueDate: CivilDateTime, profile: Profile, typeCode: TypeCode, currency: String,
                supplier: SellerProfile, customer: InvoiceCustomer, orderNumber: String, orderDate: CivilDateTime?,
                lines: [InvoiceLine], notes: [String]) throws(AmountOverflow) {
        self.id = id
        self.uuid = uuid
        self.issueDate = issueDate
        self.profile = profile
        self.typeCode = typeCode
        self.currency = currency
        self.supplier = supplier
        self.customer = customer
        self.orderNumber = orderNumber
        self.orderDate = orderDate
        self.lines = lines
        self.notes = notes
        self.totals = try InvoiceTotals(lines)
    }

    public static func == (a: InvoiceDocument, b: InvoiceDocument) -> Bool {
        a.id == b.id && a.uuid == b.uuid && a.issueDate == b.issueDate && a.profile == b.profile
            && a.typeCode == b.typeCode && a.currency == b.currency && a.supplier == b.supplier
            && a.customer == b.customer && a.orderNumber == b.orderNumber && a.orderDate == b.orderDate
            && a.lines == b.lines && a.notes == b.notes
    }
}

/// The buyer on an invoice: a company by VKN, or a person by TCKN (GİB's 11111111111 when unknown).
public struct InvoiceCustomer: Sendable, Equatable {
    public var vkn: String?
    public var tckn: String?
    public var name: String
    public var firstName: String
    public var familyName: String
    public var taxOffice: String?
    public var address: PostalAddress
    public var email: String?
    public var phone: String?
}

/// One invoice line with its KDV split out of the VAT-inclusive amount.
public struct InvoiceLine: Sendable, Equatable {
    public var name: String
    public var sellerItemID: String?
    public var quantity: Int
    /// UN/ECE Rec 20 unit code: `C62` (piece).
    public var unitCode: String
    public var vatRate: Int
    /// VAT included: what the line is invoiced at.
    public var grossAmount: Money
    /// VAT excluded (`LineExtensionAmount`).
    public var taxableAmount: Money
    /// The KDV in the line: gross − taxable (same sign, smaller magnitude: it cannot overflow).
    public var taxAmount: Money { Money(minorUnits: grossAmount.minorUnits - taxableAmount.minorUnits) }
    /// Tax-exclusive unit price, rounded half to even to the kuruş (ERP rows).
    public var unitTaxableAmount: Money { taxableAmount.divided(by: max(quantity, 1)) }

    /// The line with its KDV split out: taxable = gross × 100 / (100 + rate), rounded half to even.
    public init(name: String, sellerItemID: String?, quantity: Int, unitCode: String = "C62", vatRate: Int,
                grossAmount: Money) throws(AmountOverflow) {
        self.name = name
        self.sellerItemID = sellerItemID
        self.quantity = quantity
        self.unitCode = unitCode
        self.vatRate = vatRate
        self.grossAmount = grossAmount
        self.taxableAmount = try grossAmount.scaled(by: 100, over: Int64(100 + vatRate))
    }
}

/// Totals of invoice lines, summed with overflow checks: taxable base, KDV and gross, and per rate.
public struct InvoiceTotals: Sendable, Equatable {
    public var taxable = Money.zero
    public var tax = Money.zero
    public var gross = Money.zero
    /// Per KDV rate, ascending.
    public var subtotals: [(rate: Int, taxable: Money, tax: Money)] = []

    public init(_ lines: [InvoiceLine]) throws(AmountOverflow) {
        var byRate: [Int: (Money, Money)] = [:]
        for l in lines {
            taxable = try taxable + l.taxableAmount
            tax = try tax + l.taxAmount
            gross = try gross + l.grossAmount
            let c = byRate[l.vatRate] ?? (.zero, .zero)
            byRate[l.vatRate] = (try c.0 + l.taxableAmount, try c.1 + l.taxAmount)
        }
        subtotals = byRate.keys.sorted().map { ($0, byRate[$0]!.0, byRate[$0]!.1) }
    }

    public static func == (a: InvoiceTotals, b: InvoiceTotals) -> Bool {
        a.taxable == b.taxable && a.tax == b.tax && a.gross == b.gross
            && a.subtotals.map { "\($0.rate) \($0.taxable) \($0.tax)" } == b.subtotals.map { "\($0.rate) \($0.taxable) \($0.tax)" }
    }
}
