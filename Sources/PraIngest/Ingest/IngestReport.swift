import OrderCore

/// The outcome of ingesting one file: what landed, what was rejected and why.
public struct IngestReport: Sendable {
    public enum Status: String, Sendable {
        /// Every record landed.
        case ingested
        /// Good records landed; some were rejected (see ``rejected``) or landed with fields
        /// stored empty (see ``warnings``).
        case partial
        /// The same content was ingested before for this seller; nothing changed.
        case duplicate
        /// Nothing landed (see ``error``), or the file failed part-way (``ordersWritten`` > 0).
        case failed
    }
    public var file: String
    public var seller: String
    public var mapping: String?
    public var sha256: String?
    public var status: Status
    public var ordersInserted = 0
    public var ordersUpdated = 0
    public var linesWritten = 0
    public var duplicateRowsDropped = 0
    /// Rejected records with their raw rows (tabular files), in file order: the first
    /// ``Limits/maxRejectDetails``; ``rejectedCount`` counts them all.
    public var rejectedRecords: [RejectedRecord] = []
    /// Tabular files: the header, to write rejected rows back out.
    public var header: [String] = []
    /// Every rejected record, those past the details included (and after a resumed job, from the database).
    public var rejectedCount = 0
    /// Orders that landed with bad descriptive fields stored empty, with their warnings, in file
    /// order: the first ``Limits/maxRejectDetails``.
    public var warnedRecords: [RejectedRecord] = []
    /// Every order that landed with warnings.
    public var warningCount = 0
    /// Orders left as stored because the database already had newer information about them
    /// (by the platform's own update times).
    public var staleOrders = 0
    public var error: IngestError?
    /// The file was already ingested by this same job before a restart; its counts come from the database.
    public var resumed = false
    /// A GİB e-Fatura user list was loaded (instead of orders): its number of users.
    public var userListUsers: Int?

    /// Every problem of every rejected record.
    public var rejected: [RecordError] { rejectedRecords.flatMap(\.errors) }

    /// Every warning of every order that landed with a field stored empty.
    public var warnings: [RecordError] { warnedRecords.flatMap(\.errors) }

    public var ordersWritten: Int { ordersInserted + ordersUpdated }

    /// One rejected record: its problems and, for tabular files, its rows as written (cells joined by U+001F).
    public struct RejectedRecord: Sendable {
        public var errors: [RecordError]
        public var rawRows: [[UInt8]]
    }

    /// `orders.csv: 12 orders (10 new, 2 updated), 30 lines, 1 rejected [trendyol]`
    public var summary: String {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        if let users = userListUsers, status != .failed {
            return "\(name): GİB e-Fatura user list, \(users) users loaded; invoices are now profiled by this list"
        }
        switch status {
        case .duplicate:
            return "\(name): duplicate of a file already ingested for \(seller); nothing changed"
        case .failed where ordersWritten == 0:
            return "\(name): failed: \(error?.message ?? "unknown error")"
        default:
            var s = "\(name): \(ordersWritten) orders (\(ordersInserted) new, \(ordersUpdated) updated), "
                + "\(linesWritten) lines, \(rejectedCount) rejected"
            if warningCount > 0 { s += ", \(warningCount) with warnings" }
            if staleOrders > 0 { s += ", \(staleOrders) older than stored (left as they were)" }
            if duplicateRowsDropped > 0 { s += ", \(duplicateRowsDropped) exact duplicate rows ignored" }
            if let mapping { s += " [\(mapping)]" }
            if let error { s += "; then failed: \(error.message)" }
            return s
        }
    }
}
