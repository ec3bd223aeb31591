import Foundation
import OrderCore
@testable import OrderStore
@testable import PraIngest
import Testing

/// UBL-TR invoices from ingested orders: golden bytes, official validation, numbering.
@Suite struct InvoiceExportTests {
    @Test func invoicesOfRealFixturesMatchGoldenFilesAndPassGIBsXSDAndSchematron() throws {
        let home = try ExportHome()
        _ = home.base.ingest("trendyol/tum-siparisler.xlsx")
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        let report = try home.exporter.run(.ubl)
        #expect(report.invoices == (1...5).map { "outbox/ubl/PRA202600000000\($0).xml" })
        let paths = try home.files("outbox/ubl").map { home.path("outbox/ubl/\($0)") }
        try UBLValidation.expectValid(paths)
        for name in try home.files("outbox/ubl") {
            try expectGolden(String(contentsOfFile: home.path("outbox/ubl/\(name)"), encoding: .utf8), "ubl/\(name)")
        }
        // Recorded once per order, with the outbox path.
        #expect(try home.base.scalar("SELECT count(*) FROM siparis_dosyalari WHERE dosya_turu = 'fatura'") == 5)
        #expect(try home.base.texts("SELECT dosya_url FROM siparis_dosyalari ORDER BY id").first == "outbox/ubl/PRA2026000000001.xml")
    }

    @Test func withoutAUserListACompanyGetsAnEArsivWithItsVKNAndAConsumerTheAnonymousTCKN() throws {
        let home = try ExportHome()
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        _ = try home.exporter.run(.ubl)
        let corporate = try String(contentsOfFile: home.path("outbox/ubl/PRA2026000000001.xml"), encoding: .utf8)
        #expect(corporate.contains("<cbc:ProfileID>EARSIVFATURA</cbc:ProfileID>"))
        #expect(corporate.contains("<cbc:ID schemeID=\"VKN\">4567890128</cbc:ID>"))
        #expect(corporate.contains("<cbc:Name>Ali &amp; Veli Ltd.</cbc:Name>"))
        let consumer = try String(contentsOfFile: home.path("outbox/ubl/PRA2026000000002.xml"), encoding: .utf8)
        #expect(consumer.contains("<cbc:ProfileID>EARSIVFATURA</cbc:ProfileID>"))
        #expect(consumer.contains("<cbc:ID schemeID=\"TCKN\">11111111111</cbc:ID>"))
    }

    @Test func totalsReconcileToTheKurusWithTheOrder() throws {
        let home = try ExportHome()
        _ = home.base.ingest("trendyol/Tedarikci_Siparisleri_cp1254.csv")
        _ = try home.exporter.run(.ubl)
        let xml = try String(contentsOfFile: home.path("outbox/ubl/PRA2026000000001.xml"), encoding: .utf8)
        // Order 800001: 2.400,00 + 1.399,90 = 3.799,90 with KDV; bases 2.000,00 + 1.166,58; KDV 633,32.
        #expect(xml.contains("<cbc:PayableAmount currencyID=\"TRY\">3799.90</cbc:PayableAmount>"))
        #expect(xml.contains("<cbc:TaxExclusiveAmount currencyID=\"TRY\">3166.58</cbc:TaxExclusiveAmount>"))
        #expect(xml.contains("<cbc:TaxAmount currencyID=\"TRY\">633.32</cbc:TaxAmount>"))
        #expect(xml.contains("<cbc:Note>Yalnız Üç Bin Yedi Yüz Doksan Dokuz TL Doksan Kr</cbc:Note>"))
        #expect(try home.base.scalar("SELECT toplam_tutar FROM siparisler WHERE siparis_numarasi = '800001'") == 379_990)
    }

    @Test func anOrderIsNeverInvoicedTwice() throws {
        let home = try ExportHome()
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        #expect(try home.exporter.run(.ubl).invoices.count == 2)
        #expect(try home.exporter.run(.ubl).invoices.isEmpty)
        home.restart()
        #expect(try home.exporter.run(.ubl).invoices.isEmpty)
        #expect(try home.base.scalar("SELECT count(*) FROM faturalar") == 2)
    }

    @Test func numbersStayGaplessWhenTheProcessDiesBetweenNumberingAndWriting() throws {
        let home = try ExportHome()
        _ = home.base.ingest("trendyol/tum-siparisler.xlsx")
        // Number the first order's invoice the way the exporter does, then "die" before writing it.
        let ledger = InvoiceLedgerProbe(home)
        let entry = try ledger.numberFirstWaitingOrder()
        #expect(entry == "PRA2026000000001")
        #expect(!FileManager.default.fileExists(atPath: home.path("outbox/ubl/PRA2026000000001.xml")))
        home.restart()
        let report = try home.exporter.run(.ubl)
        #expect(report.invoices == ["outbox/ubl/PRA2026000000001.xml", "outbox/ubl/PRA2026000000002.xml",
                                    "outbox/ubl/PRA2026000000003.xml"])
        #expect(try home.base.texts("SELECT durum FROM faturalar ORDER BY fatura_no") == ["yazildi", "yazildi", "yazildi"])
        #expect(try home.base.scalar("SELECT count(DISTINCT ettn) FROM faturalar") == 3)
        try UBLValidation.expectValid(try home.files("outbox/ubl").map { home.path("outbox/ubl/\($0)") })
    }

    /// A run writes one seller's files while it builds the next seller's: a write that fails is
    /// reported for the seller whose files they were, whether it fails during the next seller's
    /// turn (`demo`, first) or at the end of the run (`ikinci`, last), and stops no other seller.
    /// Its invoices stay numbered; the next run writes them under the same numbers.
    @Test(arguments: ["demo", "ikinci"])
    func aFailedWriteStopsOnlyItsOwnSellersInvoices(blocked: String) throws {
        let home = try ExportHome(configText: ExportHome.config.replacingOccurrences(of: "sellers:\n", with: """
            sellers:
              ikinci:
                name: İkinci Mağaza Ltd. Şti.
                tax_id: "4567890128"
                tax_office: Beşiktaş
                invoice_prefix: IKI
                address: { district: Beşiktaş, city: İstanbul }

            """))
        #expect(home.base.ingest("n11/DetailedOrderList.xml", seller: "demo").ordersInserted == 2)
        #expect(home.base.ingest("n11/DetailedOrderList.xml", seller: "ikinci").ordersInserted == 2)
        let prefix = blocked == "demo" ? "PRA" : "IKI", other = blocked == "demo" ? "IKI" : "PRA"
        // A folder where the seller's first invoice goes: its file cannot be renamed into place.
        let obstacle = home.path("outbox/ubl/\(prefix)2026000000001.xml")
        try FileManager.default.createDirectory(atPath: obstacle, withIntermediateDirectories: true)

        let first = try home.exporter.run(.ubl)
        #expect(first.failures.count == 1)
        #expect(first.failures.first?.hasPrefix("seller \(blocked): invoices stopped: ") == true, "\(first.failures)")
        // It names the file and why, so whoever reads the log knows what to clear.
        #expect(first.failures.first?.hasSuffix("outbox/ubl/\(prefix)2026000000001.xml: cannot put in place: Is a directory") == true,
                "\(first.failures)")
        #expect(first.invoices == ["outbox/ubl/\(other)2026000000001.xml", "outbox/ubl/\(other)2026000000002.xml"])
        func states(_ seller: String) throws -> [String] {
            try home.base.texts("""
                SELECT f.durum FROM faturalar f JOIN kullanicilar k ON k.id = f.kullanici_id WHERE k.kod = '\(seller)' ORDER BY f.fatura_no
                """)
        }
        #expect(try states(blocked) == ["numaralandi", "numaralandi"])
        #expect(try states(blocked == "demo" ? "ikinci" : "demo") == ["yazildi", "yazildi"])

        try FileManager.default.removeItem(atPath: obstacle)
        let second = try home.exporter.run(.ubl)
        #expect(second.failures.isEmpty, "\(second.failures)")
        #expect(second.invoices == ["outbox/ubl/\(prefix)2026000000001.xml", "outbox/ubl/\(prefix)2026000000002.xml"])
        #expect(try home.base.scalar("SELECT count(*) FROM faturalar WHERE durum = 'yazildi'") == 4)
        try UBLValidation.expectValid(try home.files("outbox/ubl").map { home.path("outbox/ubl/\($0)") })
    }

    @Test func reissueWritesTheCorrectedInvoiceUnderTheSameNumber() throws {
        let home = try ExportHome()
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        _ = try home.exporter.run(.ubl)
        try home.base.ingestor.store.db.execute("UPDATE siparisler SET musteri_adi = 'Ali & Veli A.Ş.' WHERE siparis_numarasi = '205000001'")
        #expect(try home.exporter.reissue(seller: "demo", orderNumber: "205000001") == "outbox/ubl/PRA2026000000001.xml")
        let xml = try String(contentsOfFile: home.path("outbox/ubl/PRA2026000000001.xml"), encoding: .utf8)
        #expect(xml.contains("Ali &amp; Veli A.Ş."))
        #expect(try home.base.scalar("SELECT count(*) FROM faturalar") == 2)
    }

    @Test func ordersInAnotherCurrencyWaitForTheirRateAndSaySo() throws {
        let home = try ExportHome()
        _ = home.base.ingest("shopify_orders_export.csv")
        let report = try home.exporter.run(.ubl)
        #expect(report.invoices.isEmpty)
        #expect(report.warnings.count == 19)
        #expect(report.warnings.allSatisfy { $0.contains("waiting for TCMB's döviz alış rate of EUR of 20") })
        let held = try StatusReport.read(home: home.base.home).heldInvoices
        #expect(held.count == 19 && held.allSatisfy { $0.reason.contains("no rate of EUR from before") })
    }

    @Test func aSellerWithoutAProfileGetsAWarningNotInvoices() throws {
        let home = try ExportHome(configText: "default_seller: demo\ninvoicing: { issue_at: landed }\n")
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        let report = try home.exporter.run()
        #expect(report.invoices.isEmpty)
        #expect(report.warnings.first?.hasPrefix("seller demo: 2 orders not invoiced: no invoice profile") == true)
    }

    @Test(arguments: ["Sipariş & Co <x>", "\"Tırnak\" 'tek'"])
    func specialCharactersInNamesNeverBreakTheXML(name: String) throws {
        let home = try ExportHome()
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        try home.base.ingestor.store.db.execute("UPDATE urunler SET ad = ad")
        let escaped = name.replacingOccurrences(of: "'", with: "''")
        try home.base.ingestor.store.db.execute("UPDATE siparis_urunleri SET urun_adi = '\(escaped)'; UPDATE siparisler SET musteri_adi = '\(escaped)'")
        _ = try home.exporter.run(.ubl)
        try UBLValidation.expectValid(try home.files("outbox/ubl").map { home.path("outbox/ubl/\($0)") })
    }
}

/// Runs only the exporter's first step (numbering), as a process killed before writing would.
struct InvoiceLedgerProbe {
    let home: ExportHome
    init(_ home: ExportHome) { self.home = home }

    func numberFirstWaitingOrder() throws -> String {
        let store = home.base.ingestor.store
        let ledger = InvoiceLedger(store: store)
        let waiting = try ledger.ordersAwaitingInvoice(ExportFilter(seller: "demo", excludedStatuses: ["iptal", "iade"]), limit: 1)
        let sellerID = try store.seller(code: "demo", now: "")
        var report = Exporter.Report()
        _ = try home.exporter.issue(waiting, sellerID: sellerID, settings: home.config.sellers["demo"]!,
                                    profile: home.config.sellers["demo"]!.profile!, ledger: ledger, report: &report)
        return try ledger.numberedButUnwritten(seller: "demo").map(\.number).joined(separator: ",")
    }
}
