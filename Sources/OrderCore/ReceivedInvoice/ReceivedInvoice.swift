/// An invoice an e-invoice provider (QNB eFinans, Nilvera, Foriba, Uyumsoft, İzibiz…) issued and
/// sent back as UBL-TR, as an `invoices` mapping read it: what is needed to attach it to its
/// order and to check it against the order.
public struct ReceivedInvoice: Sendable, Equatable {
    /// GİB invoice number (`cbc:ID`, 16 characters).
    public var number: String
    /// The ETTN (`cbc:UUID`).
    public var uuid: String
    public var issueDate: Timestamp
    public var profile: String?
    /// SATIS, IADE, ISTISNA…
    public var type: String?
    /// The order the invoice names (`cac:OrderReference/cbc:ID`), when it names one.
    public var orderNumber: String?
    /// The buyer's VKN or TCKN.
    public var buyerID: String?
    /// The supplier's VKN or TCKN (`cac:AccountingSupplierParty`).
    public var supplierID: String?
    public var currency: String
    /// `cac:LegalMonetaryTotal/cbc:PayableAmount`.
    public var payable: Money
    public var taxExclusive: Money?
    public var tax: Money?
    /// For an İADE invoice: the invoice it returns goods of (`cac:BillingReference`).
    public var returnedInvoiceNumber: String?
    /// An invoice in another currency: its rate to lira (`CalculationRate`) and the rate's day
    /// (`cac:PricingExchangeRate/cbc:Date`, else the issue date), for the ERP files. The invoice
    /// does not say which of TCMB's rates it is: forex buying, the legal default, stands for it.
    public var exchangeRate: ExchangeRate?
    public var position: SourcePosition

    /// The invoice an `invoices` mapping read, or `nil` without its number, ETTN, date or amount.
    public init?(_ record: MappedRecord) {
        guard let number = record.values[text: .fatura_no], let uuid = record.values[text: .ettn],
              let date = record.values.date(.fatura_tarihi), let payable = record.values.money(.odenecek_tutar) else { return nil }
        self.number = number
        self.uuid = uuid.uppercased()
        issueDate = date
        self.payable = payable
        profile = record.values[text: .fatura_profili]
        type = record.values[text: .fatura_tipi].map { $0.uppercased() }
        orderNumber = record.values[text: .siparis_numarasi]
        buyerID = record.values[text: .alici_kimlik_no]
        supplierID = record.values[text: .satici_kimlik_no]
        currency = record.values[text: .para_birimi] ?? "TRY"
        taxExclusive = record.values.money(.vergi_haric_tutar)
        tax = record.values.money(.kdv_tutari)
        returnedInvoiceNumber = record.values[text: .iade_edilen_fatura_no]
        if currency != "TRY", let rate = record.values[text: .fatura_kuru].flatMap({ RateValue(published: $0) }) {
            exchangeRate = ExchangeRate(currency: currency, kind: .forex_buying, value: rate,
                                        published: CalendarDay((record.values.date(.fatura_kur_tarihi) ?? date).local))
        }
        position = record.position
    }

    /// A return invoice (the buyer's İADE for goods it sent back).
    public var isReturn: Bool { type == "IADE" }

    /// Why the invoice is not the seller's to keep, or `nil` when it is: the seller (`sellerTaxID`,
    /// its VKN or TCKN) issued it, or, for an İADE invoice, is the customer it was issued to (a
    /// buyer returning goods invoices the seller). A file in one seller's folder never brings in
    /// another taxpayer's invoices.
    public func ownershipProblem(sellerTaxID: String?) -> String? {
        guard let sellerTaxID else {
            return "the seller has no tax_id in pra.yaml, so whose invoice this is cannot be checked"
        }
        if isReturn {
            guard let buyerID else { return "the İADE invoice names no customer VKN or TCKN" }
            return buyerID == sellerTaxID ? nil
                : "the İADE invoice is issued to \(buyerID), not to the seller (\(sellerTaxID))"
        }
        guard let supplierID else { return "the invoice names no supplier VKN or TCKN (AccountingSupplierParty)" }
        return supplierID == sellerTaxID ? nil : "the invoice was issued by \(supplierID), not by the seller (\(sellerTaxID))"
    }

    /// The order numbers the invoice could name: as written, and without or with a leading `#`.
    public var orderNumberCandidates: [String] {
        guard let n = orderNumber, !n.isEmpty else { return [] }
        return [n, n.hasPrefix("#") ? String(n.dropFirst()) : "#" + n]
    }

    /// How the invoice's amount compares with its order's total: equal up to a kuruş of rounding
    /// per line (a provider recomputes VAT per line), or the difference, in words.
    public func totalProblem(orderTotal: Money, orderCurrency: String, lines: Int) -> String? {
        if currency != orderCurrency {
            return "the invoice is in \(currency), the order in \(orderCurrency)"
        }
        let difference = (try? payable - orderTotal) ?? Money(minorUnits: .max)
        if difference.minorUnits.magnitude <= UInt64(max(1, lines)) { return nil }
        return "the invoice's payable amount \(payable.turkishDescription) differs from the order total "
            + "\(orderTotal.turkishDescription) by \(difference.turkishDescription)"
    }
}
