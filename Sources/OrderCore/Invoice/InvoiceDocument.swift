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
    public var lines: [InvoiceLine]
    public var notes: [String]

    /// Per KDV rate: taxable base and tax, ascending by rate.
    public var taxSubtotals: [(rate: Int, taxable: Money, tax: Money)] {
        var byRate: [Int: (Money, Money)] = [:]
        for l in lines {
            let c = byRate[l.vatRate] ?? (.zero, .zero)
            byRate[l.vatRate] = (c.0 + l.taxableAmount, c.1 + l.taxAmount)
        }
        return byRate.keys.sorted().map { ($0, byRate[$0]!.0, byRate[$0]!.1) }
    }

    public var lineExtensionTotal: Money { lines.reduce(.zero) { $0 + $1.taxableAmount } }
    public var taxTotal: Money { lines.reduce(.zero) { $0 + $1.taxAmount } }
    public var taxInclusiveTotal: Money { lines.reduce(.zero) { $0 + $1.grossAmount } }

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
    public var taxAmount: Money { grossAmount - taxableAmount }
    /// Tax-exclusive unit price, rounded half to even to the kuruş (ERP rows).
    public var unitTaxableAmount: Money { taxableAmount.divided(by: quantity) }
}
