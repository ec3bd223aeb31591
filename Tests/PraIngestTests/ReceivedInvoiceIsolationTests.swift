import Foundation
import OrderCore
@testable import PraIngest
import Testing

/// Received invoices can only be the seller's own, and one file's invoices never change another
/// invoice's row or kept copy (issue 19's probe, docs/security.md "Seller isolation").
@Suite struct ReceivedInvoiceIsolationTests {
    /// The fixture invoice QNB2026000000104 (order 208000005, 75,50 TL, from VKN 1234567890), edited.
    static func invoice(ettn: String = "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104", number: String = "QNB2026000000104",
                        order: String = "208000005", supplier: String = "1234567890", amount: String = "75.50",
                        buyer: String = "<cbc:ID schemeID=\"TCKN\">11111111111</cbc:ID>", padding: String = "") throws -> String {
        try String(contentsOfFile: Fixture.path("inbox/QNB2026000000104.xml"), encoding: .utf8)
            .replacingOccurrences(of: "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104", with: ettn)
            .replacingOccurrences(of: "QNB2026000000104", with: number)
            .replacingOccurrences(of: "<cbc:ID>208000005</cbc:ID>", with: "<cbc:ID>\(order)</cbc:ID>")
            .replacingOccurrences(of: "<cbc:ID schemeID=\"VKN\">1234567890</cbc:ID>", with: "<cbc:ID schemeID=\"VKN\">\(supplier)</cbc:ID>")
            .replacingOccurrences(of: "75.50", with: amount)
            .replacingOccurrences(of: "<cbc:ID schemeID=\"TCKN\">11111111111</cbc:ID>", with: buyer)
            + padding
    }

    static func home() throws -> TestHome {
        let home = try TestHome()
        home.ingestor.sellerTaxIDs = ["demo": "1234567890", "other": "4567890128"]
        _ = home.ingest("inbox/n11-orders.xml")
        return home
    }

    /// A zip of `entries` (name, text), deflated, written by Python's zipfile as providers' tools write them.
    static func zip(_ entries: [(String, String)], in home: TestHome, name: String) throws -> String {
        let path = home.root.appendingPathComponent(name).path
        let script = """
            import json, sys, zipfile, warnings
            warnings.simplefilter("ignore")
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                for n, t in json.load(sys.stdin):
                    z.writestr(n, t)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path]
        let input = Pipe()
        p.standardInput = input
        try p.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: entries.map { [$0.0, $0.1] }))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return path
    }

    func copy(_ home: TestHome, _ ettn: String) -> String? {
        try? String(contentsOf: home.root.appendingPathComponent("invoices/demo/\(ettn).xml"), encoding: .utf8)
    }

    @Test func anETTNThatIsNotAUUIDRejectsItsInvoice() throws {
        let home = try Self.home()
        for (i, ettn) in ["ZZZZ-QQQQ", "YYYY-WWWW"].enumerated() {
            let report = try home.ingest(named: "bad-\(i).xml", bytes: Array(try Self.invoice(ettn: ettn).utf8))
            #expect(report.status == .failed)
            #expect(report.rejected.first?.description.contains("is not a UUID") == true)
        }
        #expect(try home.scalar("SELECT count(*) FROM gelen_faturalar") == 0)
        #expect(home.files(under: "invoices").isEmpty)
    }

    @Test func aSecondInvoiceWithAStoredETTNIsRefusedNamingBothAndTheFirstStays() throws {
        let home = try Self.home()
        let first = home.ingest("inbox/QNB2026000000104.xml")
        #expect(first.invoices?.attached == 1)
        let kept = try #require(copy(home, "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104"))
        // Another invoice (another number, order and amount) under the same ETTN.
        let other = try Self.invoice(number: "QNB2026000000999", order: "208000001", amount: "118.00")
        let report = try home.ingest(named: "other.xml", bytes: Array(other.utf8))
        #expect(report.status == .failed)
        let message = try #require(report.rejected.first?.description)
        #expect(message.contains("QNB2026000000999 is refused"))
        #expect(message.contains("already invoice QNB2026000000104 (from QNB2026000000104.xml)"))
        #expect(try home.texts("""
            SELECT g.fatura_no || ' ' || s.siparis_numarasi FROM gelen_faturalar g JOIN siparisler s ON s.id = g.siparis_id
            """) == ["QNB2026000000104 208000005"])
        #expect(copy(home, "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104") == kept)
        // The same invoice again is no conflict.
        #expect(home.ingest("inbox/QNB2026000000104.xml").status != .failed)
    }

    @Test func anInvoiceOfAnotherTaxpayerIsRefused() throws {
        let home = try Self.home()
        let foreign = try Self.invoice(ettn: "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0999", supplier: "4567890128")
        let report = try home.ingest(named: "foreign.xml", bytes: Array(foreign.utf8))
        #expect(report.status == .failed)
        #expect(report.rejected.first?.description.contains("issued by 4567890128, not by the seller (1234567890)") == true)
        #expect(try home.scalar("SELECT count(*) FROM gelen_faturalar") == 0)
        #expect(home.files(under: "invoices").isEmpty)
        // The same document is seller other's own.
        let theirs = home.ingestor.ingest(path: home.root.appendingPathComponent("foreign.xml").path, seller: "other")
        #expect(theirs.invoices?.waiting == 1)
        #expect(home.exists("invoices/other/0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0999.xml"))
    }

    @Test func anInvoiceNamingAnOrderNotYetHereWaitsForItAndIsNeverGuessedOntoAnother() throws {
        let home = try Self.home()
        // Order 208000002's buyer and amount, but it names order 208000077.
        let text = try Self.invoice(ettn: "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0777", order: "208000077", amount: "236.00",
                                    buyer: "<cbc:ID schemeID=\"TCKN\">10000000146</cbc:ID>")
        let report = try home.ingest(named: "early.xml", bytes: Array(text.utf8))
        #expect(report.invoices?.waiting == 1)
        #expect(report.invoices?.guessed == 0)
        #expect(try home.texts("SELECT coalesce(CAST(siparis_id AS TEXT), '-') || ' ' || aciklama FROM gelen_faturalar")
                    == ["- order 208000077 of the seller has not arrived yet"])
        let orders = try String(contentsOfFile: Fixture.path("inbox/n11-orders.xml"), encoding: .utf8)
            .replacingOccurrences(of: "208000002", with: "208000077") // the same buyer and amount
        let later = try home.ingest(named: "n11-more.xml", bytes: Array(orders.utf8))
        #expect(later.waitingApplied.invoices == 1)
        #expect(try home.texts("""
            SELECT s.siparis_numarasi FROM gelen_faturalar g JOIN siparisler s ON s.id = g.siparis_id
            """) == ["208000077"])
    }

    @Test func aZipWithTwoEntriesOfOneNameFailsAndKeepsNothing() throws {
        let home = try Self.home()
        let a = try Self.invoice(ettn: "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0201")
        let b = try Self.invoice(ettn: "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0202", number: "QNB2026000000202")
        let path = try Self.zip([("fatura.xml", a), ("fatura.xml", b)], in: home, name: "twice.zip")
        let report = home.ingestor.ingest(path: path, seller: "demo")
        #expect(report.status == .failed)
        #expect(report.error?.message.contains("two files named fatura.xml") == true)
        #expect(home.files(under: "invoices").isEmpty)
    }

    @Test func aFileThatFailsLeavesNoCopyAndChangesNoEarlierOne() throws {
        let home = try Self.home()
        _ = home.ingest("inbox/QNB2026000000104.xml")
        let kept = try #require(copy(home, "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104"))
        let good = try Self.invoice(ettn: "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0301", number: "QNB2026000000301", order: "208000001",
                                    amount: "118.00")
        let path = try Self.zip([("1.xml", good), ("2.xml", "<Invoice><cbc:ID>cut sh")], in: home, name: "broken.zip")
        let report = home.ingestor.ingest(path: path, seller: "demo")
        #expect(report.status == .failed)
        #expect(try home.scalar("SELECT count(*) FROM gelen_faturalar") == 1)
        #expect(home.files(under: "invoices") == ["demo/0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104.xml"])
        #expect(copy(home, "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104") == kept)
    }

    @Test func aCopyIsTheInvoicesOwnDocumentStreamedAndBounded() throws {
        let home = try Self.home()
        home.ingestor.limits.maxInvoiceBytes = 64 << 10
        // 200 KB of comment after the invoice: the document passes the reader, but is too large to keep.
        let padded = try Self.invoice(ettn: "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0401", padding: "<!--" + String(repeating: "x", count: 200_000) + "-->\n")
        let path = try Self.zip([("big.xml", padded), ("small.xml", try Self.invoice(ettn: "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0402",
                                                                                      number: "QNB2026000000402", order: "208000001",
                                                                                      amount: "118.00"))],
                                in: home, name: "mixed.zip")
        let report = home.ingestor.ingest(path: path, seller: "demo")
        #expect(report.status == .partial)
        #expect(report.rejected.first?.description.contains("larger than 65536 bytes (limits.max_invoice_bytes") == true)
        #expect(home.files(under: "invoices") == ["demo/0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0402.xml"])
        let small = try #require(copy(home, "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0402"))
        #expect(small.hasPrefix("<?xml") && small.contains("QNB2026000000402") && !small.contains("QNB2026000000104"))
    }

    @Test func aStagedCopyOfACommittedFileIsPutInPlaceAtTheNextStartAndAnyOtherRemoved() throws {
        let home = try Self.home()
        _ = home.ingest("inbox/QNB2026000000104.xml")
        let folder = home.root.appendingPathComponent("invoices/demo")
        let final = folder.appendingPathComponent("0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104.xml")
        let bytes = try Data(contentsOf: final)
        // As a kill between the commit and the rename leaves it (pid 2^22 + 1 runs nowhere).
        try FileManager.default.removeItem(at: final)
        try bytes.write(to: folder.appendingPathComponent(".0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104.xml.staged-4194305"))
        try bytes.write(to: folder.appendingPathComponent(".0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0999.xml.staged-4194305"))
        InvoiceCopies.recover(root: home.root.appendingPathComponent("invoices"), store: home.ingestor.store)
        #expect(home.files(under: "invoices") == ["demo/0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104.xml"])
        #expect(try Data(contentsOf: final) == bytes)
    }
}
