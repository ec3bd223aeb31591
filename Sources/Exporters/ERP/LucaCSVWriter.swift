import OrderCore

/// One row per invoice, as accountants post sales (Luca's Excel invoice import takes at most 15
/// columns and 400 rows; ETA and Zirve read the same): date, number, ETTN, kind, the buyer's
/// VKN/TCKN and name, base and KDV at each rate, the total, and the invoice's type with the
/// exemption code of its 0 % base (`SATIS`, `SATIS 351`, `ISTISNA 350`: what the KDV return
/// declares apart). A 0 % base has no KDV column. An invoice in another currency is posted in
/// lira (``LiraEquivalent``, what its note says), its last column naming the currency and rate.
enum LucaCSVWriter {
    static let rates = [20, 10, 1]
    static let header = ["Tarih", "Fatura No", "ETTN", "Tür", "VKN/TCKN", "Ünvan / Ad Soyad"]
        + rates.flatMap { ["Matrah %\($0)", "KDV %\($0)"] } + ["Matrah %0", "Toplam", "Fatura Türü / İstisna Kodu"]

    static func write(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for order in batch.orders {
            var byRate: [Int: (taxable: Money, tax: Money)] = [:]
            for (i, line) in order.lines.enumerated() {
                let taxable = order.lira?.lines[i].taxable ?? line.taxableAmount, tax = order.lira?.lines[i].tax ?? line.taxAmount
                let before = byRate[line.vatRate] ?? (.zero, .zero)
                byRate[line.vatRate] = ((try? before.taxable + taxable) ?? .zero, (try? before.tax + tax) ?? .zero)
            }
            let cells: [DelimitedText.Cell] = rates.flatMap { r in [DelimitedText.Cell.money(byRate[r]?.taxable ?? .zero), .money(byRate[r]?.tax ?? .zero)] }
            out.row([.date(order.date), .text(order.invoice?.number ?? ""), .text(order.invoice?.uuid ?? ""),
                     .text(order.invoice?.isEArsiv == false ? "e-Fatura" : "e-Arşiv"), .text(order.buyerID), .text(order.buyer.name)]
                    + cells + [.money(byRate[0]?.taxable ?? .zero), .money(order.lira?.gross ?? order.grossTotal),
                               .text(typeAndExemption(order))])
        }
        return out.bytes(options.csvEncoding)
    }

    /// `SATIS`, or with the exemption codes of the 0 % lines (`SATIS 351`, `ISTISNA 350`) and the
    /// currency and rate of an invoice in another currency (`ISTISNA 301 EUR 49,1234`).
    static func typeAndExemption(_ order: ERPOrder) -> String {
        var codes: [String] = []
        for line in order.lines { if let c = line.exemption?.code, !codes.contains(c) { codes.append(c) } }
        let currency = order.invoice?.exchangeRate.map { ["\($0.currency) \($0.value.description.replacingOccurrences(of: ".", with: ","))"] } ?? []
        return ([order.invoiceType.rawValue] + codes + currency).joined(separator: " ")
    }

    /// KDV rates an order has that the per-invoice columns cannot hold (8 % and 18 %, from before 2023).
    static func unsupportedRates(_ order: ERPOrder) -> [Int] {
        order.totals.subtotals.map(\.rate).filter { $0 != 0 && !rates.contains($0) }
    }
}
