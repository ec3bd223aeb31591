extension NormalizedOrder {
    /// Every order-level field as text, keyed by target name: what embedded tests compare.
    /// Money as `1234.56`, dates as ISO 8601, absent values omitted.
    public var renderedFields: [TargetField: String] {
        var r: [TargetField: String] = [
            .siparis_numarasi: orderNumber, .durum: status.rawValue, .para_birimi: currency,
            .toplam_tutar: total.description, .kargo_ucreti: shipping.description,
            .platform_indirimi: platformDiscount.description,
        ]
        r[.siparis_tarihi] = orderDate?.description
        r[.platform_durumu] = platformStatus
        r[.odeme_durumu] = paymentStatus
        r[.musteri_adi] = customer.name
        r[.musteri_email] = customer.email
        r[.musteri_telefon] = customer.phone
        r[.firma_adi] = customer.companyName
        r[.vergi_numarasi] = customer.taxNumber
        r[.vergi_dairesi] = customer.taxOffice
        r[.tc_kimlik_no] = customer.nationalId
        r[.teslimat_adresi] = shippingAddress.line
        r[.teslimat_ilce] = shippingAddress.district
        r[.teslimat_il] = shippingAddress.city
        r[.teslimat_posta_kodu] = shippingAddress.postalCode
        r[.teslimat_ulke] = shippingAddress.country
        r[.fatura_adresi] = billingAddress.line
        r[.fatura_ilce] = billingAddress.district
        r[.fatura_il] = billingAddress.city
        r[.fatura_posta_kodu] = billingAddress.postalCode
        r[.fatura_ulke] = billingAddress.country
        r[.kargo_firmasi] = carrier
        r[.kargo_takip_no] = trackingNumber
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
        r[.barkod] = barcode
        r[.urun_adi] = productName
        r[.kategori] = category
        r[.paket_no] = packageNumber
        return r
    }
}
