import Foundation
@testable import OrderStore
import Testing

/// SQLite reads bound text in place from buffers the statement keeps (one per parameter, reused
/// from run to run): each value lands as it was bound, however the lengths of one parameter's
/// texts change, and a binding kept across a reset still reads its own text.
@Suite struct StatementTests {
    @Test func boundTextLandsAsBoundWhateverItsLength() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pra-bind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try OrderStore(path: folder.appendingPathComponent("pra.sqlite").path).db
        try db.execute("CREATE TABLE t (n INTEGER, a TEXT, b TEXT, c TEXT)")
        let insert = try db.prepareCached("INSERT INTO t VALUES (?1, ?2, ?3, ?4)")
        let long = String(repeating: "ğ", count: 40_000) // 80,000 bytes: past what a statement keeps, bound as SQLite's copy
        let kept = BoundText.largestKept
        let rows: [(String, String, String)] = [
            ("", "kısa", long),
            (String(repeating: "ü", count: 300), "", "c"), // the first parameter's buffer grows, the third's shrinks
            ("a", String(repeating: "y", count: kept), "çok uzun bir değer, on beş bayttan uzun"), // the longest kept
            (String(repeating: "z", count: kept + 1), "b", ""), // one byte past it: SQLite's copy
            ("İ", "b", ""),
        ]
        for (n, row) in rows.enumerated() { try insert.bind(Int64(n), row.0, row.1, row.2).run() }
        // Only the first two parameters bound anew: the others keep the last run's text.
        try insert.bind(Int64(rows.count), "son").run()
        let stored = try db.prepare("SELECT a, b, c FROM t ORDER BY n").rows { ($0.text(0) ?? "-", $0.text(1) ?? "-", $0.text(2) ?? "-") }
        #expect(stored.count == rows.count + 1)
        for (n, row) in rows.enumerated() {
            #expect(stored[n] == row, "row \(n)")
        }
        #expect(stored.last! == ("son", "b", ""))
    }
}
