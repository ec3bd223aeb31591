import OrderCore

/// Writes an ``InvoiceDocument`` as a UBL-TR 1.2 (UBL 2.1) `Invoice`, unsigned: the e-invoice
/// provider signs it. Element order follows GİB's `xsdrt` sequences; output is a pure function
/// of the document (deterministic bytes).
public enum UBLInvoiceWriter {
    static let namespaces: [(String, String)] = [
        ("xmlns", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"),
        ("xmlns:cac", "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"),
        ("xmlns:cbc", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"),
        ("xmlns:ext", "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"),
        ("xmlns:pra", "urn:praingest:unsigned"),
    ]

    public static func write(_ doc: InvoiceDocument) -> [UInt8] {
        let w = XMLDocumentWriter()
        let currency = [("currencyID", doc.currency)]
        w.start("Invoice", namespaces)
        // The provider puts the XAdES signature here; until then a placeholder of our own namespace.
        w.start("ext:UBLExtensions"); w.start("ext:UBLExtension"); w.start("ext:ExtensionContent")
        w.empty("pra:UnsignedPlaceholder")
        w.end(); w.end(); w.end()
        w.element("cbc:UBLVersionID", "2.1")
        w.element("cbc:CustomizationID", "TR1.2")
        w.element("cbc:ProfileID", doc.profile.rawValue)
        w.element("cbc:ID", doc.id)
        w.element("cbc:CopyIndicator", "false")
        w.element("cbc:UUID", doc.uuid)
        w.element("cbc:IssueDate", doc.issueDate.dateString)
        w.element("cbc:IssueTime", doc.issueDate.timeString)
        w.element("cbc:InvoiceTypeCode", doc.typeCode.rawValue)
        for note in doc.notes { w.element("cbc:Note", note) }
        w.element("cbc:DocumentCurrencyCode", doc.currency)
        w.element("cbc:LineCountNumeric", String(doc.lines.count))
        w.start("cac:OrderReference")
        w.element("cbc:ID", doc.orderNumber)
        w.element("cbc:IssueDate", (doc.orderDate ?? doc.issueDate).dateString)
        w.end()
        writeSignature(w, doc.supplier)
        w.start("cac:AccountingSupplierParty")
        // An e-Arşiv internet sale names the web address where it happened.
        writeSupplier(w, doc.supplier, website: doc.profile == .EARSIVFATURA ? doc.saleWebAddress ?? doc.supplier.webSite
                                                                             : doc.supplier.webSite)
        w.end()
        w.start("cac:AccountingCustomerParty")
        writeCustomer(w, doc.customer)
        w.end()
        for delivery in doc.deliveries { writeDelivery(w, delivery) }
        if let means = doc.paymentMeans { writePaymentMeans(w, means, currency: doc.currency) }
        if let rate = doc.exchangeRate {
            // What GİB's schematron requires of a document not in TRY: the rate to TRY.
            w.start("cac:PricingExchangeRate")
            w.element("cbc:SourceCurrencyCode", rate.currency)
            w.element("cbc:TargetCurrencyCode", "TRY")
            w.element("cbc:CalculationRate", rate.value.description)
            w.element("cbc:Date", rate.published.description)
            w.end()
        }
        writeTaxTotal(w, doc.taxTotal, doc.taxSubtotals, currency)
        w.start("cac:LegalMonetaryTotal")
        w.element("cbc:LineExtensionAmount", doc.lineExtensionTotal.description, currency)
        w.element("cbc:TaxExclusiveAmount", doc.lineExtensionTotal.description, currency)
        w.element("cbc:TaxInclusiveAmount", doc.taxInclusiveTotal.description, currency)
        w.element("cbc:PayableAmount", doc.taxInclusiveTotal.description, currency)
        w.end()
        for (i, line) in doc.lines.enumerated() {
            w.start("cac:InvoiceLine")
            w.element("cbc:ID", String(i + 1))
            w.element("cbc:InvoicedQuantity", String(line.quantity), [("unitCode", line.unitCode)])
            w.element("cbc:LineExtensionAmount", line.taxableAmount.description, currency)
            writeTaxTotal(w, line.taxAmount, [(line.vatRate, line.taxableAmount, line.taxAmount, line.exemption)], currency)
            w.start("cac:Item")
            w.element("cbc:Name", line.name)
            if let id = line.sellerItemID {
                w.start("cac:SellersItemIdentification"); w.element("cbc:ID", id); w.end()
            }
            w.end()
            w.start("cac:Price")
            w.element("cbc:PriceAmount", unitPrice(line), currency)
            w.end()
            w.end()
        }
        w.end()
        return w.finish()
    }

    /// Tax-exclusive unit price: two decimals when exact, else four (rounded half to even).
    static func unitPrice(_ line: InvoiceLine) -> String {
        let q = Int64(line.quantity)
        if line.taxableAmount.minorUnits % q == 0 { return Money(minorUnits: line.taxableAmount.minorUnits / q).description }
        let tenThousandths = Money.divideRoundingHalfEven(line.taxableAmount.minorUnits * 100, q)
        let sign = tenThousandths < 0 ? "-" : ""
        let m = tenThousandths.magnitude
        let frac = String(m % 10_000)
        return "\(sign)\(m / 10_000).\(String(repeating: "0", count: 4 - frac.count))\(frac)"
    }

    static func writeTaxTotal(_ w: XMLDocumentWriter, _ total: Money,
                              _ subtotals: [(rate: Int, taxable: Money, tax: Money, exemption: TaxExemption?)],
                              _ currency: [(String, String)]) {
        w.start("cac:TaxTotal")
        w.element("cbc:TaxAmount", total.description, currency)
        for s in subtotals {
            w.start("cac:TaxSubtotal")
            w.element("cbc:TaxableAmount", s.taxable.description, currency)
            w.element("cbc:TaxAmount", s.tax.description, currency)
            w.element("cbc:Percent", String(s.rate))
            w.start("cac:TaxCategory")
            if let e = s.exemption {
                w.element("cbc:TaxExemptionReasonCode", e.code)
                w.element("cbc:TaxExemptionReason", e.reason)
            }
            w.start("cac:TaxScheme")
            w.element("cbc:Name", "KDV")
            w.element("cbc:TaxTypeCode", "0015")
            w.end(); w.end()
            w.end()
        }
        w.end()
    }

    /// `cac:Delivery`: the carrier (title, VKN or TCKN, province) and the dispatch date once shipped.
    static func writeDelivery(_ w: XMLDocumentWriter, _ d: DeliveryInfo) {
        guard d.carrier != nil || d.despatchDate != nil || d.trackingNumber != nil else { return }
        w.start("cac:Delivery")
        w.element("cbc:TrackingID", ifPresent: d.trackingNumber)
        if let c = d.carrier {
            w.start("cac:CarrierParty")
            w.start("cac:PartyIdentification"); w.element("cbc:ID", c.taxID, [("schemeID", scheme(c.taxID))]); w.end()
            w.start("cac:PartyName"); w.element("cbc:Name", c.title); w.end()
            writeAddress(w, PostalAddress(street: nil, district: c.district, city: c.city, postalCode: nil))
            if c.taxID.count == 11 {
                let words = c.title.split(separator: " ")
                w.start("cac:Person")
                w.element("cbc:FirstName", words.dropLast().joined(separator: " "))
                w.element("cbc:FamilyName", String(words.last ?? "-"))
                w.end()
            }
            w.end()
        }
        if let date = d.despatchDate {
            w.start("cac:Despatch"); w.element("cbc:ActualDespatchDate", date.dateString); w.end()
        }
        w.end()
    }

    /// `cac:PaymentMeans`: the payment means code and date, the intermediary, the payee IBAN.
    static func writePaymentMeans(_ w: XMLDocumentWriter, _ m: PaymentMeans, currency: String) {
        w.start("cac:PaymentMeans")
        w.element("cbc:PaymentMeansCode", m.code)
        if let date = m.date { w.element("cbc:PaymentDueDate", date.dateString) }
        w.element("cbc:PaymentChannelCode", ifPresent: m.channel)
        w.element("cbc:InstructionNote", ifPresent: m.note)
        if let iban = m.payeeIBAN {
            w.start("cac:PayeeFinancialAccount")
            w.element("cbc:ID", iban.replacingOccurrences(of: " ", with: "").uppercased())
            w.element("cbc:CurrencyCode", currency)
            w.end()
        }
        w.end()
    }

    static func scheme(_ id: String) -> String { id.count == 11 ? "TCKN" : "VKN" }

    static func writeAddress(_ w: XMLDocumentWriter, _ a: PostalAddress) {
        w.start("cac:PostalAddress")
        w.element("cbc:StreetName", ifPresent: a.street)
        w.element("cbc:CitySubdivisionName", a.district)
        w.element("cbc:CityName", a.city)
        w.element("cbc:PostalZone", ifPresent: a.postalCode)
        w.start("cac:Country")
        w.element("cbc:IdentificationCode", ifPresent: a.countryCode)
        w.element("cbc:Name", a.country)
        w.end()
        w.end()
    }

    static func writeSignature(_ w: XMLDocumentWriter, _ s: SellerProfile) {
        w.start("cac:Signature")
        w.element("cbc:ID", s.taxID, [("schemeID", "VKN_TCKN")])
        w.start("cac:SignatoryParty")
        w.start("cac:PartyIdentification"); w.element("cbc:ID", s.taxID, [("schemeID", scheme(s.taxID))]); w.end()
        writeAddress(w, s.address)
        w.end()
        w.start("cac:DigitalSignatureAttachment"); w.start("cac:ExternalReference")
        w.element("cbc:URI", "#Signature")
        w.end(); w.end()
        w.end()
    }

    static func writeSupplier(_ w: XMLDocumentWriter, _ s: SellerProfile, website: String?) {
        w.start("cac:Party")
        w.element("cbc:WebsiteURI", ifPresent: website)
        w.start("cac:PartyIdentification"); w.element("cbc:ID", s.taxID, [("schemeID", scheme(s.taxID))]); w.end()
        if let m = s.mersisNo { w.start("cac:PartyIdentification"); w.element("cbc:ID", m, [("schemeID", "MERSISNO")]); w.end() }
        if let r = s.registryNo { w.start("cac:PartyIdentification"); w.element("cbc:ID", r, [("schemeID", "TICARETSICILNO")]); w.end() }
        w.start("cac:PartyName"); w.element("cbc:Name", s.name); w.end()
        writeAddress(w, s.address)
        w.start("cac:PartyTaxScheme"); w.start("cac:TaxScheme"); w.element("cbc:Name", s.taxOffice); w.end(); w.end()
        if let person = s.personName {
            w.start("cac:Person"); w.element("cbc:FirstName", person.first); w.element("cbc:FamilyName", person.family); w.end()
        }
        w.end()
    }

    static func writeCustomer(_ w: XMLDocumentWriter, _ c: InvoiceCustomer) {
        w.start("cac:Party")
        w.start("cac:PartyIdentification")
        if let vkn = c.vkn { w.element("cbc:ID", vkn, [("schemeID", "VKN")]) } else { w.element("cbc:ID", c.tckn ?? "11111111111", [("schemeID", "TCKN")]) }
        w.end()
        if c.vkn != nil { w.start("cac:PartyName"); w.element("cbc:Name", c.name); w.end() }
        writeAddress(w, c.address)
        if let office = c.taxOffice, c.vkn != nil {
            w.start("cac:PartyTaxScheme"); w.start("cac:TaxScheme"); w.element("cbc:Name", office); w.end(); w.end()
        }
        if c.email != nil || c.phone != nil {
            w.start("cac:Contact")
            w.element("cbc:Telephone", ifPresent: c.phone)
            w.element("cbc:ElectronicMail", ifPresent: c.email)
            w.end()
        }
        if c.vkn == nil {
            w.start("cac:Person"); w.element("cbc:FirstName", c.firstName); w.element("cbc:FamilyName", c.familyName); w.end()
        }
        w.end()
    }
}
