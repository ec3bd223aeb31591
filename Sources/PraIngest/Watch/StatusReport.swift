import Foundation
import OrderStore

/// What `pra-ingest status` shows: the queue, the last files, errors and orders per platform.
public struct StatusReport: Sendable, Codable {
    public var queue: [String: Int]
    public var recentFiles: [RecentFile]
    public var errorsBySellerAndPlatform: [ErrorCount]
    public var ordersByPlatform: [String: Int]

    public struct RecentFile: Sendable, Codable {
        public var path: String
        public var state: String
        public var outcome: String
        public var at: String
    }

    public struct ErrorCount: Sendable, Codable {
        public var seller: String
        public var mapping: String
        public var rejectedRecords: Int
        public var failedFiles: Int
    }

    public static func read(home: Home, recent: Int = 10) throws -> StatusReport {
        let store = try OrderStore(path: home.database.path)
        let queue = JobQueue(store: store)
        var depth: [String: Int] = [:]
        for s in JobQueue.State.allCases { depth[s.rawValue] = 0 }
        for (s, n) in try queue.depth() { depth[s.rawValue] = n }
        let files = try queue.recent(limit: recent).map { RecentFile(path: $0.path, state: $0.state, outcome: $0.outcome, at: $0.at) }
        let errors = try store.db.prepare("""
            SELECT k.kod, d.eslesme, sum(d.reddedilen), 0 FROM kaynak_dosyalar d JOIN kullanicilar k ON k.id = d.kullanici_id
            GROUP BY 1, 2 HAVING sum(d.reddedilen) > 0
            UNION ALL
            SELECT json_extract(veri, '$.seller'), '', 0, count(*) FROM is_kuyrugu WHERE durum = 'failed' GROUP BY 1
            ORDER BY 1, 2
            """).rows { ErrorCount(seller: $0.text(0) ?? "", mapping: $0.text(1) ?? "", rejectedRecords: Int($0.int(2)),
                                   failedFiles: Int($0.int(3))) }
        var orders: [String: Int] = [:]
        for row in try store.integrations() { orders[row.platform, default: 0] += row.orders }
        return StatusReport(queue: depth, recentFiles: files, errorsBySellerAndPlatform: errors, ordersByPlatform: orders)
    }

    /// Human-readable, a few lines.
    public var text: String {
        var t = "queue: " + JobQueue.State.allCases.map { "\($0.rawValue) \(queue[$0.rawValue] ?? 0)" }.joined(separator: ", ") + "\n"
        t += "orders: " + ordersByPlatform.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        if !errorsBySellerAndPlatform.isEmpty {
            t += "errors:\n"
            for e in errorsBySellerAndPlatform {
                t += "  \(e.seller)\(e.mapping.isEmpty ? "" : " / \(e.mapping)"): "
                    + (e.rejectedRecords > 0 ? "\(e.rejectedRecords) rejected records" : "\(e.failedFiles) failed files") + "\n"
            }
        }
        t += "last files:\n"
        for f in recentFiles { t += "  \(f.at)  \(f.state.padding(toLength: 10, withPad: " ", startingAt: 0)) \(f.path)  \(f.outcome)\n" }
        return t
    }
}
