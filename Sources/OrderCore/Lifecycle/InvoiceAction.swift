/// What the seller must do about an invoice already issued for an order that was then cancelled
/// or returned: an invoice file is never rewritten; ``AfterSaleRule`` decides the document.
public struct InvoiceAction: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case earsiv_iptal, gider_pusulasi, alici_iade_faturasi, efatura_iptal_talebi
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
    /// The last day to do it, where one applies (a cancellation's window).
    public var deadline: CivilDateTime?

    public init(kind: Kind, invoice: InvoiceReference, amount: Money, key: String, reason: String, deadline: CivilDateTime? = nil) {
        self.kind = kind
        self.invoice = invoice
        self.amount = amount
        self.key = key
        self.reason = reason
        self.deadline = deadline
    }

    /// The action an update calls for, if the invoiced order lost lines, all of it, or money.
    static func after(_ order: NormalizedOrder, stored: StoredOrderState, invoice: InvoiceReference, now: Timestamp?,
                      returnMeansDelivered: Bool) -> InvoiceAction? {
        let newlyVoid = order.lines.filter { line in
            line.status.isVoid && stored.lines[line.key].map { !$0.status.isVoid } ?? false
        }
        // Delivered: as stored, or a platform's return (goods come back only from a buyer who had them).
        let wasDelivered = stored.status == .teslim_edildi
            || newlyVoid.contains { stored.lines[$0.key]?.status == .teslim_edildi }
            || (returnMeansDelivered && (order.status == .iade || newlyVoid.contains { $0.status == .iade }))
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
        var days: Int?
        if let issued = invoice.issuedAt, let now { days = Int((now.epochSeconds - issued.epochSeconds) / 86_400) }
        let decision = AfterSaleRule.decide(AfterSaleRule.Case(document: invoice.document, buyer: invoice.buyer,
                                                               delivered: wasDelivered, daysSinceInvoice: days))
        let issued = invoice.issuedAt.map { " of \($0.local.dateString)" } ?? ""
        var deadline: CivilDateTime?
        if let issued = invoice.issuedAt, let window = decision.deadlineDays {
            deadline = Timestamp(epochSeconds: issued.epochSeconds + Int64(window) * 86_400,
                                 utcOffsetSeconds: issued.utcOffsetSeconds).local
        }
        let by = deadline.map { " by \($0.dateString)" } ?? ""
        var todo = decision.todo
        if !whole && decision.kind == .earsiv_iptal { todo += " and invoice the remaining lines again" }
        return InvoiceAction(kind: decision.kind, invoice: invoice, amount: amount, key: key,
                             reason: "after invoice \(invoice.number)\(issued) was issued, \(what): \(todo)\(by)", deadline: deadline)
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
