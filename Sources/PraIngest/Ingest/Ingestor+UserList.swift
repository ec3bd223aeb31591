import Foundation
import OrderStore
import Parsers

extension Ingestor {
    /// Whether `path` is reference data — GİB's user list — to load before the orders given or
    /// queued beside it, since it decides their invoices.
    public static func isReferenceData(path: String) -> Bool { GIBUserListReader.isUserList(path: path) }

    /// Loads GİB's e-Fatura user list (XML or a zip holding it), streaming, in one transaction
    /// that also switches to it: invoices numbered from then on take their profile from it.
    func loadUserList(path: String, size: Int64, sha256: String, report: inout IngestReport) throws {
        let reader = try GIBUserListReader(path: path, limits: limits)
        let name = (path as NSString).lastPathComponent
        let now = self.now
        report.mapping = "gib-user-list"
        let (users, exclusive) = try writeWhole(size: size) {
            let loader = try UserListStore(store: store).loader(file: name, sha256: sha256, now: now)
            while let user = try reader.next() {
                try loader.add(identifier: user.identifier, title: user.title, isPublicBody: user.isPublicBody,
                               periods: user.invoicePeriods)
                if reader.count % 50_000 == 0 { progress?(Int64(reader.count), 0) }
            }
            return try loader.finish()
        }
        report.userListUsers = users
        report.hadDatabaseToItself = exclusive
        report.status = .ingested
    }
}
