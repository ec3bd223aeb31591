import OrderCore

/// Rows named after Netsis' sales-order tables (`TBLSIPAMAS`/`TBLSIPATRA` columns), one per
/// line. Netsis publishes no file-import template (see docs/erp-formats.md).
enum NetsisCSVWriter {
    static let header = ["FATIRS_NO", "CARI_KODU", "TARIH", "STOK_KODU", "STHAR_GCMIK", "STHAR_BF", "STHAR_KDV",
                         "KDV_TUTARI", "TUTAR", "KDV_DAHILMI", "ACIKLAMA"]

    static func write(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for order in batch.orders {
            let number = order.invoiceNumber.map { String($0.suffix(15)) } ?? String(order.orderNumber.prefix(15))
            for line in order.lines {
                out.row([
                    .text(number), .text(order.accountCode), .date(order.date), .text(line.sellerItemID ?? options.shippingCode),
                    .integer(line.quantity),
                    .money(Money(minorUnits: Money.divideRoundingHalfEven(line.taxableAmount.minorUnits, Int64(line.quantity)))),
                    .integer(line.vatRate), .money(line.taxAmount), .money(line.taxableAmount), .text("H"),
                    .text("\(order.platform) \(order.orderNumber)"),
                ])
            }
        }
        return out.bytes(options.csvEncoding)
    }
}
