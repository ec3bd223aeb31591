import Foundation
import OrderCore
@testable import PraIngest
import Testing

/// Each platform's fixture through the real readers, shipped mappings and SQLite, compared
/// with a golden dump of the rows it produced.
@Suite struct PlatformIngestTests {
    @Test(arguments: [
        ("trendyol/tum-siparisler.xlsx", "trendyol-xlsx.txt", 3, 4),
        ("trendyol/Tedarikci_Siparisleri_cp1254.csv", "trendyol-cp1254.txt", 3, 4),
        ("n11/DetailedOrderList.xml", "n11.txt", 2, 3),
        ("amazon/all-orders.txt", "amazon.txt", 2, 3),
        ("shopify_orders_export.csv", "shopify.txt", 19, 40),
        ("hepsiburada/hb-unicode-text.txt", "hepsiburada-utf16.txt", 1, 2),
    ])
    func platformExportLandsAsGoldenRows(fixture: String, golden: String, orders: Int, lines: Int) throws {
        let home = try TestHome()
        let report = home.ingest(fixture)
        #expect(report.status == .ingested, "\(report.summary) \(report.rejected)")
        #expect(report.ordersInserted == orders)
        #expect(report.linesWritten == lines)
        try expectGolden(try home.dump(), golden)
    }

    /// A small table is read on the ingesting thread, batch by batch; a large one on a reader
    /// thread. The same orders land alike either way: two years of a Shopify store as one file,
    /// and cut at order boundaries into files small enough to be read inline, each of several batches.
    @Test func aTableReadInlineLandsWhatTheReaderThreadLands() throws {
        let text = try String(contentsOf: URL(fileURLWithPath: Fixture.path("forecast/shopify-2y.csv")), encoding: .utf8)
        var rows = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = rows.removeFirst()
        var pieces: [[String]] = [[]]
        for (i, row) in rows.enumerated() {
            let name = row.prefix { $0 != "," }
            let startsOrder = i == 0 || rows[i - 1].prefix { $0 != "," } != name
            if startsOrder && pieces[pieces.count - 1].joined().utf8.count > 90_000 { pieces.append([]) }
            pieces[pieces.count - 1].append(row)
        }
        #expect(text.utf8.count >= RecordPipeline.inlineBytes && pieces.count >= 3)

        let whole = try TestHome(), cut = try TestHome()
        let all = whole.ingest("forecast/shopify-2y.csv")
        #expect(all.status == .ingested && all.ordersInserted > 1_000, "\(all.summary)")
        var landed = 0
        for (i, piece) in pieces.enumerated() {
            let bytes = Array(([header] + piece).joined(separator: "\n").utf8) + [0x0A]
            #expect(Int64(bytes.count) < RecordPipeline.inlineBytes)
            let report = try cut.ingest(named: "part-\(i).csv", bytes: bytes)
            #expect(report.status == .ingested && report.recordsSeen > 64, "\(report.summary)")
            landed += report.ordersInserted
        }
        #expect(landed == all.ordersInserted)
        #expect(try cut.dump(sourcePositions: false) == whole.dump(sourcePositions: false))
    }

    @Test func trendyolExcelAndItsWindows1254CSVResaveGiveTheSameRows() throws {
        let xlsx = try TestHome(), csv = try TestHome()
        _ = xlsx.ingest("trendyol/tum-siparisler.xlsx")
        _ = csv.ingest("trendyol/Tedarikci_Siparisleri_cp1254.csv")
        #expect(try xlsx.dump(sourcePositions: false) == csv.dump(sourcePositions: false))
        // Turkish letters survive Windows-1254, and the Excel serial date is the same moment as the text one.
        #expect(try csv.texts("SELECT musteri_adi FROM siparisler ORDER BY siparis_numarasi") == ["Ayşe Yılmaz", "Mehmet Öztürk", "Şükrü Çağlar"])
        #expect(try xlsx.texts("SELECT siparis_tarihi FROM siparisler WHERE siparis_numarasi = '800002'") == ["2026-11-22T09:30:00+03:00"])
    }

    @Test func aWorkbookWhoseHeaderTextsComeLateInItsSharedStringsIsStillRecognised() throws {
        // The mapping is chosen from a preview of the first megabyte; here the header's texts lie
        // beyond it, so the header is read from the whole workbook instead of being missed.
        let early = try TestHome(), late = try TestHome()
        _ = early.ingest("trendyol/tum-siparisler.xlsx")
        let report = late.ingest("trendyol/strings-after-header.xlsx")
        #expect(report.status == .ingested, "\(report.summary)")
        #expect(try late.dump(sourcePositions: false) == early.dump(sourcePositions: false))
    }

    @Test func decimalCommaAmountsAreExactToTheKurus() throws {
        let home = try TestHome()
        _ = home.ingest("trendyol/Tedarikci_Siparisleri_cp1254.csv")
        // 2.400,00 + 1.399,90 (after the seller's 100,00 discount) = 3.799,90 TL = 379990 kuruş.
        #expect(try home.scalar("SELECT toplam_tutar FROM siparisler WHERE siparis_numarasi = '800001'") == 379_990)
        let typeQuery = TestStores.onSQLite ? "SELECT typeof(toplam_tutar) = 'integer' FROM siparisler LIMIT 1"
            : "SELECT pg_typeof(toplam_tutar) = 'bigint'::regtype FROM siparisler LIMIT 1"
        #expect(try home.scalar(typeQuery) == 1)
    }

    @Test func amazonCancelledItemIsKeptButNotCounted() throws {
        let home = try TestHome()
        _ = home.ingest("amazon/all-orders.txt")
        #expect(try home.scalar("SELECT toplam_tutar FROM siparisler WHERE siparis_numarasi = '402-1845936-5435065'") == 30_000)
        #expect(try home.texts("SELECT durum FROM siparis_urunleri ORDER BY satir_anahtari") == ["kargoda", "iptal", "onaylandi"])
    }

    @Test func everyIngestWritesAnAuditRowAndCreatesSellerPlatformAndIntegration() throws {
        let home = try TestHome()
        _ = home.ingest("n11/DetailedOrderList.xml", seller: "acme")
        #expect(try home.texts("SELECT kod FROM kullanicilar") == ["acme"])
        #expect(try home.texts("SELECT ad FROM platformlar") == ["N11"])
        #expect(try home.scalar("SELECT count(*) FROM entegrasyonlar") == 1)
        let audit = try home.texts("SELECT mesaj FROM sistem_log WHERE islem = 'ingest'")
        #expect(audit.count == 1 && audit[0].hasPrefix("DetailedOrderList.xml: 2 orders (2 new, 0 updated), 3 lines, 0 rejected; note: "
                                                      + "4 optional sources matched nothing in the file"), "\(audit)")
        #expect(try home.ingestor.integrations().map { "\($0.seller) \($0.platform) \($0.orders)" } == ["acme N11 2"])
    }
}
