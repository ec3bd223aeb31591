import OrderCore

/// One row per invoice, as accountants post sales (Luca's Excel invoice import takes at most 15
/// columns and 400 rows; ETA and Zirve read the same): date, number, ETTN, kind, the buyer's
/// VKN/TCKN and name, base and KDV at each rate, the total, and the invoice's type with the
/// exemption code of its 0 % base (`SATIS`, `SATIS 351`, `ISTISNA 350`: what the KDV return
/// declares apart). A 0 % base has no KDV column.
enum LucaCSVWriter {
    static let rates = [20, 10, 1]
    static let header = ["Tarih", "Fatura No", "ETTN", "Tür", "VKN/TCKN", "Ünvan / Ad Soyad"]
        + rates.flatMap { ["Matrah %\($0)", "KDV %\($0)"] } + ["Matrah %0", "Toplam", "Fatura Türü / İstisna Kodu"]

    static func write(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for order in batch.orders {
            var byRate: [Int: (taxable: Money, tax: Money)] = [:]
            for s in order.totals.subtotals {
                let before = byRate[s.rate] ?? (.zero, .zero)
                byRate[s.rate] = ((try? before.taxable + s.taxable) ?? .zero, (try? before.tax + s.tax) ?? .zero)
            }
            let cells: [DelimitedText.Cell] = rates.flatMap { r in [DelimitedText.Cell.money(byRate[r]?.taxable ?? .zero), .money(byRate[r]?.tax ?? .zero)] }
            out.row([.date(order.date), .text(order.invoice?.number ?? ""), .text(order.invoice?.uuid ?? ""),
                     .text(order.invoice?.isEArsiv == false ? "e-Fatura" : "e-Arşiv"), .text(order.buyerID), .text(order.buyer.name)]
                    + cells + [.money(byRate[0]?.taxable ?? .zero), .money(order.grossTotal), .text(typeAndExemption(order))])
        }
        return out.bytes(options.csvEncoding)
    }

    /// `SATIS`, or with the exemption codes of the 0 % lines: `SATIS 351`, `ISTISNA 350`.
    static func typeAndExemption(_ order: ERPOrder) -> String {
        var codes: [String] = []
        for line in order.lines { if let c = line.exemption?.code, !codes.contains(c) { codes.append(c) } }
        return ([order.invoiceType.rawValue] + codes).joined(separator: " ")
    }

    /// KDV rates an order has that the per-invoice columns cannot hold (8 % and 18 %, from before 2023).
    static func unsupportedRates(_ order: ERPOrder) -> [Int] {
        order.totals.subtotals.map(\.rate).filter { $0 != 0 && !rates.contains($0) }
    }
}
