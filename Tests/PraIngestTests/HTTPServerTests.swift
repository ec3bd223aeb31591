import Foundation
import OrderStore
@testable import PraIngest
import Server
import Testing

/// The HTTP side of `pra-ingest run`, through real HTTP on 127.0.0.1 against a real watcher and
/// store (issue 20): uploads and webhooks become files in the right seller's inbox, every refusal
/// is refused and audited, metrics agree with the database.
@Suite(.serialized) struct HTTPServerTests {
    static let roomyRate = "http:\n  rate_limit: { per_second: 1000, burst: 1000 }\n"

    func home(_ config: String = roomyRate) throws -> TestHome {
        let home = try TestHome()
        try Data(config.utf8).write(to: home.home.configFile)
        return home
    }

    static let hbFile = Array((WatcherTests.hbHeader + WatcherTests.hbRows(1..<4)).utf8)

    @Test func uploadsOfTwoSellersLandInTheirOwnInboxesAndTheirJobsSayHowTheyWent() async throws {
        let home = try home()
        let server = try await RunningServer.start(home: home.home)
        let a = try server.key(.seller, seller: "magaza-a"), b = try server.key(.seller, seller: "magaza-b")
        let up = try #require(try await server.request("PUT", "/v1/inbox/magaza-a/orders.csv", key: a, body: Self.hbFile))
        #expect(up.status == 202, "\(up.text)")
        #expect(up.json["file"] as? String == "inbox/magaza-a/orders.csv")
        #expect(up.json["sha256"] as? String == SHA256Digest.hex(of: Self.hbFile))
        let bad = Array((WatcherTests.hbHeader + "9;K9;23-11-2026 10:00:00;SKU-9;1;-5,00;20;Yeni\n" + WatcherTests.hbRows(10..<12)).utf8)
        let upB = try #require(try await server.request("PUT", "/v1/inbox/magaza-b/orders.csv", key: b, body: bad))
        #expect(upB.status == 202)
        let jobA = try await server.finishedJob(up.json["job"], key: a)
        #expect(jobA["status"] as? String == "ingested")
        #expect(jobA["orders"] as? Int == 3)
        let jobB = try await server.finishedJob(upB.json["job"], key: b)
        #expect(jobB["status"] as? String == "partial")
        #expect(jobB["rejected"] as? Int == 1)
        let errors = try #require(jobB["errors"] as? [[String: Any]])
        #expect(errors.first?["line"] as? Int == 2)
        #expect(errors.first?["field"] as? String == "toplam_fiyat")
        #expect((errors.first?["message"] as? String)?.contains("'-5,00' is negative") == true)
        // Each seller's orders are its own; one seller cannot read the other's job.
        #expect(try home.texts("""
            SELECT k.kod || ' ' || count(*) FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id GROUP BY k.kod ORDER BY 1
            """) == ["magaza-a 3", "magaza-b 2"])
        #expect(try await server.request("GET", "/v1/jobs/\(up.json["job"]!)", key: b)?.status == 403)
        #expect(home.files(under: "archive").count == 2)
    }

    @Test func aFileThatCannotBeReadReportsItsPlaceThroughItsJob() async throws {
        let home = try home()
        let server = try await RunningServer.start(home: home.home)
        let a = try server.key(.seller, seller: "magaza-a")
        let broken = Array((WatcherTests.hbHeader + WatcherTests.hbRows(1..<3) + "3;K3;\"23-11-2026 10:00:00;SKU-3;1;10,00;20;Yeni\n").utf8)
        let up = try #require(try await server.request("PUT", "/v1/inbox/magaza-a/broken.csv", key: a, body: broken))
        let job = try await server.finishedJob(up.json["job"], key: a)
        #expect(job["status"] as? String == "failed")
        let first = try #require((job["errors"] as? [[String: Any]])?.first)
        #expect(first["line"] as? Int == 4, "\(first)")
        #expect((first["message"] as? String)?.contains("line 4") == true)
    }

    @Test func anOperatorReplaysAFailedFileIntoItsSellersInbox() async throws {
        let home = try home()
        let server = try await RunningServer.start(home: home.home)
        let a = try server.key(.seller, seller: "magaza-a"), op = try server.key(.operator)
        // Every record rejected: the file goes to failed/ with its report.
        let bad = Array((WatcherTests.hbHeader + "9;K9;23-11-2026 10:00:00;SKU-9;1;-5,00;20;Yeni\n").utf8)
        let up = try #require(try await server.request("PUT", "/v1/inbox/magaza-a/bad.csv", key: a, body: bad))
        #expect(try await server.finishedJob(up.json["job"], key: a)["status"] as? String == "failed")
        #expect(home.exists("failed/bad.csv") && home.exists("failed/bad.csv.error.txt"))
        #expect(try await server.request("POST", "/v1/replay/bad.csv", key: a)?.status == 403)
        #expect(try await server.request("POST", "/v1/replay/nothing.csv", key: op)?.status == 404)
        let replay = try #require(try await server.request("POST", "/v1/replay/bad.csv", key: op))
        #expect(replay.status == 202, "\(replay.text)")
        #expect(replay.json["file"] as? String == "inbox/magaza-a/bad.csv")
        #expect(try await server.finishedJob(replay.json["job"], key: op)["status"] as? String == "failed")
        #expect(try home.texts("SELECT \(home.json("seller")) FROM is_kuyrugu ORDER BY id") == ["magaza-a", "magaza-a"])
        #expect(try await server.request("POST", "/v1/actions/99/done", key: op)?.status == 404)
        #expect(try await server.request("POST", "/v1/actions/99/done", key: a)?.status == 403)
    }

    @Test func everyRefusalIsRefusedAndAudited() async throws {
        let home = try home()
        let server = try await RunningServer.start(home: home.home)
        let a = try server.key(.seller, seller: "magaza-a")
        _ = try server.key(.seller, seller: "magaza-b")
        let op = try server.key(.operator), admin = try server.key(.admin)
        let cases: [(String, String, String?, Int)] = [
            ("PUT", "/v1/inbox/magaza-a/x.csv", nil, 401),
            ("PUT", "/v1/inbox/magaza-a/x.csv", "pra_unknown", 401),
            ("PUT", "/v1/inbox/magaza-b/x.csv", a, 403),
            ("PUT", "/v1/inbox/nobody/x.csv", a, 404),
            ("PUT", "/v1/inbox/magaza-a/x.csv", op, 403),
            ("PUT", "/v1/inbox/nobody/x.csv", admin, 404),
            ("PUT", "/v1/inbox/magaza-a/..%2F..%2Fpra.yaml", a, 400),
            ("PUT", "/v1/inbox/magaza-a/.hidden.csv", a, 400),
            ("PUT", "/v1/inbox/magaza-a/a%0Ab.csv", a, 400),
            ("PUT", "/v1/inbox/magaza-a/" + String(repeating: "x", count: 252) + ".csv", a, 400),
            ("GET", "/metrics", a, 403),
            ("POST", "/webhook/no-such-platform", a, 404),
            ("POST", "/webhook/trendyol", op, 403),
        ]
        for (method, path, key, expected) in cases {
            let reply = try #require(try await server.request(method, path, key: key, body: Array("x".utf8)))
            #expect(reply.status == expected, "\(method) \(path): \(reply.status) \(reply.text)")
        }
        #expect(try await server.request("GET", "/", key: nil)?.headers["www-authenticate"]?.hasPrefix("Basic") == true)
        // Nothing of any refused request reached an inbox; every refusal is one audit row.
        #expect(home.files(under: "inbox").isEmpty)
        #expect(try home.scalar("SELECT count(*) FROM sistem_log WHERE tablo = 'http'") == Int64(cases.count + 1))
        let rows = try home.texts("SELECT mesaj FROM sistem_log WHERE tablo = 'http'")
        #expect(!rows.joined().contains("pra_"), "a key reached the audit log")
        // A revoked key is refused from then on.
        let keys = try KeyAdmin.list(home: home.home)
        _ = try KeyAdmin.revoke(home: home.home, id: keys[0].id)
        #expect(try await server.request("GET", "/v1/status", key: a)?.status == 401)
    }

    @Test func aBodyPastTheLimitIsRefusedWhetherDeclaredOrStreamedAndLeavesNothing() async throws {
        let home = try home(Self.roomyRate + "limits:\n  max_file_bytes: 1000\n")
        let server = try await RunningServer.start(home: home.home)
        let a = try server.key(.seller, seller: "magaza-a")
        // Declared too large: refused from the head alone, before any of the body is sent.
        let declared = try await server.request("PUT", "/v1/inbox/magaza-a/big.csv", key: a, declaredLength: 5_000)
        #expect(declared?.status == 413)
        // Streamed past the limit (a length nobody declared): refused once 1,000 bytes are passed.
        let chunked = try await server.request("PUT", "/v1/inbox/magaza-a/big.csv", key: a,
                                               headers: ["Transfer-Encoding": "chunked"], body: Self.chunked(1_500))
        #expect(chunked?.status == 413)
        waitUntil(timeout: 2) { home.files(under: "inbox").isEmpty }
        #expect(home.files(under: "inbox").isEmpty)
    }

    /// A body of `size` bytes in chunks of 500, as a client that does not know its length sends it
    /// (without the closing chunk: the server must answer before the body ends).
    static func chunked(_ size: Int) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<(size / 500) { out += Array("1f4\r\n".utf8) + [UInt8](repeating: 66, count: 500) + Array("\r\n".utf8) }
        return out
    }

    @Test func anUploadThatDiesHalfWayLeavesNothingInTheInbox() async throws {
        let home = try home()
        let server = try await RunningServer.start(home: home.home)
        let a = try server.key(.seller, seller: "magaza-a")
        let body = Self.hbFile + [UInt8](repeating: 10, count: 100_000)
        var upload: HTTPConnection? = try HTTPConnection(port: server.port)
        #expect(upload?.send(HTTPConnection.head("PUT", "/v1/inbox/magaza-a/cut.csv", key: a, headers: [:], length: body.count)
                                + body.prefix(50_000)) == true)
        // The upload is being received: half of it is in a temporary file of the seller's folder.
        #expect(waitUntil(timeout: 5) {
            server.server.uploadsInFlight == 1 && home.files(under: "inbox/magaza-a").contains { $0.hasSuffix(".part") }
        })
        upload = nil // the client dies
        #expect(upload == nil)
        #expect(waitUntil(timeout: 5) { home.files(under: "inbox").isEmpty && server.server.uploadsInFlight == 0 })
        #expect(try home.scalar("SELECT count(*) FROM is_kuyrugu") == 0)
    }

    @Test func aWebhookBodyBecomesAFileOfTheKeysSeller() async throws {
        let home = try home()
        let server = try await RunningServer.start(home: home.home)
        let b = try server.key(.seller, seller: "magaza-b")
        let body = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.path("platforms/trendyol-api-packages.json"))))
        let reply = try #require(try await server.request("POST", "/webhook/trendyol-api", key: b, headers: ["Content-Type": "application/json"],
                                                    body: body))
        #expect(reply.status == 202)
        let file = try #require(reply.json["file"] as? String)
        #expect(file.hasPrefix("inbox/magaza-b/trendyol-api-") && file.hasSuffix("-\(SHA256Digest.hex(of: body).prefix(12)).json"))
        #expect(try await server.finishedJob(reply.json["job"], key: b)["status"] as? String == "ingested")
        #expect(try home.texts("SELECT DISTINCT k.kod FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id") == ["magaza-b"])
    }

    @Test func metricsAgreeWithTheDatabase() async throws {
        let home = try home()
        let server = try await RunningServer.start(home: home.home)
        let a = try server.key(.seller, seller: "magaza-a"), op = try server.key(.operator)
        let up = try #require(try await server.request("PUT", "/v1/inbox/magaza-a/orders.csv", key: a, body: Self.hbFile))
        _ = try await server.finishedJob(up.json["job"], key: a)
        try home.drop("failed/old.csv", Data("x".utf8))
        let text = try #require(try await server.request("GET", "/metrics", key: op)).text
        #expect(text.contains("praingest_files_total{seller=\"magaza-a\",mapping=\"hepsiburada\",outcome=\"ingested\"} 1"))
        #expect(text.contains("praingest_records_total{seller=\"magaza-a\",platform=\"Hepsiburada\",outcome=\"landed\"} 3"))
        #expect(text.contains("praingest_queue_files{state=\"pending\"} 0"))
        #expect(text.contains("praingest_failed_files 1"))
        #expect(text.contains("praingest_ingest_duration_seconds_count 1"))
        #expect(text.contains("praingest_http_requests_total{route=\"/v1/inbox/{seller}/{filename}\",code=\"202\"} 1"))
        #expect(text.contains("praingest_mappings_usable \(home.ingestor.registry.mappings.count)"))
        #expect(!text.contains("SKU-"), "customer data in metrics")
    }

    @Test func healthFollowsTheWatcherAndTheShutdown() async throws {
        let home = try home()
        let server = try await RunningServer.start(home: home.home)
        #expect(try await server.request("GET", "/health/live")?.status == 200)
        #expect(try await server.request("GET", "/health/ready")?.status == 200)
        let a = try server.key(.seller, seller: "magaza-a")
        server.beginStopping()
        let ready = try #require(try await server.request("GET", "/health/ready"))
        #expect(ready.status == 503)
        #expect((ready.json["failing"] as? [String: String])?["shutdown"] != nil)
        #expect(try await server.request("PUT", "/v1/inbox/magaza-a/late.csv", key: a, body: Self.hbFile)?.status == 503)
    }

    @Test func theRateLimitAnswers429WithRetryAfter() async throws {
        let home = try home("http:\n  rate_limit: { per_second: 1, burst: 3 }\n")
        let server = try await RunningServer.start(home: home.home)
        let a = try server.key(.seller, seller: "magaza-a")
        var codes: [Int?] = []
        for _ in 0..<5 { codes.append(try await server.request("GET", "/v1/status", key: a)?.status) }
        #expect(codes == [200, 200, 200, 429, 429])
        #expect(try await server.request("GET", "/v1/status", key: a)?.headers["retry-after"] == "1")
        // Bad keys from one address: audited while within the rate, then 429 without a row each;
        // a valid key from the same address is not held up by them.
        var bad: [Int?] = []
        for i in 0..<5 { bad.append(try await server.request("GET", "/v1/status", key: "pra_wrong\(i)")?.status) }
        #expect(bad == [401, 401, 401, 429, 429])
        #expect(try home.scalar("SELECT count(*) FROM sistem_log WHERE mesaj LIKE '%unknown or revoked key%'") == 3)
        let b = try server.key(.seller, seller: "magaza-b")
        #expect(try await server.request("GET", "/v1/status", key: b)?.status == 200)
    }

    @Test func theStatusPageShowsTheOperatorEverythingAndASellerOnlyItsOwn() async throws {
        let home = try home()
        let server = try await RunningServer.start(home: home.home)
        let a = try server.key(.seller, seller: "magaza-a"), b = try server.key(.seller, seller: "magaza-b")
        let op = try server.key(.operator)
        _ = try await server.finishedJob(try await server.request("PUT", "/v1/inbox/magaza-a/a.csv", key: a, body: Self.hbFile)?.json["job"], key: a)
        let page = try #require(try await server.request("GET", "/", key: op))
        #expect(page.status == 200)
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.text.contains("All good: nothing needs you"))
        #expect(page.text.contains("<td>magaza-a</td><td>Hepsiburada</td><td>3</td>"))
        // The best sellers with their forecast, as small inline charts.
        #expect(page.text.contains("Best sellers and their next four weeks"))
        #expect(page.text.contains("<figure class=chart><figcaption><b>magaza-a · "))
        #expect(page.text.contains("<svg viewBox='0 0 300 80'"))
        let mine = try #require(try await server.request("GET", "/", key: a)).text
        #expect(mine.contains("Your best sellers and their next four weeks") && mine.contains("<polyline"))
        let theirs = try #require(try await server.request("GET", "/", key: b)).text
        #expect(theirs.contains("Seller <b>magaza-b</b>") && !theirs.contains("magaza-a") && !theirs.contains("<svg"))
    }
}
