import OrderCore

/// The ERP formats PraIngest writes. See `docs/erp-formats.md` for each field and its source.
public enum ERPFormat: String, Sendable, CaseIterable {
    /// `;`-separated Turkish CSV, one row per invoice line, for any ERP and for Excel.
    case generic_csv
    /// One row per invoice, at most 15 columns and 400 rows a file: what Luca, ETA and Zirve's
    /// Excel invoice imports take.
    case luca
    /// Logo Tiger/GO "XML aktarım": sales invoices (`SALES_INVOICES`) carrying their e-invoice.
    case logo_invoice
    /// Logo Tiger/GO "XML aktarım": sales orders (`SALES_ORDERS`), before they are invoiced.
    case logo_order
    /// Mikro: the rows of its `SiparisKaydetV2` service (`satirlar`), as CSV and as the JSON payload.
    case mikro
    /// Netsis: invoice header and line fields of its NetOpenX objects (`FatUst`, `Kalem`).
    case netsis

    public var fileExtension: String {
        switch self {
        case .logo_invoice, .logo_order: return "xml"
        default: return "csv"
        }
    }

    /// Whether the format records invoices: it takes an order only once its e-invoice exists, and
    /// carries its number, ETTN and date. An order-type format (`logo_order`) may go earlier.
    public var needsInvoice: Bool { self != .logo_order }

    /// Why an order cannot go into this format as it is, or `nil`.
    public func problem(_ order: ERPOrder, options: ERPOptions) -> String? {
        if needsInvoice && order.invoice == nil { return "it has no e-invoice yet" }
        if self == .luca, let rate = LucaCSVWriter.unsupportedRates(order).first {
            return "its \(rate) % KDV has no column in the per-invoice file"
        }
        if order.currency != "TRY" {
            switch self {
            case .netsis:
                return "it is in \(order.currency), and Netsis's currency fields are not known to PraIngest (no public "
                    + "template names them): book it from generic_csv, which carries the rate and both amounts"
            case .mikro:
                if options.mikroCurrencyCodes[order.currency] == nil {
                    return "Mikro's number of \(order.currency) is not known: add it under erp.mikro_currency_codes in pra.yaml"
                }
            case .logo_invoice, .logo_order:
                if options.logoCurrencyCodes[order.currency] == nil {
                    return "Logo's code of \(order.currency) is not known: add it under erp.logo_currency_codes in pra.yaml"
                }
            default: break
            }
        }
        return nil
    }

    /// How many orders go into one file at most: a year's backlog becomes several files, and
    /// Luca's invoice import takes 400 rows.
    public var ordersPerFile: Int { self == .luca ? 400 : 5_000 }
}

/// Orders going out to an ERP in one file, with everything derived (VAT split, accounts).
public struct ERPBatch: Sendable {
    public var seller: String
    public var createdAt: CivilDateTime
    public var orders: [ERPOrder]
    public init(seller: String, createdAt: CivilDateTime, orders: [ERPOrder]) {
        self.seller = seller
        self.createdAt = createdAt
        self.orders = orders
    }
}

/// The e-invoice an ERP record carries: what links it to the GİB document.
public struct ERPInvoice: Sendable, Equatable {
    /// GİB number: 3-character series, 4-digit year, 9-digit sequence (`PRE2026000000042`).
    public var number: String
    /// The ETTN.
    public var uuid: String
    /// When it was issued (local time, Istanbul): the document date in every ERP.
    public var issued: CivilDateTime
    /// `TEMELFATURA`, `TICARIFATURA`, `KAMU` or `EARSIVFATURA`.
    public var profile: String
    /// The rate to lira of an invoice in another currency.
    public var exchangeRate: ExchangeRate?

    public init(number: String, uuid: String, issued: CivilDateTime, profile: String, exchangeRate: ExchangeRate? = nil) {
        self.number = number
        self.uuid = uuid
        self.issued = issued
        self.profile = profile
        self.exchangeRate = exchangeRate
    }

    public var isEArsiv: Bool { profile == "EARSIVFATURA" }
    /// The series (`PRE`) and the year-and-sequence parts of the number.
    public var series: String { String(number.prefix(3)) }
    public var year: Int { Int(number.dropFirst(3).prefix(4)) ?? issued.year }
    public var sequence: Int { Int(number.dropFirst(7)) ?? 0 }
}

/// One order as the ERP sees it: a sales document for a customer account.
public struct ERPOrder: Sendable {
    public var orderNumber: String
    /// A number unique and stable per order (the database id).
    public var documentSequence: Int64
    public var platform: String
    public var orderDate: CivilDateTime
    /// The ERP's customer account (cari kod): the buyer's own for a company with a VKN (by the
    /// seller's rule), else the platform's shared account.
    public var accountCode: String
    public var buyer: InvoiceCustomer
    /// The order's e-invoice; `nil` only in order-type formats.
    public var invoice: ERPInvoice?
    /// Where the sale happened and who collected the payment, when, and how (e-Arşiv detail).
    public var saleWebAddress: String?
    public var paymentIntermediary: String?
    public var paymentDate: CivilDateTime?
    /// Lines as on the invoice: KDV split out, shipping as the last line (no SKU); every line's
    /// VAT-inclusive unit price is exact.
    public var lines: [InvoiceLine]

    /// The lines' totals, summed with overflow checks.
    public let totals: InvoiceTotals
    /// The invoice's currency (`TRY`, or the order's).
    public var currency: String { invoice?.exchangeRate?.currency ?? "TRY" }
    /// The lira equivalents of an invoice in another currency (`nil` for one in lira): what its
    /// note says, line by line.
    public let lira: LiraEquivalent?

    public init(orderNumber: String, documentSequence: Int64, platform: String, orderDate: CivilDateTime, accountCode: String,
                buyer: InvoiceCustomer, invoice: ERPInvoice?, lines: [InvoiceLine]) throws(AmountOverflow) {
        self.totals = try InvoiceTotals(lines)
        self.lira = try invoice?.exchangeRate.map { rate throws(AmountOverflow) in try LiraEquivalent(lines: lines, rate: rate.value) }
        self.orderNumber = orderNumber
        self.documentSequence = documentSequence
        self.platform = platform
        self.orderDate = orderDate
        self.accountCode = accountCode
        self.buyer = buyer
        self.invoice = invoice
        self.lines = lines
    }

    /// The document date: the invoice's issue date (its KDV month), else the order's.
    public var date: CivilDateTime { invoice?.issued ?? orderDate }
    public var taxableTotal: Money { totals.taxable }
    public var taxTotal: Money { totals.tax }
    public var grossTotal: Money { totals.gross }
    /// The buyer's VKN, else TCKN.
    public var buyerID: String { buyer.vkn ?? buyer.tckn ?? "" }
    /// The invoice's type as the e-invoice has it: ISTISNA when a line carries an exemption proper
    /// (for the KDV return, where exempt sales are declared apart), else SATIS.
    public var invoiceType: InvoiceDocument.TypeCode { InvoiceDocument.TypeCode(lines: lines) }
}

/// How ERP files are written for a seller (`sellers.<code>.erp` in `pra.yaml`).
public struct ERPOptions: Sendable {
    public enum CSVEncoding: String, Sendable { case utf8_bom = "utf-8-bom", windows1254 = "windows-1254" }
    public var csvEncoding: CSVEncoding = .utf8_bom
    /// Stock code of the shipping line in ERPs that need one (a service card).
    public var shippingCode = "KARGO"
    /// The ERP's item code for a SKU, where it differs (`item_codes:`).
    public var itemCodes: [String: String] = [:]
    /// The warehouse the goods leave from (Logo `SOURCE_WH`, Mikro `sip_depono`, Netsis `DEPO_KODU`).
    public var warehouse = "1"
    /// The unit of the items (Logo `UNIT_CODE`), and Mikro's pointer to it (`sip_birim_pntr`).
    public var unit = "ADET"
    public var mikroUnitPointer = 1
    /// Mikro stores a KDV rate as a pointer into its rate table (`sip_vergi_pntr`).
    public var mikroVATPointers: [Int: Int] = [0: 1, 1: 2, 8: 3, 10: 3, 18: 4, 20: 4]
    /// Logo's e-document status for an invoice sent by another application, when the seller's
    /// Logo partner has named it (`ESTATUS`; `EARCHIVEDETR_EARCHIVESTATUS` for e-Arşiv).
    public var logoEInvoiceStatus: String?
    public var logoEArchiveStatus: String?
    /// Logo's invoice type (`TYPE`): 8 Toptan Satış Faturası, 7 Perakende Satış Faturası; `nil`
    /// decides by the buyer: 8 for a company (a VKN), 7 for a consumer.
    public var logoInvoiceType: Int?
    /// Logo's currency types (`CURR_TRANSACTIN`, `EDT_CURR`): 1 USD, 17 GBP, 20 EUR as integrators
    /// write them, 160 the lira; others the seller's Logo partner names (`erp.logo_currency_codes`).
    public var logoCurrencyCodes: [String: Int] = ["USD": 1, "GBP": 17, "EUR": 20]
    /// Mikro's currency numbers (`sip_doviz_cinsi`): 1 USD, 2 EUR as integrators write them, 0 the
    /// lira; others as the seller's Mikro has them (`erp.mikro_currency_codes`).
    public var mikroCurrencyCodes: [String: Int] = ["USD": 1, "EUR": 2]
    public init() {}

    /// Logo's `TYPE` for the invoice of `order`.
    public func logoInvoiceType(for order: ERPOrder) -> Int { logoInvoiceType ?? (order.buyer.vkn != nil ? 8 : 7) }

    /// The ERP item code of a line: the seller's code for its SKU, the SKU, or the shipping code.
    public func itemCode(_ line: InvoiceLine) -> String {
        guard let sku = line.sellerItemID else { return shippingCode }
        return itemCodes[sku] ?? sku
    }
}

/// Writes a batch in a format. Pure: bytes out, no files.
public enum ERPWriter {
    public static func write(_ batch: ERPBatch, format: ERPFormat, options: ERPOptions) -> [UInt8] {
        switch format {
        case .generic_csv: return GenericCSVWriter.write(batch, options: options)
        case .luca: return LucaCSVWriter.write(batch, options: options)
        case .logo_invoice: return LogoXMLWriter.write(batch, kind: .invoice, options: options)
        case .logo_order: return LogoXMLWriter.write(batch, kind: .order, options: options)
        case .mikro: return MikroWriter.csv(batch, options: options)
        case .netsis: return NetsisCSVWriter.write(batch, options: options)
        }
    }

    /// Files that go with a batch's file and are written before it: Logo's customer cards for
    /// buyers with their own account (`-cari.xml`), Mikro's service payload (`.json`).
    public static func companions(_ batch: ERPBatch, format: ERPFormat, options: ERPOptions) -> [(suffix: String, bytes: [UInt8])] {
        switch format {
        case .logo_invoice: return LogoXMLWriter.customerCards(batch).map { [("-cari.xml", $0)] } ?? []
        case .mikro: return [(".json", MikroWriter.json(batch, options: options))]
        default: return []
        }
    }
}

extension DelimitedText.Cell {
    /// A unit price with as many decimals as it needs, at most `decimals` (`27,773333`).
    static func price(_ amount: Money, dividedBy quantity: Int, decimals: Int = 6) -> DelimitedText.Cell {
        .number(ERPNumber.quotient(amount, quantity, decimals: decimals, comma: true))
    }
}

/// Numbers as ERP files write them.
enum ERPNumber {
    /// `amount / quantity` with up to `decimals` decimals (trailing zeros after the second
    /// dropped), rounded half away from zero: enough that unit × quantity rounds back to the amount.
    static func quotient(_ amount: Money, _ quantity: Int, decimals: Int, comma: Bool) -> String {
        let q = Int64(max(quantity, 1))
        var scale: Int64 = 1
        for _ in 0..<(decimals - 2) { scale *= 10 }
        let scaled = (try? Money.mulDiv(amount.minorUnits, scale, q, rounding: .halfAwayFromZero)) ?? 0
        let sign = scaled < 0 ? "-" : ""
        let m = scaled.magnitude
        let whole = m / UInt64(scale * 100)
        var frac = String(m % UInt64(scale * 100))
        frac = String(repeating: "0", count: decimals - frac.count) + frac
        while frac.count > 2 && frac.hasSuffix("0") { frac.removeLast() }
        return "\(sign)\(whole)\(comma ? "," : ".")\(frac)"
    }
}
