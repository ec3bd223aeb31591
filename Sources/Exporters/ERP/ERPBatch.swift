import OrderCore

/// The ERP formats PraIngest writes. See `docs/erp-formats.md` for what is public about each.
public enum ERPFormat: String, Sendable, CaseIterable {
    /// `;`-separated Turkish CSV for any ERP and for Excel.
    case generic_csv
    /// Logo Tiger/GO "XML aktarım": sales invoices (`SALES_INVOICES`).
    case logo_invoice
    /// Logo Tiger/GO "XML aktarım": sales orders (`SALES_ORDERS`).
    case logo_order
    /// Rows named after Mikro's `SIPARISLER` columns (Mikro has no public file import).
    case mikro
    /// Rows named after Netsis' order tables (Netsis has no public file import).
    case netsis

    public var fileExtension: String {
        switch self {
        case .logo_invoice, .logo_order: return "xml"
        default: return "csv"
        }
    }
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

/// One order as the ERP sees it: a sales document for a customer account.
public struct ERPOrder: Sendable {
    public var orderNumber: String
    /// A number unique and stable per order (the database id), for ERPs that number documents.
    public var documentSequence: Int64
    public var platform: String
    public var date: CivilDateTime
    /// The ERP's customer account (cari kod), e.g. `120.01.001`.
    public var accountCode: String
    public var customerName: String
    /// The e-invoice number, when the order has been invoiced.
    public var invoiceNumber: String?
    /// Lines as on the invoice: KDV split out, shipping as the last line (no SKU).
    public var lines: [InvoiceLine]

    /// The lines' totals, summed with overflow checks.
    public let totals: InvoiceTotals

    public init(orderNumber: String, documentSequence: Int64, platform: String, date: CivilDateTime, accountCode: String,
                customerName: String, invoiceNumber: String?, lines: [InvoiceLine]) throws(AmountOverflow) {
        self.totals = try InvoiceTotals(lines)
        self.orderNumber = orderNumber
        self.documentSequence = documentSequence
        self.platform = platform
        self.date = date
        self.accountCode = accountCode
        self.customerName = customerName
        self.invoiceNumber = invoiceNumber
        self.lines = lines
    }

    public var taxableTotal: Money { totals.taxable }
    public var taxTotal: Money { totals.tax }
    public var grossTotal: Money { totals.gross }
}

/// How ERP files are written for a seller.
public struct ERPOptions: Sendable {
    public enum CSVEncoding: String, Sendable { case utf8_bom = "utf-8-bom", windows1254 = "windows-1254" }
    public var csvEncoding: CSVEncoding = .utf8_bom
    /// Stock code of the shipping line in ERPs that need one (a service card).
    public var shippingCode = "KARGO"
    public init() {}
}

/// Writes a batch in a format. Pure: bytes out, no files.
public enum ERPWriter {
    public static func write(_ batch: ERPBatch, format: ERPFormat, options: ERPOptions) -> [UInt8] {
        switch format {
        case .generic_csv: return GenericCSVWriter.write(batch, options: options)
        case .logo_invoice: return LogoXMLWriter.write(batch, kind: .invoice, options: options)
        case .logo_order: return LogoXMLWriter.write(batch, kind: .order, options: options)
        case .mikro: return MikroCSVWriter.write(batch, options: options)
        case .netsis: return NetsisCSVWriter.write(batch, options: options)
        }
    }
}
