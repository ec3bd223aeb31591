/// Which order a carrier's or marketplace's shipment event belongs to: the rule, over the
/// candidate orders the store found for each of the event's identifiers. Pure, so the same rule
/// serves every store.
///
/// The order number decides first; the tracking number and the seller's reference (as a tracking
/// number, or an invoice number) narrow several candidates down, never widen them; what is still
/// more than one order is ambiguous.
public enum ShipmentMatching {
    public enum Match: Sendable, Equatable {
        case none
        case one(Int64)
        case ambiguous(String)
    }

    /// `byOrderNumber`: the orders of the first of the event's order-number candidates that found
    /// any; `byOtherIdentifiers`: the orders each other identifier found, in the event's order.
    public static func match(byOrderNumber: [Int64], byOtherIdentifiers: [[Int64]]) -> Match {
        let candidates = ([byOrderNumber] + byOtherIdentifiers).filter { !$0.isEmpty }
        guard var possible = candidates.first.map(Set.init) else { return .none }
        for more in candidates.dropFirst() {
            let narrowed = possible.intersection(more)
            if !narrowed.isEmpty { possible = narrowed }
        }
        guard possible.count == 1, let id = possible.first else {
            return .ambiguous("its identifiers fit \(possible.count) orders of the seller (the same number on two platforms?)")
        }
        return .one(id)
    }
}
