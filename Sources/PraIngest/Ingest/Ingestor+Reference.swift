import Foundation
import OrderCore
import OrderStore
import Parsers

extension Ingestor {
    /// Reference data: what decides every seller's invoices, loaded only from where sellers cannot write.
    enum ReferenceKind {
        /// GİB's e-Fatura user list.
        case userList
        /// TCMB's daily exchange rates.
        case exchangeRates

        var name: String {
            switch self {
            case .userList: return "a GİB e-Fatura user list"
            case .exchangeRates: return "a file of exchange rates"
            }
        }
    }

    /// What reference data `path` is, if any.
    /// Every seller file is asked this: its root element is read once.
    static func referenceKind(path: String) -> ReferenceKind? {
        switch XMLRecordReader.rootElement(path: path) {
        case .success(TCMBRatesReader.rootElement): return .exchangeRates
        case .success("UserList"): return .userList
        case .success: return nil
        case .failure: return GIBUserListReader.isZippedUserList(path: path) ? .userList : nil
        }
    }

    /// Whether `path` is reference data (GİB's user list, TCMB's rates), which decides every seller's invoices.
    public static func isReferenceData(path: String) -> Bool { referenceKind(path: path) != nil }

    /// Loads reference data from a place sellers cannot write (the home's `reference/` folder, or
    /// `pra-ingest ingest --reference`): GİB's e-Fatura user list, checked whole before it replaces
    /// the one in force (a list that shrinks to less than half the one in force, or is empty, is
    /// refused unless `force` says it is meant); or a day of TCMB's exchange rates, kept beside
    /// the days before (the same day again changes nothing, other rates for it are refused).
    /// Never throws: every outcome is in the report.
    public func ingestReference(path: String, force: Bool = false) -> IngestReport {
        var report = IngestReport(file: path, seller: "", status: .failed)
        do {
            let held = try SourceFile.hold(path)
            defer { held.release() }
            switch Self.referenceKind(path: path) {
            case .userList?:
                report.mapping = "gib-user-list"
                report.sha256 = try SHA256.hex(ofFile: path)
                try loadUserList(path: path, size: held.size, force: force, report: &report)
            case .exchangeRates?:
                report.mapping = "tcmb-rates"
                report.sha256 = try SHA256.hex(ofFile: path)
                try loadRates(path: path, bulletins: [try TCMBRatesReader.read(path: path)], report: &report)
            case nil:
                guard let spec = try? registry.mapping(for: path), spec.kind == .exchange_rates else {
                    throw IngestError(.noMapping, file: path, "neither a GİB e-Fatura user list (an XML UserList, or a zip "
                                        + "holding one), nor a TCMB exchange rates file (Tarih_Date), nor rates a mapping of "
                                        + "kind exchange_rates reads: reference/ takes reference data only; orders go into inbox/")
                }
                report.mapping = spec.name
                report.sha256 = try SHA256.hex(ofFile: path)
                try loadRates(path: path, bulletins: try mappedRates(path: path, size: held.size, spec: spec), report: &report)
            }
        } catch {
            report.error = IngestError(error, file: path)
        }
        return report
    }

    /// Why reference data given as a seller's file is refused: it is one for every seller.
    static func referenceRefusal(_ path: String, _ kind: ReferenceKind) -> IngestError {
        IngestError(.refused, file: path, "\(kind.name) decides every seller's invoices, so a seller's folder "
                        + "cannot bring it: the operator puts it in reference/ or runs pra-ingest ingest --reference FILE")
    }

    /// Stores the days of rates of a file (checked whole as it was read), all or none.
    private func loadRates(path: String, bulletins: [RateBulletin], report: inout IngestReport) throws {
        let name = (path as NSString).lastPathComponent
        var added = 0
        for outcome in try ExchangeRateStore(store: store).load(bulletins, source: name, sha256: report.sha256 ?? "", now: now) {
            switch outcome {
            case .added(let n): added += n
            case .identical: break
            case .conflict(let why): throw IngestError(.refused, file: path, why)
            }
        }
        let days = bulletins.map(\.day).sorted()
        report.exchangeRates = (days.count == 1 ? days[0].description : "\(days[0]) to \(days[days.count - 1])", added)
        report.status = .ingested
    }

    /// The rates of a file a mapping of kind `exchange_rates` reads, one bulletin per day. Taken
    /// whole: a rejected record, a currency twice in a day, a day with two bulletin numbers or a
    /// rate with more decimals per unit than GİB's six refuse the file.
    private func mappedRates(path: String, size: Int64, spec: MappingSpec) throws -> [RateBulletin] {
        let pipeline = RecordPipeline(path: path, size: size, mapper: try OrderMapper(spec: spec, limits: limits))
        defer { pipeline.close() }
        var days: [CalendarDay: RateBulletin] = [:]
        var seen = 0
        while true {
            let batch = pipeline.next()
            for item in batch.items {
                seen += 1
                func refuse(_ why: String, at position: SourcePosition?) -> IngestError {
                    IngestError(.rejectedRecords, file: path, (position.map { "\($0): " } ?? "") + why
                                    + "; rates are taken whole: nothing of the file was stored")
                }
                switch item {
                case .rejected(let errors, _, _):
                    throw refuse(errors.map(\.description).joined(separator: "; "), at: nil)
                case .record(let mapped, _):
                    let v = mapped.values
                    guard let date = v.date(.kur_tarihi), let code = v[text: .doviz_kodu] else {
                        throw refuse("a rate without its day (kur_tarihi) or currency (doviz_kodu)", at: mapped.position)
                    }
                    let day = CalendarDay(date.local)
                    guard let unit = Int(v[text: .birim] ?? "1"), unit > 0 else {
                        throw refuse("\(code): birim '\(v[text: .birim] ?? "")' is not a count", at: mapped.position)
                    }
                    var row = RateBulletin.Row(currency: code, unit: unit, published: [:])
                    for (kind, field) in [(RateKind.forex_buying, TargetField.doviz_alis), (.forex_selling, .doviz_satis),
                                          (.banknote_buying, .efektif_alis), (.banknote_selling, .efektif_satis)] {
                        guard let text = v[text: field] else { continue }
                        guard RateValue(published: text, unit: unit) != nil else {
                            throw refuse("\(code) \(field.rawValue) \(text) for \(unit) units needs more than 6 decimals per unit",
                                         at: mapped.position)
                        }
                        row.published[kind] = text
                    }
                    if let n = v[text: .bulten_no], !RateBulletin.isNumber(n, of: day) {
                        throw refuse("bulletin '\(n)' is not one of \(day.civil.year) (2026/207)", at: mapped.position)
                    }
                    var bulletin = days[day] ?? RateBulletin(day: day, number: v[text: .bulten_no], rows: [])
                    guard !bulletin.rows.contains(where: { $0.currency == code }) else {
                        throw refuse("\(code) is listed twice for \(day)", at: mapped.position)
                    }
                    guard bulletin.number == v[text: .bulten_no] else {
                        throw refuse("\(day) has two bulletin numbers (\(bulletin.number ?? "none"), \(v[text: .bulten_no] ?? "none"))",
                                     at: mapped.position)
                    }
                    bulletin.rows.append(row)
                    days[day] = bulletin
                case .order:
                    continue
                }
            }
            guard let end = batch.end else { continue }
            if let e = end.parseError { throw IngestError(e) }
            break
        }
        guard !days.isEmpty else { throw IngestError(.noRecords, file: path, "the file has no rates (\(seen) records)") }
        return days.keys.sorted().map { days[$0]! }
    }

    /// Streams the list into a new one in one transaction that also switches to it, after its checks.
    private func loadUserList(path: String, size: Int64, force: Bool, report: inout IngestReport) throws {
        let reader = try GIBUserListReader(path: path, limits: limits)
        let name = (path as NSString).lastPathComponent
        let now = self.now
        let lists = UserListStore(store: store)
        let before = try lists.active()?.users
        let (users, exclusive) = try writeWhole(size: size, scope: .everything) {
            let loader = try lists.loader(file: name, sha256: report.sha256 ?? "", now: now)
            while let user = try reader.next() {
                try loader.add(identifier: user.identifier, title: user.title, isPublicBody: user.isPublicBody,
                               periods: user.invoicePeriods)
                if reader.count % 50_000 == 0 { progress?(Int64(reader.count), 0) }
            }
            let conflicts = try loader.conflictingTypes(limit: 3)
            if !conflicts.isEmpty {
                throw IngestError(.malformed, file: path, "\(conflicts.joined(separator: ", ")) \(conflicts.count == 1 ? "is" : "are") "
                                    + "listed more than once as both a public body (KAMU) and a private one (OZEL); "
                                    + "the list is refused and the one in force stays")
            }
            if !force, loader.count == 0 || before.map({ loader.count * 2 < $0 }) == true {
                throw IngestError(.refused, file: path, "the list has \(loader.count) users, the one in force \(before ?? 0): "
                                    + "a list that shrinks to less than half (or is empty) is refused unless meant "
                                    + "(pra-ingest ingest --reference FILE --force)")
            }
            return try loader.finish()
        }
        report.userListUsers = users
        report.userListUsersBefore = before
        report.hadDatabaseToItself = exclusive
        report.status = .ingested
    }
}
