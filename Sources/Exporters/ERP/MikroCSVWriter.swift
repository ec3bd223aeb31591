import OrderCore

/// Rows for Mikro's `SIPARISLER` table (one row per line), named after its columns, for an
/// integrator's SQL import. Mikro publishes no file-import format (see docs/erp-formats.md).
enum MikroCSVWriter {
    static let header = ["sip_tarih", "sip_teslim_tarih", "sip_evrakno_seri", "sip_evrakno_sira", "sip_satirno",
                         "sip_belgeno", "sip_musteri_kod", "sip_stok_kod", "sip_miktar", "sip_b_fiyat", "sip_tutar",
                         "sip_vergi", "sip_aciklama"]

    static func write(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for order in batch.orders {
            for (i, line) in order.lines.enumerated() {
                out.row([
                    .date(order.date), .date(order.date), .text("PRA"), .number(String(order.documentSequence)), .integer(i),
                    .text(order.orderNumber), .text(order.accountCode), .text(line.sellerItemID ?? options.shippingCode),
                    .integer(line.quantity),
                    .money(line.unitTaxableAmount),
                    .money(line.taxableAmount), .money(line.taxAmount), .text("\(order.platform) \(order.orderNumber)"),
                ])
            }
        }
        return out.bytes(options.csvEncoding)
    }
}
