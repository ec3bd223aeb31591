import OrderCore

/// Reads what the store holds of one order — its status, the platform's update time, lines,
/// shipping, refunds and invoice — for merging newer information into it. Prepared once, run
/// per order: by (integration, order number) for an export's orders, or by id for a shipment's.
struct OrderStateQuery {
    enum Key { case integrationAndNumber, id }

    private let findOrder: Statement
    private let findLines: Statement

    init(db: Database, by key: Key) throws(StoreError) {
        let condition = key == .id ? "s.id = ?" : "s.entegrasyon_id = ? AND s.siparis_numarasi = ?"
        findOrder = try db.prepareCached("""
            SELECT s.id, s.kaynak_dosya_id, s.durum, s.guncelleme_tarihi, s.kargo_ucreti, s.iade_tutari,
                   f.id, f.fatura_no, f.ettn, f.profil, s.toplam_tutar, s.platform_indirimi, f.duzenleme_zamani,
                   s.vergi_numarasi IS NOT NULL
            FROM siparisler s LEFT JOIN faturalar f ON f.siparis_id = s.id
            WHERE \(condition)
            """)
        findLines = try db.prepareCached("SELECT satir_anahtari, durum, toplam_fiyat FROM siparis_urunleri WHERE siparis_id = ?")
    }

    /// The order's id, the file that last wrote it, and its state; `nil` when there is no such order.
    /// `withLines: false` leaves the lines out (the caller has them).
    func state(_ key: [(any SQLValue)?], withLines: Bool = true) throws(StoreError)
        -> (id: Int64, fileID: Int64?, state: StoredOrderState)? {
        findOrder.bind(key)
        guard try findOrder.step() else { return nil }
        let id = findOrder.int(0)
        var invoice: InvoiceReference?
        if !findOrder.isNull(6), let profile = InvoiceDocument.Profile(rawValue: findOrder.text(9) ?? "") {
            invoice = InvoiceReference(id: findOrder.int(6), number: findOrder.text(7) ?? "", uuid: findOrder.text(8) ?? "",
                                       profile: profile, issuedAt: findOrder.text(12).flatMap { DateFormat.iso8601.parse($0, zone: .utc) },
                                       buyerHasVKN: findOrder.int(13) != 0)
        }
        var state = StoredOrderState(
            status: OrderStatus(rawValue: findOrder.text(2) ?? "") ?? .yeni,
            updatedAt: findOrder.text(3).flatMap { DateFormat.iso8601.parse($0, zone: .utc) },
            lines: [:], shipping: Money(minorUnits: findOrder.int(4)), refunded: Money(minorUnits: findOrder.int(5)),
            invoice: invoice)
        state.total = Money(minorUnits: findOrder.int(10))
        state.platformDiscount = Money(minorUnits: findOrder.int(11))
        let fileID = findOrder.isNull(1) ? nil : findOrder.int(1)
        guard withLines else { return (id, fileID, state) }
        findLines.bind(id)
        while try findLines.step() {
            state.setLine(findLines.text(0) ?? "", StoredOrderState.StoredLine(
                status: OrderStatus(rawValue: findLines.text(1) ?? "") ?? .yeni, lineTotal: Money(minorUnits: findLines.int(2))))
        }
        return (id, fileID, state)
    }
}
