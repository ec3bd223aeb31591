import OrderCore

/// The columns of the core fields (those ``TargetField/isCore`` gives typed properties on
/// ``NormalizedOrder`` and ``OrderLine``), declared once: the writer binds them and the readers
/// read them by these names, in this order. Every other field's column is its own name
/// (``TargetField/valueFields(_:)``).
enum CoreColumns {
    /// `siparisler`: number, status, currency, total, shipping, platform discount.
    static let order: [(field: TargetField, column: String)] = [
        (.siparis_numarasi, "siparis_numarasi"), (.durum, "durum"), (.para_birimi, "para_birimi"),
        (.toplam_tutar, "toplam_tutar"), (.kargo_ucreti, "kargo_ucreti"), (.platform_indirimi, "platform_indirimi"),
    ]

    /// `siparis_urunleri`: key, quantity, unit price, line total, VAT rate, platform discount, status.
    /// (`sku` is the product's, `urunler.sku`, through `urun_id`.)
    static let line: [(field: TargetField, column: String)] = [
        (.satir_anahtari, "satir_anahtari"), (.adet, "adet"), (.birim_fiyat, "birim_fiyat"), (.toplam_fiyat, "toplam_fiyat"),
        (.kdv_orani, "kdv_orani"), (.satir_platform_indirimi, "platform_indirimi"), (.satir_durumu, "durum"),
    ]

    static let orderNames = order.map(\.column)
    static let lineNames = line.map(\.column)

    /// The order's core fields, bound from parameter `first` on, in ``order``'s order. (One by
    /// one: a parameter pack copied each value through its type's witness, a retain and a
    /// release per text, a generic copy per number.)
    static func bind(_ o: borrowing NormalizedOrder, to statement: Statement, from first: Int32) {
        statement.bindText(o.orderNumber, at: first)
        statement.bindText(o.status.rawValue, at: first + 1)
        statement.bindText(o.currency, at: first + 2)
        statement.bindInteger(o.total.minorUnits, at: first + 3)
        statement.bindInteger(o.shipping.minorUnits, at: first + 4)
        statement.bindInteger(o.platformDiscount.minorUnits, at: first + 5)
    }

    /// The order's core fields, read from column `first` on, in ``order``'s order.
    static func read(_ row: Statement, from first: Int32, into o: inout NormalizedOrder) {
        o.orderNumber = row.text(first) ?? ""
        o.status = OrderStatus(rawValue: row.text(first + 1) ?? "") ?? .yeni
        o.currency = row.text(first + 2) ?? "TRY"
        o.total = Money(minorUnits: row.int(first + 3))
        o.shipping = Money(minorUnits: row.int(first + 4))
        o.platformDiscount = Money(minorUnits: row.int(first + 5))
    }

    /// The line's core fields, bound from parameter `first` on, in ``line``'s order (one by one).
    static func bind(_ l: borrowing OrderLine, to statement: Statement, from first: Int32) {
        statement.bindText(l.key, at: first)
        statement.bindInteger(Int64(l.quantity), at: first + 1)
        statement.bindInteger(l.unitPrice.minorUnits, at: first + 2)
        statement.bindInteger(l.lineTotal.minorUnits, at: first + 3)
        statement.bindInteger(Int64(l.vatRate), at: first + 4)
        statement.bindInteger(l.platformDiscount.minorUnits, at: first + 5)
        statement.bindText(l.status.rawValue, at: first + 6)
    }

    /// A line of product `sku` from its core fields, read from column `first` on, in ``line``'s order.
    static func readLine(_ row: Statement, from first: Int32, sku: String) -> OrderLine {
        var l = OrderLine(key: row.text(first) ?? "", sku: sku, quantity: Int(row.int(first + 1)),
                          unitPrice: Money(minorUnits: row.int(first + 2)), lineTotal: Money(minorUnits: row.int(first + 3)),
                          vatRate: Int(row.int(first + 4)), status: OrderStatus(rawValue: row.text(first + 6) ?? "") ?? .yeni,
                          position: SourcePosition(record: 0, line: 0))
        l.platformDiscount = Money(minorUnits: row.int(first + 5))
        return l
    }
}
