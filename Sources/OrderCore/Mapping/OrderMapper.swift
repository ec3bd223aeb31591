import Foundation

/// Turns ``SourceRecord``s into ``NormalizedOrder``s by a ``MappingSpec``: the mapping engine.
///
/// Built once per mapping (regexes compiled, value maps folded, source fields given slots);
/// ``map(_:)`` is then a pure function of one record.
public struct OrderMapper: Sendable {
    public let spec: MappingSpec
    /// The source fields the parsers must deliver, in slot order.
    public let layout: SourceLayout
    let orderRules: [CompiledRule]
    let lineRules: [CompiledRule]

    public init(spec: MappingSpec) throws(MappingError) {
        self.spec = spec
        var orderFields: [String] = []
        var lineFields: [String] = []
        func slots(_ names: [String], in list: inout [String]) -> [String: Int] {
            var r: [String: Int] = [:]
            for n in names {
                if let i = list.firstIndex(of: n) { r[n] = i } else { r[n] = list.count; list.append(n) }
            }
            return r
        }
        var compiledOrder: [CompiledRule] = []
        for rule in spec.orderRules {
            let s = slots(rule.value.fieldNames, in: &orderFields)
            compiledOrder.append(try CompiledRule(rule, slots: s))
        }
        var compiledLines: [CompiledRule] = []
        for rule in spec.lineRules {
            let s = slots(rule.value.fieldNames, in: &lineFields)
            compiledLines.append(try CompiledRule(rule, slots: s))
        }
        orderRules = compiledOrder
        lineRules = compiledLines
        layout = SourceLayout(orderFields: orderFields, lineFields: lineFields, groupBy: spec.records.groupBy)
    }

    /// Maps one record; any bad field rejects the whole order, with every problem listed.
    public func map(_ record: SourceRecord) -> Result<NormalizedOrder, RecordErrors> {
        var errors: [RecordError] = []
        var order = NormalizedOrder(orderNumber: "", position: record.position)
        var orderDiscount = Money.zero
        var totalGiven: Money?

        for rule in orderRules {
            let value: TypedValue?
            do {
                value = try rule.typedValue(record.orderValues, numberStyle: spec.format.numberStyle, zone: spec.timeZone)
            } catch {
                errors.append(error.at(record.position))
                continue
            }
            guard let value else { continue }
            switch (rule.rule.target, value) {
            case (.siparis_numarasi, .text(let v)): order.orderNumber = v
            case (.siparis_tarihi, .date(let v)): order.orderDate = v
            case (.durum, .status(let v)): order.status = v
            case (.platform_durumu, .text(let v)): order.platformStatus = v
            case (.odeme_durumu, .text(let v)): order.paymentStatus = v
            case (.para_birimi, .text(let v)): order.currency = v
            case (.toplam_tutar, .money(let v)): totalGiven = v
            case (.kargo_ucreti, .money(let v)): order.shipping = v
            case (.platform_indirimi, .money(let v)): orderDiscount = v
            case (.musteri_adi, .text(let v)): order.customer.name = v
            case (.musteri_email, .text(let v)): order.customer.email = v
            case (.musteri_telefon, .text(let v)): order.customer.phone = v
            case (.firma_adi, .text(let v)): order.customer.companyName = v
            case (.vergi_numarasi, .text(let v)): order.customer.taxNumber = v
            case (.vergi_dairesi, .text(let v)): order.customer.taxOffice = v
            case (.tc_kimlik_no, .text(let v)): order.customer.nationalId = v
            case (.teslimat_adresi, .text(let v)): order.shippingAddress.line = v
            case (.teslimat_ilce, .text(let v)): order.shippingAddress.district = v
            case (.teslimat_il, .text(let v)): order.shippingAddress.city = v
            case (.teslimat_posta_kodu, .text(let v)): order.shippingAddress.postalCode = v
            case (.teslimat_ulke, .text(let v)): order.shippingAddress.country = v
            case (.fatura_adresi, .text(let v)): order.billingAddress.line = v
            case (.fatura_ilce, .text(let v)): order.billingAddress.district = v
            case (.fatura_il, .text(let v)): order.billingAddress.city = v
            case (.fatura_posta_kodu, .text(let v)): order.billingAddress.postalCode = v
            case (.fatura_ulke, .text(let v)): order.billingAddress.country = v
            case (.kargo_firmasi, .text(let v)): order.carrier = v
            case (.kargo_takip_no, .text(let v)): order.trackingNumber = v
            default: break // line-level targets are rejected when the mapping is loaded
            }
        }
        if order.orderNumber.isEmpty && !errors.contains(where: { $0.field == .siparis_numarasi }) {
            errors.append(RecordError(position: record.position, field: .siparis_numarasi,
                                      reason: "the order number is missing"))
        }
        let orderNumber = order.orderNumber.isEmpty ? nil : order.orderNumber
        if record.lines.isEmpty {
            errors.append(RecordError(position: record.position, orderNumber: orderNumber,
                                      reason: "the order has no lines"))
        }

        for (index, sourceLine) in record.lines.enumerated() {
            switch mapLine(sourceLine, ordinal: index + 1, orderStatus: order.status) {
            case .success(let line): order.lines.append(line)
            case .failure(let e): errors.append(contentsOf: e.errors)
            }
        }
        var seenKeys = Set<String>()
        for line in order.lines where !seenKeys.insert(line.key).inserted {
            errors.append(RecordError(position: line.position, field: .satir_anahtari,
                                      reason: "line key '\(line.key)' appears twice in this order; "
                                        + "the mapping's satir_anahtari must tell lines apart"))
        }

        if errors.isEmpty {
            order.platformDiscount = orderDiscount + order.billableLines.reduce(.zero) { $0 + $1.platformDiscount }
            let linesTotal = order.billableLines.reduce(Money.zero) { $0 + $1.lineTotal }
            let expected = linesTotal + order.shipping - order.platformDiscount
            if let totalGiven {
                order.total = totalGiven
                if spec.reconcileTotals && totalGiven != expected {
                    errors.append(RecordError(
                        position: record.position, field: .toplam_tutar,
                        reason: "the order total \(totalGiven.turkishDescription) does not reconcile: lines "
                            + "\(linesTotal.turkishDescription) + shipping \(order.shipping.turkishDescription) − "
                            + "platform discounts \(order.platformDiscount.turkishDescription) = "
                            + "\(expected.turkishDescription) (difference \((totalGiven - expected).turkishDescription))"))
                }
            } else {
                order.total = expected
            }
        }
        guard errors.isEmpty else {
            return .failure(RecordErrors(errors: errors.map { var e = $0; e.orderNumber = e.orderNumber ?? orderNumber; return e }))
        }
        return .success(order)
    }

    private func mapLine(_ source: SourceLine, ordinal: Int, orderStatus: OrderStatus) -> Result<OrderLine, RecordErrors> {
        var errors: [RecordError] = []
        var key: String?, sku: String?, barcode: String?, name: String?, category: String?, package: String?
        var quantity: Int?, unit: Money?, total: Money?, vat: Int?, discount = Money.zero, status: OrderStatus?
        for rule in lineRules {
            let value: TypedValue?
            do {
                value = try rule.typedValue(source.values, numberStyle: spec.format.numberStyle, zone: spec.timeZone)
            } catch {
                errors.append(error.at(source.position))
                continue
            }
            guard let value else { continue }
            switch (rule.rule.target, value) {
            case (.satir_anahtari, .text(let v)): key = v
            case (.sku, .text(let v)): sku = v
            case (.barkod, .text(let v)): barcode = v
            case (.urun_adi, .text(let v)): name = v
            case (.kategori, .text(let v)): category = v
            case (.paket_no, .text(let v)): package = v
            case (.adet, .integer(let v)): quantity = v
            case (.birim_fiyat, .money(let v)): unit = v
            case (.toplam_fiyat, .money(let v)): total = v
            case (.kdv_orani, .integer(let v)): vat = v
            case (.satir_platform_indirimi, .money(let v)): discount = v
            case (.satir_durumu, .status(let v)): status = v
            default: break
            }
        }
        func missing(_ field: TargetField, _ reason: String) {
            if !errors.contains(where: { $0.field == field }) {
                let rule = lineRules.first { $0.rule.target == field }
                errors.append(RecordError(position: source.position, field: field, sourceField: rule?.sourceName,
                                          rule: rule?.rule.location, reason: reason))
            }
        }
        if sku == nil { missing(.sku, "the line has no SKU") }
        if quantity == nil { missing(.adet, "the line has no quantity") }
        if let q = quantity, q <= 0 { missing(.adet, "the quantity \(q) is not positive") }
        if vat == nil { missing(.kdv_orani, "the line has no KDV rate; map kdv_orani or give it a default") }
        if unit == nil && total == nil {
            missing(.toplam_fiyat, "the line has neither a unit price (birim_fiyat) nor a line total (toplam_fiyat)")
        }
        guard errors.isEmpty, let sku, let quantity, let vat else { return .failure(RecordErrors(errors: errors)) }
        var lineTotal = total ?? unit! * quantity
        var unitPrice = unit ?? lineTotal.divided(by: quantity)
        if spec.prices == .vat_exclusive {
            lineTotal = Money(minorUnits: Money.divideRoundingHalfEven(lineTotal.minorUnits * Int64(100 + vat), 100))
            unitPrice = Money(minorUnits: Money.divideRoundingHalfEven(unitPrice.minorUnits * Int64(100 + vat), 100))
        }
        var line = OrderLine(key: key ?? String(ordinal), sku: sku, quantity: quantity, unitPrice: unitPrice,
                             lineTotal: lineTotal, vatRate: vat, status: status ?? orderStatus, position: source.position)
        line.barcode = barcode
        line.productName = name
        line.category = category
        line.packageNumber = package
        line.platformDiscount = discount
        return .success(line)
    }
}

/// All the problems of one rejected record.
public struct RecordErrors: Error, Sendable {
    public var errors: [RecordError]
    public init(errors: [RecordError]) { self.errors = errors }
}
