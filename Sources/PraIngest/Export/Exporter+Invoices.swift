import Exporters
import Foundation
import OrderCore
import OrderStore

extension Exporter {
    /// Invoices numbered and written per transaction and per file-system sync.
    static let batchSize = 500

    /// Issues and writes `seller`'s invoices; the last batch may still be in `writes` when this returns.
    func invoices(seller: String, sellerID: Int64, settings: Configuration.SellerSettings?, since: String?,
                  writes: InvoiceWrites, report: inout Report) throws {
        let ledger = InvoiceLedger(store: store)
        var filter = filter(seller: seller, since: since)
        filter.statuses = config.issueAt.statuses?.map(\.rawValue) ?? []
        // Counted only to warn: a pass over the seller's orders, not made on every export.
        func waiting() throws -> Int { try ledger.countAwaitingInvoice(filter).values.reduce(0, +) }
        guard let settings, let profile = settings.profile else {
            // issue_invoices: false: the seller's provider issues them; nothing is owed here.
            if settings?.issuesInvoices != false, case let waiting = try waiting(), waiting > 0 {
                warn("seller \(seller): \(waiting) orders not invoiced: no invoice profile "
                     + "(name, tax_id, tax_office, efatura_series, earsiv_series, address) under sellers.\(seller) in pra.yaml",
                     into: &report)
            }
            return
        }
        if let problem = profile.problems.first {
            // This seller's invoices wait; other sellers' go on.
            if case let waiting = try waiting(), waiting > 0 {
                warn("seller \(seller): \(waiting) orders not invoiced: sellers.\(seller) in pra.yaml: \(problem)", into: &report)
            }
            return
        }
        // What a crash left numbered but unwritten first: same number, same bytes.
        var lastNumber = ""
        try writes.write(seller: seller, report: &report) { report in
            let entries = try ledger.numberedButUnwritten(seller: seller, after: lastNumber, limit: Self.batchSize)
            lastNumber = entries.last?.number ?? lastNumber
            return entries.isEmpty ? nil : try rebuild(entries, profile: profile, report: &report)
        }
        // Then a batch at a time: each order's invoice is built before it takes a number (an order
        // that cannot be invoiced is held with its reason, never numbered), the batch is numbered in
        // one transaction per series and written with one sync, so numbers stay gapless and memory flat.
        var lastOrder: Int64 = 0
        try writes.write(seller: seller, report: &report) { report in
            let orders = try ledger.ordersAwaitingInvoice(filter, after: lastOrder, limit: Self.batchSize)
            guard let end = orders.last else { return nil }
            lastOrder = end.id
            return try issue(orders, sellerID: sellerID, settings: settings, profile: profile, ledger: ledger, report: &report)
        }
    }

    /// What GİB's user list says of the buyer at `moment` (`.noList` without a list).
    func registration(of order: NormalizedOrder, at moment: Timestamp, lists: UserListStore) throws -> InvoiceBuilder.Registration {
        let identifier = order[.vergi_numarasi] ?? order[.tc_kimlik_no]
        guard let found = try lists.registration(of: identifier ?? "", at: moment.epochSeconds) else { return .noList }
        guard identifier != nil, identifier != TaxIdentity.anonymousConsumer, found.registered else { return .notRegistered }
        return .registered(isPublicBody: found.publicBody)
    }

    /// Builds the invoices of waiting orders (the profile decided from GİB's list as of now), holds
    /// those that cannot be invoiced, numbers the rest per series and returns them with their files.
    func issue(_ waiting: [StoredOrders.Row], sellerID: Int64, settings: Configuration.SellerSettings, profile: SellerProfile,
               ledger: InvoiceLedger, report: inout Report) throws -> (entries: [InvoiceLedger.Entry], files: [OutboxWriter.Item]) {
        let issued = nowTimestamp
        let lists = UserListStore(store: store)
        var drafts: [(row: StoredOrders.Row, draft: InvoiceBuilder.Draft)] = []
        for row in waiting {
            do {
                let draft = try config.invoiceBuilder.build(
                    order: row.order, seller: profile, number: "", uuid: "", issueDate: issued.local,
                    registration: try registration(of: row.order, at: issued, lists: lists), channel: row.channel,
                    exchangeRate: try exchangeRate(for: row.order, issued: issued.local))
                if settings.holdIncompleteInternetSales && !draft.missing.isEmpty {
                    throw InvoiceBuilder.Hold("the internet sale's invoice lacks " + draft.missing.joined(separator: ", ")
                                              + " (hold_incomplete_internet_sales is on)")
                }
                drafts.append((row, draft))
            } catch let hold as InvoiceBuilder.Hold {
                let reason = "order \(row.order.orderNumber) cannot be invoiced: \(hold.reason)"
                try ledger.hold(orderID: row.id, sellerID: sellerID, reason: reason, now: issued.description)
                warn("seller \(row.sellerCode): \(reason); held (pra-ingest status lists it)", into: &report)
            }
        }
        var out: (entries: [InvoiceLedger.Entry], files: [OutboxWriter.Item]) = ([], [])
        for series in [profile.eFaturaSeries, profile.eArsivSeries].reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
            let group = drafts.filter { profile.series(for: $0.draft.document.profile) == series }
            let requests = group.map {
                InvoiceLedger.Request(orderID: $0.row.id, uuid: makeUUID().uuidString.lowercased(), profile: $0.draft.document.profile.rawValue,
                                      missing: $0.draft.missing.isEmpty ? nil : $0.draft.missing.joined(separator: "; "),
                                      exchangeRate: $0.draft.document.exchangeRate)
            }
            let entries = try ledger.number(requests, sellerID: sellerID, series: series, year: issued.local.year,
                                            issuedAt: issued.description, now: issued.description)
            for (entry, item) in zip(entries, group) {
                var doc = item.draft.document
                doc.id = entry.number
                doc.uuid = entry.uuid
                out.entries.append(entry)
                out.files.append(OutboxWriter.Item(folder: "ubl", name: entry.number + ".xml", bytes: UBLInvoiceWriter.write(doc)))
            }
        }
        return out
    }

    /// The rate an order in another currency is invoiced at (`nil` for one in lira): the one the
    /// policy (`exchange_rates:`) chooses for the day its tax arises. One not known yet holds the
    /// order with the reason; it is invoiced on the first export after the rate is loaded.
    func exchangeRate(for order: NormalizedOrder, issued: CivilDateTime) throws -> ExchangeRate? {
        guard order.currency != "TRY" else { return nil }
        let policy = config.exchangeRates
        let taxDay = InvoiceBuilder.taxPointDay(of: order, issued: issued)
        let key = "\(order.currency) \(taxDay)"
        let choice: ExchangeRatePolicy.Choice
        if let known = chosenRates[key] {
            choice = known
        } else {
            let around = try ExchangeRateStore(store: store).around(currency: order.currency, kind: policy.kind,
                                                                     day: policy.cutoff(taxDay: taxDay))
            choice = policy.choose(currency: order.currency, taxDay: taxDay, latestBefore: around.before, earliestFrom: around.from)
            chosenRates[key] = choice
        }
        switch choice {
        case .use(let rate): return rate
        case .wait(let why): throw InvoiceBuilder.Hold(why)
        }
    }

    /// Builds again the invoices of ledger entries from their orders as stored (a crash came between
    /// numbering and writing, or a reissue), with the profile they were numbered with; one that no
    /// longer builds is reported and left numbered.
    private func rebuild(_ entries: [InvoiceLedger.Entry], profile: SellerProfile,
                         report: inout Report) throws -> (entries: [InvoiceLedger.Entry], files: [OutboxWriter.Item]) {
        let rows = Dictionary(uniqueKeysWithValues: try StoredOrders(store: store).orders(ids: entries.map(\.orderID)).map { ($0.id, $0) })
        var out: (entries: [InvoiceLedger.Entry], files: [OutboxWriter.Item]) = ([], [])
        for entry in entries {
            do {
                guard let row = rows[entry.orderID], let issued = DateFormat.iso8601.parse(entry.issuedAt, zone: Self.istanbul),
                      let numberedAs = InvoiceDocument.Profile(rawValue: entry.profile) else {
                    throw IngestError(.internal, file: entry.number, "its order, issue time or profile is missing")
                }
                let registration: InvoiceBuilder.Registration = numberedAs == .EARSIVFATURA ? .notRegistered
                    : .registered(isPublicBody: numberedAs == .KAMU)
                var doc = try config.invoiceBuilder.build(order: row.order, seller: profile, number: entry.number, uuid: entry.uuid,
                                                          issueDate: issued.local, registration: registration,
                                                          channel: row.channel, exchangeRate: entry.exchangeRate).document
                doc.profile = numberedAs
                out.entries.append(entry)
                out.files.append(OutboxWriter.Item(folder: "ubl", name: entry.number + ".xml", bytes: UBLInvoiceWriter.write(doc)))
            } catch {
                report.failures.append("invoice \(entry.number) was numbered but cannot be written: \(error)")
            }
        }
        return out
    }

    /// Writes the invoice of `orderNumber` again from the order as stored now (same number and ETTN).
    public func reissue(seller: String, orderNumber: String) throws -> String {
        guard let profile = config.sellers[seller]?.profile else {
            throw IngestError(.internal, file: "pra.yaml", "seller \(seller) has no invoice profile")
        }
        let rows = try StoredOrders(store: store).order(seller: seller, number: orderNumber)
        guard let row = rows.first else { throw IngestError(.internal, file: orderNumber, "seller \(seller) has no order \(orderNumber)") }
        let actions = try ActionLedger(store: store).actions(seller: seller, orderNumber: orderNumber)
        if row.order.status.isVoid || row.order.lines.contains(where: \.status.isVoid) || !actions.isEmpty {
            throw IngestError(.internal, file: orderNumber,
                              "order \(orderNumber) was \(row.order.status.isVoid ? row.order.status.rawValue : "partly cancelled or returned") "
                                + "after its invoice was issued; an issued invoice is never rewritten: see the action list "
                                + "(pra-ingest status, outbox/actions/)")
        }
        let ledger = InvoiceLedger(store: store)
        guard let entry = try ledger.invoice(orderID: row.id) else {
            throw IngestError(.internal, file: orderNumber, "order \(orderNumber) has no invoice yet; run export to issue one")
        }
        var report = Report()
        let batch = try rebuild([entry], profile: profile, report: &report)
        if let failure = report.failures.first { throw IngestError(.internal, file: orderNumber, failure) }
        return try InvoiceWrites.record(batch.entries, paths: outbox.write(batch.files), ledger: ledger, now: nowTimestamp)[0]
    }
}

/// Invoice files written on a second thread while the exporter builds the next batch — the same
/// seller's next, or the next seller's first: a run over many sellers with a few invoices each
/// (a morning flood's) waits for the disk once per batch, not once per seller and step. A batch
/// is recorded as written once its files are durable. One whose files or record failed is
/// reported for its own seller, whose invoices then stop; they stay numbered and the next run
/// writes them (same number, same bytes).
final class InvoiceWrites {
    private let outbox: OutboxWriter
    private let ledger: InvoiceLedger
    private let now: () -> Timestamp
    private var inFlight: (seller: String, entries: [InvoiceLedger.Entry], write: BackgroundWrite)?

    init(outbox: OutboxWriter, ledger: InvoiceLedger, now: @escaping () -> Timestamp) {
        self.outbox = outbox
        self.ledger = ledger
        self.now = now
    }

    /// Waits for a write still in flight without recording it (a run that stops: its invoices
    /// stay numbered, and the next run writes them again).
    deinit { _ = try? inFlight?.write.wait() }

    /// Writes each batch `next` gives for `seller` (ledger entries and their files), the one before
    /// it settled first. Throws when a batch of this seller failed; one of another seller's is
    /// reported for that seller.
    func write(seller: String, report: inout Exporter.Report,
               next: (inout Exporter.Report) throws -> (entries: [InvoiceLedger.Entry], files: [OutboxWriter.Item])?) throws {
        while let batch = try next(&report) {
            try settle(report: &report, throwingFor: seller)
            if !batch.entries.isEmpty { inFlight = (seller, batch.entries, BackgroundWrite(outbox, batch.files)) }
        }
    }

    /// Waits for the batch in flight and records it. Its failure is thrown when the batch is
    /// `seller`'s, else added to the report as its own seller's step having stopped.
    func settle(report: inout Exporter.Report, throwingFor seller: String? = nil) throws {
        guard let done = inFlight else { return }
        inFlight = nil
        do {
            report.invoices += try Self.record(done.entries, paths: try done.write.wait(), ledger: ledger, now: now())
        } catch where done.seller != seller {
            report.failures.append(Exporter.stepFailure(seller: done.seller, step: "invoices", error))
        }
    }

    /// Once the files are durable: records them in the ledger; returns their paths relative to the home.
    static func record(_ entries: [InvoiceLedger.Entry], paths outboxPaths: [String], ledger: InvoiceLedger,
                       now: Timestamp) throws -> [String] {
        let paths = outboxPaths.map { "outbox/" + $0 }
        try ledger.markWritten(Array(zip(entries, paths)).map { (entry: $0.0, path: $0.1) }, now: now.description)
        return paths
    }
}
