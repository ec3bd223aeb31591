extension NormalizedOrder {
    /// Every order-level field as text, keyed by target name: what embedded tests compare.
    /// Money as `1234.56`, dates as ISO 8601, absent values omitted.
    public var renderedFields: [TargetField: String] {
        var r: [TargetField: String] = [
            .siparis_numarasi: orderNumber, .durum: status.rawValue, .para_birimi: currency,
            .toplam_tutar: total.description, .kargo_ucreti: shipping.description,
            .platform_indirimi: platformDiscount.description,
        ]
        for field in TargetField.valueFields(.order) { r[field] = values[text: field] }
        return r
    }
}

extension OrderLine {
    /// Every line-level field as text, keyed by target name.
    public var renderedFields: [TargetField: String] {
        var r: [TargetField: String] = [
            .satir_anahtari: key, .sku: sku, .adet: String(quantity), .birim_fiyat: unitPrice.description,
            .toplam_fiyat: lineTotal.description, .kdv_orani: String(vatRate),
            .satir_platform_indirimi: platformDiscount.description, .satir_durumu: status.rawValue,
        ]
        for field in TargetField.valueFields(.line) { r[field] = values[text: field] }
        return r
    }
}
