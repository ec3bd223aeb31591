import Foundation
import OrderCore
@testable import PraIngest

/// A test home with a seller profile, ERP formats, and a deterministic exporter.
final class ExportHome {
    let base: TestHome
    let config: Configuration
    private(set) var exporter: Exporter
    /// One ETTN sequence for the home's life: a restart must not hand out the same ETTNs again.
    let uuids = UUIDCounter()

    /// Invoices as orders land: these homes test the documents and files; `InvoiceTimingTests`
    /// tests the default (invoiced once shipped).
    static let config = """
        default_seller: demo
        invoicing: { issue_at: landed }
        sellers:
          demo:
            name: Demo Ticaret & Ortakları A.Ş.
            tax_id: "1234567890"
            tax_office: Kadıköy
            invoice_prefix: PRA
            web_site: https://www.demoticaret.com.tr
            default_carrier: Yurtiçi Kargo
            address: { street: "Moda Cad. <No:1>", district: Kadıköy, city: İstanbul, postal_code: "34710" }
            erp:
              formats: [generic_csv, logo_invoice, logo_order, mikro, netsis]
              account_code: "120.01.001"
              accounts: { N11: "120.02.001" }

        """

    init(configText: String = ExportHome.config) throws {
        base = try TestHome()
        try Data(configText.utf8).write(to: base.home.configFile)
        config = try Configuration.load(home: base.home)
        base.ingestor.apply(config) // as a process started on this home would
        exporter = Exporter(store: base.ingestor.store, config: config, outbox: base.home.outbox)
        deterministic(exporter)
    }

    /// A new exporter over the same database, as after a restart.
    func restart() {
        exporter = Exporter(store: base.ingestor.store, config: config, outbox: base.home.outbox)
        deterministic(exporter)
    }

    func deterministic(_ e: Exporter) {
        e.clock = { Date(timeIntervalSince1970: 1_795_400_000) } // 2026-11-23T05:13:20+03:00
        let counter = uuids
        e.makeUUID = { counter.next() }
    }

    func path(_ relative: String) -> String { base.root.appendingPathComponent(relative).path }

    func files(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(folder)).filter { !$0.hasPrefix(".") }.sorted()
    }
}

/// ETTNs 00000000-0000-4000-8000-000000000001, …: unique and deterministic.
final class UUIDCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> UUID {
        lock.lock()
        defer { lock.unlock() }
        n += 1
        let hex = String(n, radix: 16)
        return UUID(uuidString: "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex)!
    }
}
