import Exporters
import OrderCore
import Parsers

extension Configuration {
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
            case "max_config_bytes": l.maxConfigBytes = value
            case "max_invoice_bytes": l.maxInvoiceBytes = Int64(value)
            case "max_file_bytes": l.maxFileBytes = Int64(value)
            default: l.exclusiveIngestBytes = Int64(value)
            }
        }
        guard l.earliestYear <= l.latestYear else { throw n.error("earliest_year is after latest_year") }
        return l
    }

    /// `http:` — `listen`, `public_metrics`, `rate_limit: {per_second, burst}`.
    static func http(_ n: YAMLNode) throws(MappingError) -> HTTPSettings {
        var h = HTTPSettings()
        _ = try n.pairs(allowed: ["listen", "public_metrics", "rate_limit"])
        if let l = n.value("listen") {
            h.listen = try l.string()
            guard h.listen == "off" || HTTPSettings.hostAndPort(h.listen) != nil else {
                throw l.error("listen is HOST:PORT (127.0.0.1:8470) or off")
            }
        }
        if let m = n.value("public_metrics") { h.publicMetrics = try m.bool() }
        if let r = n.value("rate_limit") {
            _ = try r.pairs(allowed: ["per_second", "burst"])
            if let v = r.value("per_second") { h.ratePerSecond = Double(try v.int()) }
            if let v = r.value("burst") { h.rateBurst = Double(try v.int()) }
            guard h.ratePerSecond > 0, h.rateBurst >= 1 else { throw r.error("rate_limit needs per_second > 0 and burst >= 1") }
        }
        return h
    }

    /// `invoicing:` — which orders get invoices and how.
    static func invoicing(_ inv: YAMLNode, into c: inout Configuration) throws(MappingError) {
        _ = try inv.pairs(allowed: ["excluded_statuses", "corporate_profile", "shipping_vat_rate", "without_user_list", "zero_rate",
                                    "issue_at", "late_after_days"])
        if let v = inv.value("issue_at") {
            guard let moment = IssueMoment(rawValue: try v.string()) else {
                throw v.error("issue_at is shipped (invoice once the order ships, the default) or landed (as soon as it lands)")
            }
            c.issueAt = moment
        }
        if let v = inv.value("late_after_days") {
            let days = try v.int()
            guard (1...60).contains(days) else { throw v.error("late_after_days is a number of days from 1 to 60") }
            c.lateAfterDays = days
        }
        if let ex = inv.value("excluded_statuses") {
            c.excludedStatuses = []
            for n in try ex.list() {
                guard let s = OrderStatus(rawValue: try n.string()) else { throw n.error("unknown status") }
                c.excludedStatuses.append(s)
            }
        }
        if let p = inv.value("corporate_profile") {
            guard let v = InvoiceDocument.Profile(rawValue: try p.string()), v == .TEMELFATURA || v == .TICARIFATURA else {
                throw p.error("corporate_profile must be TEMELFATURA or TICARIFATURA (the e-Fatura profile of registered buyers)")
            }
            c.invoiceBuilder.corporateProfile = v
        }
        if let w = inv.value("without_user_list") {
            switch try w.string() {
            case "earsiv": c.invoiceBuilder.eFaturaWithoutUserList = false
            case "efatura_for_vkn": c.invoiceBuilder.eFaturaWithoutUserList = true
            default: throw w.error("without_user_list must be earsiv (everyone gets e-Arşiv) or efatura_for_vkn")
            }
        }
        if let r = inv.value("shipping_vat_rate") {
            let v = try r.int()
            guard [0, 1, 8, 10, 18, 20].contains(v) else { throw r.error("not a KDV rate") }
            c.invoiceBuilder.shippingVATRate = v
        }
        if let z = inv.value("zero_rate") { c.invoiceBuilder.zeroRate = try zeroRate(z) }
    }

    /// `exchange_rates: { rate: forex_buying, basis: previous_business_day, holidays: [2026-05-27, …] }`
    static func exchangeRates(_ n: YAMLNode) throws(MappingError) -> ExchangeRatePolicy {
        var p = ExchangeRatePolicy()
        _ = try n.pairs(allowed: ["rate", "basis", "holidays"])
        if let v = n.value("rate") {
            guard let kind = RateKind(rawValue: try v.string()) else {
                throw v.error("rate is one of " + RateKind.allCases.map(\.rawValue).joined(separator: ", ")
                              + " (forex_buying, TCMB's döviz alış, is what KDVK m.26 names)")
            }
            p.kind = kind
        }
        if let v = n.value("basis") {
            guard let basis = ExchangeRatePolicy.Basis(rawValue: try v.string()) else {
                throw v.error("basis is previous_business_day (the rates announced the business day before the tax day, "
                              + "valid on it: the default) or same_day")
            }
            p.basis = basis
        }
        for d in try n.value("holidays")?.list() ?? [] {
            guard let day = CalendarDay(iso: try d.string()) else { throw d.error("a holiday is a date like 2026-05-27") }
            p.holidays.insert(day)
        }
        return p
    }

    /// `zero_rate: { code: "351", reason: …, by_category: { Kitap: { code: …, reason: … } }, by_sku: {…} }`
    static func zeroRate(_ n: YAMLNode) throws(MappingError) -> InvoiceBuilder.ZeroRateRules {
        var rules = InvoiceBuilder.ZeroRateRules()
        /// `{ code, reason }`; the top level has by_category and by_sku beside them.
        func exemption(_ n: YAMLNode, allowing more: [String] = []) throws(MappingError) -> TaxExemption {
            _ = try n.pairs(allowed: ["code", "reason"] + more)
            guard let code = n.value("code"), let reason = n.value("reason") else { throw n.error("an exemption needs code and reason") }
            let e = TaxExemption(code: try code.string(), reason: try reason.string())
            guard e.code.count == 3, e.code.allSatisfy({ $0.isASCII && $0.isNumber }), !e.reason.isEmpty else {
                throw n.error("an exemption code is 3 digits from GİB's list (351 for a zero rate that is not an exemption)")
            }
            return e
        }
        _ = try n.pairs(allowed: ["code", "reason", "by_category", "by_sku"])
        if n.value("code") != nil || n.value("reason") != nil { rules.standard = try exemption(n, allowing: ["by_category", "by_sku"]) }
        for (category, _, v) in try n.value("by_category")?.pairs() ?? [] { rules.byCategory[ColumnName.folded(category)] = try exemption(v) }
        for (sku, _, v) in try n.value("by_sku")?.pairs() ?? [] { rules.bySKU[sku] = try exemption(v) }
        return rules
    }

    /// `carriers: [{ names: [Yurtiçi Kargo, YK], title: …, tax_id: "…", city: İstanbul }]`: added to
    /// (or correcting) the shipped carrier table.
    static func carrierTable(_ n: YAMLNode) throws(MappingError) -> CarrierTable {
        var extra: [(names: [String], carrier: CarrierTable.Carrier)] = []
        for entry in try n.list() {
            _ = try entry.pairs(allowed: ["names", "title", "tax_id", "city", "district"])
            guard let names = entry.value("names"), let title = entry.value("title"), let taxID = entry.value("tax_id"),
                  let city = entry.value("city") else { throw entry.error("a carrier needs names, title, tax_id and city") }
            let id = try taxID.string()
            if let problem = TaxIdentity.problem(id) { throw taxID.error(problem) }
            extra.append((try names.strings(), CarrierTable.Carrier(title: try title.string(), taxID: id, city: try city.string(),
                                                                    district: try entry.value("district")?.string() ?? "-")))
        }
        return CarrierTable(extra: extra)
    }
}
