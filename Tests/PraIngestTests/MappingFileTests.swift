import Foundation
import OrderCore
@testable import Parsers
@testable import PraIngest
import Testing

@Suite struct MappingFileTests {
    static let repoMappings = Fixture.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("mappings")

    @Test func everyShippedMappingLoadsAndPassesItsEmbeddedTests() throws {
        let registry = MappingRegistry(directory: Self.repoMappings)
        #expect(registry.problems.isEmpty, "\(registry.problems)")
        #expect(registry.problems.isEmpty)
        #expect(registry.mappings.count >= 15)
        #expect(Set(registry.mappings.map(\.platform)).isSuperset(of: [
            "Trendyol", "Hepsiburada", "N11", "Amazon", "Shopify", "Çiçeksepeti", "PTT AVM", "eBay", "WooCommerce", "Magento",
            "Yurtiçi Kargo", "Aras Kargo", "MNG Kargo", "PTT Kargo", "Kargo Takip (eklenti)", "E-Fatura Sağlayıcı",
        ]))
        for spec in registry.mappings {
            #expect(!spec.tests.isEmpty, "\(spec.file) has no tests")
            #expect(MappingTestRunner.run(spec).map(\.description) == [])
        }
    }

    static let minimal = """
        platform: Demo
        match:
          header: [No]
        format:
          type: csv
        records:
          group_by: No
        order:
          siparis_numarasi: No
        line:
          sku: Kod
          adet: Adet
          toplam_fiyat: Tutar
          kdv_orani: { constant: "20" }

        """

    /// Each case edits the minimal mapping (replacing `old` with `new`) and names the exact place.
    @Test(arguments: [
        ("  sku: Kod\n", "  qty: Kod\n", "demo.yaml:11:3: error: unknown field 'qty'"),
        ("  siparis_numarasi: No\n", "  siparis_numarasi: No\n  adet: Adet\n", "demo.yaml:10:3: error: 'adet' is a line field, not an order field; move it under 'line'"),
        ("  siparis_numarasi: No\n", "  siparis_numarasi: No\n  durum: { from: Durum, map: { Yeni: new } }\n",
         "demo.yaml:10:10: error: 'new' is not a normalized status"),
        ("  siparis_numarasi: No\n", "  siparis_numarasi: No\n  siparis_tarihi: Tarih\n", "demo.yaml:10:19: error: 'siparis_tarihi' needs `date:`"),
        ("  header: [No]\n", "  header: [No\n", "demo.yaml:4:7: error: YAML syntax"),
        ("platform: Demo\n", "platform: Demo\nformat2: x\n", "demo.yaml:2:1: error: unknown key 'format2'"),
        ("  adet: Adet\n", "", "demo.yaml:11:3: error: no rule for 'adet'"),
    ])
    func mappingErrorsNameFileLineAndColumn(old: String, new: String, expected: String) {
        let text = Self.minimal.replacingOccurrences(of: old, with: new)
        do {
            _ = try MappingFileLoader.load(text: text, file: "demo.yaml")
            Issue.record("loaded without error")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func aFailingEmbeddedTestPointsAtTheExpectation() throws {
        let text = Self.minimal + """
            tests:
              - name: wrong total
                input: "No,Kod,Adet,Tutar\\n1,A,1,10.00\\n"
                expect:
                  - siparis_numarasi: "1"
                    toplam_tutar: "11.00"

            """
        let spec = try MappingFileLoader.load(text: text, file: "demo.yaml")
        #expect(MappingTestRunner.run(spec).map(\.description) == [
            "demo.yaml:20:9: test 'wrong total' failed: toplam_tutar: expected '11.00', got '10.00'",
        ])
    }
}
