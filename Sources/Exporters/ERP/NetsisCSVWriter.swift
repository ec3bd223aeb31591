import OrderCore

/// Rows named after Netsis' sales-order tables (`TBLSIPAMAS`/`TBLSIPATRA` columns), one per
/// line. Netsis publishes no file-import template (see docs/erp-formats.md). `FATIRS_NO` is left
/// empty for Netsis to number (it holds 15 characters; a GİB number has 16, in `EFATURA_NO`).
enum NetsisCSVWriter {
    static let header = ["FATIRS_NO", "EFATURA_NO", "SIPARIS_NO", "CARI_KODU", "TARIH", "STOK_KODU", "STHAR_GCMIK",
                         "STHAR_BF", "STHAR_KDV", "KDV_TUTARI", "TUTAR", "KDV_DAHILMI", "ACIKLAMA"]

    static func write(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for order in batch.orders {
            for line in order.lines {
                out.row([
                    .text(""), .text(order.invoiceNumber ?? ""), .text(order.orderNumber), .text(order.accountCode), .date(order.date), .text(line.sellerItemID ?? options.shippingCode),
                    .integer(line.quantity),
                    .money(line.unitTaxableAmount),
                    .integer(line.vatRate), .money(line.taxAmount), .money(line.taxableAmount), .text("H"),
                    .text("\(order.platform) \(order.orderNumber)"),
                ])
            }
        }
        return out.bytes(options.csvEncoding)
    }
}
