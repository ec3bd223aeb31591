import Foundation
@testable import PraIngest
import Testing

/// The status page in a real headless browser (Chromium from Debian, installed by `scripts/test`):
/// what it renders shows the numbers the database holds. A screenshot is kept as the test's
/// artefact in `.build/test-artifacts/status-page.png`.
@Suite(.serialized) struct StatusPageBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs headless Chromium with `arguments` on a thread of its own; its standard output.
    static func browse(_ arguments: [String]) async throws -> String {
        let binary = try #require(chromium, "Chromium is not installed (scripts/test installs it)")
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let profile = FileManager.default.temporaryDirectory.appendingPathComponent("pra-chromium-\(UUID())")
                    defer { try? FileManager.default.removeItem(at: profile) }
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: binary)
                    p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile.path]
                        + arguments
                    let out = Pipe()
                    p.standardOutput = out
                    p.standardError = FileHandle.nullDevice
                    try p.run()
                    let data = out.fileHandleForReading.readDataToEndOfFile()
                    p.waitUntilExit()
                    return String(decoding: data, as: UTF8.self)
                })
            }.start()
        }
    }

    @Test func theRenderedPageShowsWhatTheDatabaseHolds() async throws {
        let home = try TestHome()
        try Data(HTTPServerTests.roomyRate.utf8).write(to: home.home.configFile)
        let server = try await RunningServer.start(home: home.home)
        let a = try server.key(.seller, seller: "magaza-a"), op = try server.key(.operator)
        let up = try await server.request("PUT", "/v1/inbox/magaza-a/orders.csv", key: a, body: HTTPServerTests.hbFile)
        _ = try await server.finishedJob(up?.json["job"], key: a)
        try home.drop("failed/old.csv", Data("x".utf8))
        let url = "http://op:\(op)@127.0.0.1:\(server.port)/"
        let dom = try await Self.browse(["--dump-dom", url])
        let orders = try home.scalar("""
            SELECT count(*) FROM siparisler s JOIN kullanicilar k ON k.id = s.kullanici_id WHERE k.kod = 'magaza-a'
            """)
        #expect(orders == 3)
        #expect(dom.contains("<td>magaza-a</td><td>Hepsiburada</td><td>\(orders)</td>"), "\(dom.prefix(2_000))")
        #expect(dom.contains("Needs you: 1 file in failed/"))
        #expect(dom.contains("<span>1</span>failed files"))
        #expect(dom.contains("inbox/magaza-a/orders.csv"))
        // The best sellers' charts: history and forecast are sibling lines of the SVG (a tag left
        // open would nest the forecast inside the history, where nothing draws it).
        #expect(dom.contains("Best sellers and their next four weeks"))
        #expect(dom.contains("</polyline><polyline points=") && !dom.contains("</polyline></polyline>"))
        let artefacts = Fixture.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        let shot = artefacts.appendingPathComponent("status-page.png")
        try? FileManager.default.removeItem(at: shot)
        _ = try await Self.browse(["--window-size=1200,900", "--screenshot=\(shot.path)", url])
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000)
    }
}
