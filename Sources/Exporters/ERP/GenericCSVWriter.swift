import OrderCore

/// The generic accounting CSV: one row per invoice line, Turkish headers and conventions. The
/// first fifteen columns are as they always were; the exact VAT-inclusive unit price, the
/// e-invoice's ETTN and profile, the buyer's VKN/TCKN, the invoice's type (SATIS, ISTISNA) and
/// the line's KDV exemption code follow them.
enum GenericCSVWriter {
    static let header = ["Tarih", "Belge No", "Sipariş No", "Platform", "Cari Kod", "Cari Ünvan", "Stok Kodu", "Ürün Adı",
                         "Miktar", "Birim", "Birim Fiyat", "KDV %", "KDV Tutarı", "Tutar", "KDV Dahil Tutar",
                         "KDV Dahil Birim Fiyat", "ETTN", "Fatura Tipi", "VKN/TCKN", "Fatura Türü", "İstisna Kodu"]

    static func write(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for order in batch.orders {
            for line in order.lines {
                out.row([
                    .date(order.date), .text(order.invoice?.number ?? ""), .text(order.orderNumber), .text(order.platform),
                    .text(order.accountCode), .text(order.buyer.name), .text(options.itemCode(line)),
                    .text(line.name), .integer(line.quantity), .text(options.unit),
                    .price(line.taxableAmount, dividedBy: line.quantity),
                    .integer(line.vatRate), .money(line.taxAmount), .money(line.taxableAmount), .money(line.grossAmount),
                    .money(line.unitGrossAmount), .text(order.invoice?.uuid ?? ""), .text(order.invoice?.profile ?? ""),
                    .text(order.buyerID), .text(order.invoiceType.rawValue), .text(line.exemption?.code ?? ""),
                ])
            }
        }
        return out.bytes(options.csvEncoding)
    }
}
