import Foundation
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

    /// Deleting an order (a re-ingest superseding what an earlier one stored) looks up every row
    /// that refers to it: each such column leads an index (or is its table's integer key), or
    /// every deleted order reads the whole table (a forced re-ingest of 10k orders beside 20k
    /// logged messages took 21 s). PostgreSQL's schema is made from this one.
    @Test func everyReferenceToAnOrderIsIndexed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pra-refs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try OrderStore(path: folder.appendingPathComponent("pra.sqlite").path).db
        let references = try db.prepare("""
            SELECT m.name, f."from" FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f
            WHERE m.type = 'table' AND f."table" = 'siparisler'
            """).rows { ($0.text(0) ?? "", $0.text(1) ?? "") }
        #expect(references.count >= 10) // the order's lines, history, invoices, files, messages, …
        for (table, column) in references {
            let indexed = try db.prepare("""
                SELECT EXISTS (SELECT 1 FROM pragma_index_list(?1) l JOIN pragma_index_info(l.name) i
                               WHERE i.seqno = 0 AND i.name = ?2)
                    OR EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2 AND pk = 1 AND upper(type) = 'INTEGER')
                """).bind([table, column]).rows { $0.int(0) }[0]
            #expect(indexed == 1, "\(table).\(column) refers to an order and leads no index")
        }
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

    /// A SQLite store made while the check was spelled `IN (…)` has it respelled when it is opened
    /// (to the very comparisons a new store has, which the test above holds to the six rates); the
    /// store stays intact.
    @Test func anOlderStoresVATCheckIsRespelledInPlace() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pra-vat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("pra.sqlite").path
        let tableSQL = "SELECT sql FROM sqlite_schema WHERE name = 'siparis_urunleri'"
        let listed = "CHECK (kdv_orani IN (0, 1, 8, 10, 18, 20))"
        do {
            // The schema as v5 made it before: the list spelling, put back the way the store takes it away.
            let store = try OrderStore(path: path)
            let sql = try #require(try store.db.prepare(tableSQL).rows { $0.text(0) }.first ?? nil)
            let check = try #require(sql.range(of: #"CHECK \(kdv_orani = 0[^)]*\)"#, options: .regularExpression))
            let version = try store.db.prepare("PRAGMA schema_version").rows { $0.int(0) }[0]
            try store.db.execute("PRAGMA writable_schema = ON")
            try store.db.prepare("UPDATE sqlite_schema SET sql = ? WHERE name = 'siparis_urunleri'")
                .bind(sql.replacingCharacters(in: check, with: listed)).run()
            try store.db.execute("PRAGMA schema_version = \(version + 1); PRAGMA writable_schema = OFF")
            #expect(try store.db.prepare(tableSQL).rows { $0.text(0) }.first??.contains(listed) == true)
        }
        do {
            let older = try OrderStore(path: path)
            #expect(try older.db.prepare(tableSQL).rows { $0.text(0) }.first??.contains(listed) == false)
            #expect(try older.db.prepare("PRAGMA integrity_check").rows { $0.text(0) } == ["ok"])
        }
        let again = try OrderStore(path: path)
        let sql = try #require(try again.db.prepare(tableSQL).rows { $0.text(0) }.first ?? nil)
        #expect(sql.contains("CHECK (kdv_orani = 0 OR kdv_orani = 1 OR kdv_orani = 8 OR kdv_orani = 10 OR kdv_orani = 18 OR kdv_orani = 20)"))
        #expect(!sql.contains(" IN (0, 1"))
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
