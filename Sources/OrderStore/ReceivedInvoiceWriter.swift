import OrderCore

/// Writes the invoices a provider sent back (`gelen_faturalar`) inside the ingest's transaction,
/// each attached to its order: by the order number it names (`OrderReference`), by being the
/// copy of an invoice PraIngest numbered itself, or — reported as a guess — by the buyer's tax
/// number, the amount and a date within 30 days of the order. An invoice whose amount disagrees
/// with its order is kept and flagged, not attached. A buyer's İADE invoice closes the action
/// that expected it. An invoice whose order is not there yet waits (``applyWaiting()``).
public final class ReceivedInvoiceWriter {
    /// What became of an invoice.
    public enum Outcome: Sendable, Equatable {
        /// Attached to the order (its number); `guessed` when matched by buyer, amount and date.
        case attached(order: String, guessed: Bool)
        /// Matched to an order whose total it does not equal: kept, flagged, not attached.
        case mismatched(order: String, String)
        /// A buyer's İADE invoice that closed the action expecting it.
        case returnInvoice(order: String, String)
        /// Its order is not here yet.
        case waiting
        /// Its identifiers fit several orders.
        case ambiguous(String)
        /// Its ETTN is another invoice's already: refused, nothing written.
        case conflict(String)
    }

    /// What was stored under an ETTN before this write.
    public enum Earlier: Sendable, Equatable {
        case none
        /// The same invoice again (same number, date and amount).
        case same
    }

    private let db: Database
    private let sellerID: Int64
    private let fileID: Int64
    private let now: String
    private let upsert: Statement
    private let byNumber: Statement
    private let ourInvoice: Statement
    private let byBuyer: Statement
    private let order: Statement
    private let settle: Statement
    private let attach: Statement
    private let closeAction: Statement
    private let byETTN: Statement

    public init(store: OrderStore, sellerID: Int64, fileID: Int64, now: String) throws(StoreError) {
        db = store.db
        self.sellerID = sellerID
        self.fileID = fileID
        self.now = now
        upsert = try db.prepareCached("""
            INSERT INTO gelen_faturalar (kullanici_id, fatura_no, ettn, fatura_tarihi, profil, tip, siparis_numarasi, alici_kimlik_no,
                para_birimi, odenecek_tutar, vergi_haric_tutar, kdv_tutari, iade_edilen_fatura_no, eslesme, durum, dosya_yolu,
                kaynak_dosya_id, created_at, updated_at, doviz_kuru, kur_tarihi)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'yok', 'eslesmedi', ?14, ?15, ?16, ?16, ?17, ?18)
            ON CONFLICT (kullanici_id, ettn) DO UPDATE SET fatura_no = excluded.fatura_no, fatura_tarihi = excluded.fatura_tarihi,
                profil = excluded.profil, tip = excluded.tip, siparis_numarasi = excluded.siparis_numarasi,
                alici_kimlik_no = excluded.alici_kimlik_no, para_birimi = excluded.para_birimi,
                odenecek_tutar = excluded.odenecek_tutar, vergi_haric_tutar = excluded.vergi_haric_tutar,
                kdv_tutari = excluded.kdv_tutari, iade_edilen_fatura_no = excluded.iade_edilen_fatura_no,
                doviz_kuru = excluded.doviz_kuru, kur_tarihi = excluded.kur_tarihi, dosya_yolu = excluded.dosya_yolu, kaynak_dosya_id = excluded.kaynak_dosya_id, updated_at = excluded.updated_at
            RETURNING id
            """)
        byETTN = try db.prepareCached("""
            SELECT g.fatura_no, g.fatura_tarihi, g.odenecek_tutar, g.para_birimi, k.dosya_adi FROM gelen_faturalar g
            LEFT JOIN kaynak_dosyalar k ON k.id = g.kaynak_dosya_id WHERE g.kullanici_id = ?1 AND g.ettn = ?2
            """)
        byNumber = try db.prepareCached(OrderStore.sellersOrdersByNumber)
        ourInvoice = try db.prepareCached("SELECT siparis_id, id FROM faturalar WHERE kullanici_id = ?1 AND (fatura_no = ?2 OR ettn = ?3)")
        byBuyer = try db.prepareCached("""
            SELECT id, siparis_tarihi FROM siparisler WHERE kullanici_id = ?1 AND (vergi_numarasi = ?2 OR tc_kimlik_no = ?2)
              AND toplam_tutar = ?3 AND para_birimi = ?4
            """)
        order = try db.prepareCached("""
            SELECT s.siparis_numarasi, s.toplam_tutar, s.para_birimi,
                   (SELECT count(*) FROM siparis_urunleri l WHERE l.siparis_id = s.id AND l.durum NOT IN ('iptal', 'iade'))
            FROM siparisler s WHERE s.id = ?
            """)
        settle = try db.prepareCached("UPDATE gelen_faturalar SET siparis_id = ?2, eslesme = ?3, durum = ?4, aciklama = ?5 WHERE id = ?1")
        attach = try db.prepareCached("""
            INSERT INTO siparis_dosyalari (siparis_id, dosya_turu, dosya_url, created_at)
            SELECT ?1, 'fatura_saglayici', ?2, ?3
            WHERE NOT EXISTS (SELECT 1 FROM siparis_dosyalari WHERE siparis_id = ?1 AND dosya_turu = 'fatura_saglayici' AND dosya_url = ?2)
            """)
        closeAction = try db.prepareCached("""
            UPDATE fatura_aksiyonlari SET durum = 'tamamlandi' WHERE fatura_id = ? AND aksiyon = 'alici_iade_faturasi' AND durum = 'acik'
            RETURNING tutar
            """)
    }

    /// Whether the seller has an invoice under `invoice`'s ETTN already; a conflict when that one
    /// is another invoice (the ETTN is unique, per GİB and per seller here).
    public func earlier(_ invoice: ReceivedInvoice) throws(StoreError) -> Result<Earlier, Conflict> {
        let rows = try byETTN.bind([sellerID, invoice.uuid]).rows {
            ($0.text(0) ?? "", $0.text(1) ?? "", $0.int(2), $0.text(3) ?? "", $0.text(4) ?? "?")
        }
        guard let (number, date, payable, currency, file) = rows.first else { return .success(.none) }
        if number == invoice.number && date == invoice.issueDate.description && payable == invoice.payable.minorUnits
            && currency == invoice.currency {
            return .success(.same)
        }
        return .failure(Conflict(message: "its ETTN \(invoice.uuid) is already invoice \(number) (from \(file)); "
                                    + "an ETTN names one invoice only, so invoice \(invoice.number) is refused"))
    }

    /// An ETTN that already names another invoice.
    public struct Conflict: Error, Sendable {
        public var message: String
    }

    /// Keeps the invoice (`path`: its own copy, relative to the home) and attaches it to its order.
    /// Call ``earlier(_:)`` first: an ETTN that names another invoice is not written.
    public func write(_ invoice: ReceivedInvoice, path: String?) throws(StoreError) -> Outcome {
        if case .failure(let conflict) = try earlier(invoice) { return .conflict(conflict.message) }
        upsert.bind([sellerID, invoice.number, invoice.uuid, invoice.issueDate.description, invoice.profile, invoice.type,
                     invoice.orderNumber, invoice.buyerID, invoice.currency, invoice.payable.minorUnits,
                     invoice.taxExclusive?.minorUnits, invoice.tax?.minorUnits, invoice.returnedInvoiceNumber, path, fileID, now,
                     invoice.exchangeRate?.value.description, invoice.exchangeRate?.published.description])
        guard try upsert.step() else { throw StoreError(code: -1, message: "invoice upsert returned no id", sql: nil) }
        let id = upsert.int(0)
        try upsert.run()
        return try match(id, invoice, path: path)
    }

    /// Attaches the seller's waiting invoices whose orders have arrived since; returns how many.
    public func applyWaiting() throws(StoreError) -> Int {
        let waiting = try db.prepareCached("""
            SELECT id, fatura_no, ettn, fatura_tarihi, profil, tip, siparis_numarasi, alici_kimlik_no, para_birimi, odenecek_tutar,
                   iade_edilen_fatura_no, dosya_yolu FROM gelen_faturalar WHERE kullanici_id = ? AND siparis_id IS NULL ORDER BY id
            """).bind([sellerID]).rows { st -> (Int64, ReceivedInvoice?, String?) in
            var values = FieldValues()
            values[text: .fatura_no] = st.text(1)
            values[text: .ettn] = st.text(2)
            values[.fatura_tarihi] = st.text(3).flatMap { DateFormat.iso8601.parse($0, zone: .utc) }.map(FieldValue.date)
            values[text: .fatura_profili] = st.text(4)
            values[text: .fatura_tipi] = st.text(5)
            values[text: .siparis_numarasi] = st.text(6)
            values[text: .alici_kimlik_no] = st.text(7)
            values[text: .para_birimi] = st.text(8)
            values[.odenecek_tutar] = .money(Money(minorUnits: st.int(9)))
            values[text: .iade_edilen_fatura_no] = st.text(10)
            let record = MappedRecord(position: SourcePosition(record: 0, line: 0), values: values, warnings: [])
            return (st.int(0), ReceivedInvoice(record), st.text(11))
        }
        var attached = 0
        for case let (id, invoice?, path) in waiting {
            if case .attached = try match(id, invoice, path: path) { attached += 1 }
        }
        return attached
    }

    private func ids(_ number: String) throws(StoreError) -> [Int64] {
        try byNumber.bind([sellerID, number]).rows { $0.int(0) }
    }

    private func match(_ id: Int64, _ invoice: ReceivedInvoice, path: String?) throws(StoreError) -> Outcome {
        // A buyer's İADE invoice names the seller's invoice it returns goods of.
        if invoice.isReturn, let returned = invoice.returnedInvoiceNumber,
           let (orderID, invoiceID) = try ourInvoice.bind([sellerID, returned, ""]).rows({ ($0.int(0), $0.int(1)) }).first {
            let closed = try closeAction.bind([invoiceID]).rows { Money(minorUnits: $0.int(0)) }
            let note = closed.isEmpty ? "no open action expected this İADE invoice"
                : "closes the action expecting the buyer's İADE invoice (\(closed[0].turkishDescription))"
                    + (closed[0] == invoice.payable ? "" : "; the İADE invoice is for \(invoice.payable.turkishDescription)")
            try settle.bind([id, orderID, "fatura_no", "eslesti", note]).run()
            if let path { try attach.bind([orderID, path, now]).run() }
            return .returnInvoice(order: try orderNumber(orderID), note)
        }
        // The candidates of each way of matching; the rule that picks among them is ``InvoiceMatching``.
        var byNumber: [Int64] = []
        for number in invoice.orderNumberCandidates where byNumber.isEmpty { byNumber = try ids(number) }
        let byOwn = byNumber.isEmpty ? try ourInvoice.bind([sellerID, invoice.number, invoice.uuid]).rows { $0.int(0) } : []
        let byBuyerAndAmount = try invoice.buyerID.map { buyer throws(StoreError) in
            try byBuyer.bind([sellerID, buyer, invoice.payable.minorUnits, invoice.currency]).rows {
                (order: $0.int(0), orderedAt: $0.text(1).flatMap { DateFormat.iso8601.parse($0, zone: .utc) })
            }
        } ?? []
        let orderID: Int64, how: InvoiceMatching.How
        switch InvoiceMatching.match(invoice, .init(byOrderNumber: byNumber, byOwnInvoice: byOwn, byBuyerAndAmount: byBuyerAndAmount)) {
        case .none(let why):
            try settle.bind([id, nil, InvoiceMatching.How.yok.rawValue, "eslesmedi", why]).run()
            return .waiting
        case .ambiguous(let why, let h):
            try settle.bind([id, nil, h.rawValue, "belirsiz", why]).run()
            return .ambiguous(why)
        case .one(let order, let h):
            (orderID, how) = (order, h)
        }
        order.bind([orderID])
        guard try order.step() else { return .waiting }
        let number = order.text(0) ?? ""
        let problem = invoice.totalProblem(orderTotal: Money(minorUnits: order.int(1)), orderCurrency: order.text(2) ?? "TRY",
                                           lines: Int(order.int(3)))
        try order.run()
        if let problem {
            try settle.bind([id, orderID, how.rawValue, "tutar_farkli", problem + "; not attached"]).run()
            return .mismatched(order: number, problem)
        }
        let note = how == .tahmin ? "a guess: no order number on the invoice; the buyer, amount and date fit this order only" : nil
        try settle.bind([id, orderID, how.rawValue, "eslesti", note]).run()
        if let path { try attach.bind([orderID, path, now]).run() }
        return .attached(order: number, guessed: how == .tahmin)
    }

    private func orderNumber(_ id: Int64) throws(StoreError) -> String {
        try db.prepare("SELECT siparis_numarasi FROM siparisler WHERE id = ?").bind([id]).rows { $0.text(0) ?? "" }.first ?? ""
    }
}
