import Foundation
import Logging
import OrderStore
@testable import PraIngest
import Testing

/// GİB's user list decides every seller's invoices: it comes only from the operator (`reference/`,
/// `ingest --reference`), is checked whole before it replaces the list in force, and never from a
/// seller's folder (issue 19's probe, docs/security.md "Seller isolation").
@Suite struct ReferenceDataTests {
    static let list = (try? String(contentsOfFile: Fixture.path("invoices/userlist.xml"), encoding: .utf8)) ?? ""

    /// One user registered for invoices since `created`.
    static func user(_ id: String, type: String = "OZEL", title: String = "Deneme A.Ş.",
                     created: String = "2015-03-27T16:13:26.000+03:00") -> String {
        "<User><Identifier>\(id)</Identifier><Title>\(title)</Title><Type>\(type)</Type><Documents><Document type=\"Invoice\">"
            + "<Alias><Name>urn:mail:defaultpk@x</Name><CreationTime>\(created)</CreationTime></Alias></Document></Documents></User>"
    }

    static func listText(_ users: [String]) -> [UInt8] {
        Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<UserList>" + users.joined(separator: "\n") + "</UserList>\n").utf8)
    }

    func activeUsers(_ home: TestHome) throws -> Int? { try UserListStore(store: home.ingestor.store).active()?.users }

    @Test func aUserListInASellersFolderIsRefusedAndTheOperatorsIsLoaded() throws {
        let home = try TestHome()
        #expect(home.ingestReference("invoices/userlist.xml").userListUsers == 5)
        let watcher = try Watcher(home: home.home, options: fastOptions(poll: true), logger: Logger(label: "test"))
        try home.drop("inbox/attacker/userlist.xml", Data(Self.listText([])))
        try home.drop("reference/userlist-new.xml", Data(Self.list.replacingOccurrences(of: "Kuzey Yazılım", with: "Kuzey Yazılım Yeni").utf8))
        #expect(try waitUntil(timeout: 5) { watcher.step(); return try home.jobs("pending") == 2 })
        var reports: [IngestReport] = []
        while let job = try watcher.queue.claim(now: "2026-11-23T00:00:00+00:00", leaseUntil: "2099-01-01T00:00:00+00:00") { reports.append(try #require(watcher.process(job))) }
        // The operator's list is taken first (it decides the invoices of files queued beside it).
        #expect(reports.map(\.status) == [.ingested, .failed])
        #expect(reports[0].summary == "userlist-new.xml: GİB e-Fatura user list, 5 users loaded (the list before had 5); "
                    + "invoices are now profiled by this list")
        #expect(reports[1].error?.message.contains("a GİB e-Fatura user list decides every seller's invoices, so a seller's folder cannot bring it") == true)
        #expect(try UserListStore(store: home.ingestor.store).active()?.file == "userlist-new.xml")
        #expect(try UserListStore(store: home.ingestor.store).registration(of: "4567890128", at: 1_795_400_000)?.registered == true)
        #expect(home.exists("failed/userlist.xml.error.txt"))
        #expect(home.files(under: "archive").contains { $0.hasSuffix("/userlist-new.xml") })
    }

    @Test(arguments: [
        ([user("4567890128", created: "27.03.2015")], "CreationTime '27.03.2015' is not a date"),
        ([user("45678901AB")], "the identifier '45678901AB' is not a VKN (10 digits) or TCKN (11 digits)"),
        ([user("12345678901234567890")], "is not a VKN (10 digits) or TCKN (11 digits)"),
        ([user("4567890128"), user("4567890128", type: "KAMU")], "4567890128 is listed more than once as both a public body"),
        ([user("4567890128", title: String(repeating: "Ş", count: 600))], "its Title is longer than 1024 bytes"),
    ])
    func aListThatDoesNotHoldIsRefusedWholeAndTheOneInForceStays(users: [String], message: String) throws {
        let home = try TestHome()
        _ = home.ingestReference("invoices/userlist.xml")
        let report = try home.ingestReference(named: "bad.xml", bytes: Self.listText(users + (0..<4).map { Self.user("300000000\($0)") }))
        #expect(report.status == .failed)
        #expect(report.error?.message.contains(message) == true, "\(String(describing: report.error))")
        #expect(try UserListStore(store: home.ingestor.store).active()?.file == "userlist.xml")
        #expect(try activeUsers(home) == 5)
    }

    @Test func anEmptyListOrOneLessThanHalfTheListInForceNeedsForce() throws {
        let home = try TestHome()
        _ = home.ingestReference("invoices/userlist.xml")
        let empty = try home.ingestReference(named: "empty.xml", bytes: Self.listText([]))
        #expect(empty.error?.message.contains("the list has 0 users, the one in force 5") == true)
        let two = try home.ingestReference(named: "two.xml", bytes: Self.listText([Self.user("4567890128"), Self.user("3000000003")]))
        #expect(two.status == .failed)
        #expect(try activeUsers(home) == 5)
        let forced = try home.ingestReference(named: "two.xml", bytes: Self.listText([Self.user("4567890128"), Self.user("3000000003")]),
                                              force: true)
        #expect(forced.status == .ingested)
        #expect(try activeUsers(home) == 2)
        // A first list may not be empty either.
        let fresh = try TestHome()
        #expect(try fresh.ingestReference(named: "empty.xml", bytes: Self.listText([])).status == .failed)
    }

    @Test func aFileInReferenceThatIsNotAUserListIsRefused() throws {
        let home = try TestHome()
        let report = home.ingestor.ingestReference(path: Fixture.path("n11/DetailedOrderList.xml"))
        #expect(report.status == .failed)
        #expect(report.error?.message.contains("reference/ takes reference data only") == true)
    }
}
