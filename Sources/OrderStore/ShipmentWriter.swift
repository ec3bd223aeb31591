import OrderCore

/// Writes the shipment events of one file inside the ingest's transaction: each event is kept
/// (`gonderi_olaylari`; one the next day's export repeats is recognised), matched to the seller's
/// order — by order number on any of the seller's platforms, by tracking number, or by the
/// carrier's reference (an order or invoice number) — and applied to it (``ShipmentUpdate``): the
/// shipment state, tracking number and delivery date on the order, its status forward only, the
/// change in its history and, for a buyer, the message a seller would send (`mesaj_log`). An
/// event whose order is not there yet waits and is applied when the order arrives
/// (``applyWaiting()``, run after every file of orders).
public final class ShipmentWriter {
    /// What became of an event.
    public enum Outcome: Sendable, Equatable {
        /// Applied to the order (its number), with what it did.
        case applied(order: String, String)
        /// Kept until its order arrives.
        case waiting
        /// The same event was recorded before.
        case known
        /// Its identifiers fit several orders; kept, not applied.
        case ambiguous(String)
    }

    private let db: Database
    private let sellerID: Int64
    private let fileID: Int64?
    private let now: String
    private let insertEvent: Statement
    private let byNumber: Statement
    private let byTracking: Statement
    private let byInvoice: Statement
    private let shipmentState: Statement
    private let updateOrder: Statement
    private let updateLine: Statement
    private let settleEvent: Statement
    private let insertMessage: Statement
    private let orderState: OrderStateQuery
    private let lifecycle: LifecycleRecorder

    /// Prepares the statements; must run inside the caller's transaction. `fileID` is the
    /// `kaynak_dosyalar` row of the file being read.
    public init(store: OrderStore, sellerID: Int64, fileID: Int64, now: String) throws(StoreError) {
        db = store.db
        self.sellerID = sellerID
        self.fileID = fileID
        self.now = now
        insertEvent = try db.prepareCached("""
            INSERT INTO gonderi_olaylari (kullanici_id, siparis_numarasi, kargo_takip_no, kargo_referansi, kargo_firmasi, durum,
                kargo_durum_kodu, kargo_durum_aciklamasi, olay_zamani, teslim_tarihi, kaynak_dosya_id, kaynak_satir, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
            """)
        byNumber = try db.prepareCached(OrderStore.sellersOrdersByNumber)
        byTracking = try db.prepareCached("SELECT id FROM siparisler WHERE kargo_takip_no = ?2 AND kullanici_id = ?1")
        byInvoice = try db.prepareCached("SELECT siparis_id FROM faturalar WHERE fatura_no = ?2 AND kullanici_id = ?1")
        shipmentState = try db.prepareCached("""
            SELECT siparis_numarasi, kargo_durumu, kargo_durum_zamani, kargo_takip_no, kargo_firmasi, musteri_email,
                   musteri_telefon FROM siparisler WHERE id = ?
            """)
        updateOrder = try db.prepareCached("""
            UPDATE siparisler SET kargo_durumu = ?2, kargo_durum_zamani = coalesce(?3, kargo_durum_zamani),
                kargo_takip_no = coalesce(?4, kargo_takip_no), kargo_firmasi = coalesce(?5, kargo_firmasi),
                teslim_tarihi = coalesce(?6, teslim_tarihi), durum = coalesce(?7, durum), updated_at = ?8,
                -- The dispatch date, when the export gave none: the carrier's earliest event with the parcel in hand.
                kargo_tarihi = CASE WHEN ?9 IS NOT NULL AND (kargo_tarihi IS NULL OR ?9 < kargo_tarihi) THEN ?9 ELSE kargo_tarihi END
            WHERE id = ?1
            """)
        updateLine = try db.prepareCached("UPDATE siparis_urunleri SET durum = ?3 WHERE siparis_id = ?1 AND satir_anahtari = ?2")
        settleEvent = try db.prepareCached("UPDATE gonderi_olaylari SET siparis_id = ?2, sonuc = ?3, uygulama_zamani = ?4 WHERE id = ?1")
        insertMessage = try db.prepareCached("""
            INSERT INTO mesaj_log (siparis_id, kanal, alici, mesaj, durum, created_at) VALUES (?, ?, ?, ?, 'bekliyor', ?)
            """)
        orderState = try OrderStateQuery(db: db, by: .id)
        lifecycle = try LifecycleRecorder(db: db, sellerID: sellerID, fileID: fileID, now: now)
    }

    /// Keeps the event and applies it to its order when the order is there.
    public func write(_ event: ShipmentEvent) throws(StoreError) -> Outcome {
        let line = event.position.line > 0 ? event.position.line : event.position.record
        insertEvent.bind(sellerID, event.orderNumber ?? "", event.trackingNumber ?? "", event.reference ?? "", event.carrier,
                         event.status.rawValue, event.carrierCode ?? "", event.carrierText, event.eventTime?.description ?? "",
                         event.deliveredAt?.description, fileID, line, now)
        guard try insertEvent.step() else { return .known }
        let eventID = insertEvent.int(0)
        try insertEvent.run()
        return try settle(eventID, event)
    }

    /// Applies the seller's waiting events whose orders have arrived since; returns how many.
    public func applyWaiting() throws(StoreError) -> Int {
        let waiting = try db.prepareCached("""
            SELECT id, siparis_numarasi, kargo_takip_no, kargo_referansi, kargo_firmasi, durum, kargo_durum_kodu,
                   kargo_durum_aciklamasi, olay_zamani, teslim_tarihi, kaynak_satir
            FROM gonderi_olaylari WHERE kullanici_id = ? AND siparis_id IS NULL ORDER BY olay_zamani, id
            """).bind([sellerID]).rows { st -> (Int64, ShipmentEvent) in
            var e = ShipmentEvent(status: ShipmentStatus(rawValue: st.text(5) ?? "") ?? .sorunlu,
                                  position: SourcePosition(record: 0, line: Int(st.int(10))))
            func text(_ i: Int32) -> String? { st.text(i).flatMap { $0.isEmpty ? nil : $0 } }
            e.orderNumber = text(1)
            e.trackingNumber = text(2)
            e.reference = text(3)
            e.carrier = text(4)
            e.carrierCode = text(6)
            e.carrierText = text(7)
            e.eventTime = text(8).flatMap { DateFormat.iso8601.parse($0, zone: .utc) }
            e.deliveredAt = text(9).flatMap { DateFormat.iso8601.parse($0, zone: .utc) }
            return (st.int(0), e)
        }
        var applied = 0
        for (id, event) in waiting {
            if case .applied = try settle(id, event) { applied += 1 }
        }
        return applied
    }

    private func ids(_ statement: Statement, _ value: String) throws(StoreError) -> [Int64] {
        try statement.bind([sellerID, value]).rows { $0.int(0) }
    }

    /// The candidate orders of each of the event's identifiers, for ``ShipmentMatching``.
    private func match(_ event: ShipmentEvent) throws(StoreError) -> ShipmentMatching.Match {
        var byNumber: [Int64] = []
        for number in event.orderNumberCandidates where byNumber.isEmpty { byNumber = try ids(self.byNumber, number) }
        var others: [[Int64]] = []
        for value in [event.trackingNumber, event.reference].compactMap({ $0 }) where !value.isEmpty {
            others.append(try ids(byTracking, value))
        }
        if let reference = event.reference, !reference.isEmpty { others.append(try ids(byInvoice, reference)) }
        return ShipmentMatching.match(byOrderNumber: byNumber, byOtherIdentifiers: others)
    }

    private func settle(_ eventID: Int64, _ event: ShipmentEvent) throws(StoreError) -> Outcome {
        let orderID: Int64
        switch try match(event) {
        case .ambiguous(let why):
            try settleEvent.bind([eventID, nil, "belirsiz: " + why, nil]).run()
            return .ambiguous(why)
        case .none:
            try settleEvent.bind([eventID, nil, "bekliyor: the order is not here yet", nil]).run()
            return .waiting
        case .one(let id):
            orderID = id
        }
        shipmentState.bind(orderID)
        guard try shipmentState.step() else { return .waiting }
        let number = shipmentState.text(0) ?? ""
        let stored = StoredShipmentState(
            orderStatus: .yeni, shipmentStatus: shipmentState.text(1).flatMap(ShipmentStatus.init(rawValue:)),
            lastEventTime: shipmentState.text(2).flatMap { DateFormat.iso8601.parse($0, zone: .utc) },
            trackingNumber: shipmentState.text(3))
        let carrier = event.carrier ?? shipmentState.text(4)
        let email = shipmentState.text(5), phone = shipmentState.text(6)
        try shipmentState.run()
        guard let order = try orderState.state([orderID]) else { return .waiting }
        var current = stored
        current.orderStatus = order.state.status
        let update = ShipmentUpdate.apply(event, to: current)
        if !update.isStale {
            var moved: OrderUpdate?
            if let target = update.orderStatus {
                moved = OrderUpdate.moving(order.state, orderNumber: number, to: target, now: DateFormat.iso8601.parse(now, zone: .utc))
            }
            let newStatus = moved.map(\.order.status).flatMap { $0 == order.state.status ? nil : $0 }
            try updateOrder.bind(orderID, update.shipmentStatus.rawValue, event.eventTime?.description, event.trackingNumber,
                                 event.carrier, event.deliveredAt?.description, newStatus?.rawValue, now,
                                 event.status.isWithCarrier ? event.eventTime?.description : nil).run()
            if let moved {
                for change in moved.changes where change.lineKey != nil {
                    try updateLine.bind(orderID, change.lineKey, change.to.rawValue).run()
                }
                let label = [event.carrierCode, event.carrierText].compactMap { $0 }.joined(separator: " ")
                try lifecycle.record(moved, orderID: orderID, platformLabel: label.isEmpty ? event.status.rawValue : label,
                                     platformTime: event.eventTime)
            }
            if let newStatus, let message = CustomerMessage.forOrder(
                number: number, status: newStatus, carrier: carrier, trackingNumber: event.trackingNumber ?? stored.trackingNumber,
                email: email, phone: phone) {
                try insertMessage.bind(orderID, message.channel.rawValue, message.recipient, message.text, now).run()
            }
        }
        try settleEvent.bind(eventID, orderID, update.outcome, now).run()
        return .applied(order: number, update.outcome)
    }
}
