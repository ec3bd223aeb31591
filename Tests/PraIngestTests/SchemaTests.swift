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
