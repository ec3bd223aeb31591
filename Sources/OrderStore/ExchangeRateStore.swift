import OrderCore

/// Exchange rates as reference data (`doviz_kurlari`): a bulletin per day, kept as published.
/// A second file for a day already loaded changes nothing when it is the same, and is refused
/// when it differs: an invoice may already have been issued at the first.
public struct ExchangeRateStore {
    let db: Database

    public init(store: OrderStore) { db = store.db }

    /// What loading a bulletin did.
    public enum Outcome: Sendable, Equatable {
        /// Stored: this many currencies.
        case added(Int)
        /// The day was loaded before with the same rates: nothing changed.
        case identical
        /// The day was loaded before with other rates: refused, nothing changed.
        case conflict(String)
    }

    /// Stores the bulletins of one file, each day unless it is in already, all in one transaction:
    /// a day in conflict refuses the file whole (the outcome of each day, in order, otherwise).
    public func load(_ bulletins: [RateBulletin], source: String, sha256: String, now: String) throws -> [Outcome] {
        struct Refused: Error { var outcome: Outcome }
        do {
            return try db.transaction {
                var outcomes: [Outcome] = []
                for b in bulletins {
                    let outcome = try load(b, source: source, sha256: sha256, now: now)
                    if case .conflict = outcome { throw Refused(outcome: outcome) } // the days before it roll back
                    outcomes.append(outcome)
                }
                return outcomes
            }
        } catch let refused as Refused {
            return [refused.outcome]
        }
    }

    /// Stores `bulletin` from `source` (a file name) unless its day is in already.
    public func load(_ bulletin: RateBulletin, source: String, sha256: String, now: String) throws -> Outcome {
        try db.transaction {
            let day = bulletin.day.description
            let stored = try rows(day: day)
            if !stored.isEmpty {
                if let difference = Self.difference(stored: stored, loaded: bulletin) {
                    return .conflict("the rates of \(day) were loaded before from \(stored[0].source) and differ: \(difference); "
                                     + "rates already used by invoices are never replaced")
                }
                return .identical
            }
            if let number = bulletin.number, let other = try db.prepare(
                "SELECT kur_tarihi FROM doviz_kurlari WHERE bulten_no = ? AND kur_tarihi != ? LIMIT 1"
            ).bind([number, day]).rows({ $0.text(0) ?? "" }).first {
                return .conflict("bulletin \(number) is already the one of \(other), not of \(day): TCMB numbers one bulletin a day")
            }
            let insert = try db.prepare("""
                INSERT INTO doviz_kurlari (kur_tarihi, doviz_kodu, birim, doviz_alis, doviz_satis, efektif_alis, efektif_satis,
                    bulten_no, kaynak, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for row in bulletin.rows {
                try insert.bind([day, row.currency, row.unit, row.published[.forex_buying], row.published[.forex_selling],
                                 row.published[.banknote_buying], row.published[.banknote_selling], bulletin.number, source,
                                 sha256, now]).run()
            }
            return .added(bulletin.rows.count)
        }
    }

    private func rows(day: String) throws(StoreError) -> [(row: RateBulletin.Row, number: String?, source: String)] {
        try db.prepare("""
            SELECT doviz_kodu, birim, doviz_alis, doviz_satis, efektif_alis, efektif_satis, bulten_no, kaynak
            FROM doviz_kurlari WHERE kur_tarihi = ? ORDER BY doviz_kodu
            """).bind([day]).rows { st in
            var published: [RateKind: String] = [:]
            for (i, kind) in RateKind.allCases.enumerated() { published[kind] = st.text(Int32(2 + i)) }
            return (RateBulletin.Row(currency: st.text(0) ?? "", unit: Int(st.int(1)), published: published), st.text(6), st.text(7) ?? "")
        }
    }

    /// The first way `loaded` differs from what is stored for its day, or `nil` when it does not.
    static func difference(stored: [(row: RateBulletin.Row, number: String?, source: String)], loaded: RateBulletin) -> String? {
        if stored[0].number != loaded.number {
            return "bulletin \(stored[0].number ?? "none") then \(loaded.number ?? "none")"
        }
        let before = Dictionary(uniqueKeysWithValues: stored.map { ($0.row.currency, $0.row) })
        let now = Dictionary(uniqueKeysWithValues: loaded.rows.map { ($0.currency, $0) })
        for code in Set(before.keys).union(now.keys).sorted() {
            guard let a = before[code] else { return "\(code) was not in the first file" }
            guard let b = now[code] else { return "\(code) is not in the new file" }
            for kind in RateKind.allCases where a.value(kind) != b.value(kind) {
                return "\(code) \(kind.tcmbElement) \(a.published[kind] ?? "none") then \(b.published[kind] ?? "none")"
            }
        }
        return nil
    }

    /// The newest rate of `kind` for `currency` published before `day`, and the oldest from `day` on:
    /// what ``ExchangeRatePolicy/choose(currency:taxDay:latestBefore:earliestFrom:)`` decides with.
    public func around(currency: String, kind: RateKind, day: CalendarDay) throws(StoreError)
        -> (before: ExchangeRatePolicy.Published?, from: ExchangeRatePolicy.Published?) {
        let column = Self.column(kind)
        func one(_ condition: String) throws(StoreError) -> ExchangeRatePolicy.Published? {
            try db.prepare("""
                SELECT kur_tarihi, bulten_no, \(column), birim FROM doviz_kurlari
                WHERE doviz_kodu = ? AND \(column) IS NOT NULL AND \(condition) LIMIT 1
                """).bind([currency, day.description]).rows { st -> ExchangeRatePolicy.Published? in
                guard let d = st.text(0).flatMap(CalendarDay.init(iso:)),
                      let v = st.text(2).flatMap({ RateValue(published: $0, unit: Int(st.int(3))) }) else { return nil }
                return ExchangeRatePolicy.Published(day: d, bulletin: st.text(1), value: v)
            }.first ?? nil
        }
        return (try one("kur_tarihi < ? ORDER BY kur_tarihi DESC"), try one("kur_tarihi >= ? ORDER BY kur_tarihi"))
    }

    /// Days loaded: how many, the first and the last.
    public func summary() throws(StoreError) -> (days: Int, first: String, last: String)? {
        try db.prepare("SELECT count(DISTINCT kur_tarihi), min(kur_tarihi), max(kur_tarihi) FROM doviz_kurlari").rows { st in
            st.int(0) == 0 ? nil : (Int(st.int(0)), st.text(1) ?? "", st.text(2) ?? "")
        }.first ?? nil
    }

    static func column(_ kind: RateKind) -> String {
        switch kind {
        case .forex_buying: return "doviz_alis"
        case .forex_selling: return "doviz_satis"
        case .banknote_buying: return "efektif_alis"
        case .banknote_selling: return "efektif_satis"
        }
    }
}
