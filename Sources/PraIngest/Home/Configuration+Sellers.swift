import Exporters
import OrderCore
import Parsers

extension Configuration {
    static func seller(_ code: String, _ n: YAMLNode) throws(MappingError) -> SellerSettings {
        _ = try n.pairs(allowed: ["name", "tax_id", "tax_office", "invoice_prefix", "efatura_series", "earsiv_series", "address",
                                  "first_name", "family_name", "mersis_no", "registry_no", "web_site", "iban", "default_carrier",
                                  "hold_incomplete_internet_sales", "erp", "issue_invoices", "feed"])
        var s = SellerSettings()
        let issues = try n.value("issue_invoices")?.bool() ?? true
        s.issuesInvoices = issues
        if let taxID = n.value("tax_id") {
            s.taxID = try taxID.string() // a bad one is reported with the profile's problems
        }
        if let taxID = n.value("tax_id"), issues {
            func need(_ key: String) throws(MappingError) -> String {
                guard let v = n.value(key) else { throw n.error("seller '\(code)' needs '\(key)' to issue invoices") }
                return try v.string()
            }
            guard let a = n.value("address") else { throw n.error("seller '\(code)' needs 'address'") }
            _ = try a.pairs(allowed: ["street", "district", "city", "postal_code", "country"])
            let countryText = try a.value("country")?.string() ?? "Türkiye"
            let country = CountryCode.resolve(countryText)
            let address = PostalAddress(street: try a.value("street")?.string(), district: try a.value("district")?.string() ?? "",
                                        city: try a.value("city")?.string() ?? "", postalCode: try a.value("postal_code")?.string(),
                                        country: country?.name ?? countryText, countryCode: country?.code)
            var person: SellerProfile.PersonName?
            if let f = n.value("first_name"), let l = n.value("family_name") { person = .init(first: try f.string(), family: try l.string()) }
            // One series for both kinds (invoice_prefix) is allowed; most providers register one each.
            let both = try n.value("invoice_prefix")?.string()
            guard let eFatura = try n.value("efatura_series")?.string() ?? both,
                  let eArsiv = try n.value("earsiv_series")?.string() ?? both else {
                throw n.error("seller '\(code)' needs efatura_series and earsiv_series (or one invoice_prefix for both)")
            }
            var profile = SellerProfile(code: code, name: try need("name"), taxID: try taxID.string(),
                                        taxOffice: try need("tax_office"), address: address, eFaturaSeries: eFatura,
                                        eArsivSeries: eArsiv, personName: person)
            profile.mersisNo = try n.value("mersis_no")?.string()
            profile.registryNo = try n.value("registry_no")?.string()
            profile.webSite = try n.value("web_site")?.string()
            profile.iban = try n.value("iban")?.string()
            profile.defaultCarrier = try n.value("default_carrier")?.string()
            // A profile with problems loads: that seller's invoices are held with the reason, others go on.
            s.profile = profile
        }
        s.holdIncompleteInternetSales = try n.value("hold_incomplete_internet_sales")?.bool() ?? false
        if let feed = n.value("feed") {
            _ = try feed.pairs(allowed: ["title", "link", "image_link"])
            s.feed.title = try feed.value("title")?.string()
            for (key, keyPath) in [("link", \FeedSettings.link), ("image_link", \FeedSettings.imageLink)] {
                guard let v = feed.value(key) else { continue }
                let template = try v.string()
                guard template.hasPrefix("https://") || template.hasPrefix("http://"), template.contains("{sku}") || template.contains("{barcode}")
                else { throw v.error("feed.\(key) is a web address with {sku} or {barcode} in it: https://magaza.example/urun/{sku}") }
                s.feed[keyPath: keyPath] = template
            }
        }
        if let erp = n.value("erp") {
            _ = try erp.pairs(allowed: ["formats", "account_code", "accounts", "company_account", "csv_encoding", "shipping_code",
                                        "item_codes", "warehouse", "unit", "mikro_unit_pointer", "mikro_vat_pointers", "logo_status",
                                        "logo_invoice_type", "logo_currency_codes", "mikro_currency_codes"])
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
            if let c = erp.value("company_account") {
                let v = try c.string()
                guard v == "shared" || v.contains("{vkn}") else {
                    throw c.error("company_account is a code with {vkn} in it (120.02.{vkn}), or shared (the platform's account)")
                }
                s.companyAccount = v == "shared" ? nil : v
            }
            for (sku, _, code) in try erp.value("item_codes")?.pairs() ?? [] { s.erpOptions.itemCodes[sku] = try code.string() }
            if let w = erp.value("warehouse") { s.erpOptions.warehouse = try w.string() }
            if let u = erp.value("unit") { s.erpOptions.unit = try u.string() }
            if let p = erp.value("mikro_unit_pointer") { s.erpOptions.mikroUnitPointer = try p.int() }
            for (rate, keyNode, pointer) in try erp.value("mikro_vat_pointers")?.pairs() ?? [] {
                guard let r = Int(rate) else { throw keyNode.error("a KDV rate (0, 1, 10, 20)") }
                s.erpOptions.mikroVATPointers[r] = try pointer.int()
            }
            if let t = erp.value("logo_invoice_type") {
                switch try t.string() {
                case "auto": s.erpOptions.logoInvoiceType = nil
                case "7", "8": s.erpOptions.logoInvoiceType = try t.int()
                default: throw t.error("logo_invoice_type is auto (8 for a company, 7 for a consumer), 8 (toptan) or 7 (perakende)")
                }
            }
            for (key, codes) in [("logo_currency_codes", \ERPOptions.logoCurrencyCodes), ("mikro_currency_codes", \.mikroCurrencyCodes)] {
                for (currency, keyNode, code) in try erp.value(key)?.pairs() ?? [] {
                    guard currency.utf8.count == 3, currency.utf8.allSatisfy({ (65...90).contains($0) }) else {
                        throw keyNode.error("a currency is a three-letter code (CHF)")
                    }
                    s.erpOptions[keyPath: codes][currency] = try code.int()
                }
            }
            if let l = erp.value("logo_status") {
                _ = try l.pairs(allowed: ["efatura", "earsiv"])
                s.erpOptions.logoEInvoiceStatus = try l.value("efatura")?.string()
                s.erpOptions.logoEArchiveStatus = try l.value("earsiv")?.string()
            }
        }
        return s
    }
}
