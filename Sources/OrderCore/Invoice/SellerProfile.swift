/// The seller as an invoice names it: from `pra.yaml`'s `sellers:` section.
public struct SellerProfile: Sendable, Equatable {
    /// Seller code (`kullanicilar.kod`).
    public var code: String
    public var name: String
    /// VKN (10 digits) of a company, or TCKN (11 digits) of a sole trader.
    public var taxID: String
    public var taxOffice: String
    public var address: PostalAddress
    /// The series (3 capital letters or digits) that starts every number, per document kind:
    /// e-Fatura (TEMELFATURA, TICARIFATURA, KAMU) and e-Arşiv. Most providers register one each.
    public var eFaturaSeries: String
    public var eArsivSeries: String
    /// For a sole trader (TCKN): the person's first and family name, required by GİB.
    public var personName: PersonName?
    /// MERSİS number (16 digits) and trade registry number, when the company has them.
    public var mersisNo: String?
    public var registryNo: String?
    /// The seller's web site (`WebsiteURI`), and the sale's web address of its own web shops.
    public var webSite: String?
    /// The seller's IBAN: an invoice to a public body (KAMU) must name the account it is paid to.
    public var iban: String?
    /// The carrier of orders whose export names none (an e-Arşiv internet sale must name one).
    public var defaultCarrier: String?

    public struct PersonName: Sendable, Equatable {
        public var first: String
        public var family: String
        public init(first: String, family: String) {
            self.first = first
            self.family = family
        }
    }

    public init(code: String, name: String, taxID: String, taxOffice: String, address: PostalAddress,
                eFaturaSeries: String, eArsivSeries: String, personName: PersonName? = nil) {
        self.code = code
        self.name = name
        self.taxID = taxID
        self.taxOffice = taxOffice
        self.address = address
        self.eFaturaSeries = eFaturaSeries
        self.eArsivSeries = eArsivSeries
        self.personName = personName
    }

    /// The series of a profile's invoices.
    public func series(for profile: InvoiceDocument.Profile) -> String {
        profile == .EARSIVFATURA ? eArsivSeries : eFaturaSeries
    }

    /// Problems that would make every invoice of this seller invalid, as sentences: the seller's
    /// invoices are held (and `status` says why) until `pra.yaml` is fixed; other sellers go on.
    public var problems: [String] {
        var p: [String] = []
        if let problem = TaxIdentity.problem(taxID), taxID != TaxIdentity.anonymousConsumer {
            p.append("tax_id: \(problem)")
        } else if taxID == TaxIdentity.anonymousConsumer {
            p.append("tax_id: 11111111111 is GİB's anonymous consumer, not a seller")
        }
        if taxID.count == 11 && personName == nil { p.append("a TCKN seller needs first_name and family_name") }
        for (key, series) in [("efatura_series", eFaturaSeries), ("earsiv_series", eArsivSeries)] where !Self.isSeries(series) {
            p.append("\(key) must be 3 capital letters or digits")
        }
        if let m = mersisNo, m.count != 16 || !m.allSatisfy({ $0.isASCII && $0.isNumber }) { p.append("mersis_no must be 16 digits") }
        if let iban, !Self.isTurkishIBAN(iban) { p.append("iban must be a Turkish IBAN (TR and 24 digits)") }
        if name.isEmpty { p.append("name is missing") }
        if address.city.isEmpty || address.district.isEmpty { p.append("address needs city and district") }
        return p
    }

    static func isSeries(_ s: String) -> Bool {
        s.count == 3 && s.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }

    /// `TR` + 24 characters with a valid ISO 13616 check (mod 97).
    public static func isTurkishIBAN(_ raw: String) -> Bool {
        let iban = raw.replacingOccurrences(of: " ", with: "").uppercased()
        guard iban.count == 26, iban.hasPrefix("TR"), iban.dropFirst(2).allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) })
        else { return false }
        var remainder = 0
        for c in iban.dropFirst(4) + iban.prefix(4) {
            let digits = c.isNumber ? String(c) : String(Int(c.asciiValue!) - 55)
            for d in digits { remainder = (remainder * 10 + Int(String(d))!) % 97 }
        }
        return remainder == 1
    }
}

/// A postal address in UBL-TR's shape.
public struct PostalAddress: Sendable, Equatable {
    public var street: String?
    public var district: String
    public var city: String
    public var postalCode: String?
    /// The country's name as written (`Türkiye`), and its ISO 3166-1 alpha-2 code when known.
    public var country: String
    public var countryCode: String?

    public init(street: String?, district: String, city: String, postalCode: String?, country: String = "Türkiye",
                countryCode: String? = "TR") {
        self.street = street
        self.district = district
        self.city = city
        self.postalCode = postalCode
        self.country = country
        self.countryCode = countryCode
    }
}
