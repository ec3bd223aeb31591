import Foundation
import Glibc
import Logging
import OrderStore
@testable import PraIngest
@testable import Server
import Synchronization
import Testing

/// A watcher with its HTTP side on 127.0.0.1 and an ephemeral port, in this process, over a test
/// home: what `pra-ingest run --listen 127.0.0.1:0` starts.
final class RunningServer: Sendable {
    let port: Int
    let home: Home
    private let flags = RunningWatcher.Flags()
    private let trigger = ShutdownTrigger()
    let server: PraServer

    /// Starts both sides; the tests that use it are async, so that waiting on the server never
    /// holds one of the few threads Swift's concurrency (and so the server) runs on.
    static func start(home: Home) async throws -> RunningServer {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try RunningServer(home: home) }) }.start()
        }
    }

    private init(home: Home, configure: (inout Watcher.Options) -> Void = { _ in }) throws {
        self.home = home
        var options = fastOptions(poll: true)
        configure(&options)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let watcher = try Watcher(home: home, options: options, logger: logger)
        let flags = self.flags
        server = try PraServer(home: home, config: watcher.settings, signals: watcher.signals, version: "test", logger: logger,
                               stopping: { flags.stop.load(ordering: .relaxed) })
        let bound = Mutex<Int?>(nil)
        let started = DispatchSemaphore(value: 0)
        Task(executorPreference: ServerExecutor()) { [server, trigger] in
            try? await server.run(host: "127.0.0.1", port: 0, onRunning: { port in
                bound.withLock { $0 = port }
                started.signal()
            }, until: trigger)
        }
        _ = started.wait(timeout: .now() + 20)
        port = try #require(bound.withLock { $0 })
        nonisolated(unsafe) let loop = watcher // used by that thread alone from here on
        let thread = Thread {
            loop.run { flags.stop.load(ordering: .relaxed) }
            flags.finished.store(true, ordering: .relaxed)
        }
        thread.start()
        #expect(waitUntil(timeout: 10) { watcher.signals.lastTurn != nil })
    }

    /// Asks for a stop as SIGTERM does (ready turns 503 at once), then stops both sides.
    func shutdown() {
        flags.stop.store(true, ordering: .relaxed)
        waitUntil(timeout: 10) { flags.finished.load(ordering: .relaxed) }
        server.waitForUploads(seconds: 10)
        trigger.trigger()
    }

    /// Only the stop request: what a request sees right after SIGTERM.
    func beginStopping() { flags.stop.store(true, ordering: .relaxed) }

    deinit { shutdown() }

    /// A key made as `pra-ingest keys create` makes it.
    func key(_ role: APIKeyStore.Role, seller: String? = nil) throws -> String {
        try KeyAdmin.create(home: home, role: role, seller: seller, name: nil).key
    }

    typealias Reply = HTTPConnection.Reply

    /// One HTTP/1.1 request over a plain socket (the test controls every byte), on a thread of its own.
    func request(_ method: String, _ path: String, key: String? = nil, headers: [String: String] = [:], body: [UInt8] = [],
                 declaredLength: Int? = nil) async throws -> Reply? {
        let port = self.port
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try Self.exchange(port: port, method, path, key: key, headers: headers, body: body,
                                      declaredLength: declaredLength)
                })
            }.start()
        }
    }

    private static func exchange(port: Int, _ method: String, _ path: String, key: String?, headers: [String: String],
                                 body: [UInt8], declaredLength: Int?) throws -> Reply? {
        let connection = try HTTPConnection(port: port)
        guard connection.send(HTTPConnection.head(method, path, key: key, headers: headers, length: declaredLength ?? body.count)
                                + body) else { return nil } // closed early: refused before the body
        return connection.reply()
    }

    /// Follows `GET /v1/jobs/{id}` until the job is finished (20 s at most).
    func finishedJob(_ id: Any?, key: String) async throws -> [String: Any] {
        var last: [String: Any] = [:]
        for _ in 0..<400 {
            last = (try await request("GET", "/v1/jobs/\(id ?? "")", key: key)?.json) ?? [:]
            if !["pending", "processing", nil].contains(last["status"] as? String) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return last
    }
}

/// One HTTP/1.1 connection to 127.0.0.1 over a plain socket: the test sends every byte itself,
/// and may stop half-way (an upload that dies, or one still running when SIGTERM comes).
final class HTTPConnection {
    private let fd: Int32

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(fd) }

    /// A request's head; `length` `nil` with a `Transfer-Encoding` header.
    static func head(_ method: String, _ path: String, key: String?, headers: [String: String], length: Int) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let key { head += "Authorization: Bearer \(key)\r\n" }
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if headers["Transfer-Encoding"] == nil { head += "Content-Length: \(length)\r\n" }
        return Array((head + "\r\n").utf8)
    }

    /// Sends `bytes`; false when the server has closed the connection.
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    /// A whole request on this connection, and its reply.
    func request(_ method: String, _ path: String, key: String? = nil, body: [UInt8] = []) -> Reply? {
        guard send(Self.head(method, path, key: key, headers: [:], length: body.count) + body) else { return nil }
        return reply()
    }

    /// Reads the whole reply (the server closes the connection after it).
    func reply() -> Reply? {
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += chunk[..<n]
        }
        guard let split = response.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: response[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return Reply(status: status, headers: fields, body: Array(response[split.upperBound...]))
    }
}
