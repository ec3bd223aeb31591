import CXML2
import Exporters
import Foundation
import OrderCore
@testable import OrderStore
@testable import PraIngest
import Testing

/// Product feeds from the stored catalogue: Google Merchant Center's RSS, and a template feed.
@Suite struct FeedTests {
    static let catalogue = """
        \u{FEFF}SKU;Barkod;Ürün Adı;Stok;Fiyat;Açıklama;Link;Görsel;Marka;Kategori\r
        KUPA-01;8690000000012;Seramik Kupa <350 ml>;42;149,90;El yapımı & fırınlanmış;https://magaza.example/kupa-01;https://cdn.example/kupa.jpg;Kütahya;Mutfak\r
        CAY-500;8690000000018;Çay 500 g;0;129,00;Rize çayı;;;Rize;Gıda\r
        ASKI-9;;Askı;7;;Tel askı;https://magaza.example/aski;https://cdn.example/aski.jpg;;\r
        TSH-1;;T-Shirt;3;299,99;;https://magaza.example/tsh;https://cdn.example/tsh.jpg;;\r
        XSS-1;;Kötü;5;10,00;Açıklama;javascript:alert(1);https://cdn.example/x.jpg;;\r

        """

    static func home(settings: String = "") throws -> TestHome {
        let home = try TestHome()
        if !settings.isEmpty { try Data(settings.utf8).write(to: home.home.configFile) }
        let report = try home.ingest(named: "urunler.csv", bytes: Array(catalogue.utf8))
        #expect(report.products?.inserted == 5, "\(report.summary)")
        return home
    }

    @Test func googleFeedHasEveryCompleteProductAndRefusesTheRestWithReasons() throws {
        let home = try Self.home(settings: """
            sellers:
              demo:
                feed: { title: Demo Mağaza, link: "https://magaza.example/urun/{sku}", image_link: "https://cdn.example/{barcode}.jpg" }
            """)
        let results = try FeedRun(feed: .google, outbox: OutboxWriter(root: home.home.outbox))
            .run(store: home.ingestor.store, config: try Configuration.load(home: home.home), sellers: [])
        let r = try #require(results.first)
        #expect(results.count == 1 && r.path == "feeds/google-demo.xml")
        #expect(r.written == 2)
        // ASKI-9 has no price, TSH-1 no description, XSS-1 a link that is not a web address.
        #expect(r.refused.map(\.sku) == ["ASKI-9", "TSH-1", "XSS-1"])
        #expect(r.refused[2].reason.contains("g:link (urun_linki, an http(s) address"))
        #expect(r.refused[0].reason.contains("g:price (satis_fiyati"))
        #expect(r.refused[1].reason.contains("g:description (aciklama"))
        let xml = try String(contentsOf: home.home.outbox.appendingPathComponent(r.path), encoding: .utf8)
        // Well-formed (escaped <, & in the data), in Google's namespace.
        let doc = xml.withCString { xmlReadMemory($0, Int32(strlen($0)), nil, nil, 0) }
        #expect(doc != nil)
        xmlFreeDoc(doc)
        #expect(xml.contains("<rss version=\"2.0\" xmlns:g=\"http://base.google.com/ns/1.0\">"))
        #expect(xml.contains("<title>Demo Mağaza</title>"))
        #expect(xml.contains("<g:title>Seramik Kupa &lt;350 ml&gt;</g:title>"))
        #expect(xml.contains("<g:description>El yapımı &amp; fırınlanmış</g:description>"))
        #expect(xml.contains("<g:price>149.90 TRY</g:price>"))
        #expect(xml.contains("<g:availability>in_stock</g:availability>"))
        #expect(xml.contains("<g:gtin>8690000000012</g:gtin>"))
        // The product's own link wins; a product without one gets the seller's template.
        #expect(xml.contains("<g:link>https://magaza.example/kupa-01</g:link>"))
        #expect(xml.contains("<g:link>https://magaza.example/urun/CAY-500</g:link>"))
        #expect(xml.contains("<g:image_link>https://cdn.example/8690000000018.jpg</g:image_link>"))
        #expect(xml.contains("<g:availability>out_of_stock</g:availability>"))
        // 8690000000018 has a wrong check digit: no gtin rather than a wrong one.
        #expect(!xml.contains("<g:gtin>8690000000018</g:gtin>"))
        let refused = try String(contentsOf: home.home.outbox.appendingPathComponent("feeds/google-demo-refused.csv"), encoding: .utf8)
        #expect(refused.contains("ASKI-9;missing g:price"))
    }

    @Test func aTemplateFeedUsesTheSellersElementNames() throws {
        let home = try Self.home()
        let repo = Fixture.root.deletingLastPathComponent().deletingLastPathComponent()
        let feed = try FeedTemplate.load(path: repo.appendingPathComponent("feeds/cimri.example.yaml").path)
        let results = try FeedRun(feed: feed, outbox: OutboxWriter(root: home.home.outbox))
            .run(store: home.ingestor.store, config: Configuration(), sellers: ["demo"])
        #expect(results.first?.written == 2) // CAY-500 has no link, ASKI-9 no price, XSS-1 no web address
        let xml = try String(contentsOf: home.home.outbox.appendingPathComponent("feeds/cimri-demo.xml"), encoding: .utf8)
        let flat = xml.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(flat.contains("<urunler><urun><urun_kodu>KUPA-01</urun_kodu><urun_adi>Seramik Kupa &lt;350 ml&gt;</urun_adi><fiyat>149,90</fiyat><stok>42</stok>"))
        #expect(xml.contains("<urun_kodu>TSH-1</urun_kodu>"))
    }

    @Test func aBrokenTemplateIsRefusedWithItsPlace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pra-feed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.yaml").path
        try Data("root: products\nitem: product\nfields:\n  id: sku\n  fiyat: prise\n".utf8).write(to: URL(fileURLWithPath: file))
        #expect { try FeedTemplate.load(path: file) } throws: { ($0 as? ReportError)?.description.contains("bad.yaml:5") == true
            && ($0 as? ReportError)?.description.contains("unknown attribute 'prise'") == true }
        try Data("root: <x>\nitem: product\nfields:\n  id: sku\n".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: ReportError.self) { try FeedTemplate.load(path: file) }
    }

    @Test func aBadLinkTemplateStopsTheSettings() throws {
        #expect(throws: (any Error).self) {
            try Configuration.parse("sellers:\n  demo:\n    feed: { link: \"magaza.example/{sku}\" }\n", file: "pra.yaml")
        }
    }

    @Test func gtinCheckDigits() {
        var p = Product(sku: "x")
        for (barcode, valid) in [("8690000000012", true), ("8690000000018", false), ("4006381333931", true), ("12345", false),
                                 ("96385074", true), ("869000000001A", false)] {
            p.barcode = barcode
            #expect((p.gtin != nil) == valid, "\(barcode)")
        }
    }
}
