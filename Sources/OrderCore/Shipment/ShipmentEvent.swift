/// One shipment event a carrier (or a shop plugin, or a marketplace) reported: which order it is
/// about, by whichever identifiers the file has, and what happened to the parcel. It never creates
/// an order and never touches money: it moves the order's shipment state forward.
public struct ShipmentEvent: Sendable, Equatable {
    /// The seller's (platform's) order number, as the file writes it.
    public var orderNumber: String?
    public var trackingNumber: String?
    /// The carrier's reference to the seller's order (Yurtiçi `cargoKey`/`invoiceKey`, Aras
    /// `IntegrationCode`, PTT `musteriReferansNo`): an order or invoice number, or a package number.
    public var reference: String?
    public var carrier: String?
    public var status: ShipmentStatus
    /// The carrier's own code and text, kept as written.
    public var carrierCode: String?
    public var carrierText: String?
    /// When it happened, when the file says.
    public var eventTime: Timestamp?
    public var deliveredAt: Timestamp?
    public var position: SourcePosition

    public init(status: ShipmentStatus, position: SourcePosition) {
        self.status = status
        self.position = position
    }

    /// The event a `shipments` mapping read, or `nil` when it has no status.
    public init?(_ record: MappedRecord) {
        guard let raw = record.values[text: .gonderi_durumu], let status = ShipmentStatus(rawValue: raw) else { return nil }
        self.init(status: status, position: record.position)
        orderNumber = record.values[text: .siparis_numarasi]
        trackingNumber = record.values[text: .kargo_takip_no]
        reference = record.values[text: .kargo_referansi]
        carrier = record.values[text: .kargo_firmasi]
        carrierCode = record.values[text: .kargo_durum_kodu]
        carrierText = record.values[text: .kargo_durum_aciklamasi]
        let time = record.values.date(.olay_zamani)
        deliveredAt = record.values.date(.teslim_tarihi) ?? (status == .teslim_edildi ? time : nil)
        // A flat export's row dates its document; a delivery it reports happened at the delivery time.
        eventTime = [time, deliveredAt].compactMap { $0 }.max()
    }

    /// The order numbers the event could name, in the order they are tried: the order number as
    /// written, then without or with the `#` web shops put before it (`#1001` / `1001`), then the
    /// carrier's reference the same ways.
    public var orderNumberCandidates: [String] {
        var out: [String] = []
        for v in [orderNumber, reference].compactMap({ $0 }) where !v.isEmpty {
            for c in [v, v.hasPrefix("#") ? String(v.dropFirst()) : "#" + v] where !out.contains(c) { out.append(c) }
        }
        return out
    }
}

/// What the store holds of an order's shipment when an event arrives.
public struct StoredShipmentState: Sendable, Equatable {
    public var orderStatus: OrderStatus
    public var shipmentStatus: ShipmentStatus?
    /// The time of the last event applied, when it had one.
    public var lastEventTime: Timestamp?
    public var trackingNumber: String?

    public init(orderStatus: OrderStatus, shipmentStatus: ShipmentStatus?, lastEventTime: Timestamp?, trackingNumber: String?) {
        self.orderStatus = orderStatus
        self.shipmentStatus = shipmentStatus
        self.lastEventTime = lastEventTime
        self.trackingNumber = trackingNumber
    }
}

/// An event applied to its order: the shipment state it leaves, and the order status it moves
/// to (forward only, by ``OrderStatus/canMove(to:)``). An event older than the last one applied
/// is kept in the history but changes nothing.
public struct ShipmentUpdate: Sendable, Equatable {
    /// The event is older than what the order already shows.
    public var isStale: Bool
    /// The order's new status, when the event moves it.
    public var orderStatus: OrderStatus?
    /// The order's shipment state after the event.
    public var shipmentStatus: ShipmentStatus
    /// What it did, in words, for the event's row and the report.
    public var outcome: String

    public static func apply(_ event: ShipmentEvent, to stored: StoredShipmentState) -> ShipmentUpdate {
        if let last = stored.lastEventTime, let time = event.eventTime, time < last {
            return ShipmentUpdate(isStale: true, orderStatus: nil, shipmentStatus: stored.shipmentStatus ?? event.status,
                                  outcome: "older than the last event (\(last)); nothing changed")
        }
        // Without a later time to say so, a shipment does not go back (a re-sent "created" after "delivered").
        let newer = stored.lastEventTime.flatMap { last in event.eventTime.map { $0 > last } } ?? false
        if let current = stored.shipmentStatus, !newer, event.status.progress < current.progress {
            return ShipmentUpdate(isStale: true, orderStatus: nil, shipmentStatus: current,
                                  outcome: "the shipment is already \(current.rawValue); nothing changed")
        }
        var next: OrderStatus?
        if let target = event.status.orderStatus, stored.orderStatus.canMove(to: target) { next = target }
        let outcome: String
        if let next {
            outcome = "order \(stored.orderStatus.rawValue) → \(next.rawValue)"
        } else if let target = event.status.orderStatus, target != stored.orderStatus {
            outcome = "order stays \(stored.orderStatus.rawValue) (a status never moves back)"
        } else {
            outcome = "shipment \(event.status.rawValue)"
        }
        return ShipmentUpdate(isStale: false, orderStatus: next, shipmentStatus: event.status, outcome: outcome)
    }
}
