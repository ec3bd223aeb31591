import Foundation

/// Copies a whole store into another, empty one (`pra-ingest migrate-store`): every table of the
/// schema, ids kept, in one transaction on the target, row counts checked before it commits.
/// SQLite → PostgreSQL moves a home to a shared store; the other way works as well.
public enum StoreCopy {
    /// What was copied: rows per table, in the order copied.
    public typealias Counts = [(table: String, rows: Int)]

    public enum Problem: Error, CustomStringConvertible {
        case targetNotEmpty(table: String, rows: Int)
        case sameStore
        case countMismatch(table: String, source: Int, target: Int)

        public var description: String {
            switch self {
            case .targetNotEmpty(let table, let rows):
                "the target store is not empty (\(table) has \(rows) rows): migrate-store copies into a new, empty store only"
            case .sameStore: "the target is the store being copied"
            case .countMismatch(let table, let source, let target):
                "\(table): \(source) rows read, \(target) in the target; nothing was committed"
            }
        }
    }

    /// Tables whose rows show that a store is in use (the seeded roles do not).
    static let inUse = ["kullanicilar", "siparisler", "is_kuyrugu", "kaynak_dosyalar", "faturalar", "doviz_kurlari", "gib_listeleri"]

    /// Copies `source` into `target`; `progress` hears each table as it is done.
    public static func copy(from source: OrderStore, to target: OrderStore,
                            progress: (String, Int) -> Void = { _, _ in }) throws -> Counts {
        guard source.location != target.location else { throw Problem.sameStore }
        for table in inUse {
            let rows = try count(table, in: target.db)
            if rows > 0 { throw Problem.targetNotEmpty(table: table, rows: rows) }
        }
        let tables = try PostgresSchema.referenceTables()
        return try target.db.transaction(.everything) {
            // The roles the target's migrations seeded come again with the source's rows.
            for table in tables.reversed() { try target.db.execute("DELETE FROM \(table.name)") }
            var counts: Counts = []
            for table in tables {
                let copied = try copyRows(of: table, from: source.db, to: target.db)
                let landed = try count(table.name, in: target.db)
                guard copied == landed else { throw Problem.countMismatch(table: table.name, source: copied, target: landed) }
                if target.db.dialect == .postgres, table.columns.contains(where: { $0.name == "id" }) {
                    // Identity columns continue after the copied ids.
                    try target.db.execute("""
                        SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), coalesce(max(id), 0) + 1, false) FROM \(table.name)
                        """)
                }
                counts.append((table.name, copied))
                progress(table.name, copied)
            }
            return counts
        }
    }

    static func count(_ table: String, in db: Database) throws(StoreError) -> Int {
        Int(try db.prepare("SELECT count(*) FROM \(table)").rows { $0.int(0) }[0])
    }

    /// Copies a table's rows in batches of multi-row INSERTs, each value bound as its column holds it.
    private static func copyRows(of table: PostgresSchema.Table, from source: Database, to target: Database) throws(StoreError) -> Int {
        let names = table.columns.map(\.name).joined(separator: ", ")
        let order = table.columns.contains { $0.name == "id" } ? " ORDER BY id" : ""
        let read = try source.prepare("SELECT \(names) FROM \(table.name)\(order)")
        let width = table.columns.count
        let batch = max(1, min(500, 30_000 / width))
        func insert(rows: Int) throws(StoreError) -> Statement {
            let tuples = (0..<rows).map { r in "(" + (1...width).map { "?\(r * width + $0)" }.joined(separator: ", ") + ")" }
            return try target.prepare("INSERT INTO \(table.name) (\(names)) VALUES \(tuples.joined(separator: ", "))")
        }
        let full = try insert(rows: batch)
        var pending: [[(any SQLValue)?]] = []
        var copied = 0
        func flush() throws(StoreError) {
            guard !pending.isEmpty else { return }
            let statement = pending.count == batch ? full : try insert(rows: pending.count)
            statement.bind(pending.flatMap { $0 })
            try statement.run()
            copied += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        while try read.step() {
            pending.append(table.columns.enumerated().map { i, column -> (any SQLValue)? in
                let c = Int32(i)
                if read.isNull(c) { return nil }
                return column.isInteger ? read.int(c) : read.text(c)
            })
            if pending.count == batch { try flush() }
        }
        try flush()
        return copied
    }
}
