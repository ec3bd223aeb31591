import OrderCore

/// Logo Tiger/GO "XML aktarım" files: `SALES_INVOICES` or `SALES_ORDERS`, ISO-8859-9 as in
/// every public sample, `DBOP="INS"`, `NUMBER ~` (Logo assigns the next number), item lines
/// `TYPE 0`, the shipping line as a service (`TYPE 4`). Amounts with a dot, dates `dd.MM.yyyy`.
enum LogoXMLWriter {
    enum Kind { case invoice, order }

    static func write(_ batch: ERPBatch, kind: Kind, options: ERPOptions) -> [UInt8] {
        let w = XMLDocumentWriter(encoding: "ISO-8859-9")
        w.start(kind == .invoice ? "SALES_INVOICES" : "SALES_ORDERS")
        for order in batch.orders {
            w.start(kind == .invoice ? "INVOICE" : "ORDER_SLIP", [("DBOP", "INS")])
            if kind == .invoice { w.element("TYPE", "8") }
            w.element("NUMBER", "~")
            w.element("DATE", order.date.turkishDateString)
            w.element("TIME", String(packedTime(batch.createdAt)))
            if kind == .invoice { w.element("DOC_NUMBER", order.invoiceNumber ?? order.orderNumber) }
            w.element("AUXIL_CODE", order.platform)
            w.element("ARP_CODE", order.accountCode)
            w.element("TOTAL_DISCOUNTED", order.taxableTotal.description)
            w.element("TOTAL_VAT", order.taxTotal.description)
            w.element("TOTAL_GROSS", order.taxableTotal.description)
            w.element("TOTAL_NET", order.grossTotal.description)
            w.element("NOTES1", "\(order.platform) \(order.orderNumber)")
            if kind == .order { w.element("ORDER_STATUS", "4") }
            w.start("TRANSACTIONS")
            for line in order.lines {
                w.start("TRANSACTION")
                w.element("TYPE", line.sellerItemID == nil ? "4" : "0")
                w.element("MASTER_CODE", line.sellerItemID ?? options.shippingCode)
                w.element("QUANTITY", String(line.quantity))
                w.element("PRICE", UBLInvoiceWriter.unitPrice(line))
                w.element("TOTAL", line.taxableAmount.description)
                w.element("VAT_RATE", String(line.vatRate))
                w.element("VAT_AMOUNT", line.taxAmount.description)
                w.element("VAT_BASE", line.taxableAmount.description)
                w.element("UNIT_CODE", "ADET")
                w.element("UNIT_CONV1", "1")
                w.element("UNIT_CONV2", "1")
                if kind == .invoice { w.element("BILLED", "1") }
                w.element("TOTAL_NET", line.taxableAmount.description)
                w.end()
            }
            w.end()
            w.end()
        }
        w.end()
        return w.finish()
    }

    /// Logo's packed time: `H·2²⁴ + M·2¹⁶ + S·2⁸`.
    static func packedTime(_ t: CivilDateTime) -> Int { t.hour * 16_777_216 + t.minute * 65_536 + t.second * 256 }
}
