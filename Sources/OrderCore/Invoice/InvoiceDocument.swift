/// An e-invoice ready to be written: every amount already derived and reconciled.
/// Built by ``InvoiceBuilder``; written by the UBL-TR writer.
public struct InvoiceDocument: Sendable, Equatable {
    public enum Profile: String, Sendable, CaseIterable {
        case TEMELFATURA, TICARIFATURA, EARSIVFATURA, KAMU
        /// Whether the buyer receives it as an e-Fatura (a registered user), not an e-Arşiv.
        public var isEFatura: Bool { self != .EARSIVFATURA }
    }
    public enum TypeCode: String, Sendable {
        case SATIS, IADE, ISTISNA

        /// A sale's type by its lines: ISTISNA when one carries an exemption proper, else SATIS.
        public init(lines: [InvoiceLine]) {
            self = lines.contains { $0.exemption?.isExemptionProper == true } ? .ISTISNA : .SATIS
        }
    }

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
    /// How and when the buyer paid (`cac:PaymentMeans`); the seller's IBAN for a KAMU invoice.
    public var paymentMeans: PaymentMeans?
    /// Who carries the goods and when they left (`cac:Delivery`).
    /// One per package: an order shipped in several packages (two carriers, two tracking
    /// numbers) has a Delivery for each.
    public var deliveries: [DeliveryInfo] = []
    /// Where the sale happened (an internet sale's web address: the marketplace's or the shop's).
    public var saleWebAddress: String?
    /// The rate to Turkish lira of a document in another currency (`cac:PricingExchangeRate`).
    public var exchangeRate: ExchangeRate?

    /// Per KDV rate: taxable base and tax, ascending by rate.
    public var taxSubtotals: [(rate: Int, taxable: Money, tax: Money, exemption: TaxExemption?)] { totals.subtotals }
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
            && a.lines == b.lines && a.notes == b.notes && a.paymentMeans == b.paymentMeans && a.deliveries == b.deliveries
            && a.saleWebAddress == b.saleWebAddress && a.exchangeRate == b.exchangeRate
    }
}

/// `cac:PaymentMeans`: how the buyer paid, when, through whom.
public struct PaymentMeans: Sendable, Equatable {
    /// UN/ECE 4461: 48 bank card, 42 payment to a bank account, 10 cash (on delivery), ZZZ other.
    public var code: String
    /// The payment date (`cbc:PaymentDueDate`).
    public var date: CivilDateTime?
    /// `ODEMEARACISI` when a payment intermediary (a marketplace) collected the money.
    public var channel: String?
    /// The intermediary's name, or another note (`cbc:InstructionNote`).
    public var note: String?
    /// The seller's IBAN (`cac:PayeeFinancialAccount/cbc:ID`), which a KAMU invoice needs.
    public var payeeIBAN: String?

    public init(code: String, date: CivilDateTime?, channel: String? = nil, note: String? = nil, payeeIBAN: String? = nil) {
        self.code = code
        self.date = date
        self.channel = channel
        self.note = note
        self.payeeIBAN = payeeIBAN
    }
}

/// `cac:Delivery`: the carrier and, once shipped, the dispatch date.
public struct DeliveryInfo: Sendable, Equatable {
    public var carrier: CarrierTable.Carrier?
    /// The carrier's name as the export gave it, when the table does not know it.
    public var carrierName: String?
    public var trackingNumber: String?
    public var despatchDate: CivilDateTime?

    public init(carrier: CarrierTable.Carrier?, carrierName: String?, trackingNumber: String?, despatchDate: CivilDateTime?) {
        self.carrier = carrier
        self.carrierName = carrierName
        self.trackingNumber = trackingNumber
        self.despatchDate = despatchDate
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
    /// Why a 0 % line carries no KDV (`TaxExemptionReasonCode` and text), required by GİB.
    public var exemption: TaxExemption?
    /// VAT included: what the line is invoiced at.
    public var grossAmount: Money
    /// VAT excluded (`LineExtensionAmount`).
    public var taxableAmount: Money
    /// The KDV in the line: gross − taxable (same sign, smaller magnitude: it cannot overflow).
    public var taxAmount: Money { Money(minorUnits: grossAmount.minorUnits - taxableAmount.minorUnits) }
    /// The VAT-inclusive unit price: exact, as ``InvoiceBuilder`` makes every line's gross a
    /// whole number of kuruş per unit (a line that does not divide is split in two).
    public var unitGrossAmount: Money { Money(minorUnits: grossAmount.minorUnits / Int64(max(quantity, 1))) }

    /// The line with its KDV split out by the one rule the e-invoice and every ERP file share
    /// (``KDVSplit``).
    public init(name: String, sellerItemID: String?, quantity: Int, unitCode: String = "C62", vatRate: Int,
                grossAmount: Money, exemption: TaxExemption? = nil) throws(AmountOverflow) {
        self.name = name
        self.exemption = exemption
        self.sellerItemID = sellerItemID
        self.quantity = quantity
        self.unitCode = unitCode
        self.vatRate = vatRate
        self.grossAmount = grossAmount
        self.taxableAmount = try KDVSplit(gross: grossAmount, rate: vatRate).base
    }
}

/// A KDV exemption code of GİB's list with its text: `351` "İstisna Olmayan Diğer" for a zero
/// rate that is not an exemption; a code of the exemption (istisna) list makes the invoice ISTISNA.
public struct TaxExemption: Sendable, Hashable {
    public var code: String
    public var reason: String
    public init(code: String, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The codes that are exemptions proper (GİB's `istisnaTaxExemptionReasonCodeType`): an invoice
    /// with one is of type ISTISNA.
    public var isExemptionProper: Bool { !["151", "351", "555"].contains(code) && !code.hasPrefix("8") && !code.hasPrefix("7") }

    /// GİB's 351: a zero rate that is not an exemption.
    public static let zeroRate = TaxExemption(code: "351", reason: "İstisna Olmayan Diğer")
    /// GİB's 301: goods exported (KDVK 11/1-a), micro-exports under an ETGB included.
    public static let export = TaxExemption(code: "301", reason: "11/1-a Mal ihracatı")
}

/// Totals of invoice lines, summed with overflow checks: taxable base, KDV and gross, and per rate.
public struct InvoiceTotals: Sendable, Equatable {
    public var taxable = Money.zero
    public var tax = Money.zero
    public var gross = Money.zero
    /// Per KDV rate (and exemption, for 0 % lines), ascending by rate.
    public var subtotals: [(rate: Int, taxable: Money, tax: Money, exemption: TaxExemption?)] = []

    public init(_ lines: [InvoiceLine]) throws(AmountOverflow) {
        struct Key: Hashable { var rate: Int; var exemption: TaxExemption? }
        var byRate: [Key: (Money, Money)] = [:]
        for l in lines {
            taxable = try taxable + l.taxableAmount
            tax = try tax + l.taxAmount
            gross = try gross + l.grossAmount
            let key = Key(rate: l.vatRate, exemption: l.exemption)
            let c = byRate[key] ?? (.zero, .zero)
            byRate[key] = (try c.0 + l.taxableAmount, try c.1 + l.taxAmount)
        }
        subtotals = byRate.keys.sorted { ($0.rate, $0.exemption?.code ?? "") < ($1.rate, $1.exemption?.code ?? "") }
            .map { ($0.rate, byRate[$0]!.0, byRate[$0]!.1, $0.exemption) }
    }

    public static func == (a: InvoiceTotals, b: InvoiceTotals) -> Bool {
        func text(_ t: InvoiceTotals) -> [String] { t.subtotals.map { "\($0.rate) \($0.taxable) \($0.tax) \($0.exemption?.code ?? "")" } }
        return a.taxable == b.taxable && a.tax == b.tax && a.gross == b.gross && text(a) == text(b)
    }
}
