import OrderCore

/// Netsis: one row per invoice line, named after the fields of its NetOpenX invoice objects
/// (header `FatUst`, lines `Kalem`), which integrations fill through NetOpenX (Netsis publishes
/// no file import). A sales invoice (`FTIRSIP` 1) on account (`TIPI` 1) whose prices include KDV
/// (`KDV_DAHILMI` E): the line's VAT-inclusive unit price (`STHAR_BF`) × quantity is its total.
/// `GIB_FATIRS_NO` is the GİB number; `FATIRS_NO` holds 15 characters, so it is the series, the
/// year's last three digits and the sequence (`PRE026000000042`): unique, and a second import is
/// refused as a duplicate.
enum NetsisCSVWriter {
    static let header = ["FTIRSIP", "FATIRS_NO", "GIB_FATIRS_NO", "CARI_KODU", "TARIH", "TIPI", "KDV_DAHILMI", "EKACK1",
                         "EKACK2", "STOK_KODU", "DEPO_KODU", "STHAR_GCKOD", "STHAR_GCMIK", "STHAR_BF", "STHAR_KDV"]

    static func write(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for order in batch.orders {
            let number = order.invoice.map(fatirsNo) ?? ""
            for line in order.lines {
                out.row([
                    .number("1"), .text(number), .text(order.invoice?.number ?? ""), .text(order.accountCode), .date(order.date),
                    .number("1"), .text("E"), .text(order.orderNumber), .text(order.platform), .text(options.itemCode(line)),
                    .text(options.warehouse), .text("C"), .integer(line.quantity), .money(line.unitGrossAmount),
                    .integer(line.vatRate),
                ])
            }
        }
        return out.bytes(options.csvEncoding)
    }

    /// The 15-character `FATIRS_NO` of an e-invoice: series, the year's last three digits, sequence.
    static func fatirsNo(_ invoice: ERPInvoice) -> String {
        let year = String(invoice.year % 1000), sequence = String(invoice.sequence)
        return invoice.series + String(repeating: "0", count: 3 - year.count) + year
            + String(repeating: "0", count: max(0, 9 - sequence.count)) + sequence
    }
}
