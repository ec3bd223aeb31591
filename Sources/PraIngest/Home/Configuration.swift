import Exporters
import Foundation
import OrderCore
import Parsers

/// Settings from `pra.yaml`. Every key is optional; errors name `pra.yaml:line:column`.
///
/// ```yaml
/// default_seller: demo          # seller of files dropped directly in inbox/
/// invoicing:
///   excluded_statuses: [iptal, iade]   # orders in these statuses get no invoice
///   corporate_profile: TEMELFATURA     # or TICARIFATURA, for buyers with a VKN
///   shipping_vat_rate: 20
/// sellers:
///   demo:
///     name: Demo Ticaret A.Ş.
///     tax_id: "1234567890"             # VKN, or TCKN with first_name / family_name
///     tax_office: Kadıköy
///     invoice_prefix: PRA
///     address: { street: Moda Cad. 1, district: Kadıköy, city: İstanbul, postal_code: "34710" }
///     erp:
///       formats: [generic_csv, logo_invoice]
///       account_code: "120.01.001"       # cari kod for marketplace sales
///       accounts: { Trendyol: "120.01.002" }
///       csv_encoding: utf-8-bom          # or windows-1254
/// ```
public struct Configuration: Sendable {
    /// The seller code of files that are not in an `inbox/<seller>/` folder.
    public var defaultSeller = "demo"
    public var excludedStatuses: [OrderStatus] = [.iptal, .iade]
    public var invoiceBuilder = InvoiceBuilder()
    public var sellers: [String: SellerSettings] = [:]
    /// What a file may cost (``Limits``), from `limits:`.
    public var limits = Limits()

    public init() {}

    /// A seller's invoice profile and ERP settings.
    public struct SellerSettings: Sendable {
        public var profile: SellerProfile?
        public var erpFormats: [ERPFormat] = []
        public var accountCode = "120.01.001"
        public var accounts: [String: String] = [:]
        public var erpOptions = ERPOptions()
    }

    /// Reads `pra.yaml` in `home`, or the defaults when there is none.
    public static func load(home: Home) throws(MappingError) -> Configuration {
        guard let text = try ConfigText.read(path: home.configFile.path, as: "pra.yaml", maxBytes: Limits().maxConfigBytes) else {
            return Configuration()
        }
        return try parse(text, file: "pra.yaml")
    }

    public static func parse(_ text: String, file: String) throws(MappingError) -> Configuration {
        var c = Configuration()
        guard let top = try YAMLNode.parse(text, file: file) else { return c }
        _ = try top.pairs(allowed: ["default_seller", "invoicing", "sellers", "limits"])
        if let l = top.value("limits") { c.limits = try limits(l) }
        if let s = top.value("default_seller") {
            c.defaultSeller = try s.string()
            if let problem = SellerCode.problem(c.defaultSeller) { throw s.error(problem) }
        }
        if let inv = top.value("invoicing") {
            _ = try inv.pairs(allowed: ["excluded_statuses", "corporate_profile", "shipping_vat_rate"])
            if let ex = inv.value("excluded_statuses") {
                c.excludedStatuses = []
                for n in try ex.list() {
                    guard let s = OrderStatus(rawValue: try n.string()) else { throw n.error("unknown status") }
                    c.excludedStatuses.append(s)
                }
            }
            if let p = inv.value("corporate_profile") {
                guard let v = InvoiceDocument.Profile(rawValue: try p.string()) else {
                    throw p.error("corporate_profile must be TEMELFATURA, TICARIFATURA or EARSIVFATURA")
                }
                c.invoiceBuilder.corporateProfile = v
            }
            if let r = inv.value("shipping_vat_rate") {
                let v = try r.int()
                guard [0, 1, 8, 10, 18, 20].contains(v) else { throw r.error("not a KDV rate") }
                c.invoiceBuilder.shippingVATRate = v
            }
        }
        if let sellers = top.value("sellers") {
            for (code, keyNode, node) in try sellers.pairs() {
                if let problem = SellerCode.problem(code) { throw keyNode.error("seller '\(SellerCode.printable(code))': \(problem)") }
                c.sellers[code] = try seller(code, node)
            }
        }
        return c
    }

    /// `limits:` — each key of ``Limits/keys``, a positive whole number (`max_amount` in TL).
    static func limits(_ n: YAMLNode) throws(MappingError) -> Limits {
        var l = Limits()
        for (key, _, v) in try n.pairs(allowed: Limits.keys) {
            let value = try v.int()
            guard value > 0 else { throw v.error("a limit is a positive whole number") }
            switch key {
            case "max_amount":
                guard value <= 90_000_000_000_000 else { throw v.error("max_amount is at most 90.000.000.000.000 TL") }
                l.maxAmount = Money(minorUnits: Int64(value) * 100)
            case "max_quantity": l.maxQuantity = value
            case "max_lines_per_order": l.maxLinesPerOrder = value
            case "earliest_year": l.earliestYear = value
            case "latest_year": l.latestYear = value
            case "max_field_bytes": l.maxFieldBytes = value
            case "max_record_bytes": l.maxRecordBytes = value
            case "max_records_per_file": l.maxRecordsPerFile = value
            case "max_columns": l.maxColumns = value
            case "max_unzipped_bytes": l.maxUnzippedBytes = Int64(value)
            case "max_compression_ratio": l.maxCompressionRatio = value
            case "max_reject_details": l.maxRejectDetails = value
            default: l.maxConfigBytes = value
            }
        }
        guard l.earliestYear <= l.latestYear else { throw n.error("earliest_year is after latest_year") }
        return l
    }

    static func seller(_ code: String, _ n: YAMLNode) throws(MappingError) -> SellerSettings {
        _ = try n.pairs(allowed: ["name", "tax_id", "tax_office", "invoice_prefix", "address", "first_name", "family_name", "erp"])
        var s = SellerSettings()
        if let taxID = n.value("tax_id") {
            func need(_ key: String) throws(MappingError) -> String {
                guard let v = n.value(key) else { throw n.error("seller '\(code)' needs '\(key)' to issue invoices") }
                return try v.string()
            }
            guard let a = n.value("address") else { throw n.error("seller '\(code)' needs 'address'") }
            _ = try a.pairs(allowed: ["street", "district", "city", "postal_code", "country"])
            let address = PostalAddress(street: try a.value("street")?.string(), district: try a.value("district")?.string() ?? "",
                                        city: try a.value("city")?.string() ?? "", postalCode: try a.value("postal_code")?.string(),
                                        country: try a.value("country")?.string() ?? "Türkiye")
            var person: (String, String)?
            if let f = n.value("first_name"), let l = n.value("family_name") { person = (try f.string(), try l.string()) }
            let profile = SellerProfile(code: code, name: try need("name"), taxID: try taxID.string(),
                                        taxOffice: try need("tax_office"), address: address,
                                        invoicePrefix: try need("invoice_prefix"), personName: person)
            if let problem = profile.problems.first { throw n.error("seller '\(code)': \(problem)") }
            s.profile = profile
        }
        if let erp = n.value("erp") {
            _ = try erp.pairs(allowed: ["formats", "account_code", "accounts", "csv_encoding", "shipping_code"])
            for f in try erp.value("formats")?.list() ?? [] {
                guard let v = ERPFormat(rawValue: try f.string()) else {
                    throw f.error("unknown ERP format (\(ERPFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                s.erpFormats.append(v)
            }
            if let a = erp.value("account_code") { s.accountCode = try a.string() }
            for (platform, _, v) in try erp.value("accounts")?.pairs() ?? [] { s.accounts[platform] = try v.string() }
            if let e = erp.value("csv_encoding") {
                guard let v = ERPOptions.CSVEncoding(rawValue: try e.string()) else { throw e.error("csv_encoding must be utf-8-bom or windows-1254") }
                s.erpOptions.csvEncoding = v
            }
            if let sc = erp.value("shipping_code") { s.erpOptions.shippingCode = try sc.string() }
        }
        return s
    }
}
