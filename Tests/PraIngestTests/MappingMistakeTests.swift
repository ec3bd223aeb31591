import Foundation
import OrderCore
@testable import Parsers
@testable import PraIngest
import Testing

/// An admin's mistakes in a mapping, planted in the shipped ones and run on files in the
/// platforms' layouts: each fails or warns by name, and none lands a wrong value with exit 0.
/// The correct mappings beside them land every order exactly.
@Suite struct MappingMistakeTests {
    static let wooFile = "mistakes/woocommerce-rest-orders.json"

    /// The shipped mapping's text, without its tests when `dropTests` (a planted mistake would fail
    /// them, and the mapping would not be used at all: here the mistake must be caught on the file).
    static func shipped(_ name: String, dropTests: Bool = true) throws -> String {
        let text = try String(contentsOf: Fixture.root.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("mappings/\(name).yaml"), encoding: .utf8)
        return dropTests ? String(text.split(separator: "\ntests:")[0]) + "\n" : text
    }

    /// `mapping` with `old` replaced (which must be there) by `new`.
    static func planted(_ mapping: String, _ old: String, _ new: String) -> String {
        precondition(mapping.contains(old), "the mistake's place is gone: \(old)")
        return mapping.replacingOccurrences(of: old, with: new)
    }

    /// A home with only this WooCommerce mapping.
    static func wooHome(_ mapping: String) throws -> TestHome {
        try TestHome(mappings: [], extraMappings: ["woocommerce-rest.yaml": mapping])
    }

    /// A web shop's `;` CSV mapping (order number and a line's code, quantity, amount and rate), with
    /// these order and line rules added (each indented by two).
    static func webShop(order: String, line: String = "") -> String {
        """
        platform: Web Mağaza
        platform_type: webshop
        match: { header: ["Sipariş No", "Ürün Kodu"] }
        format: { type: csv, separator: ";", decimal: comma }
        records: { group_by: Sipariş No }
        reconcile_totals: false
        order:
          siparis_numarasi: Sipariş No
        \(order)
        line:
          sku: Ürün Kodu
          adet: Adet
          toplam_fiyat: Tutar
          kdv_orani: KDV
        \(line)

        """
    }

    @Test func theCorrectMappingLandsEveryOrderFeeAndRefundExactly() throws {
        let home = try TestHome(mappings: ["woocommerce-rest.yaml"])
        let report = home.ingest(Self.wooFile)
        #expect(report.status == .ingested, "\(report.summary)")
        #expect(report.ordersInserted == 3 && report.linesWritten == 9)
        #expect(try home.texts("SELECT siparis_numarasi || ' ' || durum || ' ' || toplam_tutar || ' ' || kargo_ucreti || ' ' "
                               + "|| coalesce(CAST(iade_tutari AS TEXT), '-') || ' ' || coalesce(vergi_numarasi, '-') FROM siparisler ORDER BY 1") == [
            "1001 hazirlaniyor 116980 4990 0 -",
            "1002 teslim_edildi 144382 0 14382 4567890128",
            "1003 yeni 54000 0 0 -",
        ])
        // Four fee elements are four invoice lines, each named as the shop names it.
        #expect(try home.texts("""
            SELECT u.satir_anahtari || ' ' || u.toplam_fiyat || ' ' || u.kdv_orani || ' ' || u.urun_adi FROM siparis_urunleri u
            JOIN siparisler s ON s.id = u.siparis_id WHERE s.siparis_numarasi = '1003' ORDER BY 1
            """) == ["340 50000 20 Ahşap Kesme Tahtası", "341 1000 20 Hediye paketi", "342 1000 20 Not kartı",
                     "343 1000 20 Hızlı gönderim", "344 1000 20 Sigortalı kargo"])
    }

    @Test func aRequiredPathThatMatchesNothingRejectsEveryRecordNamingIt() throws {
        let home = try Self.wooHome(Self.planted(try Self.shipped("woocommerce-rest"), "toplam_tutar: total\n", "toplam_tutar: totals\n"))
        let dry = home.ingestor.ingest(path: Fixture.path(Self.wooFile), seller: "demo", dryRun: true)
        let report = home.ingest(Self.wooFile)
        #expect(report.status == .failed)
        #expect(report.rejectedCount == 3)
        #expect(report.rejected.first?.description.contains("no element matched \"totals\" here") == true, "\(report.rejected)")
        #expect(report.summary.contains("every record was rejected"))
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
        // The dry run said the same before anything was stored.
        #expect(dry.status == .failed && dry.rejected.map(\.description) == report.rejected.map(\.description))
    }

    @Test(arguments: [
        ("{shipping_total} + {shipping_tax}", "{shiping_total} + {shipping_tax}", "\"shiping_total\""),
        ("toplam_fiyat: { expr: \"{total} + {total_tax}\" }", "toplam_fiyat: { expr: \"{totl} + {total_tax}\" }", "\"totl\""),
    ])
    func aTypoInsideAnExpressionRejectsTheRecordsNamingTheField(good: String, typo: String, named: String) throws {
        let home = try Self.wooHome(Self.planted(try Self.shipped("woocommerce-rest"), good, typo))
        let report = home.ingest(Self.wooFile)
        #expect(report.status == .failed)
        #expect(report.rejectedCount == 3)
        #expect(report.rejected.allSatisfy { $0.description.contains("no element matched \(named)") }, "\(report.rejected)")
    }

    @Test func aWrongRecordsPathFailsTheFileNamingThePath() throws {
        let home = try Self.wooHome(Self.planted(try Self.shipped("woocommerce-rest"), "record: item\n", "record: order\n"))
        let report = home.ingest(Self.wooFile)
        #expect(report.status == .failed)
        #expect(report.error?.code == .noRecords)
        #expect(report.error?.message.hasPrefix("no records at \"order\"") == true, "\(report.error?.message ?? "")")
        let dry = home.ingestor.ingest(path: Fixture.path(Self.wooFile), seller: "demo", dryRun: true)
        #expect(dry.status == .failed && dry.error?.message == report.error?.message)
    }

    @Test func aWrongLinesPathRejectsOrdersEvenWithFeeLines() throws {
        let home = try Self.wooHome(Self.planted(try Self.shipped("woocommerce-rest"), "lines: line_items\n", "lines: items\n"))
        let report = home.ingest(Self.wooFile)
        #expect(report.status == .failed)
        #expect(report.rejected.contains { $0.description.contains("the order has no lines (no element matched the lines path \"items\")") })
    }

    @Test func aMisspelledPredicateValueIsAWarningThatNamesWhatTheFileHas() throws {
        let typo = Self.planted(try Self.shipped("woocommerce-rest"), "_billing_tax_number", "_billing_tax_numbr")
        let home = try Self.wooHome(typo)
        let report = home.ingest(Self.wooFile)
        #expect(report.ordersInserted == 3)
        #expect(report.status == .partial, "a wrong invoice profile must not pass with exit 0: \(report.summary)")
        let warning = report.unmatched.first { $0.isWarning }
        #expect(warning?.target == .vergi_numarasi)
        #expect(report.summary.contains("warning: nothing in the file matched \"meta_data[key='_billing_tax_numbr']/value\" "
                                        + "(→ vergi_numarasi, rule mappings/woocommerce-rest.yaml:37:3); the file has \"meta_data\" "
                                        + "elements with '_billing_tax_number' where the path has [key='_billing_tax_numbr']"),
                "\(report.summary)")
        // The same planted mistake with the mapping's own test still in it: check refuses the mapping.
        let withTests = try Self.wooHome(Self.planted(try Self.shipped("woocommerce-rest", dropTests: false),
                                                      "_billing_tax_number'", "_billing_tax_numbr'"))
        let checked = MappingRegistry(directory: withTests.home.mappings)
        #expect(checked.mappings.isEmpty)
        let all = checked.problems.flatMap { [$0] + $0.more }.map(\.description).joined(separator: "\n")
        #expect(all.contains("expected 0 warnings, got 1") && all.contains("vergi_numarasi: expected '4567890128'"), "\(all)")
    }

    @Test func anOptionalColumnALetterOffIsAWarningAndOneTheExportLacksIsANote() throws {
        let csv = "\u{FEFF}Sipariş No;Ürün Kodu;Adet;Tutar;KDV;Vergi Numarası;Müşteri\r\n"
            + "W-1;A;1;120,00;20;4567890128;Kuzey Yazılım A.Ş.\r\nW-2;B;2;50,00;10;;Ayşe Yılmaz\r\n"
        let mapping = Self.webShop(order: """
              vergi_numarasi: { from: Vergi Numarsı, optional: true }
              musteri_telefon: { from: Telefon, optional: true }
              musteri_adi: Müşteri
            """)
        let home = try TestHome(mappings: [], extraMappings: ["web.yaml": mapping])
        let report = try home.ingest(named: "siparisler.csv", bytes: Array(csv.utf8))
        #expect(report.ordersInserted == 2)
        #expect(report.status == .partial)
        #expect(report.summary.contains("warning: nothing in the file matched \"Vergi Numarsı\" (→ vergi_numarasi, rule "
                                        + "mappings/web.yaml:9:3); the file has a column \"Vergi Numarası\""), "\(report.summary)")
        #expect(report.summary.contains("note: 1 optional source matched nothing in the file, read as empty: \"Telefon\""))
        // Fixed, the same file lands whole; "Telefon" stays a note (this export has no phone column).
        let fixed = try TestHome(mappings: [], extraMappings: ["web.yaml": mapping.replacingOccurrences(of: "Numarsı", with: "Numarası")])
        let again = try fixed.ingest(named: "siparisler.csv", bytes: Array(csv.utf8))
        #expect(again.status == .ingested, "\(again.summary)")
        #expect(try fixed.texts("SELECT coalesce(vergi_numarasi, '-') FROM siparisler ORDER BY siparis_numarasi") == ["4567890128", "-"])
    }

    @Test(arguments: [
        ("dd.MM.yyyy HH:MM", "the month is written 2 times ('M') (months are MM, minutes mm)"),
        ("dd.MM.yyyy HH", "hours without minutes"),
        ("dd.MM.yyyy hh:mm", "a 12-hour clock (h) needs AM/PM (a)"),
        ("yyyy-MM-dd'T'HH:mm:ss'", "never closed"),
        ("dd.MM.yyyy Saat HH:mm", "'Saat' is no pattern: write literal text in single quotes ('Saat')"),
        ("dd.MM.yyyy HH:mm:ss:ss", "the second is written 2 times"),
    ])
    func aDatePatternThatCannotMeanWhatItsWriterMeantFailsAtItsLine(pattern: String, message: String) throws {
        let text = Self.planted(try Self.shipped("woocommerce-rest"), "date: [\"yyyy-MM-dd'T'HH:mm:ss\"] }\n  guncelleme",
                                "date: [\"\(pattern)\"] }\n  guncelleme")
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("siparis_tarihi:") }! + 1
        #expect {
            _ = try MappingFileLoader.load(text: text, file: "woocommerce-rest.yaml")
        } throws: { error in
            let d = (error as? MappingError)?.description ?? ""
            return d.contains("woocommerce-rest.yaml:\(line):") && d.contains(message)
        }
    }

    @Test func quotedLiteralTextInADatePatternReads() {
        let f = DateFormat(name: "dd.MM.yyyy 'Saat' HH:mm")!
        #expect(DateFormat.problem(inPattern: "dd.MM.yyyy 'Saat' HH:mm") == nil)
        #expect(f.parse("03.12.2026 Saat 14:05", zone: TimeZone(identifier: "Europe/Istanbul")!)?.description
                == "2026-12-03T14:05:00+03:00")
    }

    @Test func rowsOfOneOrderThatDisagreeOnAnAmountRejectItAndOnANameWarn() throws {
        let csv = "Sipariş No;Ürün Kodu;Adet;Tutar;KDV;Sipariş Toplamı;Müşteri\n"
            + "W-1;A;1;100,00;20;150,00;Ayşe Yılmaz\nW-1;B;1;50,00;20;160,00;Ayşe Yılmaz\n"
            + "W-2;C;1;70,00;20;70,00;Ali Veli\nW-2;D;0;0,00;20;;Ali Velii\n"
        let mapping = Self.webShop(order: """
              toplam_tutar: Sipariş Toplamı
              musteri_adi: Müşteri
            """, line: """
              satir_durumu: { from: Adet, map: { "0": iptal }, map_default: yeni }
            """)
        let home = try TestHome(mappings: [], extraMappings: ["web.yaml": mapping])
        let report = try home.ingest(named: "siparisler.csv", bytes: Array(csv.utf8))
        #expect(report.rejectedCount == 1)
        #expect(report.rejected.first?.description.contains("the order's rows disagree: '150,00' on line 2, '160,00' on line 3; an order "
                                                             + "has one toplam_tutar") == true, "\(report.rejected)")
        #expect(report.warnings.first?.description.contains("'Ali Veli' on line 4, 'Ali Velii' on line 5; an order has one musteri_adi "
                                                            + "(the first row's is kept)") == true, "\(report.warnings)")
        #expect(try home.texts("SELECT siparis_numarasi || ' ' || musteri_adi FROM siparisler") == ["W-2 Ali Veli"])
        #expect(report.status == .partial)
    }

    @Test func checkFindsMappingsThatClaimTheSameFilesAndPrioritySettlesIt() throws {
        // An admin's mapping for a Trendyol export variant, written beside the shipped one.
        let variant = Self.planted(try Self.shipped("trendyol", dropTests: false), "platform: Trendyol\n", "platform: Trendyol Özel\n")
        let home = try TestHome(mappings: ["trendyol.yaml"], extraMappings: ["trendyol-ozel.yaml": variant])
        let findings = MappingRegistry(directory: home.home.mappings).findings()
        #expect(findings.contains { $0.isError && $0.file == "mappings/trendyol-ozel.yaml"
            && $0.message.contains("mappings/trendyol.yaml also claims the input of test") }, "\(findings)")
        let ambiguous = home.ingest("trendyol/tum-siparisler.xlsx")
        #expect(ambiguous.error?.code == .ambiguousMapping)
        #expect(ambiguous.error?.message.contains("priority:") == true)
        // priority: settles it without editing the shipped mapping.
        let preferred = try TestHome(mappings: ["trendyol.yaml"], extraMappings: ["trendyol-ozel.yaml": "priority: 10\n" + variant])
        #expect(MappingRegistry(directory: preferred.home.mappings).findings().filter(\.isError).isEmpty)
        #expect(preferred.ingest("trendyol/tum-siparisler.xlsx").mapping == "trendyol-ozel")
    }

    @Test func absentColumnsSayWhatAMappingIsNot() throws {
        let variant = Self.planted(Self.planted(try Self.shipped("trendyol", dropTests: false), "platform: Trendyol\n",
                                                "platform: Trendyol Özel\n"),
                                   "match:\n", "match:\n  absent_columns: [Kargo Kodu]\n")
        let home = try TestHome(mappings: ["trendyol.yaml"], extraMappings: ["trendyol-ozel.yaml": variant])
        let report = home.ingest("trendyol/tum-siparisler.xlsx")
        #expect(report.mapping == "trendyol", "\(report.summary)")
    }

    @Test func aDisabledMappingThatAloneMatchesIsNamedWithWhy() throws {
        let broken = Self.planted(try Self.shipped("hepsiburada", dropTests: false), "toplam_tutar: ", "toplam_tutar_x: ")
            .replacingOccurrences(of: "toplam_tutar_x: ", with: "toplam_tutar: ")
        // A test expectation that no longer holds (the mapping is loaded, its tests fail).
        let failing = Self.planted(broken, "expect:\n", "expect:\n      - siparis_numarasi: \"0\"\n")
        let home = try TestHome(mappings: [], extraMappings: ["hepsiburada.yaml": failing])
        let report = home.ingest("hepsiburada/hb-siparisler.csv")
        #expect(report.error?.code == .noMapping)
        #expect(report.error?.message.hasPrefix("only mappings/hepsiburada.yaml matches this file, and it is not used: its test") == true,
                "\(report.error?.message ?? "")")
    }

    @Test func aFileIngestedAgainAfterAMappingFixSupersedesWhatItsEarlierIngestStored() throws {
        // The admin's first version reads the order number from the wrong key and the status too far.
        let wrong = Self.planted(Self.planted(try Self.shipped("woocommerce-rest"), "siparis_numarasi: number\n",
                                              "siparis_numarasi: id\n"), "processing: hazirlaniyor", "processing: teslim_edildi")
        let home = try Self.wooHome(wrong)
        #expect(home.ingest(Self.wooFile).status == .ingested)
        #expect(try home.texts("SELECT siparis_numarasi FROM siparisler ORDER BY 1") == ["7271", "7275", "7280"])
        // Fixed, the same content: not a duplicate with --force, and what the wrong run stored is gone.
        try Data(try Self.shipped("woocommerce-rest").utf8).write(to: home.home.mappings.appendingPathComponent("woocommerce-rest.yaml"))
        home.ingestor.registry = MappingRegistry(directory: home.home.mappings)
        #expect(home.ingest(Self.wooFile).status == .duplicate)
        let forced = home.ingestor.ingest(path: Fixture.path(Self.wooFile), seller: "demo", force: true)
        #expect(forced.status == .ingested, "\(forced.summary)")
        #expect(forced.summary.contains("supersedes the earlier ingest of this content (3 orders only it had were removed)"))
        #expect(try home.texts("SELECT siparis_numarasi || ' ' || durum FROM siparisler ORDER BY 1")
                == ["1001 hazirlaniyor", "1002 teslim_edildi", "1003 yeni"])
        #expect(try home.scalar("SELECT count(*) FROM siparis_urunleri") == 9)
    }

    @Test func aFixedStatusMovesBackWhenTheSameContentIsIngestedAgain() throws {
        let wrong = Self.planted(try Self.shipped("woocommerce-rest"), "processing: hazirlaniyor", "processing: teslim_edildi")
        let home = try Self.wooHome(wrong)
        _ = home.ingest(Self.wooFile)
        #expect(try home.texts("SELECT durum FROM siparisler WHERE siparis_numarasi = '1001'") == ["teslim_edildi"])
        try Data(try Self.shipped("woocommerce-rest").utf8).write(to: home.home.mappings.appendingPathComponent("woocommerce-rest.yaml"))
        home.ingestor.registry = MappingRegistry(directory: home.home.mappings)
        let forced = home.ingestor.ingest(path: Fixture.path(Self.wooFile), seller: "demo", force: true)
        #expect(forced.ordersUpdated == 3 && forced.ordersInserted == 0, "\(forced.summary)")
        #expect(try home.texts("SELECT durum FROM siparisler WHERE siparis_numarasi = '1001'") == ["hazirlaniyor"])
    }

    @Test func theCommandLineExitsNonZeroOnEveryPlantedMistakeAndTheDryRunExitsAlike() throws {
        let binary = CrashTests.binary
        func run(_ home: TestHome, _ args: [String]) throws -> (status: Int32, output: String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = args + ["--home", home.root.path, "--no-export", Fixture.path(Self.wooFile)]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        let mistakes = [
            ("toplam_tutar: total\n", "toplam_tutar: totals\n"),
            ("_billing_tax_number'", "_billing_tax_numbr'"),
            ("record: item\n", "record: items\n"),
        ]
        for (good, bad) in mistakes {
            let home = try Self.wooHome(Self.planted(try Self.shipped("woocommerce-rest"), good, bad))
            let dry = try run(home, ["ingest", "--dry-run"])
            let real = try run(home, ["ingest"])
            #expect(real.status != 0, "\(bad): \(real.output)")
            #expect(dry.status == real.status, "\(bad): \(dry.output)")
            #expect(dry.output.contains("dry run, nothing stored"))
        }
        let good = try Self.wooHome(try Self.shipped("woocommerce-rest"))
        #expect(try run(good, ["ingest", "--dry-run"]).status == 0)
        #expect(try run(good, ["ingest"]).status == 0)
    }
}
