import OrderCore

/// Logo Tiger/GO "XML aktarım" files: `SALES_INVOICES` or `SALES_ORDERS`, ISO-8859-9 as in
/// every public sample, `DBOP="INS"`. An invoice carries its e-invoice: the GİB number as its
/// number (`NUMBER`, Logo's FICHENO: importing the file again cannot create it twice), the ETTN
/// in `GUID`, the issue date, `EINVOICE` (1 e-Fatura, 2 e-Arşiv), the profile, and for e-Arşiv
/// the real buyer and the internet-sale data (`EARCHIVEDETR_*`). Lines carry their exact
/// VAT-inclusive unit price (`VAT_INCLUDED` 1), so Logo's price × quantity is the line's total to
/// the kuruş; item lines `TYPE 0`, the shipping line a service (`TYPE 4`). Amounts with a dot,
/// dates `dd.MM.yyyy`. An invoice in another currency is in lira as Logo books it (``LiraEquivalent``,
/// each line's exact unit price to six decimals) with the transaction currency beside it: its
/// type (`CURR_TRANSACTIN`, `EDT_CURR`, `CURR_PRICE`), the rate (`TC_XRATE`, `PR_RATE`) and the
/// amounts in it (`TC_NET`, `EDT_PRICE`, `PC_PRICE`). Field names and codes: docs/erp-formats.md.
enum LogoXMLWriter {
    enum Kind { case invoice, order }

    static func write(_ batch: ERPBatch, kind: Kind, options: ERPOptions) -> [UInt8] {
        let w = XMLDocumentWriter(encoding: .iso8859_9)
        w.start(kind == .invoice ? "SALES_INVOICES" : "SALES_ORDERS")
        for order in batch.orders {
            w.start(kind == .invoice ? "INVOICE" : "ORDER_SLIP", [("DBOP", "INS")])
            if kind == .invoice { w.element("TYPE", String(options.logoInvoiceType(for: order))) }
            // An order slip has no e-invoice yet: Logo numbers it.
            w.element("NUMBER", kind == .invoice ? order.invoice?.number ?? "~" : "~")
            w.element("DATE", order.date.turkishDateString)
            // An invoice at its issue, an order slip at the order's own time.
            w.element("TIME", String(packedTime(kind == .invoice ? order.invoice?.issued ?? batch.createdAt : order.orderDate)))
            w.element("DOC_NUMBER", order.orderNumber)
            w.element("AUXIL_CODE", order.platform)
            w.element("ARP_CODE", order.accountCode)
            w.element("SOURCE_WH", options.warehouse)
            w.element("VAT_INCLUDED_GRS", "1")
            let lira = order.lira
            w.element("TOTAL_DISCOUNTED", (lira?.taxable ?? order.taxableTotal).description)
            w.element("TOTAL_VAT", (lira?.tax ?? order.taxTotal).description)
            w.element("TOTAL_GROSS", (lira?.taxable ?? order.taxableTotal).description)
            w.element("TOTAL_NET", (lira?.gross ?? order.grossTotal).description)
            let foreign = order.invoice?.exchangeRate.flatMap { rate in options.logoCurrencyCodes[rate.currency].map { (rate, $0) } }
            if let (rate, code) = foreign {
                // 2: amounts also in the transaction currency.
                w.element("CURRSEL_TOTAL", "2")
                w.element("CURRSEL_DETAILS", "2")
                w.element("CURR_TRANSACTIN", String(code))
                w.element("TC_XRATE", rate.value.description)
                w.element("TC_NET", order.grossTotal.description)
            }
            w.element("NOTES1", "\(order.platform) \(order.orderNumber)")
            if kind == .order {
                w.element("ORDER_STATUS", "4")
                w.element("NOTES2", "e-fatura henüz düzenlenmedi")
            }
            if kind == .invoice, let invoice = order.invoice { eDocument(w, order, invoice, options) }
            w.start("TRANSACTIONS")
            for (i, line) in order.lines.enumerated() {
                let inLira = lira?.lines[i]
                w.start("TRANSACTION")
                w.element("TYPE", line.sellerItemID == nil ? "4" : "0")
                w.element("MASTER_CODE", options.itemCode(line))
                w.element("SOURCEINDEX", options.warehouse)
                w.element("QUANTITY", String(line.quantity))
                w.element("PRICE", inLira.map { ERPNumber.quotient($0.gross, line.quantity, decimals: 6, comma: false) }
                                    ?? line.unitGrossAmount.description)
                w.element("TOTAL", (inLira?.gross ?? line.grossAmount).description)
                w.element("VAT_INCLUDED", "1")
                w.element("VAT_RATE", String(line.vatRate))
                w.element("VAT_AMOUNT", (inLira?.tax ?? line.taxAmount).description)
                w.element("VAT_BASE", (inLira?.taxable ?? line.taxableAmount).description)
                if let (rate, code) = foreign {
                    w.element("CURR_PRICE", String(code))
                    w.element("PC_PRICE", line.unitGrossAmount.description)
                    w.element("PR_RATE", rate.value.description)
                    w.element("EDT_CURR", String(code))
                    w.element("EDT_PRICE", line.unitGrossAmount.description)
                }
                if let e = line.exemption {
                    w.element("VATEXCEPT_CODE", e.code)
                    w.element("VATEXCEPT_REASON", e.reason)
                }
                w.element("UNIT_CODE", options.unit)
                w.element("UNIT_CONV1", "1")
                w.element("UNIT_CONV2", "1")
                if kind == .invoice { w.element("BILLED", "1") }
                w.element("TOTAL_NET", (inLira?.taxable ?? line.taxableAmount).description)
                w.end()
            }
            w.end()
            w.end()
        }
        w.end()
        return w.finish()
    }

    /// The e-invoice's identity and, for e-Arşiv, the buyer and the internet sale.
    private static func eDocument(_ w: XMLDocumentWriter, _ order: ERPOrder, _ invoice: ERPInvoice, _ options: ERPOptions) {
        w.element("GUID", invoice.uuid.uppercased())
        w.element("EINVOICE", invoice.isEArsiv ? "2" : "1")
        if !invoice.isEArsiv {
            // 1 TEMELFATURA, 2 TICARIFATURA; a public body's KAMU invoice is a basic one to Logo.
            w.element("PROFILE_ID", invoice.profile == "TICARIFATURA" ? "2" : "1")
            if let s = options.logoEInvoiceStatus { w.element("ESTATUS", s) }
            return
        }
        if let s = options.logoEArchiveStatus { w.element("EARCHIVEDETR_EARCHIVESTATUS", s) }
        w.element("EARCHIVEDETR_SENDMOD", "2") // electronic
        if let site = order.saleWebAddress { w.element("EARCHIVEDETR_INTSALESADDR", site) }
        // 4: through a payment intermediary (the marketplace), 1: card on the seller's own shop.
        w.element("EARCHIVEDETR_INTPAYMENTTYPE", order.paymentIntermediary == nil ? "1" : "4")
        if let agent = order.paymentIntermediary { w.element("EARCHIVEDETR_INTPAYMENTAGENT", agent) }
        if let paid = order.paymentDate { w.element("EARCHIVEDETR_INTPAYMENTDATE", paid.turkishDateString) }
        let b = order.buyer
        w.element("EARCHIVEDETR_ISPERCURR", b.vkn == nil ? "1" : "0")
        if let vkn = b.vkn { w.element("EARCHIVEDETR_TAXNR", vkn) }
        if let tckn = b.tckn { w.element("EARCHIVEDETR_TCKNO", tckn) }
        if b.vkn == nil {
            w.element("EARCHIVEDETR_NAME", b.firstName)
            w.element("EARCHIVEDETR_SURNAME", b.familyName)
        } else {
            w.element("EARCHIVEDETR_DEFINITION", b.name)
            if let office = b.taxOffice { w.element("EARCHIVEDETR_TAXOFFICE", office) }
        }
        if let street = b.address.street { w.element("EARCHIVEDETR_ADDR1", street) }
        w.element("EARCHIVEDETR_TOWN", b.address.district)
        w.element("EARCHIVEDETR_CITY", b.address.city)
        if let code = b.address.countryCode { w.element("EARCHIVEDETR_COUNTRYCODE", code) }
        w.element("EARCHIVEDETR_COUNTRY", b.address.country)
        if let email = b.email { w.element("EARCHIVEDETR_EMAILADDR", email) }
    }

    /// Customer cards (`AR_APS/AR_AP`) for the batch's buyers that have their own account (a
    /// company by its VKN), imported before the invoices; `nil` when every buyer shares an account.
    static func customerCards(_ batch: ERPBatch) -> [UInt8]? {
        var seen = Set<String>()
        let own = batch.orders.filter { $0.buyer.vkn != nil && seen.insert($0.accountCode).inserted }
        guard !own.isEmpty else { return nil }
        let w = XMLDocumentWriter(encoding: .iso8859_9)
        w.start("AR_APS")
        for order in own {
            let b = order.buyer
            w.start("AR_AP", [("DBOP", "INS")])
            w.element("ACCOUNT_TYPE", "3")
            w.element("CODE", order.accountCode)
            w.element("TITLE", b.name)
            if let street = b.address.street { w.element("ADDRESS1", street) }
            w.element("TOWN", b.address.district)
            w.element("CITY", b.address.city)
            w.element("COUNTRY", b.address.country)
            if let code = b.address.countryCode { w.element("COUNTRY_CODE", code) }
            w.element("TAX_ID", b.vkn ?? "")
            if let office = b.taxOffice { w.element("TAX_OFFICE", office) }
            if let email = b.email { w.element("E_MAIL", email) }
            w.element("ACCEPT_EINV", order.invoice?.isEArsiv == false ? "1" : "0")
            w.end()
        }
        w.end()
        return w.finish()
    }

    /// Logo's packed time: `H·2²⁴ + M·2¹⁶ + S·2⁸`.
    static func packedTime(_ t: CivilDateTime) -> Int { t.hour * 16_777_216 + t.minute * 65_536 + t.second * 256 }
}
