import Foundation
import Forecasting
import OrderCore
@testable import OrderStore
@testable import PraIngest
import Testing

/// Two years of daily sales of SKUs of known shapes, sold on Hepsiburada and Shopify together
/// with cancelled and returned orders among them (`Tests/Fixtures/forecast`, made by
/// `generate_forecast.py`), forecast from 2026-11-01 and compared with the true daily means.
@Suite struct ForecastTests {
    static let asOf = CalendarDay(iso: "2026-11-01")!

    /// A home with both platforms' orders and the stock list ingested.
    static func home() throws -> TestHome {
        let home = try TestHome()
        for file in ["forecast/hb-siparisler-2y.csv", "forecast/shopify-2y.csv", "forecast/stok.csv"] {
            let report = home.ingest(file)
            #expect(report.status != .failed, "\(file): \(report.summary)")
        }
        return home
    }

    /// A report of the outbox: its rows as cells, after checking the BOM, the CRLFs and the header.
    static func rows(_ home: TestHome, _ name: String, header: String) throws -> [[String]] {
        let bytes = try [UInt8](Data(contentsOf: home.home.outbox.appendingPathComponent("reports/" + name)))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name) starts with a BOM")
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        var lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.removeFirst() == header)
        return lines.map { $0.components(separatedBy: ";") }
    }

    static func number(_ cell: String) -> Double { Double(cell.replacingOccurrences(of: ",", with: ".")) ?? .nan }

    @Test func forecastsEachSKUByItsClassAndCloseToTheTruth() throws {
        let home = try Self.home()
        var options = ForecastRun.Options(asOf: Self.asOf)
        options.backtest = true
        let summary = try ForecastRun(options: options, outbox: OutboxWriter(root: home.home.outbox))
            .run(store: home.ingestor.store, sellers: [])
        #expect(summary.skus == 7)
        let rows = try Self.rows(home, "forecast-2026-11-01.csv", header: "seller;sku;date;forecast;lo80;hi80;lo95;hi95;method;class")
        #expect(rows.count == 7 * 28)
        var classes: [String: String] = [:], methods: [String: String] = [:]
        var forecast: [String: [Double]] = [:]
        for r in rows {
            #expect(r.count == 10)
            #expect(r[0] == "demo")
            classes[r[1]] = r[9]
            methods[r[1]] = r[8]
            forecast[r[1], default: []].append(Self.number(r[3]))
            let (f, lo80, hi80, lo95, hi95) = (Self.number(r[3]), Self.number(r[4]), Self.number(r[5]), Self.number(r[6]), Self.number(r[7]))
            #expect(0 <= lo95 && lo95 <= lo80 && lo80 <= f && f <= hi80 && hi80 <= hi95, "\(r)")
        }
        #expect(rows.first?[2] == "2026-11-01" && rows[27][2] == "2026-11-28")
        #expect(classes == ["KUPA-01": "smooth", "TSH-01-M": "smooth", "CAY-500": "smooth", "ASKI-9": "intermittent",
                            "KILIF-X": "intermittent", "SEHPA-2": "lumpy", "LAMBA-NEW": "new"])
        #expect(methods["SEHPA-2"] == "tsb" && methods["ASKI-9"] == "croston_sba" && methods["LAMBA-NEW"] == "seasonal_naive")
        #expect(methods["KUPA-01"]?.hasPrefix("ets_") == true)

        // The truth: each SKU's expected demand of each of the 28 days.
        let truthText = try String(contentsOf: URL(fileURLWithPath: Fixture.path("forecast/truth.csv")), encoding: .utf8)
        var truth: [String: [Double]] = [:]
        for line in truthText.split(separator: "\n").dropFirst() {
            let c = line.split(separator: ";")
            truth[String(c[0]), default: []].append(Double(c[2])!)
        }
        for sku in ["KUPA-01", "TSH-01-M", "CAY-500"] {
            let error = zip(forecast[sku]!, truth[sku]!).map { abs($0 - $1) / $1 }.reduce(0, +) / 28
            #expect(error < 0.15, "\(sku): mean absolute percentage error \(error)")
        }
        for sku in ["ASKI-9", "KILIF-X", "SEHPA-2", "LAMBA-NEW"] {
            let total = forecast[sku]!.reduce(0, +), expected = truth[sku]!.reduce(0, +)
            #expect(abs(total - expected) / expected < 0.4, "\(sku): \(total) units forecast over 28 days, \(expected) expected")
        }

        // Backtest: four origins; smooth series beat seasonal naive by the issue's margin.
        let scored = try Self.rows(home, "backtest-2026-11-01.csv",
                                   header: "seller;sku;class;method;origins;rmsse;rmsse_naive;rmsse_seasonal_naive")
        #expect(scored.count == 6) // the new SKU has no origin with two weeks before it
        #expect(scored.allSatisfy { $0[4] == "4" })
        let table = try Self.rows(home, "backtest-classes-2026-11-01.csv",
                                  header: "class;skus;rmsse;rmsse_naive;rmsse_seasonal_naive;ratio_to_seasonal_naive")
        let smooth = try #require(table.first { $0[0] == "smooth" })
        #expect(smooth[1] == "3")
        #expect(Self.number(smooth[5]) <= 0.9, "smooth: \(smooth)")
        #expect(table.last?[0] == "all")
    }

    @Test func priceEvidenceOnlyWhereTheHistorySupportsIt() throws {
        let home = try Self.home()
        // A sale in euros on a day with lira sales: its units are demand, its amount is no lira price.
        let euro = "Name,Email,Financial Status,Fulfillment Status,Currency,Total,Shipping,Created at,Lineitem quantity,"
            + "Lineitem name,Lineitem price,Lineitem sku,Lineitem discount,Cancelled at,Refunded Amount\n"
            + "#EU1,a@example.com,paid,fulfilled,EUR,6.00,0.00,2026-06-10 12:00:00 +0300,2,Çay 500 g,3.00,CAY-500,0.00,,0.00\n"
        #expect(try home.ingest(named: "euro.csv", bytes: Array(euro.utf8)).ordersInserted == 1)
        let summary = try ForecastRun(options: ForecastRun.Options(asOf: Self.asOf), outbox: OutboxWriter(root: home.home.outbox))
            .run(store: home.ingestor.store, sellers: [])
        #expect(summary.priceEstimates == 1)
        #expect(try home.scalar("SELECT count(*) FROM siparisler WHERE para_birimi = 'EUR'") == 1)
        let rows = try Self.rows(home, "prices-2026-11-01.csv", header:
            "seller;sku;prices_seen;elasticity;elasticity_lo95;elasticity_hi95;best_price;basis;evidence")
        #expect(rows.count == 7)
        // CAY-500 went from 129,00 to 109,00 TL and sold 1.4 times as much: elasticity −2.
        let cay = try #require(rows.first { $0[1] == "CAY-500" })
        let (e, low, high) = (Self.number(cay[3]), Self.number(cay[4]), Self.number(cay[5]))
        #expect(low < -2 && -2 < high && abs(e + 2) < 0.5, "\(cay)")
        #expect(cay[6] == "109,00" && cay[7] == "revenue per day (no unit cost known)")
        #expect(cay[2] == "2") // 129,00 and 109,00: the euro amount made no third price
        #expect(cay[8].hasPrefix("129,00 TL: ") && cay[8].contains("109,00 TL: "))
        for row in rows where row[1] != "CAY-500" {
            #expect(row[3].isEmpty && row[8] == "sold at one price only: the data does not support a recommendation", "\(row)")
        }
    }

    @Test func cancelledAndReturnedOrdersAreNotDemand() throws {
        let home = try Self.home()
        // Every few weeks each SKU has an order of 40 that was cancelled or returned; no kept day is that large.
        var largest: [String: Int64] = [:]
        let seller = try home.ingestor.store.seller(code: "demo", now: "2026-11-01T00:00:00+00:00")
        try SalesHistory(store: home.ingestor.store).eachSKU(sellerID: seller, before: Self.asOf) { sku, days in
            largest[sku] = days.map(\.units).max()
        }
        #expect(largest.count == 7)
        #expect(largest.values.allSatisfy { $0 < 40 }, "\(largest)")
        #expect(try home.scalar("SELECT count(*) FROM siparis_urunleri WHERE adet = 40") > 100) // they are stored, as void
    }

    @Test func stockAdviceFollowsTheStockFile() throws {
        let home = try Self.home()
        _ = try ForecastRun(options: ForecastRun.Options(asOf: Self.asOf), outbox: OutboxWriter(root: home.home.outbox))
            .run(store: home.ingestor.store, sellers: ["demo"])
        let rows = try Self.rows(home, "reorder-2026-11-01.csv",
                                 header: "seller;sku;stock;days_of_cover;reorder_point;suggested_order;runs_out")
        #expect(rows.count == 7)
        var bySKU: [String: [String]] = [:]
        for r in rows {
            bySKU[r[1]] = r
            // Suggested order above zero exactly when the stock is at or below the reorder point.
            #expect((Int(r[5])! > 0) == (Int(r[2])! <= Int(r[4])!), "\(r)")
        }
        // CAY-500: none left; KUPA-01: 20 against ~75 a week; KILIF-X: 2 against ~1 a day. The rest are well stocked.
        for short in ["CAY-500", "KUPA-01", "KILIF-X"] {
            #expect(bySKU[short]?[6] == "yes", "\(short): \(bySKU[short] ?? [])")
            #expect(Int(bySKU[short]![5])! > 0)
        }
        for stocked in ["TSH-01-M", "ASKI-9", "SEHPA-2", "LAMBA-NEW"] {
            #expect(bySKU[stocked]?[6] == "no", "\(stocked): \(bySKU[stocked] ?? [])")
            #expect(bySKU[stocked]?[5] == "0")
        }
        #expect(bySKU["CAY-500"]?[3] == "0,0")
    }

    @Test func marketplaceProductListsLandInTheCatalogue() throws {
        let home = try TestHome()
        let trendyol = home.ingest("forecast/trendyol-urun-listesi.xlsx")
        #expect(trendyol.mapping == "trendyol-products" && trendyol.products?.inserted == 3, "\(trendyol.summary)")
        let hb = home.ingest("forecast/hb-listelerim.xlsx")
        #expect(hb.mapping == "hepsiburada-products" && hb.products?.inserted == 2 && hb.products?.updated == 1, "\(hb.summary)")
        let rows = try home.texts("""
            SELECT sku || '|' || coalesce(barkod, '') || '|' || stok_adedi || '|' || satis_fiyati || '|' || coalesce(marka, '')
            FROM urunler ORDER BY sku
            """)
        // Excel's doubles (299.99 is 299.99000000000001) read as exact kuruş; the later file's stock and price win;
        // a row without the seller's code is keyed by its barcode (Trendyol) or Hepsiburada's code.
        #expect(rows == ["8690000000099|8690000000099|0|109950|Demo", "ASKI-9|8690000000003|150|4250|Demo",
                         "HBV00000LAMB1|8690000000006|60|74900|Demo", "KUPA-01|8690000000000|18|15490|Demo",
                         "TSH-01-M|8690000000001|900|29999|Demo"])
    }

    @Test func anOlderStockReadingChangesNothing() throws {
        let home = try Self.home()
        let older = "\u{FEFF}SKU;Ürün Adı;Stok;Stok Tarihi\r\nKUPA-01;Seramik Kupa;500;31.10.2026 08:00\r\nYENI-1;Yeni Ürün;7;31.10.2026 08:00\r\n"
        let report = try home.ingest(named: "stok-eski.csv", bytes: Array(older.utf8))
        #expect(report.products?.stale == 1)
        #expect(report.products?.inserted == 1)
        #expect(report.status == .partial)
        #expect(report.warnings.first?.reason.contains("before the stock stored") == true)
        #expect(try home.scalar("SELECT stok_adedi FROM urunler WHERE sku = 'KUPA-01'") == 20)
        #expect(try home.scalar("SELECT stok_adedi FROM urunler WHERE sku = 'YENI-1'") == 7)
        // A SKU twice in one file: the first reading is kept, the second refused with its place.
        let twice = "SKU;Ürün Adı;Stok\r\nA-1;A;3\r\nA-1;A;9\r\n"
        let again = try home.ingest(named: "stok-iki.csv", bytes: Array(twice.utf8))
        #expect(again.rejectedCount == 1)
        #expect(again.rejected.first?.reason.contains("appears again") == true)
        #expect(try home.scalar("SELECT stok_adedi FROM urunler WHERE sku = 'A-1'") == 3)
        // A mistyped year (2062) would hold every later reading back: refused with its line and field.
        let typo = "SKU;Stok;Stok Tarihi\r\nA-1;5;01.11.2062 08:00\r\nB-1;4;01.11.2026 08:00\r\n"
        let future = try home.ingest(named: "stok-2062.csv", bytes: Array(typo.utf8))
        #expect(future.products?.total == 1 && future.rejectedCount == 1)
        let why = try #require(future.rejected.first)
        #expect(why.field == .stok_zamani && why.description.contains("line 2") && why.reason.contains("later than the file was taken"))
        #expect(try home.scalar("SELECT stok_adedi FROM urunler WHERE sku = 'A-1'") == 3)
        #expect(try home.scalar("SELECT stok_adedi FROM urunler WHERE sku = 'B-1'") == 4)
    }

    @Test func oneSellersForecastHoldsOnlyItsOwnSKUs() throws {
        let home = try Self.home()
        let other = "\u{FEFF}SKU;Ürün Adı;Stok\r\nKUPA-01;Başka Kupa;1\r\n"
        #expect(try home.ingest(named: "stok-other.csv", bytes: Array(other.utf8), seller: "other").status == .ingested)
        let shop = try String(contentsOf: URL(fileURLWithPath: Fixture.path("forecast/shopify-2y.csv")), encoding: .utf8)
        #expect(try home.ingest(named: "other.csv", bytes: Array(shop.utf8), seller: "other").status != .failed)
        _ = try ForecastRun(options: ForecastRun.Options(asOf: Self.asOf), outbox: OutboxWriter(root: home.home.outbox))
            .run(store: home.ingestor.store, sellers: ["demo"])
        let rows = try Self.rows(home, "reorder-2026-11-01.csv",
                                 header: "seller;sku;stock;days_of_cover;reorder_point;suggested_order;runs_out")
        #expect(rows.count == 7 && rows.allSatisfy { $0[0] == "demo" })
        #expect(rows.first { $0[1] == "KUPA-01" }?[2] == "20") // not the other seller's 1
        #expect(throws: ReportError.self) {
            try ForecastRun(options: ForecastRun.Options(asOf: Self.asOf), outbox: OutboxWriter(root: home.home.outbox))
                .run(store: home.ingestor.store, sellers: ["nobody"])
        }
    }

    @Test func aSeriesFileWithAMistakeSaysWhere() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pra-series-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.csv")
        try Data("sku;date;units\nA;2026-10-01;3\nA;2026-10-02;x\n".utf8).write(to: file)
        let run = ForecastRun(options: ForecastRun.Options(asOf: Self.asOf), outbox: OutboxWriter(root: dir))
        do {
            _ = try run.run(series: SeriesFile(path: file.path))
            Issue.record("a bad line was taken")
        } catch let e as SeriesFile.Problem {
            #expect(e.description.hasSuffix("s.csv:3: 'x' is not a number of units (0 or more)"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports/forecast-2026-11-01.csv").path))
        try Data("sku;date;units\nA;2026-10-01;3\nB;2026-10-01;1\nA;2026-10-02;1\n".utf8).write(to: file)
        #expect(throws: SeriesFile.Problem.self) { try run.run(series: SeriesFile(path: file.path)) }
        // Sales only from the first day forecast on: nothing to forecast, and no empty reports.
        try Data("sku;date;units\nA;2026-11-01;3\n".utf8).write(to: file)
        let none = try run.run(series: SeriesFile(path: file.path))
        #expect(none.skus == 0 && none.files.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports/forecast-2026-11-01.csv").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("reports").path).isEmpty)
        try Data("sku;date;units\nA;2026-10-01;3\nA;2026-10-03;1,5\nB;2026-09-01;0\n".utf8).write(to: file)
        let summary = try run.run(series: SeriesFile(path: file.path))
        #expect(summary.skus == 2)
    }
}
