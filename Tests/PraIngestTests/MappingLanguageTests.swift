import Foundation
import OrderCore
@testable import Parsers
@testable import PraIngest
import Testing

/// The mapping language's promises, each through the real loader, readers and engine: the
/// admin mistakes that used to pass silently are now errors with their place.
@Suite struct MappingLanguageTests {
    static let amazonItem = """
        <AmazonEnvelope><Message><OrderReport><AmazonOrderID>405-1</AmazonOrderID><OrderDate>2026-11-23T11:05:00+00:00</OrderDate>
          <Item><AmazonOrderItemCode>11</AmazonOrderItemCode><SKU>LMB-1</SKU><Quantity>1</Quantity>
            <ItemPrice><Component><Type>Shipping</Type><Amount currency="TRY">0.00</Amount></Component>
                       <Component><Type>Principal</Type><Amount currency="TRY">758.00</Amount></Component></ItemPrice></Item>
        </OrderReport></Message></AmazonEnvelope>

        """

    /// An XML mapping for the Amazon order report with the given line price path.
    static func amazonMapping(price: String) -> String {
        """
        platform: Amazon
        match: { xml_root: AmazonEnvelope }
        format: { type: xml }
        records: { record: OrderReport, lines: Item }
        reconcile_totals: false
        order:
          siparis_numarasi: AmazonOrderID
        line:
          satir_anahtari: AmazonOrderItemCode
          sku: SKU
          adet: Quantity
          toplam_fiyat: "\(price)"
          kdv_orani: { constant: "20" }

        """
    }

    @Test func aPathMatchingSeveralElementsIsAnErrorNamingThemNeverTheFirstOne() throws {
        let home = try TestHome(mappings: [], extraMappings: ["amazon-x.yaml": Self.amazonMapping(price: "ItemPrice/Component/Amount")])
        let report = try home.ingest(named: "report.xml", bytes: Array(Self.amazonItem.utf8))
        #expect(report.ordersWritten == 0)
        #expect(report.rejected.first?.description.contains(
            "\"ItemPrice/Component/Amount\" matches more than one element (lines 3 and 4); a path must name one") == true)
    }

    @Test func aPredicatePicksTheElementByAChildsValueWhereverItSits() throws {
        let home = try TestHome(mappings: [], extraMappings: [
            "amazon-x.yaml": Self.amazonMapping(price: "ItemPrice/Component[Type='Principal']/Amount")])
        let report = try home.ingest(named: "report.xml", bytes: Array(Self.amazonItem.utf8))
        #expect(report.status == .ingested)
        #expect(try home.texts("SELECT toplam_fiyat FROM siparis_urunleri") == ["75800"])
    }

    @Test(arguments: [
        ("ItemPrice/Component[2]/Amount", "75800"),
        ("ItemPrice/Component[1]/Amount", "0"),
        ("ItemPrice/Component[Type='Principal']/Amount", "75800"),
    ])
    func positionsAndPredicatesPick(path: String, stored: String) throws {
        let home = try TestHome(mappings: [], extraMappings: ["amazon-x.yaml": Self.amazonMapping(price: path)])
        _ = try home.ingest(named: "report.xml", bytes: Array(Self.amazonItem.utf8))
        #expect(try home.texts("SELECT toplam_fiyat FROM siparis_urunleri") == [stored])
    }

    @Test(arguments: [
        ("ItemPrice/*/Amount", "'*' (any element) is not supported"),
        ("ItemPrice//Amount", "'//' (any depth) is not supported"),
        ("../Amount", "'..' is not supported"),
        ("ItemPrice/Component[last()]/Amount", "is not supported: use [Child='value']"),
        ("ItemPrice/Component[Type=Principal]/Amount", "the value must be quoted"),
    ])
    func pathsThatCannotNameOnePlaceAreRefusedWhenTheMappingLoads(path: String, message: String) {
        #expect {
            _ = try MappingFileLoader.load(text: Self.amazonMapping(price: path), file: "amazon-x.yaml")
        } throws: { ($0 as? MappingError)?.description.contains(message) == true }
    }

    @Test func aMisspelledColumnFailsTheFileWithItsNameInsteadOfLeavingTheFieldEmpty() throws {
        let good = try String(contentsOf: Fixture.root.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("mappings/hepsiburada.yaml"), encoding: .utf8)
        let typo = good.replacingOccurrences(of: "adet: Adet", with: "adet: Adett")
            .split(separator: "\ntests:")[0].description
        let home = try TestHome(mappings: [], extraMappings: ["hepsiburada.yaml": typo])
        let report = try home.ingest(named: "hb.csv", bytes: Array(("Sipariş Numarası;Kalem Numarası;Sipariş Tarihi;Satıcı Stok Kodu;Adet;"
            + "Faturalandırılacak Satış Fiyatı;KDV(%)\n1;K1;23-11-2026 10:00:00;A;1;10,00;20\n").utf8))
        #expect(report.status == .failed)
        // The rule that reads it is named with its line, so the admin goes straight to the typo.
        let line = typo.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("adet: Adett") }! + 1
        #expect(report.error?.message.contains("the file has no column \"Adett\" (rule mappings/hepsiburada.yaml:\(line):3), "
                                               + "which the mapping reads") == true, "\(report.error?.message ?? "")")
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
    }

    @Test func aFileWritingTheMonthFirstFailsWholeRatherThanLandingElevenMay() throws {
        let mapping = """
            platform: Demo
            match: { header: [Order, Date] }
            format: { type: csv, separator: "," }
            records: { group_by: Order }
            order:
              siparis_numarasi: Order
              siparis_tarihi: { from: Date, date: ["dd/MM/yyyy"] }
            line:
              sku: { constant: A }
              adet: { constant: "1" }
              toplam_fiyat: { constant: "1" }
              kdv_orani: { constant: "20" }

            """
        let home = try TestHome(mappings: [], extraMappings: ["demo.yaml": mapping])
        // An American export: 11/05/2026 is November 5th, as 11/25/2026 gives away.
        let report = try home.ingest(named: "us.csv", bytes: Array("Order,Date\nA1,11/05/2026\nA2,11/25/2026\n".utf8))
        #expect(report.status == .failed)
        #expect(report.error?.message.contains("this file writes the month first") == true)
        #expect(report.error?.message.contains("MM/dd/yyyy") == true)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
    }

    @Test func checkReportsEveryProblemOfAFileAtOnce() {
        let text = """
            platform: Demo
            match: { header: [No] }
            format: { type: csv, decimal: semicolon }
            records: { group_by: No }
            order:
              siparis_numarasi: No
              siparis_tarhi: { from: Tarih, date: ["dd.MM.yyyy"] }
              durum: { from: Durum, map: { Yeni: new } }
            line:
              sku: Stok
              adet: Adet
              kdv_orani: KDV

            """
        #expect {
            _ = try MappingFileLoader.load(text: text, file: "demo.yaml")
        } throws: { error in
            let all = (error as? MappingError)?.all.map(\.description) ?? []
            return all.count == 4
                && all[0].contains("demo.yaml:3:") && all[0].contains("decimal must be comma or dot")
                && all[1].contains("demo.yaml:7:3: error: unknown field 'siparis_tarhi'")
                && all[2].contains("'new' is not a normalized status")
                && all[3].contains("no rule for 'toplam_fiyat' or 'birim_fiyat'")
        }
    }

    @Test func aMappingWhoseOwnTestsFailIsNotUsedAndTheLastGoodOneStays() throws {
        let repo = Fixture.root.deletingLastPathComponent().deletingLastPathComponent()
        let good = try String(contentsOf: repo.appendingPathComponent("mappings/mng.yaml"), encoding: .utf8)
        let home = try TestHome(mappings: ["mng.yaml"])
        let registry = MappingRegistry(directory: home.home.mappings)
        #expect(registry.mappings.map(\.name) == ["mng"])
        // An edit that maps "delivered" wrong: its own test catches it.
        try Data(good.replacingOccurrences(of: "\"5\": teslim_edildi", with: "\"5\": yolda").utf8)
            .write(to: home.home.mappings.appendingPathComponent("mng.yaml"))
        let reloaded = registry.reloaded(from: home.home.mappings)
        #expect(reloaded.problems.first?.description.contains("gonderi_durumu: expected 'teslim_edildi', got 'yolda'") == true)
        #expect(reloaded.problems.first?.description.contains("the mapping is not used until its tests pass") == true)
        #expect(reloaded.mappings.first?.orderRules.contains { $0.valueMap?["5"] == "teslim_edildi" } == true)
    }

    @Test func anXMLMappingWhoseLinesReadNoPathIngestsInsteadOfCrashing() throws {
        let mapping = """
            platform: Demo
            match: { xml_root: orders }
            format: { type: xml }
            records: { record: order, lines: item }
            order:
              siparis_numarasi: no
            line:
              sku: { constant: A }
              adet: { constant: "1" }
              toplam_fiyat: { constant: "10" }
              kdv_orani: { constant: "20" }

            """
        let home = try TestHome(mappings: [], extraMappings: ["demo.yaml": mapping])
        let report = try home.ingest(named: "o.xml", bytes: Array("<orders><order><no>1</no><item/><item/></order></orders>".utf8))
        #expect(report.status == .ingested)
        #expect(try home.scalar("SELECT count(*) FROM siparis_urunleri") == 2)
    }

    @Test(arguments: [
        ("{\"content\": [{\"orderNumber\": \"1\",}]}", "line 1, column 60: expected a quoted key"),
        ("{\"content\": [{\"orderNumber\": \"1\"}", "the file ends inside 3 open object(s) or array(s)"),
        ("{\"content\": [{\"orderNumber\": \"\\ud800\"}]}", "a lone surrogate"),
        (String(repeating: "[", count: 300), "nests deeper than 256 levels"),
        ("{\"content\": [{\"totalPrice\": 1e99999999999999999999999999999999999999999999999999999999999999999999999}]}", "longer than 64"),
    ])
    func brokenJSONFailsTheFileWithItsPlace(text: String, message: String) throws {
        let home = try TestHome(mappings: ["trendyol-api.yaml"])
        // Cut off where the text ends: the enclosing object is never closed either.
        let report = try home.ingest(named: "api.json", bytes: Array(("{\"vatBaseAmount\": 1, \"x\": " + text).utf8))
        #expect(report.status == .failed)
        #expect(report.error?.message.contains(message) == true, "\(report.error?.message ?? "")")
    }
}
