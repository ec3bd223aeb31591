/// What the seller must do about an issued invoice when its order is cancelled or its goods come
/// back: one decision table, by the document (e-Fatura or e-Arşiv), the buyer (a taxpayer with a
/// VKN, or a consumer), whether the goods were delivered, and the days since the invoice.
/// Our reading of the rules (docs/invoices.md cites them):
///
/// | document | buyer | delivered | within 8 days | action |
/// |---|---|---|---|---|
/// | e-Arşiv | any | no | yes | cancel the e-Arşiv invoice (reported cancelled to GİB) |
/// | e-Fatura | taxpayer | no | yes | cancellation request on GİB's e-Belge İptal/İtiraz portal (the buyer approves; a TİCARİ invoice can be rejected) |
/// | any | taxpayer | yes, or past 8 days | – | expect the buyer's İADE invoice (it closes the action) |
/// | e-Arşiv | consumer | yes, or past 8 days | – | issue a gider pusulası for the goods taken back |
///
/// The 8 days are TTK 21/2's objection period, which GİB's cancellation portal applies.
public enum AfterSaleRule {
    /// The kind of document the invoice was issued as.
    public enum Document: String, Sendable, CaseIterable { case eArsiv, eFatura }
    /// A buyer who issues invoices (a VKN, or registered for e-Fatura), or a consumer (TCKN or
    /// GİB's anonymous 11111111111).
    public enum Buyer: String, Sendable, CaseIterable { case taxpayer, consumer }

    /// The facts of one change of an invoiced order.
    public struct Case: Sendable, Equatable {
        public var document: Document
        public var buyer: Buyer
        /// The goods reached the buyer (delivered, or returned: a return is of delivered goods).
        public var delivered: Bool
        /// Whole days from the invoice's issue to the change (`nil`: unknown, taken as within).
        public var daysSinceInvoice: Int?
        public init(document: Document, buyer: Buyer, delivered: Bool, daysSinceInvoice: Int?) {
            self.document = document
            self.buyer = buyer
            self.delivered = delivered
            self.daysSinceInvoice = daysSinceInvoice
        }
    }

    /// The action, what to do in words, and its deadline in days after the invoice (if any).
    public struct Decision: Sendable, Equatable {
        public var kind: InvoiceAction.Kind
        public var todo: String
        public var deadlineDays: Int?
    }

    /// Days after an invoice within which it can still be cancelled (TTK 21/2).
    public static let cancellationDays = 8

    public static func decide(_ c: Case) -> Decision {
        let withinWindow = (c.daysSinceInvoice ?? 0) <= cancellationDays
        if !c.delivered && withinWindow {
            switch c.document {
            case .eArsiv:
                return Decision(kind: .earsiv_iptal,
                                todo: "the goods were not delivered: cancel the e-Arşiv invoice through your provider (it is "
                                    + "reported to GİB as cancelled)", deadlineDays: cancellationDays)
            case .eFatura:
                return Decision(kind: .efatura_iptal_talebi,
                                todo: "the goods were not delivered: request the e-Fatura's cancellation on GİB's e-Belge "
                                    + "İptal/İtiraz portal for the buyer to approve (a TİCARİ invoice the buyer may reject "
                                    + "instead)", deadlineDays: cancellationDays)
            }
        }
        let late = c.delivered ? "" : " (too late to cancel the invoice)"
        switch c.buyer {
        case .taxpayer:
            return Decision(kind: .alici_iade_faturasi,
                            todo: "the buyer is a taxpayer: expect its İADE invoice for the goods it sends back\(late); a "
                                + "received İADE invoice closes this action", deadlineDays: nil)
        case .consumer:
            return Decision(kind: .gider_pusulasi,
                            todo: "the buyer is a consumer: issue a gider pusulası for the goods taken back\(late) (VUK 234)",
                            deadlineDays: nil)
        }
    }
}
