import Foundation

/// Derives an invoice from a stored order: the VAT split, the buyer and its identity, the
/// profile, the internet-sale data, the notes. Pure: everything it needs comes in as values.
///
/// Rounding rule (the only one, ``KDVSplit``): each line's KDV is its VAT-inclusive total × rate /
/// (100 + rate), rounded half away from zero to the kuruş; its base is the difference. Every
/// document total is the sum of line values, so totals reconcile exactly and the payable
/// amount equals what the order's lines (and shipping) are invoiced at.
public struct InvoiceBuilder: Sendable {
    /// The e-Fatura profile for buyers registered on GİB's user list (TEMELFATURA or TICARIFATURA).
    public var corporateProfile: InvoiceDocument.Profile = .TEMELFATURA
    /// Without a user list: `true` gives buyers with a VKN the e-Fatura profile, `false` (the
    /// default, which is safe) gives everyone an e-Arşiv invoice.
    public var eFaturaWithoutUserList = false
    /// KDV rate of the shipping line.
    public var shippingVATRate = 20
    /// The name of the shipping line.
    public var shippingLineName = "Kargo Bedeli"
    /// The exemption written on 0 % lines: per SKU, per category, else GİB's 351.
    public var zeroRate = ZeroRateRules()
    /// Carriers by name → title and tax number.
    public var carriers = CarrierTable()

    public init() {}

    /// The exemption of 0 % lines.
    public struct ZeroRateRules: Sendable {
        public var standard = TaxExemption.zeroRate
        public var bySKU: [String: TaxExemption] = [:]
        public var byCategory: [String: TaxExemption] = [:]
        public init() {}

        func exemption(for line: OrderLine) -> TaxExemption {
            bySKU[line.sku] ?? line[.kategori].flatMap { byCategory[ColumnName.folded($0)] } ?? standard
        }
    }

    /// What GİB's user list says of the buyer on the issue date.
    public enum Registration: Sendable, Equatable {
        /// No user list has been loaded: the seller's setting decides.
        case noList
        /// Registered for e-Fatura (an Invoice alias created before and not deleted by the issue date).
        case registered(isPublicBody: Bool)
        case notRegistered
    }

    /// Where the sale happened and who collected the money (from the mapping's `sale:` section).
    public struct SaleChannel: Sendable, Equatable {
        /// The web address of the sale; `nil` for a web shop, whose address is the seller's web site.
        public var site: String?
        /// The payment intermediary (a marketplace's legal name), when there is one.
        public var paymentIntermediary: String?
        public init(site: String?, paymentIntermediary: String?) {
            self.site = site
            self.paymentIntermediary = paymentIntermediary
        }
    }

    /// An invoice ready to number, and what an e-Arşiv internet sale would still need (written all the same).
    public struct Draft: Sendable {
        public var document: InvoiceDocument
        public var missing: [String]
    }

    /// Why an order is not invoiced now: it would be invalid, or its seller asked to hold it.
    public struct Hold: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    /// The invoice of `order`. Throws ``Hold`` when it cannot be valid (a buyer identity that
    /// fails its check digits, an amount past Int64, a KAMU buyer without the seller's IBAN).
    /// An order in another currency needs the `exchangeRate` of its currency (``ExchangeRatePolicy``
    /// chooses it), or it is held.
    public func build(order: NormalizedOrder, seller: SellerProfile, number: String, uuid: String, issueDate: CivilDateTime,
                      registration: Registration = .noList, channel: SaleChannel? = nil,
                      exchangeRate: ExchangeRate? = nil) throws(Hold) -> Draft {
        if let problem = seller.problems.first { throw Hold("the seller's profile in pra.yaml: \(problem)") }
        if order.currency != "TRY" && exchangeRate?.currency != order.currency {
            throw Hold("the order is in \(order.currency) and no exchange rate of \(order.currency) was given")
        }
        let customer = try Self.customer(of: order)
        let profile = self.profile(for: customer, registration: registration)
        if profile == .KAMU && seller.iban == nil {
            throw Hold("the buyer is a public body (KAMU): its invoice needs the seller's IBAN (sellers.\(seller.code).iban in pra.yaml)")
        }
        let lines: [InvoiceLine]
        var doc: InvoiceDocument
        do {
            lines = try self.lines(for: order)
            doc = try InvoiceDocument(
                id: number, uuid: uuid, issueDate: issueDate, profile: profile,
                typeCode: InvoiceDocument.TypeCode(lines: lines),
                currency: order.currency, supplier: seller, customer: customer, orderNumber: order.orderNumber,
                orderDate: order.orderDate.map { CivilDateTime(year: $0.local.year, month: $0.local.month, day: $0.local.day) },
                lines: lines, notes: [])
        } catch {
            throw Hold("\(error)")
        }
        doc.notes = ["Yalnız " + TurkishAmountInWords.words(doc.taxInclusiveTotal, currency: order.currency)]
        if order.currency != "TRY", let rate = exchangeRate {
            do {
                doc.exchangeRate = rate
                doc.notes.append(try Self.liraNote(doc, rate: rate))
            } catch {
                throw Hold("\(error)")
            }
        }
        if Self.isExport(order) {
            doc.notes.append("Mal ihracatı: KDV Kanunu 11/1-a uyarınca KDV'den istisnadır; mal Türkiye dışına gönderilir "
                             + "(\(doc.customer.address.country)).")
        }
        var missing: [String] = []
        doc.paymentMeans = paymentMeans(order, channel: channel, profile: profile, seller: seller, missing: &missing)
        doc.deliveries = deliveries(order, defaultCarrier: seller.defaultCarrier, missing: &missing)
        doc.saleWebAddress = channel?.site ?? seller.webSite
        if doc.saleWebAddress == nil { missing.append("the web address of the sale (sellers.\(seller.code).web_site)") }
        if doc.customer.address.countryCode == nil {
            missing.append("an ISO code for the buyer's country '\(doc.customer.address.country)'")
        }
        // Only an e-Arşiv internet sale must carry these; an e-Fatura may do without.
        return Draft(document: doc, missing: profile == .EARSIVFATURA ? missing : [])
    }

    /// The order's billable lines, then shipping as a line, each with its KDV split out (and the
    /// exemption of a 0 % line). ERP exports use the same lines, so they agree with the invoice.
    /// An export (goods delivered abroad) is exempt whole: every line, shipping included, at 0 %
    /// with GİB's 301 (KDVK 11/1-a), its amount the price the buyer paid.
    public func lines(for order: NormalizedOrder) throws(AmountOverflow) -> [InvoiceLine] {
        let export = Self.isExport(order)
        var lines: [InvoiceLine] = []
        for l in order.billableLines {
            let rate = export ? 0 : l.vatRate
            for (quantity, gross) in Self.exactUnits(l.lineTotal, quantity: l.quantity) {
                lines.append(try InvoiceLine(name: l[.urun_adi] ?? l.sku, sellerItemID: l.sku, quantity: quantity, vatRate: rate,
                                             grossAmount: gross,
                                             exemption: export ? .export : l.vatRate == 0 ? zeroRate.exemption(for: l) : nil))
            }
        }
        if order.shipping != .zero {
            let rate = export ? 0 : shippingVATRate
            lines.append(try InvoiceLine(name: shippingLineName, sellerItemID: nil, quantity: 1, vatRate: rate,
                                         grossAmount: order.shipping,
                                         exemption: export ? .export : shippingVATRate == 0 ? zeroRate.standard : nil))
        }
        return lines
    }

    /// Whether the goods go abroad: the delivery address (else the billing address) is in a
    /// country other than Türkiye. Such a sale is an export (KDVK 11/1-a; a parcel under an ETGB
    /// is a micro-export alike) and its buyer is invoiced on e-Arşiv as GİB's 2222222222.
    public static func isExport(_ order: NormalizedOrder) -> Bool {
        guard let text = order[.teslimat_ulke] ?? order[.fatura_ulke], let country = CountryCode.resolve(text) else { return false }
        return country.code != "TR"
    }

    /// The day, in Türkiye, the invoice's tax arises (KDVK m.10/a): the goods' dispatch, or the
    /// invoice's issue when that comes first. An order reported shipped without a date of its
    /// dispatch left on its latest known day (paid, else ordered): the earliest it can have gone.
    public static func taxPointDay(of order: NormalizedOrder, issued: CivilDateTime) -> CalendarDay {
        let issue = CalendarDay(issued)
        let left = despatchMoment(order) ?? (isShipped(order) ? (order.values.date(.odeme_tarihi) ?? order.orderDate) : nil)
        guard let left else { return issue }
        return min(CalendarDay(DateFormat.instant(epochSeconds: left.epochSeconds, zone: turkey).local), issue)
    }

    static let turkey = TimeZone(identifier: "Europe/Istanbul")!

    /// The note a foreign-currency invoice carries: the rate, its source and date, and the Turkish
    /// lira equivalents (VUK m.215) by the rule every ERP file shares (``LiraEquivalent``).
    static func liraNote(_ doc: InvoiceDocument, rate: ExchangeRate) throws(AmountOverflow) -> String {
        let lira = try LiraEquivalent(lines: doc.lines, rate: rate.value)
        return "Kur: 1 \(rate.currency) = \(rate.value) TL (TCMB \(rate.kind.turkishName), \(rate.published.civil.turkishDateString)"
            + (rate.bulletin.map { ", bülten \($0)" } ?? "") + "). TL karşılığı: matrah \(lira.taxable) TL, KDV \(lira.tax) TL, "
            + "toplam \(lira.gross) TL."
    }

    /// A line total as parts whose VAT-inclusive unit price is a whole number of kuruş, so unit
    /// price × quantity gives the total exactly in the invoice and in every ERP that recomputes
    /// it: 100,00 TL for 3 pieces is 2 × 33,33 and 1 × 33,34. A total that divides stays one part.
    static func exactUnits(_ total: Money, quantity: Int) -> [(quantity: Int, gross: Money)] {
        let q = Int64(max(quantity, 1))
        let unit = total.minorUnits / q, rest = total.minorUnits - unit * q
        guard rest != 0, quantity > 1 else { return [(quantity, total)] }
        let step: Int64 = rest > 0 ? 1 : -1
        let more = Int(rest.magnitude)
        return [(quantity - more, Money(minorUnits: unit * Int64(quantity - more))),
                (more, Money(minorUnits: (unit + step) * Int64(more)))]
    }

    /// e-Fatura for a buyer registered on GİB's list (KAMU for a public body), e-Arşiv for
    /// everyone else — unregistered companies, consumers, foreigners — with their VKN or TCKN.
    public func profile(for customer: InvoiceCustomer, registration: Registration) -> InvoiceDocument.Profile {
        if customer.vkn == TaxIdentity.abroad { return .EARSIVFATURA }
        switch registration {
        case .registered(let isPublicBody): return isPublicBody ? .KAMU : corporateProfile
        case .notRegistered: return .EARSIVFATURA
        case .noList: return eFaturaWithoutUserList && customer.vkn != nil ? corporateProfile : .EARSIVFATURA
        }
    }

    /// The buyer: a company by VKN (with its name), or a person by TCKN — GİB's 11111111111 when
    /// unknown. A VKN or TCKN that fails its check digits holds the invoice.
    public static func customer(of order: NormalizedOrder) throws(Hold) -> InvoiceCustomer {
        // The billing address when the order has one, else the shipping address.
        let billing = order[.fatura_il] != nil
        func address(_ billingField: TargetField, _ shippingField: TargetField) -> String? {
            order[billing ? billingField : shippingField]
        }
        let city = address(.fatura_il, .teslimat_il)
        let fullName = (order[.musteri_adi] ?? "").split(separator: " ").map(String.init)
        let first = fullName.count > 1 ? fullName.dropLast().joined(separator: " ") : (fullName.first ?? "Nihai")
        let family = fullName.count > 1 ? fullName.last! : (fullName.isEmpty ? "Tüketici" : "-")
        // A buyer abroad has no Turkish identity: GİB's 2222222222 stands for it.
        let abroad = isExport(order)
        let vkn = abroad ? TaxIdentity.abroad : order[.vergi_numarasi]
        let tckn = vkn == nil ? (order[.tc_kimlik_no] ?? TaxIdentity.anonymousConsumer) : nil
        if let id = vkn ?? tckn, let problem = TaxIdentity.problem(id) {
            throw Hold("the buyer's \(problem); correct it on the platform (or in the export) and drop the file again")
        }
        let countryText = address(.fatura_ulke, .teslimat_ulke)
        let country: (code: String, name: String)?
        if let countryText { country = CountryCode.resolve(countryText) } else { country = (code: "TR", name: "Türkiye") }
        return InvoiceCustomer(
            vkn: vkn, tckn: tckn,
            name: order[.firma_adi] ?? order[.musteri_adi] ?? "Nihai Tüketici", firstName: first, familyName: family,
            taxOffice: order[.vergi_dairesi],
            address: PostalAddress(street: address(.fatura_adresi, .teslimat_adresi),
                                   district: address(.fatura_ilce, .teslimat_ilce) ?? city ?? "-",
                                   city: city ?? "-", postalCode: address(.fatura_posta_kodu, .teslimat_posta_kodu),
                                   country: country?.name ?? countryText ?? "Türkiye", countryCode: country?.code),
            email: order[.musteri_email], phone: order[.musteri_telefon])
    }

    /// How the buyer paid: the export's payment type and date, else a marketplace's intermediary
    /// and the order date (a marketplace collects at the order).
    func paymentMeans(_ order: NormalizedOrder, channel: SaleChannel?, profile: InvoiceDocument.Profile, seller: SellerProfile,
                      missing: inout [String]) -> PaymentMeans {
        let date = (order.values.date(.odeme_tarihi) ?? order.orderDate).map {
            CivilDateTime(year: $0.local.year, month: $0.local.month, day: $0.local.day)
        }
        if date == nil { missing.append("the payment date") }
        var means = PaymentMeans(code: Self.paymentMeansCode(order[.odeme_tipi]), date: date,
                                 payeeIBAN: profile == .KAMU ? seller.iban : nil)
        if let intermediary = Self.paymentIntermediary(order, channel: channel) {
            means.channel = "ODEMEARACISI"
            means.note = "Ödeme aracısı: \(intermediary)"
        }
        return means
    }

    /// Who collected the payment: the marketplace's intermediary (its mapping's `sale:`), else the
    /// payment institution a web shop's checkout names (``PaymentGateways``).
    public static func paymentIntermediary(_ order: NormalizedOrder, channel: SaleChannel?) -> String? {
        channel?.paymentIntermediary ?? PaymentGateways.intermediary(named: order[.odeme_tipi])
    }

    /// UN/ECE 4461 for a payment type as exports write it.
    static func paymentMeansCode(_ text: String?) -> String {
        let t = ColumnName.folded(text ?? "")
        if t.isEmpty || t.contains("kart") || t.contains("card") || t.contains("kredi") || t.contains("iyzico")
            || t.contains("paytr") || t.contains("stripe") || t.contains("paypal") || t.contains("shopify payments") {
            return "48"
        }
        if t.contains("havale") || t.contains("eft") || t.contains("transfer") || t.contains("bank") { return "42" }
        if t.contains("kapida") || t.contains("cash") || t.contains("nakit") || t.contains("cod") { return "10" }
        return "ZZZ"
    }

    /// A Delivery per package the invoiced lines went out in (a line's own carrier and tracking
    /// number, else the order's), in line order: the carrier (title and tax number from the
    /// carrier table), the tracking number and, once shipped, the dispatch date.
    func deliveries(_ order: NormalizedOrder, defaultCarrier: String?, missing: inout [String]) -> [DeliveryInfo] {
        var packages: [(carrier: String?, tracking: String?)] = []
        for line in order.billableLines {
            let package = (line[.satir_kargo_firmasi] ?? order[.kargo_firmasi] ?? defaultCarrier,
                           line[.satir_kargo_takip_no] ?? order[.kargo_takip_no])
            if !packages.contains(where: { $0 == package }) { packages.append(package) }
        }
        if packages.isEmpty { packages = [(order[.kargo_firmasi] ?? defaultCarrier, order[.kargo_takip_no])] }
        return packages.map { delivery(order, carrierName: $0.carrier, tracking: $0.tracking, missing: &missing) }
    }

    /// When the goods left: the dispatch date, else — for an order reported shipped — when it was.
    static func despatchMoment(_ order: NormalizedOrder) -> Timestamp? {
        order.values.date(.kargo_tarihi) ?? (isShipped(order) ? order.updatedAt : nil)
    }

    static func isShipped(_ order: NormalizedOrder) -> Bool {
        order.status == .kargoda || order.status == .teslim_edildi || order.status == .teslim_edilemedi
    }

    /// One package's Delivery; what it lacks goes to `missing` (once per item).
    func delivery(_ order: NormalizedOrder, carrierName name: String?, tracking: String?, missing: inout [String]) -> DeliveryInfo {
        func lacks(_ item: String) { if !missing.contains(item) { missing.append(item) } }
        let carrier = carriers.carrier(named: name)
        if carrier == nil {
            lacks(name.map { "the title and VKN of the carrier '\($0)' (carriers: in pra.yaml)" }
                  ?? "the carrier (sellers.<code>.default_carrier in pra.yaml)")
        }
        let despatch = Self.despatchMoment(order).map { CivilDateTime(year: $0.local.year, month: $0.local.month, day: $0.local.day) }
        // GİB's internet-sale data names the shipment: its tracking number and the day it left.
        if tracking == nil { lacks("the tracking number") }
        if despatch == nil { lacks("the dispatch date (the order has not shipped, or the export gives no date)") }
        return DeliveryInfo(carrier: carrier, carrierName: name, trackingNumber: tracking, despatchDate: despatch)
    }
}
