import OrderCore

/// Mikro: the line rows (`satirlar`) of its `SiparisKaydetV2` service, which integrations post to
/// Mikro's API (Mikro publishes no file import), written twice: as CSV for a person to check and
/// as the service's JSON payload (`{"evraklar": [{"evrak_aciklamalari": …, "satirlar": […]}]}`),
/// one document per invoiced order. The document number is the e-invoice's: series + year
/// (`sip_evrakno_seri`) and its 9-digit sequence (`sip_evrakno_sira`), so it never restarts and
/// a second import is refused by Mikro as a duplicate. Mikro keeps KDV as a pointer into its
/// rate table (`sip_vergi_pntr`, per seller in `pra.yaml`); unit prices carry six decimals so
/// price × quantity gives the line's amount. An invoice in another currency keeps its amounts in
/// that currency, with Mikro's currency number (`sip_doviz_cinsi`: 0 TL, 1 USD, 2 EUR) and the
/// invoice's rate (`sip_doviz_kuru`), as Mikro stores a foreign-currency document.
enum MikroWriter {
    static let fields = ["sip_tarih", "sip_teslim_tarih", "sip_tip", "sip_cins", "sip_evrakno_seri", "sip_evrakno_sira",
                         "sip_satirno", "sip_belgeno", "sip_belge_tarih", "sip_musteri_kod", "sip_stok_kod", "sip_b_fiyat",
                         "sip_miktar", "sip_birim_pntr", "sip_tutar", "sip_vergi_pntr", "sip_vergi", "sip_depono",
                         "sip_doviz_cinsi", "sip_doviz_kuru", "sip_vergisiz_fl", "sip_aciklama"]

    /// One line's values in ``fields`` order: text, or a number as written (`nil`: a JSON string).
    static func row(_ order: ERPOrder, _ index: Int, _ line: InvoiceLine, _ options: ERPOptions) -> [(String, isNumber: Bool)] {
        let invoice = order.invoice
        let date = order.date.turkishDateString
        let note = String("\(order.platform) \(order.orderNumber)".prefix(50)) // Mikro's column holds 50
        return [
            (date, false), (date, false), ("0", true), ("0", true),
            ("\(invoice?.series ?? "PRA")\(invoice?.year ?? order.date.year)", false), (String(invoice?.sequence ?? 0), true),
            (String(index), true), (invoice?.number ?? "", false), (date, false), (order.accountCode, false),
            (options.itemCode(line), false),
            (ERPNumber.quotient(line.taxableAmount, line.quantity, decimals: 6, comma: false), true),
            (String(line.quantity), true), (String(options.mikroUnitPointer), true), (line.taxableAmount.description, true),
            (String(options.mikroVATPointers[line.vatRate] ?? 0), true), (line.taxAmount.description, true),
            (options.warehouse, true),
            (String(invoice?.exchangeRate.flatMap { options.mikroCurrencyCodes[$0.currency] } ?? 0), true),
            (invoice?.exchangeRate?.value.description ?? "1", true), ("false", true), (note, false),
        ]
    }

    static func csv(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var out = DelimitedText()
        out.row(fields.map { .text($0) })
        for order in batch.orders {
            for (i, line) in order.lines.enumerated() {
                out.row(row(order, i, line, options).map { value, isNumber in
                    isNumber ? .number(value.replacingOccurrences(of: ".", with: ",")) : .text(value)
                })
            }
        }
        return out.bytes(options.csvEncoding)
    }

    /// The service payload: one `evrak` per order, its lines as `satirlar`.
    static func json(_ batch: ERPBatch, options: ERPOptions) -> [UInt8] {
        var documents: [String] = []
        for order in batch.orders {
            let lines = order.lines.enumerated().map { i, line in
                "{" + zip(fields, row(order, i, line, options)).map { name, value in
                    "\"\(name)\": " + (value.isNumber ? value.0 : jsonString(value.0))
                }.joined(separator: ", ") + "}"
            }
            documents.append("    {\"evrak_aciklamalari\": [{\"aciklama\": \(jsonString("\(order.platform) \(order.orderNumber)"))}],\n"
                             + "     \"satirlar\": [\n      " + lines.joined(separator: ",\n      ") + "\n     ]}")
        }
        return Array(("{\"evraklar\": [\n" + documents.joined(separator: ",\n") + "\n]}\n").utf8)
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
