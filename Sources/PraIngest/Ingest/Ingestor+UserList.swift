import Foundation
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
            case .exchangeRates: return "a TCMB exchange rates file"
            }
        }
    }

    /// What reference data `path` is, if any.
    static func referenceKind(path: String) -> ReferenceKind? {
        if TCMBRatesReader.isRatesFile(path: path) { return .exchangeRates }
        return GIBUserListReader.isUserList(path: path) ? .userList : nil
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
                try loadRates(path: path, report: &report)
            case nil:
                throw IngestError(.noMapping, file: path, "neither a GİB e-Fatura user list (an XML UserList, or a zip holding one) "
                                    + "nor a TCMB exchange rates file (Tarih_Date): reference/ takes reference data only; "
                                    + "orders go into inbox/")
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

    /// Stores a day of rates (its checks passed as it was read).
    private func loadRates(path: String, report: inout IngestReport) throws {
        let bulletin = try TCMBRatesReader.read(path: path)
        let name = (path as NSString).lastPathComponent
        switch try ExchangeRateStore(store: store).load(bulletin, source: name, sha256: report.sha256 ?? "", now: now) {
        case .added(let n): report.exchangeRates = (bulletin.day.description, n)
        case .identical: report.exchangeRates = (bulletin.day.description, 0)
        case .conflict(let why): throw IngestError(.refused, file: path, why)
        }
        report.status = .ingested
    }

    /// Streams the list into a new one in one transaction that also switches to it, after its checks.
    private func loadUserList(path: String, size: Int64, force: Bool, report: inout IngestReport) throws {
        let reader = try GIBUserListReader(path: path, limits: limits)
        let name = (path as NSString).lastPathComponent
        let now = self.now
        let lists = UserListStore(store: store)
        let before = try lists.active()?.users
        let (users, exclusive) = try writeWhole(size: size) {
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
