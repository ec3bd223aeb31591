/// Which order a provider's invoice belongs to: the rule, over the candidate orders the store
/// found for each way of matching. Pure, so the same rule serves every store.
///
/// In order: the order number the invoice names; else the invoice as one PraIngest numbered (its
/// number or ETTN); else — only for an invoice that names no order, since one that does waits for
/// it — a guess: an order of the buyer's VKN/TCKN with exactly the invoice's amount, ordered at
/// most 30 days before the invoice (or a day after).
public enum InvoiceMatching {
    /// How an invoice was matched (`gelen_faturalar.eslesme`).
    public enum How: String, Sendable {
        case siparis_no, fatura_no, tahmin, yok
    }

    /// What the rule found.
    public enum Match: Sendable, Equatable {
        case none(why: String)
        case one(order: Int64, how: How)
        case ambiguous(why: String, how: How)
    }

    /// The orders each way found: by the invoice's order number (the first of its candidates that
    /// found any), as an invoice of PraIngest's own, and of the same buyer and amount with their order dates.
    public struct Candidates: Sendable {
        public var byOrderNumber: [Int64]
        public var byOwnInvoice: [Int64]
        public var byBuyerAndAmount: [(order: Int64, orderedAt: Timestamp?)]
        public init(byOrderNumber: [Int64], byOwnInvoice: [Int64], byBuyerAndAmount: [(order: Int64, orderedAt: Timestamp?)]) {
            self.byOrderNumber = byOrderNumber
            self.byOwnInvoice = byOwnInvoice
            self.byBuyerAndAmount = byBuyerAndAmount
        }
    }

    /// The days an order may precede its invoice (and follow it) for a guess.
    public static let guessWindow = -1...30

    public static func match(_ invoice: ReceivedInvoice, _ c: Candidates) -> Match {
        var found = c.byOrderNumber, how = How.siparis_no
        if found.isEmpty {
            found = c.byOwnInvoice
            how = .fatura_no
        }
        if found.isEmpty, invoice.orderNumberCandidates.isEmpty, invoice.buyerID != nil {
            found = c.byBuyerAndAmount.filter { _, orderedAt in
                guard let orderedAt else { return false }
                return guessWindow.contains(Int((invoice.issueDate.epochSeconds - orderedAt.epochSeconds) / 86_400))
            }.map(\.order)
            how = .tahmin
        }
        guard !found.isEmpty else {
            return .none(why: invoice.orderNumberCandidates.isEmpty ? "no order of the seller has this invoice, or its buyer and amount, yet"
                            : "order \(invoice.orderNumber ?? "") of the seller has not arrived yet")
        }
        guard found.count == 1 else {
            return .ambiguous(why: "\(found.count) orders fit (\(how == .tahmin ? "the same buyer and amount" : "the same number on several platforms"))",
                              how: how)
        }
        return .one(order: found[0], how: how)
    }
}
