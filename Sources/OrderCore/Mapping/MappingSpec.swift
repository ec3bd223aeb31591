import Foundation

/// A place in a mapping file, for error messages an admin can act on: `trendyol.yaml:12:5`.
public struct SpecLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    public var description: String { "\(file):\(line):\(column)" }
}

/// What a mapping's records are, and so which rules it has.
public enum MappingKind: String, Sendable, CaseIterable {
    /// Orders with their lines (`order:` and `line:` rules).
    case orders
    /// A carrier's or marketplace's shipment events (`shipment:` rules): they update the orders they name.
    case shipments
    /// Invoices an e-invoice provider issued (`invoice:` rules): attached to their orders.
    case invoices
    /// Exchange rates of another source than TCMB's daily file (`rate:` rules, one currency of a
    /// day per record): reference data, taken from the operator's `reference/` only.
    case exchange_rates
    /// A seller's catalogue with stock and price (`product:` rules, one SKU per record): a
    /// platform's product export or a plain list; a later reading of a SKU replaces an earlier one.
    case products

    /// The level of the record rules, and the name of their section in the mapping file.
    public var recordLevel: TargetField.Level {
        switch self {
        case .orders: return .order
        case .shipments: return .shipment
        case .invoices: return .invoice
        case .exchange_rates: return .rate
        case .products: return .product
        }
    }

    /// Groups of fields of which each record needs at least one (a rule for it, and a value).
    public var requiredFields: [[TargetField]] {
        switch self {
        case .orders: return [[.siparis_numarasi]]
        case .shipments: return [[.gonderi_durumu], [.siparis_numarasi, .kargo_takip_no, .kargo_referansi]]
        case .invoices: return [[.fatura_no], [.ettn], [.fatura_tarihi], [.odenecek_tutar]]
        case .exchange_rates: return [[.kur_tarihi], [.doviz_kodu], [.doviz_alis, .doviz_satis, .efektif_alis, .efektif_satis]]
        case .products: return [[.sku]]
        }
    }
}

/// A mapping file, parsed and checked: how one platform's export becomes normalized orders
/// (or shipment events, or received invoices: ``kind``).
public struct MappingSpec: Sendable {
    /// The file's base name without extension (`trendyol-xlsx`).
    public var name: String
    /// Where it was read from, as shown in messages.
    public var file: String
    /// Platform name (`platformlar.ad`), e.g. `Trendyol`.
    public var platform: String
    /// Platform type (`platform_turleri.ad`), e.g. `marketplace`.
    public var platformType: String
    public var kind: MappingKind = .orders
    public var match: MatchRule
    public var format: FormatSpec
    public var records: RecordSpec
    /// The rules of the record: the order's (`order:`), or the shipment's / invoice's.
    public var orderRules: [FieldRule]
    /// The rules of each line (orders only).
    public var lineRules: [FieldRule]
    /// Charges invoiced as lines of their own (`fee_lines:`).
    public var feeLines: [FeeLine] = []
    public var timeZone: TimeZone
    public var prices: PriceBasis
    /// Which lines the platform's order total must equal (plus shipping, minus platform discounts).
    public var reconcile: Reconciliation
    public var onRecordError: RecordErrorPolicy
    public var tests: [MappingTest]
    /// Where the platform's sales happen and who collects the money (`sale:`), for the internet
    /// sale data of e-Arşiv invoices; `nil` site for a web shop (the seller's own web site).
    public var sale: InvoiceBuilder.SaleChannel?
    /// Which mapping takes a file that several match (`priority:`, default 0): the highest, when
    /// it is the only one that high. An admin's mapping outranks a shipped one without editing it.
    public var priority = 0

    public init(name: String, file: String, platform: String, platformType: String, match: MatchRule,
                format: FormatSpec, records: RecordSpec, orderRules: [FieldRule], lineRules: [FieldRule],
                timeZone: TimeZone, prices: PriceBasis, reconcile: Reconciliation,
                onRecordError: RecordErrorPolicy, tests: [MappingTest]) {
        self.name = name
        self.file = file
        self.platform = platform
        self.platformType = platformType
        self.match = match
        self.format = format
        self.records = records
        self.orderRules = orderRules
        self.lineRules = lineRules
        self.timeZone = timeZone
        self.prices = prices
        self.reconcile = reconcile
        self.onRecordError = onRecordError
        self.tests = tests
    }
}

/// Which files a mapping claims: file-name globs, then a look inside.
public struct MatchRule: Sendable {
    /// Globs on the file name (`*.xlsx`, `tum-siparisler*`); empty means any name.
    public var fileNames: [String]
    /// Tabular files: header names that must all be present (compared Turkish-insensitively).
    public var headerContains: [String]
    /// XML files: the local name of the root element.
    public var xmlRoot: String?
    /// XML and JSON files: an element (a key, in JSON) that must appear near the top of the file,
    /// for files whose root says little (every SOAP response is an `Envelope`).
    public var element: String?
    /// Files without a header (``FormatSpec/columns``): a pattern each named column of the first
    /// row must match, since there is no header to recognise the file by.
    public var cellPatterns: [(column: String, pattern: String)]
    /// What the file must not have: header columns (tabular), elements or keys near the top (XML,
    /// JSON). How a mapping says what it is not, beside another that claims similar files.
    public var absent: [String] = []

    public init(fileNames: [String], headerContains: [String], xmlRoot: String?, element: String? = nil,
                cellPatterns: [(column: String, pattern: String)] = []) {
        self.fileNames = fileNames
        self.headerContains = headerContains
        self.xmlRoot = xmlRoot
        self.element = element
        self.cellPatterns = cellPatterns
    }
}

/// The container format and its text conventions.
public struct FormatSpec: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case csv, xml, xlsx, json }
    /// The containers this mapping reads: `xml`, or one or both of `xlsx` and `csv` (a panel's
    /// Excel export and its CSV re-save share one mapping).
    public var kinds: [Kind]
    public var encoding: TextEncoding
    /// CSV field separator; `nil` = detect from the header line (`;`, `,`, tab).
    public var separator: UInt8?
    public var numberStyle: NumberStyle
    /// 1-based row of the header in tabular files; `nil` finds the first row holding the
    /// match headers (Trendyol exports sometimes have a title row above it).
    public var headerRow: Int?
    /// A file without a header row: the names of its columns, in order (a first row that
    /// repeats these names is skipped).
    public var columns: [String]?
    public init(kinds: [Kind], encoding: TextEncoding, separator: UInt8?, numberStyle: NumberStyle, headerRow: Int?,
                columns: [String]? = nil) {
        self.kinds = kinds
        self.encoding = encoding
        self.separator = separator
        self.numberStyle = numberStyle
        self.headerRow = headerRow
        self.columns = columns
    }

    public var isXML: Bool { kinds == [.xml] }
    public var isJSON: Bool { kinds == [.json] }
    /// XML or JSON: records are found by paths, not by columns.
    public var isTree: Bool { isXML || isJSON }
}

/// Text encodings PraIngest reads. XML files declare theirs; CSV files may be detected.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// BOM first (UTF-8, UTF-16 LE/BE); otherwise UTF-8 if the start is valid UTF-8, else Windows-1254.
    case auto
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case windows1254 = "windows-1254"
    case iso88599 = "iso-8859-9"
}

/// How records are found: the repeating element (XML) or the grouping column (tabular).
public struct RecordSpec: Sendable {
    /// XML: path of local names ending at the order element, matched as a suffix (`orderList/order`).
    public var recordPath: [String]
    /// XML: path of the line element relative to the order element (`orderItemList/orderItem`);
    /// empty for records without lines.
    public var linePath: [String]
    /// Tabular: the column that holds the order number; consecutive rows with one value form one
    /// order. `nil` (shipments, invoices): every row is a record.
    public var groupBy: String?
    /// Tabular: rows that are no records at all (a report's title or trailer rows): a row is
    /// skipped when every condition of any one group holds.
    public var skipRows: [[RuleCase.Condition]]
    /// Tabular: the conditions a row of an order must meet to be one of its lines (eBay writes a
    /// summary row per multi-item order besides the item rows); empty: every row is a line.
    public var lineRows: [RuleCase.Condition]
    /// Tabular: lines packed into one cell (WooCommerce's `line_items`), instead of a row each.
    public var linesFrom: CellLines?
    /// What a record of an order already read from the same file means: an error (its rows came
    /// apart), or another part of it to add (`repeated: merge`: packages of one order, items of
    /// a flat item list).
    public var mergesRepeated = false
    /// XML, JSON: the record element is also its one line (`lines: "."`: a flat list of items).
    public var recordIsLine: Bool { linePath == ["."] }
    public init(recordPath: [String], linePath: [String], groupBy: String?, skipRows: [[RuleCase.Condition]] = [],
                lineRows: [RuleCase.Condition] = [], linesFrom: CellLines? = nil) {
        self.recordPath = recordPath
        self.linePath = linePath
        self.groupBy = groupBy
        self.skipRows = skipRows
        self.lineRows = lineRows
        self.linesFrom = linesFrom
    }
}

/// Lines packed into one cell: items split by ``itemSeparator``, each item's fields by
/// ``fieldSeparator``, each field `key` + ``keyValueSeparator`` + value
/// (`name:Kupa|sku:K1|quantity:2|total:100.00;name:…`). Line rules then read the keys.
public struct CellLines: Sendable, Equatable {
    public var column: String
    public var itemSeparator: String
    public var fieldSeparator: String
    public var keyValueSeparator: String

    public init(column: String, itemSeparator: String = ";", fieldSeparator: String = "|", keyValueSeparator: String = ":") {
        self.column = column
        self.itemSeparator = itemSeparator
        self.fieldSeparator = fieldSeparator
        self.keyValueSeparator = keyValueSeparator
    }

    /// The items of `cell`, each as key → value.
    public func items(_ cell: String) -> [[String: String]] {
        cell.components(separatedBy: itemSeparator).compactMap { item in
            guard !item.trimmingBlanks().isEmpty else { return nil }
            var fields: [String: String] = [:]
            for field in item.components(separatedBy: fieldSeparator) {
                guard let r = field.range(of: keyValueSeparator) else { continue }
                let key = String(field[..<r.lowerBound]).trimmingBlanks()
                if fields[key] == nil { fields[key] = String(field[r.upperBound...]).trimmingBlanks() }
            }
            return fields
        }
    }
}

/// A charge of the order invoiced as its own line (a cash-on-delivery or gift-wrap fee): made
/// from order-level values when its amount is not zero; or one line per element of an array of
/// charges (`each: fee_lines`, WooCommerce's), its fields read from the element.
public struct FeeLine: Sendable {
    /// The line's key and stock code (a service card in the ERP), and its name: rules, most
    /// often constants. With ``element``, a constant key gets the element's ordinal (`fee-2`).
    public var key: FieldRule
    public var sku: FieldRule
    public var name: FieldRule
    /// The amount (VAT included, unless the file's prices are not), read like any order amount.
    public var amount: FieldRule
    public var vatRate: FieldRule
    /// XML, JSON: the path of the repeated element each of which is a charge; the rules' paths
    /// are then relative to it (and stored here already prefixed by it).
    public var element: String?

    public init(key: FieldRule, sku: FieldRule, name: FieldRule, amount: FieldRule, vatRate: FieldRule, element: String? = nil) {
        self.key = key
        self.sku = sku
        self.name = name
        self.amount = amount
        self.vatRate = vatRate
        self.element = element
    }

    /// Every rule of the fee.
    public var rules: [FieldRule] { [key, sku, name, amount, vatRate] }
}

/// Whether a file's prices include KDV (marketplaces) or not (some web shops, abroad).
public enum PriceBasis: String, Sendable { case vat_inclusive, vat_exclusive }

/// How a platform's stated order total is checked against the order's lines (`reconcile_totals`).
/// Some platforms keep cancelled lines in the total (N11, Shopify), others drop them: `either`
/// accepts a total that equals the live lines or all lines, and nothing else.
public enum Reconciliation: String, Sendable {
    /// The total equals the live lines or all lines (`reconcile_totals: true`, the default).
    case either
    /// The total equals the live (not cancelled, not returned) lines.
    case live_lines
    /// The total equals every line, cancelled and returned ones included.
    case all_lines
    /// No check (`reconcile_totals: false`): only for exports whose totals mean something else.
    case none
}

/// What happens to a file when some of its records are bad.
public enum RecordErrorPolicy: String, Sendable {
    /// Good records land; bad ones are listed in a rejects report.
    case skip
    /// Any bad record fails the whole file; nothing of it lands.
    case reject_file
}
