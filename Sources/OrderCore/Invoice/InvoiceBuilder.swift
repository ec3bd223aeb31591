/// Derives an invoice from a stored order: the VAT split, the buyer, the profile, the notes.
///
/// Rounding rule (the only one): each line's tax-exclusive amount is its VAT-inclusive total
/// × 100 / (100 + rate), rounded half to even to the kuruş; its tax is the difference. Every
/// document total is the sum of line values, so totals reconcile exactly and the payable
/// amount equals what the order's lines (and shipping) are invoiced at.
public struct InvoiceBuilder: Sendable {
    /// The profile for buyers with a VKN (TEMELFATURA by default; consumers always get EARSIVFATURA).
    public var corporateProfile: InvoiceDocument.Profile = .TEMELFATURA
    /// KDV rate of the shipping line.
    public var shippingVATRate = 20
    /// The name of the shipping line.
    public var shippingLineName = "Kargo Bedeli"

    public init() {}

    /// GİB's TCKN for a consumer whose identity number is unknown.
    public static let anonymousTCKN = "11111111111"

    public func build(order: NormalizedOrder, seller: SellerProfile, number: String, uuid: String,
                      issueDate: CivilDateTime) throws(AmountOverflow) -> InvoiceDocument {
        let lines = try self.lines(for: order)
        let customer = Self.customer(of: order)
        let profile = self.profile(for: customer)
        var doc = try InvoiceDocument(
            id: number, uuid: uuid, issueDate: issueDate, profile: profile, typeCode: .SATIS, currency: order.currency,
            supplier: seller, customer: customer, orderNumber: order.orderNumber,
            orderDate: order.orderDate.map { CivilDateTime(year: $0.local.year, month: $0.local.month, day: $0.local.day) },
            lines: lines, notes: [])
        doc.notes = ["Yalnız " + TurkishAmountInWords.words(doc.taxInclusiveTotal, currency: order.currency)]
        return doc
    }

    /// The order's billable lines, then shipping as a line, each with its KDV split out.
    /// ERP exports use the same lines, so they agree with the invoice to the kuruş.
    public func lines(for order: NormalizedOrder) throws(AmountOverflow) -> [InvoiceLine] {
        var lines: [InvoiceLine] = []
        for l in order.billableLines {
            lines.append(try InvoiceLine(name: l[.urun_adi] ?? l.sku, sellerItemID: l.sku, quantity: l.quantity,
                                         vatRate: l.vatRate, grossAmount: l.lineTotal))
        }
        if order.shipping != .zero {
            lines.append(try InvoiceLine(name: shippingLineName, sellerItemID: nil, quantity: 1, vatRate: shippingVATRate,
                                         grossAmount: order.shipping))
        }
        return lines
    }

    /// EARSIVFATURA for consumers, ``corporateProfile`` for buyers with a VKN.
    public func profile(for customer: InvoiceCustomer) -> InvoiceDocument.Profile {
        customer.vkn != nil ? corporateProfile : .EARSIVFATURA
    }

    /// The buyer: VKN and company name when the order has them, else the person (TCKN or GİB's default).
    public static func customer(of order: NormalizedOrder) -> InvoiceCustomer {
        // The billing address when the order has one, else the shipping address.
        let billing = order[.fatura_il] != nil
        func address(_ billingField: TargetField, _ shippingField: TargetField) -> String? {
            order[billing ? billingField : shippingField]
        }
        let city = address(.fatura_il, .teslimat_il)
        let fullName = (order[.musteri_adi] ?? "").split(separator: " ").map(String.init)
        let first = fullName.count > 1 ? fullName.dropLast().joined(separator: " ") : (fullName.first ?? "Nihai")
        let family = fullName.count > 1 ? fullName.last! : (fullName.isEmpty ? "Tüketici" : "-")
        let taxNumber = order[.vergi_numarasi]
        let hasVKN = taxNumber.map { $0.count == 10 } ?? false
        return InvoiceCustomer(
            vkn: hasVKN ? taxNumber : nil,
            tckn: hasVKN ? nil : (order[.tc_kimlik_no] ?? anonymousTCKN),
            name: order[.firma_adi] ?? order[.musteri_adi] ?? "Nihai Tüketici", firstName: first, familyName: family,
            taxOffice: order[.vergi_dairesi],
            address: PostalAddress(street: address(.fatura_adresi, .teslimat_adresi),
                                   district: address(.fatura_ilce, .teslimat_ilce) ?? city ?? "-",
                                   city: city ?? "-", postalCode: address(.fatura_posta_kodu, .teslimat_posta_kodu),
                                   country: Self.countryName(address(.fatura_ulke, .teslimat_ulke))),
            email: order[.musteri_email], phone: order[.musteri_telefon])
    }

    static func countryName(_ code: String?) -> String {
        switch code?.uppercased() {
        case nil, "", "TR", "TÜRKIYE", "TÜRKİYE", "TURKEY", "TURKIYE": return "Türkiye"
        default: return code!
        }
    }
}
