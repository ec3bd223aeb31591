import Foundation
import Glibc
import Hummingbird
import Logging
import NIOCore
import OrderCore
import OrderStore
import PraIngest
import ServiceLifecycle
import Synchronization

/// The request context: Hummingbird's, with the peer's address for the audit log.
struct PraContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// The HTTP side of `pra-ingest run`: health, metrics, the status page, and files in over HTTP
/// (uploads and platform webhooks) with per-seller keys. Whatever arrives becomes a file in the
/// seller's inbox and takes the same path as a dropped file. Every route is in docs/operations.md.
public final class PraServer: Sendable {
    let home: Home
    let config: Configuration
    let signals: WatcherSignals
    let store: StoreWorker
    let metrics: ServerMetrics
    let limiter: RateLimiter<Int64>
    /// Requests without a valid key, by remote address: past its rate, a flood of bad keys is
    /// refused with 429 and no audit row each (a row is a synced write). Valid keys are not held up.
    let anonymousLimiter: RateLimiter<String>
    let uploads: Uploads
    let logger: Logger
    /// Uploads being received, for a shutdown to wait for.
    private let inFlight = Mutex(0)
    /// The status page's best-seller charts per viewer (`""`: the operator's), with when they were
    /// made: a forecast per chart and a scan of four weeks of orders are not redone on every
    /// 10-second refresh, only every ``chartsMaxAge`` seconds.
    private let charts = Mutex<[String: (at: Date, charts: [SKUChart])]>([:])
    static let chartsMaxAge: TimeInterval = 300
    /// Set when the process is asked to stop: ready says 503, new uploads are refused.
    private let stopping: @Sendable () -> Bool

    /// - Parameter stopping: whether a stop was asked for (read per request).
    public init(home: Home, config: Configuration, signals: WatcherSignals, version: String, logger: Logger,
                stopping: @escaping @Sendable () -> Bool) throws {
        self.home = home
        self.config = config
        self.signals = signals
        self.logger = logger
        self.stopping = stopping
        store = StoreWorker(location: home.store)
        metrics = ServerMetrics(version: version)
        limiter = RateLimiter(perSecond: config.http.ratePerSecond, burst: config.http.rateBurst)
        anonymousLimiter = RateLimiter(perSecond: config.http.ratePerSecond, burst: config.http.rateBurst)
        uploads = Uploads(home: home, maxBytes: config.limits.maxFileBytes, store: store)
        signals.onFinished { [metrics] file in metrics.count(file) }
    }

    /// Serves on `host:port` until `shutdown` is triggered; `onRunning` gets the bound port (for port 0).
    /// Start it in a task that prefers a ``ServerExecutor``.
    public func run(host: String, port: Int, onRunning: @escaping @Sendable (Int) -> Void = { _ in },
                    until shutdown: ShutdownTrigger) async throws {
        let app = Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "PraIngest"),
                              onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        shutdown.attach(group)
        try await group.run()
    }

    /// Uploads being received now.
    public var uploadsInFlight: Int { inFlight.withLock { $0 } }

    /// Waits until no upload is being received, at most `seconds`.
    public func waitForUploads(seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        while inFlight.withLock({ $0 }) > 0 && Date() < end { usleep(20_000) }
    }

    // MARK: Routes

    func router() -> Router<PraContext> {
        let router = Router(context: PraContext.self)
        router.middlewares.add(RequestCounter(metrics: metrics))
        router.get("health/live") { _, _ in self.live() }
        router.get("health/ready") { _, _ in try await self.ready() }
        router.get("metrics") { request, context in try await self.scrape(request, context) }
        router.get("/") { request, context in try await self.page(request, context) }
        router.get("v1/status") { request, context in try await self.status(request, context) }
        router.get("v1/jobs/:id") { request, context in try await self.job(request, context) }
        router.put("v1/inbox/:seller/:filename") { request, context in try await self.upload(request, context) }
        router.post("webhook/:platform") { request, context in try await self.webhook(request, context) }
        router.post("v1/actions/:id/done") { request, context in try await self.actionDone(request, context) }
        router.post("v1/replay/:name") { request, context in try await self.replay(request, context) }
        return router
    }

    func live() -> Response {
        guard signals.turned(within: 60) else {
            return json(.serviceUnavailable, ["status": "stalled", "reason": "the watcher loop has not turned for 60 s"])
        }
        return json(.ok, ["status": "live"])
    }

    func ready() async throws -> Response {
        var failing: [String: String] = [:]
        if stopping() { failing["shutdown"] = "a shutdown has begun" }
        if signals.mappingsUsable == 0 { failing["mappings"] = "no mapping is usable (pra-ingest check says why)" }
        if access(home.inbox.path, W_OK) != 0 { failing["inbox"] = "the inbox is not writable" }
        // Checked without opening it: a large file may have the database to itself for a while.
        if case .sqlite(let path) = home.store, access(path, W_OK) != 0 || access(home.root.path, W_OK) != 0 {
            failing["store"] = "the database is not writable"
        }
        guard failing.isEmpty else { return json(.serviceUnavailable, ["status": "not ready", "failing": failing]) }
        return json(.ok, ["status": "ready"])
    }

    func scrape(_ request: Request, _ context: PraContext) async throws -> Response {
        if !config.http.publicMetrics {
            let key = try await authenticate(request, context, route: "metrics")
            guard key.role != .seller else { throw await refuse(.forbidden, "metrics need an operator or admin key", request, context, key) }
        }
        let failed = failedFiles()
        let figures = try await store.run { store in try ScrapeFigures.read(store, now: Date()) }
        let text = metrics.scrape(figures, mappingsUsable: signals.mappingsUsable,
                                  mappingReloadErrors: signals.mappingReloadErrors, failedFiles: failed)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }

    func status(_ request: Request, _ context: PraContext) async throws -> Response {
        let key = try await authenticate(request, context, route: "status")
        if let seller = key.seller, key.role == .seller {
            let overview = try await store.run { store in try store.sellerOverview(seller, recent: 20) }
            return json(.ok, ["seller": seller, "orders_by_platform": overview.orders,
                              "recent_files": overview.files.map {
                                  ["path": $0.path, "state": $0.state, "outcome": $0.outcome, "at": $0.at,
                                   "first_errors": $0.errors.prefix(3).map(\.message)] as [String: Any]
                              }])
        }
        let home = self.home
        let report = try await store.run { _ in try StatusReport.read(home: home) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return bytes(.ok, "application/json", Array(try encoder.encode(report)))
    }

    func page(_ request: Request, _ context: PraContext) async throws -> Response {
        let key = try await authenticate(request, context, route: "page")
        let home = self.home
        let html: String
        if let seller = key.seller, key.role == .seller {
            let overview = try await store.run { store in try store.sellerOverview(seller, recent: 30) }
            let charts = try await bestSellers(seller) { store in
                try SalesHistory(store: store).sellers().first { $0.code == seller }.map { try SKUChart.top(store: store, sellerID: $0.id) } ?? []
            }
            html = StatusPage.seller(seller, overview: overview, topSKUs: charts)
        } else {
            let (report, orders) = try await store.run { store in
                (try StatusReport.read(home: home, recent: 30, actions: 30), try store.integrations())
            }
            let charts = try await bestSellers("") { store in try SKUChart.top(store: store) }
            html = StatusPage.operator(report, orders: orders, topSKUs: charts, failedFiles: failedFiles(), stopping: stopping())
        }
        return bytes(.ok, "text/html; charset=utf-8", Array(html.utf8))
    }

    /// The best sellers' charts of a viewer, made again when older than ``chartsMaxAge``.
    private func bestSellers(_ viewer: String, _ make: @escaping @Sendable (OrderStore) throws -> [SKUChart]) async throws -> [SKUChart] {
        let now = Date()
        if let kept = charts.withLock({ $0[viewer] }), now.timeIntervalSince(kept.at) < Self.chartsMaxAge { return kept.charts }
        let fresh = try await store.run(make)
        charts.withLock { $0[viewer] = (now, fresh) }
        return fresh
    }

    func job(_ request: Request, _ context: PraContext) async throws -> Response {
        let key = try await authenticate(request, context, route: "job")
        guard let id = context.parameters.get("id", as: Int64.self),
              let found = try await store.run({ store in try JobQueue(store: store).job(id: id) }) else {
            return json(.notFound, ["error": "no such job"])
        }
        guard key.mayRead(found.seller) else { throw await refuse(.forbidden, "another seller's job", request, context, key) }
        let status: String
        switch found.state {
        case .pending, .processing: status = found.state.rawValue
        case .done, .failed: status = found.result?.status ?? (found.state == .failed ? "failed" : "ingested")
        }
        let r = found.result
        return json(.ok, [
            "id": id, "status": status, "file": found.path, "orders": r?.orders ?? 0, "lines": r?.lines ?? 0,
            "rejected": r?.rejected ?? 0, "warnings": r?.warnings ?? 0,
            "errors": (r?.errors ?? []).map { e -> [String: Any] in
                var out: [String: Any] = ["message": e.message]
                if let l = e.line { out["line"] = l }
                if let c = e.column { out["column"] = c }
                if let f = e.field { out["field"] = f }
                return out
            },
        ])
    }

    func upload(_ request: Request, _ context: PraContext) async throws -> Response {
        let key = try await authenticate(request, context, route: "upload")
        let seller = context.parameters.get("seller")?.removingPercentEncoding ?? ""
        let name = context.parameters.get("filename")?.removingPercentEncoding ?? ""
        if let problem = SellerCode.problem(seller) {
            throw await refuse(.badRequest, "the seller code: \(problem)", request, context, key, seller: seller, file: name)
        }
        guard try await sellerExists(seller) else {
            throw await refuse(.notFound, "no seller \(seller)", request, context, key, seller: seller, file: name)
        }
        guard key.mayAct(for: seller) else {
            throw await refuse(.forbidden, key.role == .operator ? "an operator key reads only" : "another seller's inbox",
                               request, context, key, seller: seller, file: name)
        }
        if let problem = Uploads.problem(fileName: name) {
            throw await refuse(.badRequest, problem, request, context, key, seller: seller, file: String(name.prefix(100)))
        }
        return try await receive(request, context, key, seller: seller, name: name, route: "upload")
    }

    func webhook(_ request: Request, _ context: PraContext) async throws -> Response {
        let key = try await authenticate(request, context, route: "webhook")
        let platform = context.parameters.get("platform") ?? ""
        guard key.role == .seller, let seller = key.seller else {
            throw await refuse(.forbidden, "a webhook posts into its key's seller's inbox: use a seller key", request, context, key)
        }
        guard Self.webhookPlatforms(config: config, home: home).contains(platform) else {
            throw await refuse(.notFound, "no webhook for platform \(platform.prefix(40))", request, context, key, seller: seller)
        }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let ext = type.contains("xml") ? "xml" : type.contains("csv") ? "csv" : "json"
        let stamp = Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970), utcOffsetSeconds: 0).description
            .filter { $0.isNumber }.prefix(14)
        return try await receive(request, context, key, seller: seller, name: nil, route: "webhook") { sha in
            "\(platform)-\(stamp)-\(sha.prefix(12)).\(ext)"
        }
    }

    /// Marks an open action on an issued invoice done (operator, admin), as `pra-ingest actions --done`.
    func actionDone(_ request: Request, _ context: PraContext) async throws -> Response {
        let key = try await authenticate(request, context, route: "action done")
        guard key.role != .seller else { throw await refuse(.forbidden, "actions are an operator's", request, context, key) }
        guard let id = context.parameters.get("id", as: Int64.self),
              try await store.run({ store in try InvoiceActions.markDone(id: id, store: store) }) else {
            throw await refuse(.notFound, "no open action \(context.parameters.get("id") ?? "")", request, context, key)
        }
        await audit(key, context, action: "action done", seller: nil, file: nil, outcome: "200 action \(id) done")
        return json(.ok, ["action": id, "status": "done"])
    }

    /// Runs a file of `failed/` again after a fix (operator, admin), file-drop style: it goes back
    /// into its seller's inbox, its reports are removed, and it is queued: 202 with its job.
    func replay(_ request: Request, _ context: PraContext) async throws -> Response {
        let key = try await authenticate(request, context, route: "replay")
        guard key.role != .seller else { throw await refuse(.forbidden, "replay is an operator's", request, context, key) }
        let name = context.parameters.get("name")?.removingPercentEncoding ?? ""
        guard Uploads.problem(fileName: name) == nil, !name.hasSuffix(".error.txt"), !name.hasSuffix(".rejects.csv"),
              FileManager.default.fileExists(atPath: home.failed.appendingPathComponent(name).path) else {
            throw await refuse(.notFound, "no file \(name.prefix(100)) in failed/", request, context, key)
        }
        let seller = try await store.run { store in try JobQueue(store: store).seller(ofFileMovedTo: "failed/\(name)") }
        guard let seller, !seller.isEmpty else {
            throw await refuse(.conflict, "failed/\(name) belongs to no seller (refused unread): drop it into a seller's folder",
                               request, context, key, file: name)
        }
        let stored = try await uploads.replay(failed: home.failed.appendingPathComponent(name), seller: seller)
        await audit(key, context, action: "replay", seller: seller, file: stored.file, outcome: "202 job \(stored.job)")
        return json(.accepted, ["job": stored.job, "sha256": stored.sha256, "file": stored.file])
    }

    /// The platforms with a webhook: the founding report's, and every platform with a mapping.
    static func webhookPlatforms(config: Configuration, home: Home) -> Set<String> {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: home.mappings.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        return Set(["trendyol", "hepsiburada", "n11", "amazon", "yurtici", "aras"] + names)
    }

    /// Streams the body into the seller's inbox and answers 202 with its job.
    private func receive(_ request: Request, _ context: PraContext, _ key: APIKeyStore.Key, seller: String, name: String?,
                         route: String, finalName: (@Sendable (String) -> String)? = nil) async throws -> Response {
        guard !stopping() else {
            throw await refuse(.serviceUnavailable, "the server is shutting down", request, context, key, seller: seller, file: name)
        }
        if let length = request.headers[.contentLength].flatMap(Int64.init), length > config.limits.maxFileBytes {
            throw await refuse(.contentTooLarge, "the body is larger than \(config.limits.maxFileBytes) bytes (limits.max_file_bytes)",
                               request, context, key, seller: seller, file: name)
        }
        inFlight.withLock { $0 += 1 }
        defer { inFlight.withLock { $0 -= 1 } }
        do {
            let stored = try await uploads.store(request.body, seller: seller, name: name, finalName: finalName)
            await audit(key, context, action: route, seller: seller, file: stored.file, outcome: "202 job \(stored.job)")
            return json(.accepted, ["job": stored.job, "sha256": stored.sha256, "file": stored.file])
        } catch let r as Uploads.Refusal {
            throw await refuse(r.status, r.message, request, context, key, seller: seller, file: name)
        }
    }

    // MARK: Keys, refusals, audit

    /// The request's key (Bearer, or Basic with the key as password for a browser), within its rate.
    private func authenticate(_ request: Request, _ context: PraContext, route: String) async throws -> APIKeyStore.Key {
        let header = request.headers[.authorization]
        let hash = (Access.bearer(header) ?? Self.basicPassword(header)).map(Access.hash)
        var found: APIKeyStore.Key?
        if let hash { found = try await store.run { store in try APIKeyStore(store: store).key(hash: hash) } }
        guard let key = found else {
            let address = context.remoteAddress?.ipAddress ?? "unknown"
            if let wait = anonymousLimiter.take(address, now: Watcher.monotonic()) {
                var headers = HTTPFields()
                headers[.retryAfter] = String(Int(wait.rounded(.up)))
                throw HTTPError(.tooManyRequests, headers: headers, message: "too many requests without a valid key from this address")
            }
            throw await refuse(.unauthorized, hash == nil ? "an API key is needed (Authorization: Bearer KEY)" : "unknown or revoked key",
                               request, context, nil)
        }
        if let wait = limiter.take(key.id, now: Watcher.monotonic()) {
            var headers = HTTPFields()
            headers[.retryAfter] = String(Int(wait.rounded(.up)))
            await audit(key, context, action: route, seller: key.seller, file: nil, outcome: "429 rate limited")
            throw HTTPError(.tooManyRequests, headers: headers, message: "more than \(config.http.ratePerSecond) requests a second")
        }
        return key
    }

    private static func basicPassword(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":") else { return nil }
        let password = String(pair[pair.index(after: colon)...])
        return password.isEmpty ? nil : password
    }

    /// A refusal: audited, then the error to throw (a browser is asked for the key on 401).
    private func refuse(_ status: HTTPResponse.Status, _ message: String, _ request: Request, _ context: PraContext,
                        _ key: APIKeyStore.Key?, seller: String? = nil, file: String? = nil) async -> HTTPError {
        await audit(key, context, action: context.endpointPath ?? "unmatched", seller: seller ?? key?.seller,
                    file: file, outcome: "\(status.code) \(message)")
        var headers = HTTPFields()
        if status == .unauthorized { headers[.wwwAuthenticate] = "Basic realm=\"PraIngest\", charset=\"UTF-8\"" }
        return HTTPError(status, headers: headers, message: message)
    }

    /// One `sistem_log` row: key, role, seller, route, file, outcome, remote address; never the key itself or a body.
    private func audit(_ key: APIKeyStore.Key?, _ context: PraContext, action: String, seller: String?, file: String?,
                       outcome: String) async {
        var details: [String: Any] = ["route": action, "outcome": outcome, "role": key?.role.rawValue ?? "none"]
        if let key { details["key_id"] = key.id }
        if let seller { details["seller"] = SellerCode.printable(seller) }
        if let file { details["file"] = SellerCode.printable(file) }
        if let remote = context.remoteAddress?.ipAddress { details["remote"] = remote }
        let text = String(decoding: (try? JSONSerialization.data(withJSONObject: details, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        let now = Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970), utcOffsetSeconds: 0).description
        let sellerCode = key?.role == .seller ? key?.seller : nil
        do {
            try await store.run { store in
                try APIKeyStore(store: store).audit(keyID: key?.id, userSeller: sellerCode, action: "http " + action, details: text, now: now)
            }
        } catch {
            logger.error("audit row not written: \(error)")
        }
    }

    private func sellerExists(_ seller: String) async throws -> Bool {
        if config.sellers[seller] != nil { return true }
        return try await store.run { store in try APIKeyStore(store: store).sellerExists(seller) }
    }

    private func failedFiles() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: home.failed.path)) ?? [])
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".error.txt") && !$0.hasSuffix(".rejects.csv") }.count
    }

    private func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return bytes(status, "application/json", Array(data))
    }

    private func bytes(_ status: HTTPResponse.Status, _ type: String, _ body: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Counts every answer in `praingest_http_requests_total{route,code}` (the route as declared,
/// never the path a client sent).
struct RequestCounter: RouterMiddleware {
    typealias Context = PraContext
    let metrics: ServerMetrics

    func handle(_ input: Request, context: PraContext, next: (Request, PraContext) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(input, context)
            metrics.request(route: context.endpointPath ?? "unmatched", code: Int(response.status.code))
            return response
        } catch let e as HTTPResponseError {
            metrics.request(route: context.endpointPath ?? "unmatched", code: Int(e.status.code))
            throw e
        }
    }
}

/// Starts the graceful shutdown of a running server from outside (the signal handler's loop).
public final class ShutdownTrigger: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)
    private let requested = Mutex(false)

    public init() {}

    func attach(_ g: ServiceGroup) {
        let already = group.withLock { $0 = g; return requested.withLock { $0 } }
        if already { Task { await g.triggerGracefulShutdown() } }
    }

    /// Stops accepting connections and ends the server once its requests are answered.
    public func trigger() {
        requested.withLock { $0 = true }
        if let g = group.withLock({ $0 }) { Task { await g.triggerGracefulShutdown() } }
    }
}
