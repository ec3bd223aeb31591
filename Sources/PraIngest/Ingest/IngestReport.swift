import OrderCore
import OrderStore

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
    /// Whether anything landed that the exports may take (or a resumed job's file had landed before).
    public var landedAny: Bool { ordersWritten > 0 || recordsWritten > 0 || resumed }
    /// The file was large enough to be written with the database to itself (``Limits/exclusiveIngestBytes``),
    /// and no other connection had it open.
    public var hadDatabaseToItself = false
    /// A GİB e-Fatura user list was loaded (instead of orders): its number of users.
    public var userListUsers: Int?
    /// The users of the list in force before this one replaced it (`nil`: there was none).
    public var userListUsersBefore: Int?
    /// A file of exchange rates was loaded: its day, and how many currencies were stored (0: the
    /// same day was loaded before with the same rates).
    public var exchangeRates: (day: String, currencies: Int)?
    /// A file of shipment events: what became of them.
    public var shipments: ShipmentTally?
    /// A file of invoices a provider sent back: what became of them.
    public var invoices: InvoiceTally?
    /// A file of products (catalogue and stock): what became of its readings.
    public var products: ProductTally?
    /// After a file of orders: waiting shipment events and invoices their orders brought in.
    public var waitingApplied = (shipments: 0, invoices: 0)
    /// Columns and paths the mapping reads that nothing in the file had (paths no element
    /// matched, optional columns the header lacks): a warning (the file is `partial`) where the
    /// value matters, a note for a descriptive field.
    public var unmatched: [UnmatchedSource] = []
    /// Earlier ingests of the same content this one replaced (after a mapping fix): how many, the
    /// orders only they had that were removed, and those kept because something was made of them.
    public var superseded: (files: Int, removed: Int, kept: Int)?
    /// Records read from the file (landed, rejected or older than stored): none fails the file.
    public var recordsSeen = 0
    /// A dry run: everything was done and then rolled back; nothing was stored.
    public var dryRun = false
    /// A replay's exports, run before it returns, that stopped (the run, or a seller's step):
    /// what landed is stored, but its invoices or ERP files are not all written yet.
    public var exportFailures: [String] = []

    public struct ShipmentTally: Sendable {
        public var applied = 0
        /// Kept until their orders arrive.
        public var waiting = 0
        /// Recorded before (an overlapping export).
        public var known = 0
        public var ambiguous = 0
        var total: Int { applied + waiting + known + ambiguous }
    }

    public struct InvoiceTally: Sendable {
        public var attached = 0
        /// Of the attached: matched by buyer, amount and date, not by an order number.
        public var guessed = 0
        public var mismatched = 0
        /// Buyers' İADE invoices matched to the seller's invoice they return goods of.
        public var returns = 0
        public var waiting = 0
        public var ambiguous = 0
        var total: Int { attached + mismatched + returns + waiting + ambiguous }
    }

    public struct ProductTally: Sendable {
        public var inserted = 0
        public var updated = 0
        /// Older than the reading stored: left as they were.
        public var stale = 0
        var total: Int { inserted + updated + stale }
    }

    /// Shipment events, invoices or products that landed (kept, applied or waiting).
    public var recordsWritten: Int {
        (shipments?.total ?? 0) + (invoices?.total ?? 0) + (exchangeRates?.currencies ?? 0) + (products?.total ?? 0)
    }

    /// Counts a rejected record (or an order's warnings) and keeps its details while fewer than
    /// `maxDetails` of its kind are kept, so a file of a million bad rows costs no more than a
    /// file of a thousand. Returns whether the details were kept.
    mutating func tally(_ entry: RejectedRecord, warning: Bool, maxDetails: Int) -> Bool {
        let count = warning ? warningCount : rejectedCount
        if warning { warningCount += 1 } else { rejectedCount += 1 }
        guard count < maxDetails else { return false }
        if warning { warnedRecords.append(entry) } else { rejectedRecords.append(entry) }
        return true
    }

    /// Every problem of every rejected record.
    public var rejected: [RecordError] { rejectedRecords.flatMap(\.errors) }

    /// Every warning of every order that landed with a field stored empty.
    public var warnings: [RecordError] { warnedRecords.flatMap(\.errors) }

    public var ordersWritten: Int { ordersInserted + ordersUpdated }

    /// One rejected record: its problems and, for tabular files, its rows as written (cells joined by U+001F).
    public struct RejectedRecord: Sendable {
        public var errors: [RecordError]
        public var rawRows: RawRows
    }

    /// `orders.csv: 12 orders (10 new, 2 updated), 30 lines, 1 rejected [trendyol]`
    /// A dry run's says so first: `orders.csv: dry run, nothing stored: 12 orders …`.
    public var summary: String {
        let name = (file.split(separator: "/").last.map(String.init) ?? file) + (dryRun ? ": dry run, nothing stored" : "")
        if let users = userListUsers, status != .failed {
            let was = userListUsersBefore.map { " (the list before had \($0))" } ?? ""
            return "\(name): GİB e-Fatura user list, \(users) users loaded\(was); invoices are now profiled by this list"
        }
        if let rates = exchangeRates, status != .failed {
            return rates.currencies == 0 ? "\(name): exchange rates of \(rates.day), loaded before with the same rates; nothing changed"
                : "\(name): exchange rates of \(rates.day), \(rates.currencies) currencies loaded; orders waiting for them are invoiced"
        }
        switch status {
        case .duplicate:
            return "\(name): duplicate of a file already ingested for \(seller); nothing changed"
        case .failed where ordersWritten == 0 && recordsWritten == 0:
            return "\(name): failed: \(error?.message ?? "unknown error")"
        case _ where shipments != nil:
            let t = shipments!
            var s = "\(name): \(t.total) shipment events: \(t.applied) applied, \(t.waiting) waiting for their orders"
            if t.known > 0 { s += ", \(t.known) already known" }
            if t.ambiguous > 0 { s += ", \(t.ambiguous) fit several orders" }
            return s + ", \(rejectedCount) rejected" + tail
        case _ where invoices != nil:
            let t = invoices!
            var s = "\(name): \(t.total) invoices: \(t.attached) attached to their orders"
            if t.guessed > 0 { s += " (\(t.guessed) by buyer, amount and date: a guess)" }
            if t.returns > 0 { s += ", \(t.returns) İADE invoices matched" }
            if t.mismatched > 0 { s += ", \(t.mismatched) with an amount that differs from the order (not attached)" }
            if t.waiting > 0 { s += ", \(t.waiting) waiting for their orders" }
            if t.ambiguous > 0 { s += ", \(t.ambiguous) fit several orders" }
            return s + ", \(rejectedCount) rejected" + tail
        case _ where products != nil:
            let t = products!
            var s = "\(name): \(t.total) product\(t.total == 1 ? "" : "s"): \(t.inserted) new, \(t.updated) updated"
            if t.stale > 0 { s += ", \(t.stale) older than the stock stored (left as they were)" }
            return s + ", \(rejectedCount) rejected" + tail
        default:
            var s = "\(name): \(ordersWritten) orders (\(ordersInserted) new, \(ordersUpdated) updated), "
                + "\(linesWritten) lines, \(rejectedCount) rejected"
            if warningCount > 0 { s += ", \(warningCount) with warnings" }
            if staleOrders > 0 { s += ", \(staleOrders) older than stored (left as they were)" }
            if duplicateRowsDropped > 0 { s += ", \(duplicateRowsDropped) exact duplicate rows ignored" }
            if waitingApplied.shipments > 0 { s += ", \(waitingApplied.shipments) waiting shipment events applied" }
            if waitingApplied.invoices > 0 { s += ", \(waitingApplied.invoices) waiting invoices attached" }
            if let (files, removed, kept) = superseded {
                s += "; supersedes \(files == 1 ? "the earlier ingest" : "\(files) earlier ingests") of this content"
                if removed > 0 { s += " (\(removed) orders only it had were removed)" }
                if kept > 0 { s += " (\(kept) orders only it had are kept: already invoiced, exported or shipped)" }
            }
            return s + tail
        }
    }

    /// Warnings, the mapping and a late failure, as every summary ends.
    private var tail: String {
        var s = ""
        if warningCount > 0 && (shipments != nil || invoices != nil || products != nil) { s += ", \(warningCount) with warnings" }
        let warned = unmatched.filter(\.isWarning), noted = unmatched.filter { !$0.isWarning }
        if !warned.isEmpty {
            s += "; warning: nothing in the file matched \(warned.map(\.description).joined(separator: "; ")), so every value "
                + "read from it is empty: is the name in the mapping misspelled?"
        }
        if !noted.isEmpty {
            let names = noted.prefix(5).map { $0.names.map { "\"\($0)\"" }.joined(separator: " or ") }.joined(separator: ", ")
            s += "; note: \(noted.count) optional source\(noted.count == 1 ? "" : "s") matched nothing in the file, read as empty: \(names)"
                + (noted.count > 5 ? " and \(noted.count - 5) more" : "")
        }
        if let mapping { s += " [\(mapping)]" }
        if let error { s += "; then failed: \(error.message)" }
        return s
    }
}

extension IngestReport {
    /// What the queue keeps of this outcome for `GET /v1/jobs/{id}`: counts and the first 100
    /// errors with their place (the file's own error first).
    public var jobResult: JobQueue.Result {
        var r = JobQueue.Result(status: status.rawValue)
        r.orders = ordersWritten + recordsWritten
        r.lines = linesWritten
        r.rejected = rejectedCount
        r.warnings = warningCount
        if let error { r.errors.append(.init(line: error.line, column: error.column, field: nil, message: error.message)) }
        for u in unmatched where u.isWarning {
            r.errors.append(.init(line: nil, column: nil, field: u.target.rawValue, message: "nothing in the file matched \(u)"))
        }
        for e in (rejected + warnings).prefix(100 - r.errors.count) {
            r.errors.append(.init(line: e.position.line > 0 ? e.position.line : nil, column: e.position.column,
                                  field: e.field?.rawValue, message: e.description))
        }
        return r
    }
}
