import Foundation
@testable import OrderStore
@testable import PraIngest
import Testing

/// `pra-ingest migrate-store`: a home's SQLite store copied into the run's store (PostgreSQL in
/// the second pass, another SQLite file in the first) is the same store, and goes on from there.
@Suite struct StoreCopyTests {
    /// A home on SQLite with orders of two platforms, their invoices and ERP files.
    static func source() throws -> TestHome {
        let home = try TestHome(store: .sqlite(path: ""))
        try Data(ExportHome.config.utf8).write(to: home.home.configFile)
        let config = try Configuration.load(home: home.home)
        home.ingestor.apply(config)
        #expect(home.ingest("n11/DetailedOrderList.xml").ordersInserted == 2)
        #expect(home.ingest("shopify_orders_export.csv").ordersInserted > 0)
        _ = try Exporter(store: home.ingestor.store, config: config, outbox: home.home.outbox).run()
        return home
    }

    /// An empty store to copy into: on SQLite a file in `source`'s folder, removed with it.
    static func target(beside source: TestHome) throws -> StoreLocation {
        try TestStores.fresh() ?? .sqlite(path: source.root.appendingPathComponent("copy.sqlite").path)
    }

    @Test func aCopiedStoreHoldsTheSameRowsAndGoesOnNumbering() throws {
        let source = try Self.source()
        let invoices = try source.scalar("SELECT count(*) FROM faturalar")
        #expect(invoices > 0)
        let location = try Self.target(beside: source)
        let counts = try StoreCopy.copy(from: source.ingestor.store, to: OrderStore(location: location))
        #expect(counts.first { $0.table == "siparisler" }?.rows == Int(try source.scalar("SELECT count(*) FROM siparisler")))

        let copy = try TestHome(store: location)
        try Data(ExportHome.config.utf8).write(to: copy.home.configFile)
        let config = try Configuration.load(home: copy.home)
        copy.ingestor.apply(config)
        #expect(try copy.dump() == source.dump())
        for table in try PostgresSchema.referenceTables().map(\.name) {
            #expect(try copy.scalar("SELECT count(*) FROM \(table)") == source.scalar("SELECT count(*) FROM \(table)"), "\(table)")
        }
        #expect(try copy.texts("SELECT fatura_no FROM faturalar ORDER BY id") == source.texts("SELECT fatura_no FROM faturalar ORDER BY id"))
        // The copy goes on: new rows take new ids, the next invoice the next number.
        let more = try copy.ingest(named: "hb.csv", bytes: Array((WatcherTests.hbHeader + WatcherTests.hbRows(1..<3)).utf8))
        #expect(more.ordersInserted == 2, "\(more.summary)")
        _ = try Exporter(store: copy.ingestor.store, config: config, outbox: copy.home.outbox).run()
        #expect(try copy.scalar("SELECT count(*) FROM faturalar") == invoices + 2)
        #expect(try copy.scalar("SELECT count(DISTINCT fatura_no) FROM faturalar") == invoices + 2)
    }

    @Test func aStoreInUseIsNeverCopiedInto() throws {
        let source = try Self.source()
        let location = try Self.target(beside: source)
        let target = try OrderStore(location: location)
        _ = try target.seller(code: "someone", now: "2026-12-03T10:00:00+00:00")
        #expect { try StoreCopy.copy(from: source.ingestor.store, to: target) } throws: {
            "\($0)".contains("the target store is not empty (kullanicilar has 1 rows)")
        }
        #expect(try TestHome(store: location).scalar("SELECT count(*) FROM siparisler") == 0)
    }
}
