import Foundation
@testable import PraIngest
import Testing

/// Every shipped mapping of the second round on a file in its platform's real layout
/// (`Tests/Fixtures/platforms/`, from `generate_platforms.py`), through the real readers, engine
/// and store, compared byte for byte with the golden dump.
@Suite struct PlatformMappingTests {
    static let files: [(file: String, mapping: String, summary: String)] = [
        ("trendyol-api-packages.json", "trendyol-api", "2 orders (2 new, 0 updated), 4 lines, 0 rejected"),
        ("n11-shipment-packages.json", "n11-rest", "2 orders (2 new, 0 updated), 3 lines, 0 rejected"),
        ("hepsiburada-packages.json", "hepsiburada-api", "1 orders (1 new, 0 updated), 3 lines, 0 rejected"),
        ("ciceksepeti-orders.json", "ciceksepeti", "2 orders (2 new, 0 updated), 3 lines, 0 rejected"),
        ("amazon-order-report.xml", "amazon-xml", "2 orders (2 new, 0 updated), 3 lines, 0 rejected"),
        ("ebay-orders-report.csv", "ebay", "2 orders (2 new, 0 updated), 3 lines, 0 rejected"),
        ("woocommerce-orders.csv", "woocommerce", "2 orders (2 new, 0 updated), 4 lines, 0 rejected"),
        ("magento-order-grid.csv", "magento", "3 orders (3 new, 0 updated), 3 lines, 0 rejected"),
        ("pttavm-siparisler.xlsx", "ptt-avm", "2 orders (2 new, 0 updated), 3 lines, 0 rejected"),
        ("aras-gonderiler.csv", "aras", "2 shipment events: 2 applied, 0 waiting for their orders, 0 rejected"),
        ("mng-durumlar.json", "mng", "1 shipment events: 1 applied, 0 waiting for their orders, 0 rejected"),
        ("ptt-gonderi-sorgu.xml", "ptt-kargo", "1 shipment events: 1 applied, 0 waiting for their orders, 0 rejected"),
        ("aras-sorgu.json", "aras-json", "2 shipment events: 2 applied, 0 waiting for their orders, 0 rejected"),
    ]

    @Test func eachPlatformsFileLandsAsItsLayoutMeans() throws {
        let home = try TestHome()
        for (file, mapping, summary) in Self.files {
            let report = home.ingest("platforms/\(file)")
            #expect(report.mapping == mapping, "\(file)")
            // Optional fields these exports leave out are a note, never a warning: the file landed whole.
            #expect(report.status == .ingested, "\(report.summary)")
            #expect(report.summary.hasPrefix("\(file): \(summary)") && report.summary.hasSuffix(" [\(mapping)]"), "\(report.summary)")
            #expect(report.unmatched.allSatisfy { !$0.isWarning })
        }
        let shipments = try home.texts("""
            SELECT siparis_numarasi || ' ' || durum || ' ' || coalesce(kargo_durumu, '-') || ' ' || coalesce(kargo_takip_no, '-')
            FROM siparisler WHERE kargo_durumu IS NOT NULL ORDER BY siparis_numarasi
            """)
        try expectGolden(try home.dump(sourcePositions: false) + "# kargo\n" + shipments.joined(separator: "\n") + "\n",
                         "platforms.txt")
    }

    @Test func aSplitOrdersPackagesAddUpToOneOrder() throws {
        let home = try TestHome()
        _ = home.ingest("platforms/trendyol-api-packages.json")
        #expect(try home.texts("SELECT toplam_tutar || ' ' || durum FROM siparisler WHERE siparis_numarasi = '80869231'")
                == ["7549 yeni"])
        #expect(try home.texts("""
            SELECT satir_anahtari || ' ' || toplam_fiyat FROM siparis_urunleri l JOIN siparisler s ON s.id = l.siparis_id
            WHERE s.siparis_numarasi = '80869231' ORDER BY 1
            """) == ["56040534 2599", "56040535 4950"])
    }
}
