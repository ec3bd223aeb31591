import OrderCore

/// The action list a seller's accountant works through (`outbox/actions/*.csv`): one row per
/// invoice and change, in the Turkish spreadsheet conventions of the ERP CSVs.
public enum ActionListWriter {
    public static let header = ["action", "seller", "order_number", "invoice_number", "invoice_date", "ettn", "profile",
                                "affected_amount", "currency", "deadline", "reason", "detected_at", "lines"]

    public static func write(_ actions: [RecordedInvoiceAction]) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for a in actions {
            let invoice = a.action.invoice
            out.row([.text(a.action.kind.rawValue), .text(a.seller), .text(a.orderNumber), .text(invoice.number),
                     .text(invoice.issuedAt?.local.dateString ?? ""), .text(invoice.uuid), .text(invoice.profile.rawValue),
                     .money(a.action.amount), .text(invoice.currency), .text(a.action.deadline?.dateString ?? ""), .text(a.action.reason),
                     .text(a.detectedAt), .text(a.action.key)])
        }
        return out.bytes(.utf8_bom)
    }
}
