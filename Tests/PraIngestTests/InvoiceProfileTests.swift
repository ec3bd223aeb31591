import Foundation
import OrderCore
import OrderStore
@testable import PraIngest
import Testing

/// Invoices GİB and an accountant accept: the profile from GİB's user list, internet-sale data,
/// 0 % KDV, real identities, a series per document kind (fixtures: `Tests/Fixtures/invoices/`).
@Suite struct InvoiceProfileTests {
    static let config = """
        default_seller: demo
        invoicing: { issue_at: landed, zero_rate: { code: "351", reason: "İstisna Olmayan Diğer" } }
        sellers:
          demo:
            name: Demo Ticaret A.Ş.
            tax_id: "1234567890"
            tax_office: Kadıköy
            efatura_series: PRA
            earsiv_series: PRE
            mersis_no: "0123456789000017"
            registry_no: "123456"
            web_site: https://www.demoticaret.com.tr
            iban: TR400006100000000123456789
            default_carrier: Yurtiçi Kargo
            address: { street: "Moda Cad. No:1", district: Kadıköy, city: İstanbul, postal_code: "34710" }

        """

    /// The invoice of each order number, by reading every file written, without indentation.
    func invoicesByOrder(_ home: ExportHome) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try home.files("outbox/ubl") {
            // Compact (no indentation between tags), to match element sequences.
            let xml = try String(contentsOfFile: home.path("outbox/ubl/\(name)"), encoding: .utf8).replacing(/>\s+</, with: "><")
            let order = try #require(xml.firstMatch(of: /<cac:OrderReference><cbc:ID>([^<]+)</)?.1)
            out[String(order)] = xml
        }
        return out
    }

    @Test func eachBuyerGetsTheProfileGIBsUserListGivesItAndEveryInvoicePassesBothValidators() throws {
        let home = try ExportHome(configText: Self.config)
        let list = home.base.ingestReference("invoices/userlist.zip")
        #expect(list.status == .ingested)
        #expect(list.userListUsers == 5)
        #expect(list.summary == "userlist.zip: GİB e-Fatura user list, 5 users loaded; invoices are now profiled by this list")
        #expect(home.base.ingest("invoices/n11-buyers.xml").status == .ingested)
        let report = try home.exporter.run(.ubl)
        #expect(report.invoices.count == 9)
        #expect(report.warnings.contains { $0.contains("order 207000008 cannot be invoiced: the buyer's the VKN 1234567891 fails its check digit") })
        let invoices = try invoicesByOrder(home)
        func profile(_ order: String) -> String? {
            invoices[order]?.firstMatch(of: /<cbc:ProfileID>([A-Z]+)</)?.1.description
        }
        #expect(profile("207000001") == "TEMELFATURA")   // registered
        #expect(profile("207000002") == "EARSIVFATURA")  // not on the list
        #expect(profile("207000003") == "EARSIVFATURA")  // alias deleted before the issue date
        #expect(profile("207000004") == "EARSIVFATURA")  // consumer with a TCKN
        #expect(profile("207000005") == "EARSIVFATURA")  // anonymous consumer
        #expect(profile("207000006") == "KAMU")          // a public body
        #expect(profile("207000007") == "EARSIVFATURA")  // 0 % KDV
        #expect(profile("207000009") == "EARSIVFATURA")  // only an e-İrsaliye user
        #expect(profile("207000010") == "TEMELFATURA")   // registered again after a gap
        #expect(invoices["207000008"] == nil)
        // Unregistered companies keep their VKN on the e-Arşiv; persons their TCKN.
        #expect(invoices["207000002"]?.contains("<cbc:ID schemeID=\"VKN\">7000000007</cbc:ID>") == true)
        #expect(invoices["207000003"]?.contains("<cbc:ID schemeID=\"VKN\">2000000002</cbc:ID>") == true)
        #expect(invoices["207000004"]?.contains("<cbc:ID schemeID=\"TCKN\">10000000146</cbc:ID>") == true)
        #expect(invoices["207000005"]?.contains("<cbc:ID schemeID=\"TCKN\">11111111111</cbc:ID>") == true)
        // A series per document kind: e-Fatura PRA…, e-Arşiv PRE….
        #expect(invoices["207000001"]?.contains("<cbc:ID>PRA2026000000001</cbc:ID>") == true)
        #expect(invoices["207000002"]?.contains("<cbc:ID>PRE2026000000001</cbc:ID>") == true)
        // KAMU: the seller's IBAN.
        #expect(invoices["207000006"]?.contains("<cac:PayeeFinancialAccount><cbc:ID>TR400006100000000123456789</cbc:ID>") == true)
        // 0 % KDV: the exemption code and text, on a SATIS invoice (351 is no exemption proper).
        let zero = try #require(invoices["207000007"])
        #expect(zero.contains("<cbc:TaxExemptionReasonCode>351</cbc:TaxExemptionReasonCode><cbc:TaxExemptionReason>İstisna Olmayan Diğer</cbc:TaxExemptionReason>"))
        #expect(zero.contains("<cbc:InvoiceTypeCode>SATIS</cbc:InvoiceTypeCode>"))
        // Seller identity.
        for xml in invoices.values {
            #expect(xml.contains("<cbc:ID schemeID=\"MERSISNO\">0123456789000017</cbc:ID>"))
            #expect(xml.contains("<cbc:ID schemeID=\"TICARETSICILNO\">123456</cbc:ID>"))
        }
        try UBLValidation.expectValid(try home.files("outbox/ubl").map { home.path("outbox/ubl/\($0)") })
    }

    @Test func everyEArsivInvoiceCarriesTheInternetSaleData() throws {
        let home = try ExportHome(configText: Self.config)
        _ = home.base.ingest("invoices/n11-buyers.xml")
        _ = home.base.ingest("invoices/shopify-foreign.csv")
        _ = try home.exporter.run(.ubl)
        let invoices = try invoicesByOrder(home)
        #expect(invoices.count == 10)
        for (order, xml) in invoices where xml.contains("<cbc:ProfileID>EARSIVFATURA</cbc:ProfileID>") {
            #expect(xml.contains("<cac:PaymentMeans><cbc:PaymentMeansCode>"), "\(order)")
            #expect(xml.contains(/<cbc:PaymentDueDate>2026-11-20<\/cbc:PaymentDueDate>/), "\(order)")
            #expect(xml.contains(/<cac:CarrierParty><cac:PartyIdentification><cbc:ID schemeID="VKN">\d{10}<\/cbc:ID><\/cac:PartyIdentification><cac:PartyName><cbc:Name>[^<]+<\/cbc:Name>/),
                    "\(order)")
            #expect(xml.contains(/<cbc:WebsiteURI>https:\/\/www\.[a-z0-9.]+<\/cbc:WebsiteURI>/), "\(order)")
        }
        // N11: the marketplace's address and its payment intermediary; the seller's default carrier.
        let n11 = try #require(invoices["207000002"])
        #expect(n11.contains("<cbc:WebsiteURI>https://www.n11.com</cbc:WebsiteURI>"))
        #expect(n11.contains("<cbc:PaymentChannelCode>ODEMEARACISI</cbc:PaymentChannelCode><cbc:InstructionNote>Ödeme aracısı: Doğuş Planet"))
        #expect(n11.contains("<cbc:ID schemeID=\"VKN\">9860008925</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>Yurtiçi Kargo Servisi A.Ş."))
        // Shopify: the shop's own address, the card payment and its date, the carrier and dispatch date, a foreign buyer's ISO country.
        let shop = try #require(invoices["#7001"])
        #expect(shop.contains("<cbc:WebsiteURI>https://www.demoticaret.com.tr</cbc:WebsiteURI>"))
        #expect(shop.contains("<cbc:PaymentMeansCode>48</cbc:PaymentMeansCode><cbc:PaymentDueDate>2026-11-20</cbc:PaymentDueDate>"))
        #expect(shop.contains("<cbc:Name>Aras Kargo Yurt İçi Yurt Dışı Taşımacılık A.Ş.</cbc:Name>"))
        #expect(shop.contains("<cac:Despatch><cbc:ActualDespatchDate>2026-11-21</cbc:ActualDespatchDate></cac:Despatch>"))
        #expect(shop.contains("<cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode><cbc:Name>Almanya</cbc:Name></cac:Country>"))
        try UBLValidation.expectValid(try home.files("outbox/ubl").map { home.path("outbox/ubl/\($0)") })
    }

    @Test func aUserListDroppedBesideOrdersIsLoadedBeforeThem() throws {
        let home = try ExportHome(configText: Self.config)
        // Named so that the orders come first by name; both are waiting when the watcher starts.
        try home.base.drop("inbox/a-orders.xml", Data(contentsOf: URL(fileURLWithPath: Fixture.path("invoices/n11-buyers.xml"))))
        try home.base.drop("reference/z-userlist.zip", Data(contentsOf: URL(fileURLWithPath: Fixture.path("invoices/userlist.zip"))))
        let watcher = RunningWatcher(home: home.base.home, options: fastOptions())
        defer { watcher.stop() }
        #expect(try waitUntil(timeout: 20) { try home.base.jobs("done") == 2 })
        // The exports run beside the files: the invoices follow the jobs.
        #expect(try waitUntil(timeout: 20) {
            try home.base.scalar("SELECT count(*) FROM faturalar WHERE durum = 'yazildi' AND siparis_id IN (SELECT id FROM siparisler "
                                 + "WHERE siparis_numarasi IN ('207000001', '207000006'))") == 2
        })
        let invoices = try invoicesByOrder(home)
        #expect(invoices["207000001"]?.contains("<cbc:ProfileID>TEMELFATURA<") == true)
        #expect(invoices["207000006"]?.contains("<cbc:ProfileID>KAMU<") == true)
    }

    @Test func withoutAUserListEveryoneGetsEArsivAndStatusSaysSo() throws {
        let home = try ExportHome(configText: Self.config)
        _ = home.base.ingest("invoices/n11-buyers.xml")
        _ = try home.exporter.run(.ubl)
        #expect(try invoicesByOrder(home).values.allSatisfy { $0.contains("<cbc:ProfileID>EARSIVFATURA</cbc:ProfileID>") })
        #expect(try StatusReport.read(home: home.base.home).text.contains("GİB user list: none loaded"))
    }

    @Test func aPublicBodyWithoutTheSellersIBANIsHeld() throws {
        let home = try ExportHome(configText: Self.config.replacingOccurrences(of: "    iban: TR400006100000000123456789\n", with: ""))
        _ = home.base.ingestReference("invoices/userlist.xml")
        _ = home.base.ingest("invoices/n11-buyers.xml")
        let report = try home.exporter.run(.ubl)
        #expect(report.warnings.contains { $0.contains("order 207000006 cannot be invoiced: the buyer is a public body (KAMU)") })
        #expect(try StatusReport.read(home: home.base.home).heldInvoices.map(\.orderNumber) == ["207000006", "207000008"])
    }

    @Test func aFreshUserListReplacesTheOldOneWhole() throws {
        let home = try ExportHome(configText: Self.config)
        _ = home.base.ingestReference("invoices/userlist.xml")
        let smaller = try String(contentsOfFile: Fixture.path("invoices/userlist.xml"), encoding: .utf8)
            .replacing(/<User><Identifier>4567890128<\/Identifier>.*?<\/User>/, with: "")
        let second = try home.base.ingestReference(named: "userlist-2.xml", bytes: Array(smaller.utf8))
        #expect(second.userListUsers == 4)
        #expect(try home.base.scalar("SELECT count(*) FROM gib_listeleri") == 1)
        #expect(try home.base.scalar("SELECT count(DISTINCT kimlik) FROM gib_kullanicilari") == 3)
        let status = try StatusReport.read(home: home.base.home)
        #expect(status.userList?.file == "userlist-2.xml")
        #expect(status.userList?.users == 4)
    }

    @Test(arguments: [
        ("1234567890", true), ("4567890128", true), ("1234567891", false), ("123456789", false),
    ])
    func vknCheckDigits(vkn: String, valid: Bool) {
        #expect(TaxIdentity.isValidVKN(vkn) == valid)
    }

    @Test(arguments: [("10000000146", true), ("12345678950", true), ("12345678901", false), ("01234567890", false)])
    func tcknCheckDigits(tckn: String, valid: Bool) {
        #expect(TaxIdentity.isValidTCKN(tckn) == valid)
        #expect(TaxIdentity.problem(TaxIdentity.anonymousConsumer) == nil)
    }

    @Test func twoSellersSharingASeriesIsAClearErrorWhenPraYamlLoads() throws {
        let text = Self.config + """
              other:
                name: Başka A.Ş.
                tax_id: "4567890128"
                tax_office: Çankaya
                efatura_series: PRA
                earsiv_series: OTE
                address: { district: Çankaya, city: Ankara }

            """
        let error = #expect(throws: MappingError.self) { _ = try Configuration.parse(text, file: "pra.yaml") }
        #expect(error?.description.contains("seller 'other' uses the invoice series PRA, which is seller 'demo''s") == true)
    }

    @Test func zeroRateTakesItsCodeBesideCategoryAndSKURules() throws {
        let text = """
            invoicing:
              zero_rate:
                code: "351"
                reason: İstisna Olmayan Diğer
                by_category: { Kitap: { code: "350", reason: Kitap } }
                by_sku: { ILAC-1: { code: "350", reason: İlaç } }

            """
        let config = try Configuration.parse(text, file: "pra.yaml")
        #expect(config.invoiceBuilder.zeroRate.standard.code == "351")
        #expect(config.invoiceBuilder.zeroRate.bySKU["ILAC-1"]?.reason == "İlaç")
        #expect(config.invoiceBuilder.zeroRate.byCategory["kitap"]?.code == "350")
    }

    @Test func aSellerWithAWrongVKNHoldsOnlyItsOwnInvoices() throws {
        let text = Self.config + """
              magaza-a:
                name: Mağaza A Ltd. Şti.
                tax_id: "9876543210"
                tax_office: Çankaya
                efatura_series: MGA
                earsiv_series: MGE
                address: { district: Çankaya, city: Ankara }

            """
        let home = try ExportHome(configText: text)
        _ = home.base.ingest("invoices/n11-buyers.xml", seller: "magaza-a")
        _ = home.base.ingest("invoices/shopify-foreign.csv", seller: "demo")
        let report = try home.exporter.run(.ubl)
        #expect(report.invoices.count == 1)
        #expect(report.warnings.contains { $0.contains("seller magaza-a: 10 orders not invoiced: sellers.magaza-a in pra.yaml: tax_id: the VKN 9876543210 fails its check digit") })
    }
}
