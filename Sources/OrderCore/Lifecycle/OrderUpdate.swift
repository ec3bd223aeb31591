/// What the store holds of an order before newer information about it arrives.
public struct StoredOrderState: Sendable, Equatable {
    public var status: OrderStatus
    /// The platform's own time of the stored information (`guncelleme_tarihi`), when its export had one.
    public var updatedAt: Timestamp?
    /// The stored lines by key (changed through ``setLine(_:_:)``, which keeps the counts).
    public private(set) var lines: [String: StoredLine]
    /// How many stored lines are in each status: the status that follows them all is found
    /// without a walk over the lines (an order of 20,000 packages merges in linear time).
    public private(set) var lineStatusCounts: [OrderStatus: Int] = [:]
    public var shipping: Money
    public var refunded: Money
    /// The stored order total and platform discount (`toplam_tutar`, `platform_indirimi`).
    public var total: Money = .zero
    public var platformDiscount: Money = .zero
    /// The order's invoice, once one was numbered: it is never rewritten.
    public var invoice: InvoiceReference?

    public init(status: OrderStatus, updatedAt: Timestamp?, lines: [String: StoredLine], shipping: Money,
                refunded: Money, invoice: InvoiceReference?) {
        self.status = status
        self.updatedAt = updatedAt
        self.lines = lines
        for line in lines.values { lineStatusCounts[line.status, default: 0] += 1 }
        self.shipping = shipping
        self.refunded = refunded
        self.invoice = invoice
    }

    /// Stores (or replaces) the line `key`.
    public mutating func setLine(_ key: String, _ line: StoredLine) {
        if let old = lines.updateValue(line, forKey: key) { lineStatusCounts[old.status, default: 0] -= 1 }
        lineStatusCounts[line.status, default: 0] += 1
    }

    /// Takes the lines (and their counts) of `other`, the rest stays.
    public mutating func adoptLines(of other: StoredOrderState) {
        lines = other.lines
        lineStatusCounts = other.lineStatusCounts
    }

    public struct StoredLine: Sendable, Equatable {
        public var status: OrderStatus
        public var lineTotal: Money
        public init(status: OrderStatus, lineTotal: Money) {
            self.status = status
            self.lineTotal = lineTotal
        }
    }
}

/// An invoice as an action row names it.
public struct InvoiceReference: Sendable, Equatable {
    public var id: Int64
    /// GİB invoice number (`cbc:ID`).
    public var number: String
    /// The ETTN.
    public var uuid: String
    public var profile: InvoiceDocument.Profile
    /// When it was issued.
    public var issuedAt: Timestamp?
    /// The buyer had a VKN (a taxpayer even on an e-Arşiv invoice).
    public var buyerHasVKN = false
    /// The invoice's currency: an action's amount is in it.
    public var currency = "TRY"

    public init(id: Int64, number: String, uuid: String, profile: InvoiceDocument.Profile, issuedAt: Timestamp? = nil,
                buyerHasVKN: Bool = false, currency: String = "TRY") {
        self.id = id
        self.number = number
        self.uuid = uuid
        self.profile = profile
        self.issuedAt = issuedAt
        self.buyerHasVKN = buyerHasVKN
        self.currency = currency
    }

    /// How amounts in the invoice's currency are labelled: `TL`, or the code (`EUR`).
    public var currencyLabel: String { currency == "TRY" ? "TL" : currency }

    /// The invoice as the decision table sees it.
    var document: AfterSaleRule.Document { profile == .EARSIVFATURA ? .eArsiv : .eFatura }
    var buyer: AfterSaleRule.Buyer { profile != .EARSIVFATURA || buyerHasVKN ? .taxpayer : .consumer }
}

/// One status change, kept in the order's history.
public struct StatusChange: Sendable, Equatable {
    /// `nil` for the order itself.
    public var lineKey: String?
    /// `nil` when first seen.
    public var from: OrderStatus?
    public var to: OrderStatus
}

/// Newer information about an order applied to what is stored: the later export wins, but a
/// status only moves forward (``OrderStatus/canMove(to:)``), a record older than the stored one
/// (by the platform's own timestamps) changes nothing, and an invoiced order that is cancelled
/// or has lines returned yields one ``InvoiceAction``.
public struct OrderUpdate: Sendable {
    /// The record is older than what is stored: nothing of it is applied.
    public var isStale: Bool
    /// The incoming order with its statuses merged into the stored ones.
    public var order: NormalizedOrder
    public var changes: [StatusChange]
    public var action: InvoiceAction?

    /// - Parameters:
    ///   - now: when the change is learned (for the time since the invoice).
    ///   - returnMeansDelivered: a `iade` status says the goods came back from the buyer (a
    ///     platform's return); a carrier's return may be of a parcel never delivered.
    /// A new order's one change, by its status: made once, not an array per order.
    private static let creations = Dictionary(uniqueKeysWithValues: OrderStatus.allCases.map {
        ($0, [StatusChange(lineKey: nil, from: nil, to: $0)])
    })

    public static func merge(_ incoming: __owned NormalizedOrder, into stored: StoredOrderState?, now: Timestamp? = nil,
                             returnMeansDelivered: Bool = true) -> OrderUpdate {
        guard let stored else {
            // A new order (most of a file's): kept as it came, moved in, not copied.
            return OrderUpdate(isStale: false, order: incoming, changes: creations[incoming.status] ?? [], action: nil)
        }
        if let old = stored.updatedAt, let new = incoming.updatedAt, new < old {
            return OrderUpdate(isStale: true, order: incoming, changes: [], action: nil)
        }
        var order = incoming
        var changes: [StatusChange] = []
        for i in order.lines.indices {
            let key = order.lines[i].key
            guard let before = stored.lines[key] else {
                changes.append(StatusChange(lineKey: key, from: nil, to: order.lines[i].status))
                continue
            }
            order.lines[i].status = before.status.merged(with: order.lines[i].status)
            if order.lines[i].status != before.status {
                changes.append(StatusChange(lineKey: key, from: before.status, to: order.lines[i].status))
            }
        }
        var status = stored.status.merged(with: incoming.status)
        if !order.lines.isEmpty, order.lines.allSatisfy(\.status.isVoid) {
            status = stored.status.merged(with: order.lines.contains { $0.status == .iade } ? .iade : .iptal)
        }
        order.status = status
        if status != stored.status { changes.insert(StatusChange(lineKey: nil, from: stored.status, to: status), at: 0) }
        let action = stored.invoice.flatMap {
            InvoiceAction.after(order, stored: stored, invoice: $0, now: now, returnMeansDelivered: returnMeansDelivered)
        }
        return OrderUpdate(isStale: false, order: order, changes: changes, action: action)
    }
}

extension NormalizedOrder {
    /// This record of the order added to the part of it the same file already stored (a package
    /// of a multi-package order, an item of a flat item list): amounts add up, and the stored
    /// lines stay with this record's beside them.
    /// Its status follows all the lines, the stored ones and these (as for an order read whole).
    public func adding(to stored: StoredOrderState) throws(AmountOverflow) -> NormalizedOrder {
        var merged = self
        merged.total = try stored.total + total
        merged.shipping = try stored.shipping + shipping
        merged.platformDiscount = try stored.platformDiscount + platformDiscount
        // The stored lines' statuses, less those this record restates, and this record's: by counts.
        var counts = stored.lineStatusCounts
        for key in Set(lines.map(\.key)) {
            if let before = stored.lines[key] { counts[before.status, default: 0] -= 1 }
        }
        for line in lines { counts[line.status, default: 0] += 1 }
        merged.status = OrderStatus.following(counts: counts) ?? status
        return merged
    }
}

extension OrderUpdate {
    /// The stored order moved to `status` by news that is not an export of it (a carrier's event):
    /// nothing but statuses change. A void status (returned, cancelled) voids its live lines too,
    /// and an invoiced order then gets its action, as when its platform says so.
    public static func moving(_ stored: StoredOrderState, orderNumber: String, to status: OrderStatus, now: Timestamp? = nil) -> OrderUpdate {
        var order = NormalizedOrder(orderNumber: orderNumber, position: SourcePosition(record: 0, line: 0))
        order.status = status
        if stored.refunded > .zero { order.values[.iade_tutari] = .money(stored.refunded) }
        order.lines = stored.lines.sorted { $0.key < $1.key }.map { key, line in
            OrderLine(key: key, sku: "", quantity: 0, unitPrice: .zero, lineTotal: line.lineTotal, vatRate: 0,
                      status: status.isVoid && !line.status.isVoid ? status : line.status,
                      position: order.position)
        }
        return merge(order, into: stored, now: now, returnMeansDelivered: false)
    }
}
