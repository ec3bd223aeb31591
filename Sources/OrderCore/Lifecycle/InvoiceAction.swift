/// What the seller must do about an invoice already issued for an order that was then cancelled
/// or returned. An invoice file is never rewritten; Turkish practice instead says:
///
/// - e-Arşiv, goods not delivered: cancel the invoice through the e-Arşiv provider; it appears
///   as cancelled in the daily e-Arşiv report (VUK 509, e-Arşiv Fatura Uygulaması Kılavuzu).
/// - e-Arşiv, delivered to a consumer and returned: the consumer issues no invoice, so the seller
///   writes a gider pusulası (expense voucher) for the returned lines (VUK 234).
/// - e-Fatura (TEMELFATURA / TICARIFATURA): the buyer, being an e-Fatura user, sends an İADE
///   invoice for what it returns; a TICARIFATURA may instead be rejected within 8 days.
public struct InvoiceAction: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case earsiv_iptal, gider_pusulasi, alici_iade_faturasi
    }

    public var kind: Kind
    public var invoice: InvoiceReference
    /// The amount the change takes off the invoice, VAT included.
    public var amount: Money
    /// `*` for the whole order, the affected line keys, or `refund:<total refunded>`: one action per
    /// invoice and change, so an export repeating the change adds nothing.
    public var key: String
    /// What happened and what to do, in a sentence.
    public var reason: String

    public init(kind: Kind, invoice: InvoiceReference, amount: Money, key: String, reason: String) {
        self.kind = kind
        self.invoice = invoice
        self.amount = amount
        self.key = key
        self.reason = reason
    }

    /// The action an update calls for, if the invoiced order lost lines, all of it, or money.
    static func after(_ order: NormalizedOrder, stored: StoredOrderState, invoice: InvoiceReference) -> InvoiceAction? {
        let newlyVoid = order.lines.filter { line in
            line.status.isVoid && stored.lines[line.key].map { !$0.status.isVoid } ?? false
        }
        let wasDelivered = stored.status == .teslim_edildi
            || newlyVoid.contains { stored.lines[$0.key]?.status == .teslim_edildi }
        let whole = order.status.isVoid && !stored.status.isVoid
        let what: String, key: String
        // Stored amounts passed the limits when they landed; a sum beyond Int64 is reported as the largest.
        let affected = newlyVoid.map { stored.lines[$0.key]?.lineTotal ?? .zero } + (whole ? [stored.shipping] : [])
        var amount = (try? Money.sum(affected)) ?? Money(minorUnits: .max)
        if whole {
            key = "*"
            what = order.status == .iade ? "the whole order was returned" : "the whole order was cancelled"
        } else if !newlyVoid.isEmpty {
            key = newlyVoid.map(\.key).sorted().joined(separator: ",")
            what = "\(newlyVoid.count) line(s) were \(newlyVoid.contains { $0.status == .iade } ? "returned" : "cancelled") ("
                + newlyVoid.map(\.key).sorted().joined(separator: ", ") + ")"
        } else if order.refunded > stored.refunded {
            amount = (try? order.refunded - stored.refunded) ?? Money(minorUnits: .max)
            key = "refund:\(order.refunded.description)"
            what = "the platform refunded \(amount.turkishDescription) more to the buyer"
        } else {
            return nil
        }
        let kind: Kind
        let todo: String
        switch invoice.profile {
        case .EARSIVFATURA where wasDelivered:
            kind = .gider_pusulasi
            todo = "issue a gider pusulası for the returned goods to the consumer"
        case .EARSIVFATURA:
            kind = .earsiv_iptal
            todo = "the goods were not delivered: cancel the e-Arşiv invoice through your provider (it is reported "
                + "as cancelled in the daily e-Arşiv report)" + (whole ? "" : " and invoice the remaining lines again")
        case .TEMELFATURA, .TICARIFATURA, .KAMU:
            kind = .alici_iade_faturasi
            todo = "the buyer is an e-Fatura user: expect the buyer's İADE invoice for this amount"
        }
        return InvoiceAction(kind: kind, invoice: invoice, amount: amount, key: key,
                             reason: "after invoice \(invoice.number) was issued, \(what): \(todo)")
    }
}

/// An action as recorded: the ``InvoiceAction`` with the order it is about and when it was found.
public struct RecordedInvoiceAction: Sendable, Equatable {
    public var id: Int64
    public var seller: String
    public var orderNumber: String
    public var action: InvoiceAction
    /// When the change was found (UTC, ISO 8601).
    public var detectedAt: String
    /// `acik` until someone marks it done (`pra-ingest actions --done ID`), then `tamamlandi`.
    public var state: String

    public init(id: Int64, seller: String, orderNumber: String, action: InvoiceAction, detectedAt: String, state: String) {
        self.id = id
        self.seller = seller
        self.orderNumber = orderNumber
        self.action = action
        self.detectedAt = detectedAt
        self.state = state
    }
}
