import Foundation
import OrderCore
@testable import OrderStore
@testable import Exporters
@testable import PraIngest
import Testing

/// ERP batch files: golden bytes per format, once per order and format, safe and atomic.
@Suite struct ERPExportTests {
    /// Every format, with the Luca per-invoice file, for the golden and simulation tests.
    static let allFormats = ExportHome.config.replacingOccurrences(
        of: "formats: [generic_csv, logo_invoice, logo_order, mikro, netsis]",
        with: "formats: [generic_csv, luca, logo_invoice, logo_order, mikro, netsis]")

    @Test func eachFormatMatchesItsGoldenFile() throws {
        let home = try ExportHome(configText: Self.allFormats)
        _ = home.base.ingest("erp/shopify.csv")
        _ = home.base.ingest("erp/n11.xml")
        let report = try home.exporter.run()
        #expect(report.invoices.count == 4)
        #expect(report.erpFiles == [
            "outbox/erp/generic_csv/demo-generic_csv-20261123-051320.csv",
            "outbox/erp/luca/demo-luca-20261123-051320.csv",
            "outbox/erp/logo_invoice/demo-logo_invoice-20261123-051320.xml",
            "outbox/erp/logo_order/demo-logo_order-20261123-051320.xml",
            "outbox/erp/mikro/demo-mikro-20261123-051320.csv",
            "outbox/erp/netsis/demo-netsis-20261123-051320.csv",
        ])
        // Companions: Logo's card for the company buyer, Mikro's service payload.
        let companions = ["outbox/erp/logo_invoice/demo-logo_invoice-20261123-051320-cari.xml",
                          "outbox/erp/mikro/demo-mikro-20261123-051320.json"]
        for file in report.erpFiles + companions {
            // Golden files hold the bytes as written: BOM, ISO-8859-9 and CRLF included.
            try expectGolden(try Data(contentsOf: URL(fileURLWithPath: home.path(file))), "erp/" + (file as NSString).lastPathComponent)
        }
    }

    @Test func anInvoiceTypeFormatWaitsForTheInvoiceAndAnOrderTypeOneDoesNot() throws {
        let config = ExportHome.config.replacingOccurrences(of: "    tax_id: \"1234567890\"\n",
                                                            with: "    tax_id: \"1234567890\"\n    issue_invoices: false\n")
        let home = try ExportHome(configText: config) // its provider issues them: PraIngest issues none
        _ = home.base.ingest("erp/n11.xml")
        let report = try home.exporter.run()
        #expect(report.erpFiles == ["outbox/erp/logo_order/demo-logo_order-20261123-051320.xml"])
        // The provider's invoice arrives: now the order goes out, with that invoice's number, ETTN and date.
        let invoice = try String(contentsOfFile: Fixture.path("inbox/QNB2026000000104.xml"), encoding: .utf8)
            .replacingOccurrences(of: "208000005", with: "210000002").replacingOccurrences(of: "75.50", with: "0.03")
        _ = try home.base.ingest(named: "qnb.xml", bytes: Array(invoice.utf8))
        home.restart()
        let files = try home.exporter.run(.erp(.generic_csv)).erpFiles
        #expect(files.count == 1)
        let csv = try String(contentsOfFile: home.path(files[0]), encoding: .utf8)
        #expect(csv.contains("23.11.2026;QNB2026000000104;210000002;N11;"))
        #expect(csv.contains(";0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104;EARSIVFATURA;10000000146;SATIS;;TRY;;;"))
    }

    /// The import simulation: every line of every file, recomputed from the file's own fields as
    /// the ERP does (price × quantity, KDV by rate rounded half away from zero), equals the UBL
    /// invoice's line to the kuruş; every record names the invoice's number, ETTN and date.
    @Test func everyERPLineRecomputesToItsInvoiceLine() throws {
        let home = try ExportHome(configText: Self.allFormats)
        _ = home.base.ingest("erp/shopify.csv")
        _ = home.base.ingest("erp/n11.xml")
        let report = try home.exporter.run()
        let invoices = try UBLLines.read(home)
        #expect(invoices.count == 4)
        for file in report.erpFiles where !file.contains("logo_order") {
            let records = try ERPImportSimulation.read(home.path(file))
            #expect(Set(records.map(\.invoiceNumber)) == Set(invoices.keys), "\(file)")
            for record in records {
                let invoice = try #require(invoices[record.invoiceNumber], "\(file)")
                if let uuid = record.uuid { #expect(uuid == invoice.uuid, "\(file)") }
                #expect(record.date == invoice.date, "\(file)")
                if let lines = record.lines {
                    #expect(lines == invoice.lines, "\(file) \(record.invoiceNumber)")
                } else {
                    #expect(record.totals == invoice.totals, "\(file) \(record.invoiceNumber)")
                }
            }
        }
    }

    @Test func aLargeBacklogIsSplitIntoFilesOfAtMostTheConfiguredSize() throws {
        let home = try ExportHome()
        _ = home.base.ingest("erp/shopify.csv")
        _ = home.base.ingest("erp/n11.xml")
        _ = try home.exporter.run(.ubl)
        home.exporter.ordersPerERPFile = 2
        let files = try home.exporter.run(.erp(.generic_csv)).erpFiles
        #expect(files == ["", "-2"].map { "outbox/erp/generic_csv/demo-generic_csv-20261123-051320\($0).csv" })
        // Together the files hold exactly the golden single file's orders, in the same order.
        let orderNumbers = try files.flatMap { try Self.orderNumbers(inGenericCSV: home.path($0)) }
        let golden = try Self.orderNumbers(inGenericCSV: Fixture.path("golden/erp/demo-generic_csv-20261123-051320.csv"))
        #expect(orderNumbers == golden)
        #expect(try home.exporter.run(.erp(.generic_csv)).erpFiles.isEmpty)
    }

    /// The distinct order numbers of a generic CSV file, in file order.
    static func orderNumbers(inGenericCSV path: String) throws -> [String] {
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\r\n").dropFirst()
        var seen: [String] = []
        for row in rows {
            let number = String(row.split(separator: ";", omittingEmptySubsequences: false)[2])
            if seen.last != number { seen.append(number) }
        }
        return seen
    }

    @Test func anOrderGoesToEachFormatOnce() throws {
        let home = try ExportHome()
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        #expect(try home.exporter.run().erpFiles.count == 5)
        #expect(try home.exporter.run().erpFiles.isEmpty)
        // A new file brings only its new orders.
        _ = home.base.ingest("trendyol/tum-siparisler.xlsx")
        home.restart()
        _ = try home.exporter.run(.ubl)
        let second = try home.exporter.run(.erp(.generic_csv))
        #expect(second.erpFiles == ["outbox/erp/generic_csv/demo-generic_csv-20261123-051320-2.csv"])
        let text = try String(contentsOfFile: home.path(second.erpFiles[0]), encoding: .utf8)
        #expect(!text.contains("205000001"))
        #expect(text.contains("800001"))
    }

    @Test func aBatchPlannedButNotWrittenIsWrittenAfterARestartWithTheSameOrders() throws {
        let home = try ExportHome()
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        let ledger = ERPExportLedger(store: home.base.ingestor.store)
        _ = try home.exporter.run(.ubl)
        let waiting = try ledger.ordersAwaitingExport(ExportFilter(seller: "demo"), format: "mikro", invoicedOnly: true, limit: 100)
        _ = try ledger.plan(sellerID: 1, format: "mikro", path: "erp/mikro/demo-mikro-crashed.csv",
                            orderIDs: waiting.map(\.id), now: "2026-11-23T05:13:20+03:00")
        home.restart()
        let report = try home.exporter.run(.erp(.mikro))
        #expect(report.erpFiles == ["outbox/erp/mikro/demo-mikro-crashed.csv"])
        #expect(try home.files("outbox/erp/mikro") == ["demo-mikro-crashed.csv", "demo-mikro-crashed.json"])
    }

    @Test func spreadsheetFormulasInInputDataAreNeutralised() throws {
        let home = try ExportHome()
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        try home.base.ingestor.store.db.execute("""
            UPDATE siparis_urunleri SET urun_adi = '=HYPERLINK("http://x";"y")' WHERE satir_anahtari = '11';
            UPDATE siparisler SET musteri_adi = '@SUM(A1)', firma_adi = NULL WHERE siparis_numarasi = '205000002';
            """)
        _ = try home.exporter.run(.ubl)
        let file = try home.exporter.run(.erp(.generic_csv)).erpFiles[0]
        let text = try String(contentsOfFile: home.path(file), encoding: .utf8)
        #expect(text.contains(";\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\";"))
        #expect(text.contains(";'@SUM(A1);"))
        #expect(!text.contains(";=") && !text.contains(";@"))
    }

    @Test func windows1254CSVForOlderTools() throws {
        let config = ExportHome.config.replacingOccurrences(of: "      accounts: { N11: \"120.02.001\" }\n",
                                                            with: "      accounts: { N11: \"120.02.001\" }\n      csv_encoding: windows-1254\n")
        let home = try ExportHome(configText: config)
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        _ = try home.exporter.run(.ubl)
        let file = try home.exporter.run(.erp(.generic_csv)).erpFiles[0]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: home.path(file)))
        #expect(bytes.prefix(3) != Data([0xEF, 0xBB, 0xBF]))
        #expect(String(data: bytes, encoding: .windowsCP1254)?.contains("Sipariş No;Platform;Cari Kod;Cari Ünvan") == true)
    }

    @Test(arguments: [("../../etc/x", "_._.._etc_x"), ("mağaza a", "ma_aza_a"), (".hidden", "_hidden"), ("ok-1_2.csv", "ok-1_2.csv")])
    func fileNamesNeverComeRawFromInputData(raw: String, safe: String) throws {
        #expect(OutboxWriter.safeName(raw) == safe)
    }

    @Test func aSellerCodeWithSlashesIsRefusedWhenPraYamlLoads() throws {
        let error = #expect(throws: MappingError.self) {
            _ = try ExportHome(configText: ExportHome.config.replacingOccurrences(of: "  demo:\n", with: "  \"../../x\":\n"))
        }
        #expect(error?.description == "pra.yaml:4:3: error: seller '../../x': a seller code is ASCII letters, digits, '-', '_' "
                + "and '.', starting with a letter or digit")
    }

    @Test func theOutboxNeverHoldsATemporaryFileAfterAWrite() throws {
        let home = try ExportHome()
        _ = home.base.ingest("n11/DetailedOrderList.xml")
        _ = try home.exporter.run()
        let all = FileManager.default.enumerator(atPath: home.path("outbox"))?.compactMap { $0 as? String } ?? []
        #expect(!all.contains { ($0 as NSString).lastPathComponent.hasPrefix(".") })
    }
}

/// The invoice's type and its exemption codes, as the KDV return declares them apart.
@Suite struct ERPInvoiceTypeTests {
    static func order(exemption: TaxExemption?) throws -> ERPOrder {
        let lines = [try InvoiceLine(name: "Kitap", sellerItemID: "K-1", quantity: 1, vatRate: 0, grossAmount: Money(minorUnits: 5_000),
                                     exemption: exemption),
                     try InvoiceLine(name: "Kupa", sellerItemID: "KP-1", quantity: 1, vatRate: 20, grossAmount: Money(minorUnits: 12_000))]
        return try ERPOrder(orderNumber: "1", documentSequence: 1, platform: "N11", orderDate: CivilDateTime(year: 2026, month: 11, day: 23),
                            accountCode: "120.01.001", buyer: InvoiceBuilder.customer(of: NormalizedOrder(orderNumber: "1",
                                position: SourcePosition(record: 1, line: 1))), invoice: nil, lines: lines)
    }

    @Test func anExemptionProperMakesTheInvoiceISTISNAAndEveryFormatSaysSo() throws {
        let exempt = try Self.order(exemption: TaxExemption(code: "350", reason: "Kitap"))
        #expect(exempt.invoiceType == .ISTISNA)
        #expect(LucaCSVWriter.typeAndExemption(exempt) == "ISTISNA 350")
        let zeroRate = try Self.order(exemption: .zeroRate)
        #expect(zeroRate.invoiceType == .SATIS)
        #expect(LucaCSVWriter.typeAndExemption(zeroRate) == "SATIS 351")
        let batch = ERPBatch(seller: "demo", createdAt: CivilDateTime(year: 2026, month: 11, day: 23), orders: [exempt])
        let csv = String(decoding: ERPWriter.write(batch, format: .generic_csv, options: ERPOptions()), as: UTF8.self)
        #expect(csv.contains(";ISTISNA;350;TRY;;;") && csv.contains(";ISTISNA;;TRY;;;"), "\(csv)")
    }
}
