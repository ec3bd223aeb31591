import OrderCore

/// The generic accounting CSV: one row per invoice line, Turkish headers and conventions. The
/// first fifteen columns are as they always were; the exact VAT-inclusive unit price, the
/// e-invoice's ETTN and profile, the buyer's VKN/TCKN, the invoice's type (SATIS, ISTISNA), the
/// line's KDV exemption code, and the currency with its rate and the line's amounts in lira follow
/// them. Amounts before those are in the invoice's currency; the lira ones by ``LiraEquivalent``.
enum GenericCSVWriter {
    static let header = ["Tarih", "Belge No", "Sipariş No", "Platform", "Cari Kod", "Cari Ünvan", "Stok Kodu", "Ürün Adı",
                         "Miktar", "Birim", "Birim Fiyat", "KDV %", "KDV Tutarı", "Tutar", "KDV Dahil Tutar",
                         "KDV Dahil Birim Fiyat", "ETTN", "Fatura Tipi", "VKN/TCKN", "Fatura Türü", "İstisna Kodu",
                         "Para Birimi", "Kur", "Kur Tarihi", "Tutar TL", "KDV Tutarı TL", "KDV Dahil Tutar TL"]

    static func write(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for order in batch.orders {
            let rate = order.invoice?.exchangeRate
            for (i, line) in order.lines.enumerated() {
                let lira = order.lira?.lines[i] ?? LiraEquivalent.Amounts(taxable: line.taxableAmount, tax: line.taxAmount,
                                                                           gross: line.grossAmount)
                out.row([
                    .date(order.date), .text(order.invoice?.number ?? ""), .text(order.orderNumber), .text(order.platform),
                    .text(order.accountCode), .text(order.buyer.name), .text(options.itemCode(line)),
                    .text(line.name), .integer(line.quantity), .text(options.unit),
                    .price(line.taxableAmount, dividedBy: line.quantity),
                    .integer(line.vatRate), .money(line.taxAmount), .money(line.taxableAmount), .money(line.grossAmount),
                    .money(line.unitGrossAmount), .text(order.invoice?.uuid ?? ""), .text(order.invoice?.profile ?? ""),
                    .text(order.buyerID), .text(order.invoiceType.rawValue), .text(line.exemption?.code ?? ""),
                    .text(order.currency), .text(rate.map { $0.value.description.replacingOccurrences(of: ".", with: ",") } ?? ""),
                    rate.map { .date($0.published.civil) } ?? .text(""),
                    .money(lira.taxable), .money(lira.tax), .money(lira.gross),
                ])
            }
        }
        return out.bytes(options.csvEncoding)
    }
}
