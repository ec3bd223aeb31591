import Exporters
import Foundation
import OrderCore
import OrderStore

/// Runs the outbox: UBL-TR invoices for invoiceable orders and ERP batch files, each written
/// atomically. Every step is recorded before its file is written and found again after a
/// crash, so invoice numbers stay gapless and unique and no order is exported twice or lost.
public final class Exporter {
    let store: OrderStore
    let config: Configuration
    let outbox: OutboxWriter
    /// Clock and ETTN generator, injected so output is deterministic in tests.
    public var clock: @Sendable () -> Date = { Date() }
    public var makeUUID: @Sendable () -> UUID = { UUID() }
    /// Orders per ERP file at most: a year of orders becomes several files an ERP imports one by
    /// one, and the exporter's memory stays flat.
    public var ordersPerERPFile = 5_000
    /// What one exporter of a process remembers for the next (``Memory``).
    var memory = Memory()
    /// The rate chosen per currency and tax day in this run (many orders share a day; a new run
    /// asks again, as rates may have come in between).
    var chosenRates: [String: ExchangeRatePolicy.Choice] = [:]

    /// What to export.
    public enum Selection: Sendable, Equatable {
        case all, ubl, actions, erp(ERPFormat)

        /// Every name ``init(_:)`` takes.
        public static var names: [String] { ["ubl", "actions"] + ERPFormat.allCases.map(\.rawValue) }

        public init?(_ name: String) {
            switch name {
            case "ubl": self = .ubl
            case "actions": self = .actions
            default:
                guard let f = ERPFormat(rawValue: name) else { return nil }
                self = .erp(f)
            }
        }
    }

    /// What a run wrote and what it could not do.
    public struct Report: Sendable {
        /// Paths relative to the home folder.
        public var invoices: [String] = []
        public var erpFiles: [String] = []
        /// Action lists for invoiced orders that were cancelled or returned.
        public var actionFiles: [String] = []
        /// Lists of buyer notifications written (`outbox/messages/`).
        public var messageFiles: [String] = []
        public var warnings: [String] = []
        /// Steps that stopped for a seller (the other sellers' exports went on).
        public var failures: [String] = []
    }

    public init(store: OrderStore, config: Configuration, outbox: URL) {
        self.store = store
        self.config = config
        self.outbox = OutboxWriter(root: outbox)
    }

    static let istanbul = TimeZone(identifier: "Europe/Istanbul")!

    var nowTimestamp: Timestamp { DateFormat.instant(epochSeconds: Int64(clock().timeIntervalSince1970.rounded(.down)), zone: Self.istanbul) }

    /// Runs pending exports. `since` (ISO date) limits them to orders first seen from then on.
    /// Workers sharing a store and an outbox export one at a time: the next waits, then exports
    /// what is left (numbering and outbox files are never raced).
    public func run(_ selection: Selection = .all, since: String? = nil) throws -> Report {
        try store.exclusively(.export) { try runAlone(selection, since: since) }
    }

    /// Runs the pending exports unless another worker is exporting now: then `nil`, at once (the
    /// caller tries again later, and meanwhile works on).
    public func runIfFree() throws -> Report? {
        try store.exclusivelyIfFree(.export) { try runAlone(.all, since: nil) }
    }

    private func runAlone(_ selection: Selection, since: String?) throws -> Report {
        var report = Report()
        chosenRates = [:]
        if !memory.cleanedUp {
            outbox.removeStaleTemporaries()
            memory.cleanedUp = true
        }
        // Each seller and each step on its own: one seller's problem is reported and never stops another's exports.
        let sellers = try ERPExportLedger(store: store).sellers()
        func step(_ seller: String, _ what: String, _ body: (inout Report) throws -> Void) {
            do { try body(&report) } catch {
                report.failures.append(Self.stepFailure(seller: seller, step: what, error))
            }
        }
        // Every seller's invoices first, their writes overlapping from one seller to the next; the
        // last is settled before any seller's lists and ERP files, which read what was invoiced.
        if selection == .all || selection == .ubl {
            let writes = InvoiceWrites(outbox: outbox, ledger: InvoiceLedger(store: store)) { [unowned self] in nowTimestamp }
            for (sellerID, seller) in sellers {
                step(seller, "invoices") {
                    try invoices(seller: seller, sellerID: sellerID, settings: config.sellers[seller], since: since, writes: writes, report: &$0)
                }
            }
            try writes.settle(report: &report)
        }
        for (sellerID, seller) in sellers {
            let settings = config.sellers[seller]
            if selection == .all || selection == .actions {
                step(seller, "action lists") { $0.actionFiles += try actionLists(seller: seller, sellerID: sellerID) }
                step(seller, "message lists") { $0.messageFiles += try messageLists(seller: seller, sellerID: sellerID) }
            }
            for format in settings?.erpFormats ?? [] where selection == .all || selection == .erp(format) {
                step(seller, "\(format.rawValue) files") {
                    try erp(format, seller: seller, sellerID: sellerID, settings: settings!, since: since, report: &$0)
                }
            }
        }
        return report
    }

    /// How a step that stopped for one seller is reported (the other sellers' exports go on).
    static func stepFailure(seller: String, step: String, _ error: any Error) -> String {
        "seller \(seller): \(step) stopped: \(error)"
    }

    /// What an export run of `seller` takes: orders outside the excluded statuses, in `currency` when given.
    func filter(seller: String, since: String?, currency: String? = nil) -> ExportFilter {
        ExportFilter(seller: seller, excludedStatuses: config.excludedStatuses.map(\.rawValue), since: since, currency: currency)
    }

    /// Adds a warning once per process: the watcher exports after every file and would repeat it.
    func warn(_ message: String, into report: inout Report) {
        if memory.warned.insert(message).inserted { report.warnings.append(message) }
    }

    /// What an exporter passes on to the next one of the same process (the watcher's exports open
    /// a connection, and so an exporter, for each run).
    struct Memory {
        /// Whether this process already removed what killed writers left in the outbox.
        var cleanedUp = false
        /// The warnings already given (``warn(_:into:)``).
        var warned = Set<String>()
    }
}
