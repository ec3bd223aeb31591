import Foundation
import OrderCore
@testable import OrderStore
@testable import PraIngest
import Testing

/// Invoices an e-invoice provider sent back attach to their orders (fixtures:
/// `Tests/Fixtures/inbox/`, from `generate_inbox.py`).
@Suite struct ReceivedInvoiceTests {
    /// A test home whose seller `demo` is the supplier of the fixtures' invoices (VKN 1234567890).
    func home() throws -> TestHome {
        let home = try TestHome()
        home.ingestor.sellerTaxIDs = ["demo": "1234567890"]
        return home
    }

    /// Invoice number → "order eslesme durum".
    func received(_ home: TestHome) throws -> [String: String] {
        let rows = try home.ingestor.store.db.prepare("""
            SELECT g.fatura_no, coalesce(s.siparis_numarasi, '-') || ' ' || g.eslesme || ' ' || g.durum
            FROM gelen_faturalar g LEFT JOIN siparisler s ON s.id = g.siparis_id
            """).rows { ($0.text(0) ?? "", $0.text(1) ?? "") }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    @Test func aProvidersZipOfInvoicesAttachesEachToItsOrder() throws {
        let home = try home()
        _ = home.ingest("inbox/n11-orders.xml")
        let report = home.ingest("inbox/efatura-paket.zip")
        #expect(report.mapping == "ubl-tr-invoices")
        #expect(report.status == .partial) // the one whose amount differs is flagged
        #expect(report.invoices?.attached == 2)
        #expect(report.invoices?.guessed == 1)
        #expect(report.invoices?.mismatched == 1)
        // The line where the invoice's `<Invoice` tag begins (its namespaces run on to line 5).
        #expect(report.warnings.map(\.description) == [
            "line 2, order 208000003: warning: invoice QNB2026000000103 is for order 208000003, but the invoice's payable "
                + "amount 69,90 differs from the order total 59,90 by 10,00; it is kept and not attached",
        ])
        let r = try received(home)
        #expect(r["QNB2026000000101"] == "208000001 siparis_no eslesti")
        #expect(r["QNB2026000000102"] == "208000002 tahmin eslesti")
        #expect(r["QNB2026000000103"] == "208000003 siparis_no tutar_farkli")
        // Each invoice is kept as its own file and recorded with its order.
        #expect(try home.texts("""
            SELECT s.siparis_numarasi || ' ' || d.dosya_turu || ' ' || d.dosya_url FROM siparis_dosyalari d
            JOIN siparisler s ON s.id = d.siparis_id ORDER BY s.siparis_numarasi
            """) == [
                "208000001 fatura_saglayici invoices/demo/0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0101.xml",
                "208000002 fatura_saglayici invoices/demo/0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0102.xml",
            ])
        let copy = try String(contentsOf: home.root.appendingPathComponent("invoices/demo/0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0101.xml"),
                              encoding: .utf8)
        #expect(copy.contains("<cbc:ID>QNB2026000000101</cbc:ID>") && copy.contains("EmbeddedDocumentBinaryObject"))
        // Written through a temporary name that does not stay behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.root.appendingPathComponent("invoices/demo").path)
            .filter { $0.hasPrefix(".") }.isEmpty)
        #expect(try home.texts("SELECT odenecek_tutar || ' ' || vergi_haric_tutar || ' ' || kdv_tutari FROM gelen_faturalar "
                               + "WHERE fatura_no = 'QNB2026000000101'") == ["11800 9833 1967"])
    }

    @Test func anInvoiceBeforeItsOrderWaitsAndAttachesWhenTheOrderArrives() throws {
        let home = try home()
        let early = home.ingest("inbox/QNB2026000000104.xml")
        #expect(early.invoices?.waiting == 1)
        #expect(try received(home)["QNB2026000000104"] == "- yok eslesmedi")
        let orders = home.ingest("inbox/n11-orders.xml")
        #expect(orders.waitingApplied.invoices == 1)
        #expect(try received(home)["QNB2026000000104"] == "208000005 siparis_no eslesti")
        // Sent again: one invoice still, one file record.
        _ = try home.ingest(named: "again.xml", bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.path("inbox/QNB2026000000104.xml")))))
        #expect(try home.scalar("SELECT count(*) FROM gelen_faturalar") == 1)
        #expect(try home.scalar("SELECT count(*) FROM siparis_dosyalari WHERE dosya_turu = 'fatura_saglayici'") == 1)
    }

    @Test func theBuyersIadeInvoiceClosesTheActionThatExpectedIt() throws {
        let home = try ExportHome(configText: InvoiceProfileTests.config)
        _ = home.base.ingestReference("invoices/userlist.zip")
        _ = home.base.ingest("inbox/n11-orders.xml")
        _ = try home.exporter.run(.ubl)
        // 208000001's buyer is an e-Fatura user: returned after delivery, it owes us an İADE invoice.
        let number = try #require(try home.base.texts("""
            SELECT f.fatura_no FROM faturalar f JOIN siparisler s ON s.id = f.siparis_id WHERE s.siparis_numarasi = '208000001'
            """).first)
        _ = home.base.ingest("inbox/yurtici-rapor-1.csv")
        _ = home.base.ingest("inbox/yurtici-rapor-2.csv")
        let back = try String(contentsOfFile: Fixture.path("inbox/yurtici-rapor-2.csv"), encoding: .utf8)
            .replacingOccurrences(of: "PK208000004;208000004", with: "PK208000001;208000001")
            .replacingOccurrences(of: "725100000004;", with: "725100000001;")
        _ = try home.base.ingest(named: "yurtici-iade.csv", bytes: Array(back.utf8))
        // 208000004 (an e-Arşiv buyer, delivered, then sent back) needs a gider pusulası instead.
        #expect(try home.base.texts("SELECT aksiyon || ' ' || durum FROM fatura_aksiyonlari ORDER BY id")
                == ["gider_pusulasi acik", "alici_iade_faturasi acik"])
        let iade = try String(contentsOfFile: Fixture.path("inbox/QNB2026000000104.xml"), encoding: .utf8)
            .replacingOccurrences(of: "<cbc:InvoiceTypeCode>SATIS</cbc:InvoiceTypeCode>", with: "<cbc:InvoiceTypeCode>IADE</cbc:InvoiceTypeCode>")
            .replacingOccurrences(of: "<cac:OrderReference><cbc:ID>208000005</cbc:ID><cbc:IssueDate>2026-11-20</cbc:IssueDate></cac:OrderReference>",
                                  with: "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>\(number)</cbc:ID>"
                                    + "<cbc:IssueDate>2026-11-23</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>")
            .replacingOccurrences(of: "75.50", with: "118.00")
            // The buyer issues it, to the seller.
            .replacingOccurrences(of: "<cbc:ID schemeID=\"VKN\">1234567890</cbc:ID>", with: "<cbc:ID schemeID=\"VKN\">4567890128</cbc:ID>")
            .replacingOccurrences(of: "<cbc:ID schemeID=\"TCKN\">11111111111</cbc:ID>", with: "<cbc:ID schemeID=\"VKN\">1234567890</cbc:ID>")
        let report = try home.base.ingest(named: "iade.xml", bytes: Array(iade.utf8))
        #expect(report.invoices?.returns == 1)
        #expect(try home.base.texts("SELECT aksiyon || ' ' || durum FROM fatura_aksiyonlari ORDER BY id")
                == ["gider_pusulasi acik", "alici_iade_faturasi tamamlandi"])
        #expect(try home.base.texts("SELECT aciklama FROM gelen_faturalar WHERE tip = 'IADE'")
                == ["closes the action expecting the buyer's İADE invoice (118,00)"])
    }
}
