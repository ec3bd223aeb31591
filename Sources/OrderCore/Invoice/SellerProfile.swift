/// The seller as an invoice names it: from `pra.yaml`'s `sellers:` section.
public struct SellerProfile: Sendable, Equatable {
    /// Seller code (`kullanicilar.kod`).
    public var code: String
    public var name: String
    /// VKN (10 digits) of a company, or TCKN (11 digits) of a sole trader.
    public var taxID: String
    public var taxOffice: String
    public var address: PostalAddress
    /// Three letters or digits that start every invoice number (`PRA2026000000001`).
    public var invoicePrefix: String
    /// For a sole trader (TCKN): the person's first and family name, required by GİB.
    public var personName: (first: String, family: String)?

    public init(code: String, name: String, taxID: String, taxOffice: String, address: PostalAddress,
                invoicePrefix: String, personName: (first: String, family: String)? = nil) {
        self.code = code
        self.name = name
        self.taxID = taxID
        self.taxOffice = taxOffice
        self.address = address
        self.invoicePrefix = invoicePrefix
        self.personName = personName
    }

    public static func == (a: SellerProfile, b: SellerProfile) -> Bool {
        a.code == b.code && a.name == b.name && a.taxID == b.taxID && a.taxOffice == b.taxOffice
            && a.address == b.address && a.invoicePrefix == b.invoicePrefix
            && a.personName?.first == b.personName?.first && a.personName?.family == b.personName?.family
    }

    /// Problems that would make every invoice of this seller invalid, as sentences.
    public var problems: [String] {
        var p: [String] = []
        if !(taxID.count == 10 || taxID.count == 11) || !taxID.allSatisfy({ $0.isASCII && $0.isNumber }) {
            p.append("tax_id must be a 10-digit VKN or an 11-digit TCKN")
        }
        if taxID.count == 11 && personName == nil { p.append("a TCKN seller needs first_name and family_name") }
        if invoicePrefix.count != 3 || !invoicePrefix.allSatisfy({ ($0.isASCII && $0.isUppercase) || ($0.isASCII && $0.isNumber) }) {
            p.append("invoice_prefix must be 3 capital letters or digits")
        }
        if name.isEmpty { p.append("name is missing") }
        if address.city.isEmpty || address.district.isEmpty { p.append("address needs city and district") }
        return p
    }
}

/// A postal address in UBL-TR's shape.
public struct PostalAddress: Sendable, Equatable {
    public var street: String?
    public var district: String
    public var city: String
    public var postalCode: String?
    public var country: String

    public init(street: String?, district: String, city: String, postalCode: String?, country: String = "Türkiye") {
        self.street = street
        self.district = district
        self.city = city
        self.postalCode = postalCode
        self.country = country
    }
}
