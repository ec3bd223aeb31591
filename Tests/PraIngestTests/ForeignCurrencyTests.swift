import Foundation
import Logging
import OrderCore
import Testing
@testable import PraIngest

/// Orders in euro and dollar from Shopify, Amazon.de and eBay, and a week of TCMB's daily files
/// (a half day, a holiday and a weekend in it) arriving after the orders and out of order: every
/// order waits with its reason, then is invoiced at the rate of the right day, valid by GİB's
/// XSD and schematron, and every ERP file carries the rate and agrees in lira with the invoice.
@Suite struct ForeignCurrencyTests {
    static let config = """
        default_seller: demo
        sellers:
          demo:
            name: Demo Ticaret A.Ş.
            tax_id: "1234567890"
            tax_office: Kadıköy
            invoice_prefix: PRA
            web_site: https://www.demoticaret.com.tr
            default_carrier: Yurtiçi Kargo
            address: { street: "Moda Cad. No:1", district: Kadıköy, city: İstanbul, postal_code: "34710" }
            erp:
              formats: [generic_csv, luca, logo_invoice, mikro, netsis]
              account_code: "120.01.001"

        """

    /// The day of the rate each shipped order must be invoiced at: the last business day before
    /// it left (KDVK m.26, TCMB's rates valid the next day).
    static let expected: [String: (day: String, currency: String)] = [
        "#2001": ("2026-10-27", "EUR"),               // shipped Wed 28.10 (a half day)
        "#2002": ("2026-10-28", "EUR"),               // shipped Thu 29.10, a holiday
        "#2003": ("2026-10-30", "EUR"),               // shipped Sun 01.11
        "#2004": ("2026-10-30", "EUR"),               // shipped Mon 02.11, a buyer in Türkiye
        "302-4418200-1234501": ("2026-10-26", "EUR"), // shipped Tue 27.10
        "302-4418200-1234502": ("2026-10-30", "EUR"), // shipped Sat 31.10
        "05-11111-22201": ("2026-10-26", "USD"),      // shipped Tue 27.10 (Pacific time)
        "05-11111-22202": ("2026-10-30", "USD"),      // shipped Mon 02.11
        "3101": ("2026-10-26", "EUR"),                // delivered, no dispatch date: ordered Tue 27.10
    ]

    static let orderFiles = ["foreign/shopify-eur-orders.csv", "foreign/amazon-de-all-orders.txt", "foreign/ebay-orders-report.csv",
                             "foreign/woocommerce-eur-orders.csv"]
    /// Newest first, the holiday's neighbours last: no order may take a rate before its own day is proven.
    static let rateFiles = ["02112026.xml", "30102026.xml", "23102026.xml", "27102026.xml", "26102026.xml", "28102026.xml"]

    /// What an invoice file says: its order, document currency, rate, the rate's day, and the lira total of its note.
    struct Written {
        var order: String, currency: String, rate: String?, rateDay: String?, liraTotal: String?, path: String, text: String
    }

    static func written(_ home: ExportHome) throws -> [String: Written] {
        var out: [String: Written] = [:]
        for name in try home.files("outbox/ubl") {
            let path = home.path("outbox/ubl/" + name)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            func first(_ pattern: String) -> String? {
                guard let r = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]),
                      let m = r.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                      let range = Range(m.range(at: 1), in: text) else { return nil }
                return String(text[range])
            }
            let order = first("<cac:OrderReference>\\s*<cbc:ID>([^<]*)</cbc:ID>") ?? ""
            out[order] = Written(order: order, currency: first("<cbc:DocumentCurrencyCode>([^<]*)<") ?? "",
                                 rate: first("<cbc:CalculationRate>([^<]*)<"),
                                 rateDay: first("<cac:PricingExchangeRate>.*?<cbc:Date>([^<]*)<"),
                                 liraTotal: first("toplam ([0-9.]+) TL"), path: path, text: text)
        }
        return out
    }

    @Test func ordersWaitForTheirRateAndAreInvoicedAtTheRightDay() throws {
        let home = try ExportHome(configText: Self.config)
        for file in Self.orderFiles {
            let r = home.base.ingest(file)
            #expect(r.error == nil && r.rejectedCount == 0, "\(r.summary)")
        }
        // Orders first: nothing is invoiced, each shipped one is held with the rate it waits for.
        let before = try home.exporter.run()
        #expect(before.invoices.isEmpty)
        let held = try StatusReport.read(home: home.base.home).heldInvoices
        #expect(Set(held.map(\.orderNumber)) == Set(Self.expected.keys))
        for h in held {
            #expect(h.reason.contains("waiting for TCMB's döviz alış rate of \(Self.expected[h.orderNumber]!.currency)"), "\(h.reason)")
        }
        // Then the week of rates, out of order, an export after each file as the watcher runs it.
        var invoicedAfter: [String: Int] = [:]
        var warnings: [String] = []
        for (i, name) in Self.rateFiles.enumerated() {
            let r = home.base.ingestReference("foreign/tcmb/" + name)
            #expect(r.error == nil, "\(r.summary)")
            #expect(r.exchangeRates?.currencies == 12)
            let run = try home.exporter.run()
            #expect(run.failures.isEmpty, "\(run.failures)")
            warnings += run.warnings
            for path in run.invoices { invoicedAfter[(path as NSString).lastPathComponent] = i }
        }
        let invoices = try Self.written(home)
        #expect(invoices.count == Self.expected.count)
        #expect(invoicedAfter.count == Self.expected.count)
        for (order, want) in Self.expected {
            let inv = try #require(invoices[order], "order \(order) was not invoiced")
            #expect(inv.currency == want.currency)
            #expect(inv.rateDay == want.day, "order \(order)")
            // The rate is the file's ForexBuying of that day, as published.
            let day = CalendarDay(iso: want.day)!.civil
            let file = Fixture.path("foreign/tcmb/\(String(format: "%02d%02d%04d", day.day, day.month, day.year)).xml")
            let published = try String(contentsOfFile: file, encoding: .utf8)
            #expect(published.contains("Kod=\"\(want.currency)\"") && inv.rate != nil)
            let block = published.components(separatedBy: "Kod=\"\(want.currency)\"")[1]
            #expect(block.contains("<ForexBuying>\(inv.rate ?? "")</ForexBuying>"), "order \(order): rate \(inv.rate ?? "none")")
            // The note's lira total is the payable amount × the rate, rounded to the kuruş.
            let payable = try #require(inv.text.range(of: "<cbc:PayableAmount[^>]*>([0-9.]+)<", options: .regularExpression)
                .map { String(inv.text[$0]).split(separator: ">")[1].dropLast() })
            let kurus = try Money.mulDiv(Int64(payable.replacingOccurrences(of: ".", with: ""))!,
                                         RateValue(published: inv.rate!)!.millionths, 1_000_000, rounding: .halfAwayFromZero)
            #expect(inv.liraTotal == Money(minorUnits: kurus).description, "order \(order)")
        }
        // Each waited for its own day's file, however many later ones were in: the holiday's order
        // for 28 October's (the last loaded), 27 October's for its own.
        func loadedAt(_ order: String) -> Int? { invoicedAfter[(invoices[order]!.path as NSString).lastPathComponent] }
        #expect(loadedAt("#2002") == Self.rateFiles.firstIndex(of: "28102026.xml"))
        #expect(loadedAt("#2001") == Self.rateFiles.firstIndex(of: "27102026.xml"))
        #expect(loadedAt("302-4418200-1234501") == Self.rateFiles.firstIndex(of: "26102026.xml"))
        #expect(loadedAt("#2003") == Self.rateFiles.firstIndex(of: "30102026.xml"))
        // Netsis's currency fields are not known: it takes none of them, and says why.
        #expect(warnings.contains { $0.contains("not exported as netsis: it is in EUR") })
        try UBLValidation.expectValid(invoices.values.map(\.path).sorted())

        // Exports abroad are exempt on e-Arşiv to GİB's 2222222222; the buyer in Türkiye pays KDV.
        for (order, inv) in invoices {
            #expect(inv.text.contains("<cbc:ProfileID>EARSIVFATURA</cbc:ProfileID>"))
            if order == "#2004" {
                #expect(inv.text.contains("<cbc:InvoiceTypeCode>SATIS</cbc:InvoiceTypeCode>"))
                #expect(inv.text.contains("<cbc:Percent>20</cbc:Percent>"))
            } else {
                #expect(inv.text.contains("<cbc:InvoiceTypeCode>ISTISNA</cbc:InvoiceTypeCode>"), "\(order)")
                #expect(inv.text.contains("<cbc:TaxExemptionReasonCode>301</cbc:TaxExemptionReasonCode>"))
                #expect(inv.text.contains("<cbc:ID schemeID=\"VKN\">2222222222</cbc:ID>"))
            }
        }
        try Self.expectERPAgrees(home, invoices: invoices)
        let status = try StatusReport.read(home: home.base.home)
        #expect(status.heldInvoices.isEmpty)
        #expect(status.text.contains("exchange rates: 6 days loaded, 2026-10-23 to 2026-11-02"))
    }

    /// The watcher as the operator runs it: orders dropped into the inbox, then the week's TCMB
    /// files all at once into reference/; every shipped order ends invoiced at its day's rate.
    @Test func theWatcherInvoicesWaitingOrdersWhenTheirRatesAreDropped() throws {
        let home = try TestHome()
        try Data(Self.config.utf8).write(to: home.home.configFile)
        let watcher = try Watcher(home: home.home, options: fastOptions(poll: true), logger: Logger(label: "test"))
        func drain(_ expected: Int64) throws {
            #expect(try waitUntil(timeout: 5) { watcher.step(); return try home.jobs("pending") == expected })
            while let job = try watcher.queue.claim(now: "2026-12-03T00:00:00+00:00", leaseUntil: "2099-01-01T00:00:00+00:00") { _ = try #require(watcher.process(job)) }
        }
        for file in Self.orderFiles {
            try home.drop("inbox/" + (file as NSString).lastPathComponent, Data(contentsOf: URL(fileURLWithPath: Fixture.path(file))))
        }
        try drain(Int64(Self.orderFiles.count))
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 12)
        #expect(try home.scalar("SELECT count(*) FROM faturalar") == 0)
        #expect(try home.scalar("SELECT count(*) FROM fatura_bekletmeleri") == Int64(Self.expected.count))
        for name in Self.rateFiles {
            try home.drop("reference/" + name, Data(contentsOf: URL(fileURLWithPath: Fixture.path("foreign/tcmb/" + name))))
        }
        try drain(Int64(Self.rateFiles.count))
        let days = try home.texts("SELECT s.siparis_numarasi || ' ' || f.kur_tarihi FROM faturalar f "
                                  + "JOIN siparisler s ON s.id = f.siparis_id WHERE f.durum = 'yazildi' ORDER BY 1")
        #expect(days == Self.expected.map { "\($0.key) \($0.value.day)" }.sorted())
        #expect(home.files(under: "archive").filter { $0.hasSuffix("2026.xml") }.count == Self.rateFiles.count)
        #expect(home.files(under: "failed").isEmpty)
    }

    /// The generic CSV's lira columns, Luca's row and Logo's header equal the invoice's note to the kuruş.
    static func expectERPAgrees(_ home: ExportHome, invoices: [String: Written]) throws {
        func read(_ folder: String) throws -> String {
            try home.files(folder).map { try String(contentsOfFile: home.path(folder + "/" + $0), encoding: .utf8) }.joined()
        }
        func kurus(_ text: String) -> Int64 { Int64(text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: ".", with: ""))! }
        let csv = try read("outbox/erp/generic_csv").split(whereSeparator: \.isNewline).map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        let header = csv.first { $0.contains("Sipariş No") }!
        let col = { (name: String) in header.firstIndex(of: name)! }
        var csvLira: [String: Int64] = [:]
        for row in csv where row.count == header.count && row[col("Sipariş No")] != "Sipariş No" {
            csvLira[row[col("Sipariş No")], default: 0] += kurus(row[col("KDV Dahil Tutar TL")])
            #expect(row[col("Para Birimi")] == invoices[row[col("Sipariş No")]]?.currency)
            #expect(row[col("Kur")].replacingOccurrences(of: ",", with: ".") == invoices[row[col("Sipariş No")]]?.rate)
        }
        // Mikro: the amounts in the invoice's currency, with Mikro's currency number and the rate.
        let mikro = try read("outbox/erp/mikro").split(whereSeparator: \.isNewline).map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        let mikroHeader = mikro[0].map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }
        for row in mikro.dropFirst() where row.count == mikroHeader.count && row[0] != mikro[0][0] {
            let number = row[mikroHeader.firstIndex(of: "sip_belgeno")!]
            let inv = try #require(invoices.values.first { $0.text.contains("<cbc:ID>\(number)</cbc:ID>") })
            #expect(row[mikroHeader.firstIndex(of: "sip_doviz_cinsi")!] == (inv.currency == "EUR" ? "2" : "1"))
            #expect(row[mikroHeader.firstIndex(of: "sip_doviz_kuru")!].replacingOccurrences(of: ",", with: ".") == inv.rate)
        }
        #expect(mikro.count > invoices.count)
        let luca = try read("outbox/erp/luca")
        let logo = try String(decoding: Data(contentsOf: URL(fileURLWithPath: home.path("outbox/erp/logo_invoice/" +
            (try home.files("outbox/erp/logo_invoice").first { !$0.hasSuffix("-cari.xml") && $0.hasSuffix(".xml") })!))), as: UTF8.self)
        #expect(logo.contains("<CURR_TRANSACTIN>20</CURR_TRANSACTIN>") || logo.contains("<CURR_TRANSACTIN>1</CURR_TRANSACTIN>"))
        for (order, inv) in invoices {
            let total = try #require(inv.liraTotal, "order \(order): no lira total in the note")
            #expect(csvLira[order] == kurus(total), "order \(order)")
            #expect(luca.contains(";\(total.replacingOccurrences(of: ".", with: ","));"), "order \(order) in Luca")
        }
    }

    @Test func theSameDayAgainChangesNothingAndOtherRatesForItAreRefused() throws {
        let home = try TestHome()
        #expect(home.ingestReference("foreign/tcmb/30102026.xml").exchangeRates?.currencies == 12)
        let again = home.ingestReference("foreign/tcmb/30102026.xml")
        #expect(again.error == nil && again.summary.contains("loaded before with the same rates"))
        let text = try String(contentsOfFile: Fixture.path("foreign/tcmb/30102026.xml"), encoding: .utf8)
        let changed = try home.ingestReference(named: "kur.xml", bytes: Array(text.replacingOccurrences(of: "57.3755", with: "57.3756").utf8))
        #expect(changed.status == .failed)
        #expect(changed.error?.message.contains("EUR ForexBuying 57.3755 then 57.3756") == true)
        #expect(try home.scalar("SELECT count(*) FROM doviz_kurlari WHERE doviz_kodu = 'EUR' AND doviz_alis = '57.3755'") == 1)
        // Another day under a bulletin number already taken could fake the proof that no day was
        // announced between two bulletins: refused.
        let reused = try home.ingestReference(named: "sahte.xml", bytes: Array(text.replacingOccurrences(of: "30.10.2026", with: "29.10.2026")
            .replacingOccurrences(of: "10/30/2026", with: "10/29/2026").utf8))
        #expect(reused.status == .failed)
        #expect(reused.error?.message.contains("bulletin 2026/207 is already the one of 2026-10-30") == true, "\(reused.error?.message ?? "")")
        #expect(try home.scalar("SELECT count(*) FROM doviz_kurlari WHERE kur_tarihi = '2026-10-29'") == 0)
    }

    @Test(arguments: [
        ("<Tarih_Date Tarih=\"30.10.2026\" Date=\"10/31/2026\" Bulten_No=\"2026/207\">", "are not the same day"),
        ("<Tarih_Date Tarih=\"31.02.2026\" Bulten_No=\"2026/207\">", "no Tarih attribute with a date"),
        ("<Tarih_Date Tarih=\"30.10.2026\"><Currency CurrencyCode=\"EUR\"><Unit>1</Unit><ForexBuying>12,34,5</ForexBuying></Currency>",
         "EUR ForexBuying '12.34.5' is not a positive rate"),
        ("<Tarih_Date Tarih=\"30.10.2026\"><Currency CurrencyCode=\"EUR\"><ForexBuying>57.1</ForexBuying></Currency>"
            + "<Currency CurrencyCode=\"EUR\"><ForexBuying>57.2</ForexBuying></Currency>", "EUR is listed twice"),
        ("<Tarih_Date Tarih=\"30.10.2026\"><Currency CurrencyCode=\"EURO\"><ForexBuying>57.1</ForexBuying></Currency>",
         "no three-letter CurrencyCode"),
        ("<Tarih_Date Tarih=\"30.10.2026\"><Currency CurrencyCode=\"JPY\"><Unit>0</Unit><ForexBuying>30.1</ForexBuying></Currency>",
         "JPY Unit '0' is not a count"),
        ("<Tarih_Date Tarih=\"30.10.2026\"><Currency CurrencyCode=\"XDR\"><ForexBuying></ForexBuying></Currency>", "no rate at all"),
        ("<Tarih_Date Tarih=\"30.10.2062\" Bulten_No=\"2026/208\"><Currency CurrencyCode=\"EUR\"><ForexBuying>57.1</ForexBuying></Currency>",
         "Bulten_No '2026/208' is not a bulletin of 2062"),
    ])
    func aBrokenRatesFileIsRefusedWithItsReason(opening: String, reason: String) throws {
        let home = try TestHome()
        let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + opening + "\n</Tarih_Date>\n"
        let r = try home.ingestReference(named: "today.xml", bytes: Array(text.utf8))
        #expect(r.status == .failed)
        #expect(r.error?.message.contains(reason) == true, "\(r.error?.message ?? "no error")")
        #expect(try home.scalar("SELECT count(*) FROM doviz_kurlari") == 0)
    }

    static let csvRates = """
        Tarih;Döviz;Birim;Döviz Alış;Döviz Satış;Efektif Alış;Efektif Satış
        26.10.2026;EUR;1;57,1950;57,2980;57,1550;57,3838
        26.10.2026;USD;1;49,2551;49,3438;49,2206;49,4176
        27.10.2026;EUR;1;57,2486;57,3517;57,2085;57,4375
        27.10.2026;JPY;100;32,3962;32,4545;;

        """

    @Test func ratesOfAnotherSourceComeAsACSVThroughAMapping() throws {
        let home = try ExportHome(configText: Self.config)
        _ = home.base.ingest("foreign/amazon-de-all-orders.txt")
        let r = try home.base.ingestReference(named: "kurlar.csv", bytes: Array(Self.csvRates.utf8))
        #expect(r.error == nil, "\(r.summary)")
        #expect(r.mapping == "exchange-rates-csv")
        #expect(r.summary == "kurlar.csv: exchange rates of 2026-10-26 to 2026-10-27, 4 currencies loaded; orders waiting for them are invoiced")
        #expect(try home.base.texts("SELECT doviz_alis FROM doviz_kurlari WHERE doviz_kodu = 'JPY'") == ["32.3962"])
        // The order shipped on 27 October takes 26 October's rate from the CSV; the one of
        // 31 October waits (there is no bulletin number to prove 27 October was the last).
        let invoices = try home.exporter.run().invoices
        #expect(invoices.count == 1)
        let written = try Self.written(home)
        #expect(written["302-4418200-1234501"]?.rate == "57.1950")
        #expect(written["302-4418200-1234501"]?.rateDay == "2026-10-26")
        try UBLValidation.expectValid(written.values.map(\.path))
        // The same day from TCMB's file with other rates is refused: the CSV's stay.
        let tcmb = home.base.ingestReference("foreign/tcmb/26102026.xml")
        #expect(tcmb.status == .failed)
        #expect(tcmb.error?.message.contains("were loaded before from kurlar.csv and differ") == true)
    }

    @Test func aRatesCSVWithOneBadRowIsRefusedWhole() throws {
        let home = try TestHome()
        let bad = Self.csvRates.replacingOccurrences(of: "27.10.2026;EUR;1;57,2486", with: "27.10.2026;EUR;1;57,24X6")
        let r = try home.ingestReference(named: "kurlar.csv", bytes: Array(bad.utf8))
        #expect(r.status == .failed)
        #expect(r.error?.message.contains("is not a rate") == true, "\(r.error?.message ?? "")")
        #expect(r.error?.message.contains("nothing of the file was stored") == true)
        let twice = Self.csvRates + "26.10.2026;EUR;1;57,1950;57,2980;57,1550;57,3838\n"
        let r2 = try home.ingestReference(named: "kurlar2.csv", bytes: Array(twice.utf8))
        #expect(r2.error?.message.contains("EUR is listed twice for 2026-10-26") == true, "\(r2.error?.message ?? "")")
        #expect(try home.scalar("SELECT count(*) FROM doviz_kurlari") == 0)
        // And in a seller's folder it is refused like TCMB's file.
        let seller = try home.ingest(named: "kurlar.csv", bytes: Array(Self.csvRates.utf8))
        #expect(seller.error?.message.contains("a file of exchange rates decides every seller's invoices") == true)
        #expect(try home.scalar("SELECT count(*) FROM doviz_kurlari") == 0)
    }

    /// A seller whose provider issues the invoices: the provider's invoice in euro comes back,
    /// and the ERP files take its own rate (`PricingExchangeRate`), not one PraIngest would choose.
    @Test func aProvidersInvoiceInEuroGoesToTheERPAtItsOwnRate() throws {
        // PraIngest's own invoice of an order stands for the provider's.
        let ours = try ExportHome(configText: Self.config)
        _ = ours.base.ingest("foreign/shopify-eur-orders.csv")
        _ = ours.base.ingestReference("foreign/tcmb/30102026.xml")
        #expect(try ours.exporter.run().invoices.count == 2) // #2003 and #2004 shipped after 30 October
        let invoice = try #require(try Self.written(ours)["#2003"])
        let provider = try ExportHome(configText: """
            default_seller: demo
            sellers:
              demo:
                tax_id: "1234567890"
                issue_invoices: false
                erp: { formats: [generic_csv], account_code: "120.01.001" }

            """)
        _ = provider.base.ingest("foreign/shopify-eur-orders.csv")
        let r = try provider.base.ingest(named: "fatura-2003.xml", bytes: Array(Data(contentsOf: URL(fileURLWithPath: invoice.path))))
        #expect(r.invoices?.attached == 1, "\(r.summary)")
        let files = try provider.exporter.run().erpFiles
        let csv = try files.map { try String(contentsOfFile: provider.path($0), encoding: .utf8) }.joined()
        let row = try #require(csv.split(whereSeparator: \.isNewline).first { $0.contains(";#2003;") })
        #expect(row.contains(";EUR;57,3755;30.10.2026;"), "\(row)")
        #expect(row.hasSuffix(";" + (invoice.liraTotal ?? "").replacingOccurrences(of: ".", with: ",")), "\(row)")
    }

    /// TCMB's file as other tools save it: ISO-8859-9, decimal commas, no bulletin number; and one cut off half-way.
    @Test func aRatesFileInISO8859AndCommasLoadsAndACutOffOneIsRefused() throws {
        let home = try TestHome()
        let text = try String(contentsOfFile: Fixture.path("foreign/tcmb/27102026.xml"), encoding: .utf8)
            .replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-9\"")
            .replacingOccurrences(of: "Bulten_No=\"2026/205\"", with: "")
            .replacingOccurrences(of: "<ForexBuying>57.2486</ForexBuying>", with: "<ForexBuying>57,2486</ForexBuying>")
        let latin5 = try #require(text.data(using: .windowsCP1254)) // ISO-8859-9's letters, as Windows writes them
        #expect(latin5.contains(0xDD)) // İ, one byte: the file really is not UTF-8
        let r = try home.ingestReference(named: "27102026.xml", bytes: Array(latin5))
        #expect(r.error == nil, "\(r.summary)")
        #expect(r.exchangeRates?.currencies == 12)
        #expect(try home.texts("SELECT doviz_alis || ' ' || coalesce(bulten_no, '-') FROM doviz_kurlari WHERE doviz_kodu = 'EUR'")
                == ["57.2486 -"])
        let whole = try String(contentsOfFile: Fixture.path("foreign/tcmb/30102026.xml"), encoding: .utf8)
        let cut = try home.ingestReference(named: "30102026.xml", bytes: Array(whole.utf8.prefix(whole.utf8.count / 2)))
        #expect(cut.status == .failed)
        #expect(cut.error?.message.contains("not well-formed") == true, "\(cut.error?.message ?? "")")
        #expect(cut.error?.line != nil)
        #expect(try home.scalar("SELECT count(*) FROM doviz_kurlari WHERE kur_tarihi = '2026-10-30'") == 0)
    }

    /// An invoice in euro whose order is cancelled afterwards: its action names the amount in euro.
    @Test func anActionOnAnInvoiceInEuroSaysEuro() throws {
        let home = try ExportHome(configText: Self.config)
        _ = home.base.ingest("foreign/shopify-eur-orders.csv")
        _ = home.base.ingestReference("foreign/tcmb/30102026.xml")
        #expect(try home.exporter.run(.ubl).invoices.count == 2)
        let csv = try String(contentsOfFile: Fixture.path("foreign/shopify-eur-orders.csv"), encoding: .utf8)
        let cancelled = csv.split(separator: "\n").map { line -> String in
            guard line.hasPrefix("#2003,") else { return String(line) }
            var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let header = csv.split(separator: "\n")[0].split(separator: ",").map(String.init)
            cells[header.firstIndex(of: "Cancelled at")!] = "2026-11-02 10:00:00 +0100"
            return cells.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let r = try home.base.ingest(named: "shopify-2.csv", bytes: Array(cancelled.utf8))
        #expect(r.ordersUpdated >= 1, "\(r.summary)")
        let files = try home.exporter.run(.actions).actionFiles
        #expect(files.count == 1)
        let list = try String(contentsOfFile: home.path(files[0]), encoding: .utf8)
        #expect(list.contains(";89,99;EUR;"), "\(list)")
        let status = try StatusReport.read(home: home.base.home)
        #expect(status.needsAction.map(\.currency) == ["EUR"])
        #expect(status.text.contains("89,99 EUR: after invoice"), "\(status.text)")
    }

    @Test func aSellerCannotBringRates() throws {
        let home = try TestHome()
        let r = home.ingest("foreign/tcmb/30102026.xml")
        #expect(r.status == .failed)
        #expect(r.error?.message.contains("a file of exchange rates decides every seller's invoices") == true)
        #expect(try home.scalar("SELECT count(*) FROM doviz_kurlari") == 0)
    }
}
