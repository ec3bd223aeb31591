import OrderCore
@testable import OrderStore
import Testing

/// The schema's declarations agree with each other.
@Suite struct SchemaTests {
    /// Every core field (a typed property of the order or line) has one column, declared once in
    /// `CoreColumns`, and the schema has it.
    @Test func everyCoreFieldHasOneDeclaredColumnOfTheSchema() throws {
        let declared = CoreColumns.order.map(\.field) + CoreColumns.line.map(\.field) + [.sku] // the SKU is the product's
        #expect(declared.count == Set(declared).count)
        #expect(Set(declared) == Set(TargetField.allCases.filter(\.isCore)))
        let tables = Dictionary(uniqueKeysWithValues: try PostgresSchema.referenceTables().map { ($0.name, Set($0.columns.map(\.name))) })
        #expect(Set(CoreColumns.orderNames).isSubset(of: try #require(tables["siparisler"])))
        #expect(Set(CoreColumns.lineNames).isSubset(of: try #require(tables["siparis_urunleri"])))
        #expect(try #require(tables["urunler"]).contains("sku"))
    }

    /// The store itself refuses a VAT rate outside the six KDV rates (the check is spelled as
    /// comparisons, which SQLite runs without building a table per statement), on both stores.
    @Test func theStoreRefusesAVATRateOutsideTheSixRates() throws {
        let home = try TestHome()
        let report = home.ingest("shopify_orders_export.csv")
        #expect(report.linesWritten > 0)
        let db = home.ingestor.store.db
        let set = "UPDATE siparis_urunleri SET kdv_orani = ?"
        for rate: Int64 in [0, 1, 8, 10, 18, 20] {
            try db.prepare(set).bind(rate).run()
            #expect(try home.scalar("SELECT count(*) FROM siparis_urunleri WHERE kdv_orani = \(rate)") == Int64(report.linesWritten))
        }
        for rate: Int64 in [7, 19, -1, 100] {
            #expect(throws: StoreError.self) { try db.prepare(set).bind(rate).run() }
        }
    }

    /// PostgreSQL's statements are SQLite's with their parameters renumbered; quoted text and
    /// comments keep their question marks.
    @Test func parametersAreRenumberedOutsideTextAndComments() {
        let (text, count) = PostgresConnection.translate("""
            SELECT '?', "a?" FROM t WHERE x = ?2 AND y = ? -- the carrier's ?
            AND z = ?1
            """)
        #expect(text == """
            SELECT '?', "a?" FROM t WHERE x = $2 AND y = $3 -- the carrier's ?
            AND z = $1
            """)
        #expect(count == 3)
    }
}
