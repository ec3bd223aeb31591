import Foundation
import OrderCore
@testable import OrderStore
import Parsers
@testable import PraIngest
import Testing

/// One fixture per kind of malformation: the exact error, and the good records still land.
@Suite struct BadInputTests {
    @Test func eachBadHepsiburadaRecordIsRejectedWithFileLineFieldAndReasonWhileGoodOnesLand() throws {
        let home = try TestHome()
        let report = home.ingest("hepsiburada/hb-siparisler.csv")
        #expect(report.status == .partial)
        #expect(report.ordersInserted == 3)
        let messages = report.rejected.map(\.description)
        #expect(messages.count == 4)
        #expect(messages[0].hasPrefix("line 5, order 4100003, \"Faturalandırılacak Birim Satış Fiyatı\", → birim_fiyat: '123.45' is not a number"))
        #expect(messages[2].hasPrefix("line 6, order 4100004, \"Sipariş Tarihi\", → siparis_tarihi: '31-02-2026 10:00:00' is not a date"))
        #expect(messages[3].hasPrefix("line 7, order 4100005, \"Adet\", → adet: the line has no quantity"))
        #expect(messages.allSatisfy { $0.contains("(rule ") && $0.contains("hepsiburada.yaml:") })
        // The Excel-mangled barcode is a descriptive field: the order lands, the barcode stays empty, with a warning.
        #expect(report.warnings.map(\.description) == [
            "line 4, order 4100002, \"Barkod\", → barkod: warning: '8,69123E+12' is in scientific notation: Excel rounded this "
                + "number and its digits are lost; export the file again without opening it in Excel, or format the column as "
                + "text (rule mappings/hepsiburada.yaml:36:3); stored empty, the order landed",
        ])
        #expect(try home.texts("SELECT coalesce(barkod, 'NULL') FROM siparis_urunleri WHERE satir_anahtari = 'K3'") == ["NULL"])
        // The good orders are there; the decimal-dot amount was not silently read as 12345.
        #expect(try home.texts("SELECT siparis_numarasi FROM siparisler ORDER BY 1") == ["4100001", "4100002", "4100006"])
        #expect(try home.scalar("SELECT count(*) FROM siparisler WHERE siparis_numarasi = '4100003'") == 0)
        // Every rejected record and every warning is in hata_log with the raw row and its severity, keyed by the file.
        let logged = try home.texts("SELECT seviye || ' ' || raw_response FROM hata_log ORDER BY id")
        #expect(logged.count == 4)
        #expect(logged[0].hasPrefix("uyari "))
        #expect(logged[0].contains("\"Barkod\":\"8,69123E+12\""))
        #expect(logged[0].contains("\"line\":4"))
        #expect(logged[1...].allSatisfy { $0.hasPrefix("hata ") })
    }

    @Test func aDryRunReportsWhatWouldLandAndBeRejectedAndStoresNothing() throws {
        let home = try TestHome()
        let path = Fixture.path("hepsiburada/hb-siparisler.csv")
        let dry = home.ingestor.ingest(path: path, seller: "demo", dryRun: true)
        #expect(dry.status == .partial)
        #expect(dry.mapping == "hepsiburada")
        #expect(dry.ordersInserted == 3)
        #expect(dry.rejectedCount == 3)
        #expect(dry.rejected.count == 4) // one record has two problems
        #expect(dry.warningCount == 1)
        #expect(dry.rejected.map(\.description).first?.hasPrefix("line 5, order 4100003, \"Faturalandırılacak Birim Satış Fiyatı\"") == true)
        #expect(dry.summary == "hb-siparisler.csv: dry run, nothing stored: 3 orders (3 new, 0 updated), \(dry.linesWritten) lines, "
                + "3 rejected, 1 with warnings; note: 2 optional sources matched nothing in the file, read as empty: "
                + "\"Kargo Kabul Tarihi\", \"İade edildi mi?\" [hepsiburada]")
        for table in ["siparisler", "siparis_urunleri", "kaynak_dosyalar", "hata_log", "kullanicilar", "platformlar", "entegrasyonlar"] {
            #expect(try home.scalar("SELECT count(*) FROM \(table)") == 0, "\(table)")
        }
        // Nothing was recorded, so the real ingest afterwards is no duplicate and finds the same.
        let real = home.ingest("hepsiburada/hb-siparisler.csv")
        #expect(real.status == dry.status && real.warnings.map(\.description) == dry.warnings.map(\.description))
        #expect(real.ordersInserted == dry.ordersInserted && real.rejectedCount == dry.rejectedCount && real.linesWritten == dry.linesWritten)
        #expect(real.rejected.map(\.description) == dry.rejected.map(\.description))
        // A dry run of what is stored now says what the ingest would: a duplicate, nothing new.
        #expect(home.ingestor.ingest(path: path, seller: "demo", dryRun: true).status == .partial)
    }

    @Test func aDryRunOfACutOffFileFailsWithThePlace() throws {
        let home = try TestHome()
        let dry = home.ingestor.ingest(path: Fixture.path("n11/DetailedOrderList-truncated.xml"), seller: "demo", dryRun: true)
        #expect(dry.status == .failed)
        #expect(dry.error?.message == "line 90, column 40: the XML is not well-formed: a tag is cut short (nothing of the file was "
                + "stored; 5 orders before that point will land with the corrected file)")
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
    }

    @Test func truncatedXMLLandsNothingAndNamesLineAndColumn() throws {
        let home = try TestHome()
        let report = home.ingest("n11/DetailedOrderList-truncated.xml")
        #expect(report.status == .failed)
        #expect(report.ordersInserted == 0)
        #expect(report.error?.code == .malformed)
        // Five orders end before the cut: each counts as its end tag is read.
        // The place is where the cut tag (`</orderNum`) begins.
        #expect(report.error?.message == "line 90, column 40: the XML is not well-formed: a tag is cut short (nothing of the file "
                + "was stored; 5 orders before that point will land with the corrected file)")
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
        #expect(try home.scalar("SELECT count(*) FROM kaynak_dosyalar") == 0)
    }

    /// Cut right after a complete tag inside an order (every tag whole, the order never closed):
    /// still a cut-off file, with the place where it ends, and nothing stored.
    @Test func xmlCutBetweenTagsInsideAnOrderLandsNothing() throws {
        let home = try TestHome()
        let cut = try String(contentsOfFile: Fixture.path("n11/DetailedOrderList-truncated.xml"), encoding: .utf8) + "ber>"
        let report = try home.ingest(named: "DetailedOrderList-cut.xml", bytes: Array(cut.utf8))
        #expect(report.mapping == "n11")
        #expect(report.status == .failed)
        #expect(report.error?.code == .malformed)
        #expect(report.error?.message.hasPrefix("line 90, column 54: the XML is cut short: 5 element(s) are never closed") == true,
                "\(report.error?.message ?? "no error")")
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
    }

    @Test func xmlWithAnExternalEntityIsRefusedAndNothingIsRead() throws {
        let home = try TestHome()
        let report = home.ingest("n11/DetailedOrderList-xxe.xml")
        #expect(report.status == .failed)
        #expect(report.error?.message.contains("DOCTYPE") == true)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
        #expect(try home.scalar("SELECT count(*) FROM hata_log WHERE hata_mesaji LIKE '%root:%'") == 0)
    }

    @Test func aFileNoMappingMatchesSaysWhatEachMappingExpected() throws {
        let home = try TestHome()
        let report = try home.ingest(named: "stok.csv", bytes: Array("Ürün;Stok\nKalem;5\n".utf8))
        #expect(report.error?.code == .noMapping)
        #expect(report.error?.message.contains("trendyol: no column \"Sipariş Numarası\"") == true)
        #expect(try home.scalar("SELECT count(*) FROM hata_log") == 1)
    }

    @Test func twoMappingsClaimingOneFileIsAnError() throws {
        let copy = try String(contentsOf: Fixture.root.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("mappings/amazon.yaml"), encoding: .utf8)
        let home = try TestHome(mappings: ["amazon.yaml"], extraMappings: ["amazon-copy.yaml": copy])
        let report = home.ingest("amazon/all-orders.txt")
        #expect(report.error?.code == .ambiguousMapping)
        #expect(report.error?.message.contains("amazon.yaml") == true)
        #expect(report.error?.message.contains("amazon-copy.yaml") == true)
    }

    @Test func rowsOfOneOrderThatComeApartAreRejectedNotMerged() throws {
        let home = try TestHome(mappings: ["hepsiburada.yaml"])
        let csv = """
            Sipariş Numarası;Kalem Numarası;Sipariş Tarihi;Satıcı Stok Kodu;Adet;Faturalandırılacak Satış Fiyatı;KDV(%);Paket Durumu
            1;K1;23-11-2026 10:00:00;A;1;10,00;20;Yeni
            2;K2;23-11-2026 10:00:00;B;1;10,00;20;Yeni
            1;K3;23-11-2026 10:00:00;C;1;10,00;20;Yeni

            """
        let report = try home.ingest(named: "hb.csv", bytes: Array(csv.utf8))
        #expect(report.ordersInserted == 2)
        #expect(report.rejected.map(\.description) == [
            "line 4, order 1: the order appears again, apart from its earlier rows; the rows of one order must be together (sort the file by order number)",
        ])
    }

    @Test func invalidUTF8InAFileDeclaredUTF8IsRejectedNotMangled() throws {
        let home = try TestHome(mappings: ["shopify.yaml"])
        var bytes = Array("Name,Financial Status,Fulfillment Status,Cancelled at,Shipping,Lineitem discount,Lineitem quantity,Lineitem price,Lineitem name,Total,Created at\n".utf8)
        bytes += Array("#1,paid,,,0.00,0.00,1,10.00,".utf8) + [0x53, 0xFE, 0x6B] + Array(",10.00,2025-01-01 10:00:00 +0300\n".utf8)
        let report = try home.ingest(named: "orders.csv", bytes: bytes)
        #expect(report.rejected.map(\.description) == [
            "line 2, order #1, \"Lineitem name\": the text is not valid UTF-8; set `encoding:` in the mapping (e.g. windows-1254)",
        ])
    }

    @Test func rejectFilePolicyLandsNothingOfAFileWithABadRecord() throws {
        let strict = try String(contentsOf: Fixture.root.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("mappings/hepsiburada.yaml"), encoding: .utf8) + "\non_record_error: reject_file\n"
        let home = try TestHome(mappings: [], extraMappings: ["hepsiburada.yaml": strict])
        let report = home.ingest("hepsiburada/hb-siparisler.csv")
        #expect(report.status == .failed)
        #expect(report.error?.code == .rejectedRecords)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
        #expect(try home.scalar("SELECT count(*) FROM kaynak_dosyalar") == 0)
    }
}

/// One error type for a file's failure: it keeps its place and its cause, and whether a retry
/// may help is decided by what failed, not guessed.
@Suite struct IngestErrorTests {
    @Test func anErrorThatWouldRecurIsNeverRetriedAndOneThatMayPassIs() {
        let constraint = IngestError(StoreError(code: 19, message: "UNIQUE constraint failed", sql: nil), file: "f.csv")
        #expect(constraint.code == .internal)
        #expect(constraint.cause?.contains("UNIQUE constraint failed") == true)
        #expect(IngestError(StoreError(code: 5, message: "database is locked", sql: nil), file: "f.csv").code == .store)
        #expect(IngestError(StoreError(code: 10 | (3 << 8), message: "disk I/O error", sql: nil), file: "f.csv").code == .store)
        struct Unexpected: Error {}
        #expect(IngestError(Unexpected(), file: "f.csv").code == .internal)
        let parse = IngestError(ParseError(.malformed, file: "f.xml", line: 14, column: 3, message: "not well-formed"), file: "f.xml")
        #expect(parse.code == .malformed && parse.line == 14 && parse.column == 3)
        #expect(parse.message == "line 14, column 3: not well-formed")
    }
}
