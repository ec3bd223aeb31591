import Foundation
@testable import PraIngest
import Testing

/// Re-ingesting never duplicates: same content is a no-op, overlapping exports update in place.
@Suite struct IdempotencyTests {
    @Test func theSameFileTwiceIsADuplicateAndChangesNothing() throws {
        let home = try TestHome()
        // The first ingest computes the checksum beside the ingest (no file of its size yet);
        // the file's row ends up with the real one, which is what finds the duplicate.
        let first = home.ingest("n11/DetailedOrderList.xml")
        #expect(first.status == .ingested)
        let sha = try SHA256.hex(ofFile: Fixture.path("n11/DetailedOrderList.xml"))
        #expect(first.sha256 == sha)
        #expect(try home.texts("SELECT sha256 FROM kaynak_dosyalar") == [sha])
        let before = try home.dump()
        let again = home.ingest("n11/DetailedOrderList.xml")
        #expect(again.status == .duplicate)
        #expect(again.summary == "DetailedOrderList.xml: duplicate of a file already ingested for demo; nothing changed")
        #expect(try home.dump() == before)
        #expect(try home.scalar("SELECT count(*) FROM kaynak_dosyalar") == 1)
    }

    /// A file as large as an earlier one may be the same content: its checksum is taken first,
    /// and only the same bytes are a duplicate.
    @Test func aFileOfTheSameSizeWithOtherContentIsIngested() throws {
        let home = try TestHome(mappings: ["hepsiburada.yaml"])
        let header = "Sipariş Numarası;Kalem Numarası;Sipariş Tarihi;Satıcı Stok Kodu;Adet;Faturalandırılacak Satış Fiyatı;KDV(%);Paket Durumu\n"
        let day1 = header + "1;K1;23-11-2026 10:00:00;A;1;10,00;20;Yeni\n"
        let day2 = header + "2;K2;23-11-2026 10:00:00;B;1;10,00;20;Yeni\n"
        #expect(day1.utf8.count == day2.utf8.count)
        #expect(try home.ingest(named: "day1.csv", bytes: Array(day1.utf8)).status == .ingested)
        let second = try home.ingest(named: "day2.csv", bytes: Array(day2.utf8))
        #expect(second.status == .ingested)
        #expect(second.ordersInserted == 1)
        #expect(try home.texts("SELECT siparis_numarasi FROM siparisler ORDER BY 1") == ["1", "2"])
        #expect(Set(try home.texts("SELECT sha256 FROM kaynak_dosyalar")).count == 2)
        #expect(try home.ingest(named: "day2-again.csv", bytes: Array(day2.utf8)).status == .duplicate)
    }

    @Test func anOverlappingExportUpdatesOrdersAndLinesInPlace() throws {
        let home = try TestHome(mappings: ["hepsiburada.yaml"])
        let header = "Sipariş Numarası;Kalem Numarası;Sipariş Tarihi;Satıcı Stok Kodu;Adet;Faturalandırılacak Satış Fiyatı;KDV(%);Paket Durumu\n"
        let first = header + "1;K1;23-11-2026 10:00:00;A;1;10,00;20;Yeni\n1;K2;23-11-2026 10:00:00;B;2;20,00;20;Yeni\n"
            + "2;K3;23-11-2026 10:00:00;C;1;5,00;20;Yeni\n"
        _ = try home.ingest(named: "day1.csv", bytes: Array(first.utf8))
        let orderID = try home.scalar("SELECT id FROM siparisler WHERE siparis_numarasi = '1'")
        let lineID = try home.scalar("SELECT id FROM siparis_urunleri WHERE satir_anahtari = 'K1'")
        // The next export: order 1 shipped and lost line K2; order 3 is new.
        let second = header + "1;K1;23-11-2026 10:00:00;A;1;10,00;20;Kargoya Verildi\n3;K4;24-11-2026 09:00:00;D;1;7,50;20;Yeni\n"
        let report = try home.ingest(named: "day2.csv", bytes: Array(second.utf8))
        #expect(report.ordersInserted == 1)
        #expect(report.ordersUpdated == 1)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 3)
        #expect(try home.scalar("SELECT id FROM siparisler WHERE siparis_numarasi = '1'") == orderID)
        #expect(try home.scalar("SELECT id FROM siparis_urunleri WHERE satir_anahtari = 'K1'") == lineID)
        #expect(try home.texts("SELECT satir_anahtari FROM siparis_urunleri WHERE siparis_id = \(orderID)") == ["K1"])
        #expect(try home.texts("SELECT durum || ' ' || toplam_tutar FROM siparisler WHERE id = \(orderID)") == ["kargoda 1000"])
    }

    @Test func anotherSellerDroppingTheSameFileGetsItsOwnOrders() throws {
        let home = try TestHome()
        _ = home.ingest("n11/DetailedOrderList.xml", seller: "a")
        #expect(home.ingest("n11/DetailedOrderList.xml", seller: "b").status == .ingested)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 4)
        #expect(try home.scalar("SELECT count(DISTINCT kullanici_id) FROM siparisler") == 2)
    }
}
