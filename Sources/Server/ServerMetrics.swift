import CoreMetrics
import Foundation
import OrderStore
import PraIngest
import Prometheus

/// The Prometheus metrics of `GET /metrics`, through swift-metrics with swift-prometheus's
/// factory (this server's own registry, no process-wide bootstrap). What the watcher counts as
/// files finish is counted here as they are reported; what the database knows (the queue, failed
/// files, invoices, held invoices, open actions) is read from it at each scrape, so it is right
/// after a restart. Labels are seller codes, mapping and platform names only.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    init(version: String) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                   .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
                                                   .seconds(60), .seconds(300)]
        self.factory = factory
        Gauge(label: "praingest_build_info", dimensions: [("version", version)], factory: factory).record(1)
    }

    /// A file the watcher finished.
    func count(_ file: WatcherSignals.FinishedFile) {
        Counter(label: "praingest_files_total", dimensions: [("seller", file.seller), ("mapping", file.mapping),
                                                             ("outcome", file.outcome)], factory: factory).increment()
        for (outcome, n) in [("landed", file.landed), ("rejected", file.rejected), ("warned", file.warned)] where n > 0 {
            Counter(label: "praingest_records_total", dimensions: [("seller", file.seller), ("platform", file.platform),
                                                                   ("outcome", outcome)], factory: factory).increment(by: n)
        }
        Timer(label: "praingest_ingest_duration_seconds", factory: factory)
            .recordNanoseconds(Int64(file.seconds * 1_000_000_000))
    }

    /// An HTTP request answered.
    func request(route: String, code: Int) {
        Counter(label: "praingest_http_requests_total", dimensions: [("route", route), ("code", String(code))], factory: factory)
            .increment()
    }

    /// The figures the database holds, as of now; then the text of every metric.
    func scrape(_ figures: ScrapeFigures, mappingsUsable: Int, mappingReloadErrors: Int, failedFiles: Int) -> [UInt8] {
        func gauge(_ name: String, _ value: Double, _ dimensions: [(String, String)] = []) {
            Gauge(label: name, dimensions: dimensions, factory: factory).record(value)
        }
        for state in ["pending", "processing"] { gauge("praingest_queue_files", Double(figures.queue[state] ?? 0), [("state", state)]) }
        gauge("praingest_queue_oldest_pending_age_seconds", figures.oldestPendingAge)
        gauge("praingest_failed_files", Double(failedFiles))
        for (seller, profile, n) in figures.invoices {
            gauge("praingest_invoices_total", Double(n), [("seller", seller), ("profile", profile)])
        }
        gauge("praingest_invoices_held", Double(figures.heldInvoices))
        gauge("praingest_actions_open", Double(figures.openActions))
        gauge("praingest_mappings_usable", Double(mappingsUsable))
        gauge("praingest_mapping_reload_errors_total", Double(mappingReloadErrors))
        var out: [UInt8] = []
        registry.emit(into: &out)
        return out
    }
}

/// What a scrape reads from the database.
struct ScrapeFigures: Sendable {
    var queue: [String: Int]
    var oldestPendingAge: Double
    var invoices: [(seller: String, profile: String, count: Int)]
    var heldInvoices: Int
    var openActions: Int

    static func read(_ store: OrderStore, now: Date) throws -> ScrapeFigures {
        let queue = JobQueue(store: store)
        let depth = try queue.depth()
        let oldest = try queue.oldestPending().flatMap { ISO8601DateFormatter().date(from: $0) }
        let counts = try store.monitoringCounts()
        return ScrapeFigures(queue: Dictionary(uniqueKeysWithValues: depth.map { ($0.key.rawValue, $0.value) }),
                             oldestPendingAge: oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0,
                             invoices: counts.invoices, heldInvoices: counts.held, openActions: counts.openActions)
    }
}
