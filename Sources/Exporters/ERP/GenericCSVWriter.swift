import OrderCore

/// The generic accounting CSV: one row per invoice line, Turkish headers and conventions.
enum GenericCSVWriter {
    static let header = ["Tarih", "Belge No", "Sipariş No", "Platform", "Cari Kod", "Cari Ünvan", "Stok Kodu", "Ürün Adı",
                         "Miktar", "Birim", "Birim Fiyat", "KDV %", "KDV Tutarı", "Tutar", "KDV Dahil Tutar"]

    static func write(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for order in batch.orders {
            for line in order.lines {
                out.row([
                    .date(order.date), .text(order.invoiceNumber ?? ""), .text(order.orderNumber), .text(order.platform),
                    .text(order.accountCode), .text(order.customerName), .text(line.sellerItemID ?? options.shippingCode),
                    .text(line.name), .integer(line.quantity), .text("ADET"),
                    .money(line.unitTaxableAmount),
                    .integer(line.vatRate), .money(line.taxAmount), .money(line.taxableAmount), .money(line.grossAmount),
                ])
            }
        }
        return out.bytes(options.csvEncoding)
    }
}
