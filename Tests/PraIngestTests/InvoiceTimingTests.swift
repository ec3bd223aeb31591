import Foundation
import OrderCore
@testable import PraIngest
import Testing

/// When an order is invoiced (`invoicing.issue_at`, default `shipped`), and what status says of
/// shipped orders still without an invoice and of invoices that lack internet-sale data.
@Suite struct InvoiceTimingTests {
    /// The export homes' seller, invoicing at the default moment.
    static let config = ExportHome.config.replacingOccurrences(of: "invoicing: { issue_at: landed }\n", with: "")

    @Test func anOrderIsInvoicedOnceItShipsWithItsCarrierTrackingNumberAndDispatchDate() throws {
        let home = try ExportHome(configText: Self.config)
        #expect(home.config.issueAt == .shipped)
        #expect(home.base.ingest("inbox/n11-orders.xml").ordersInserted == 6)
        // Approved and being prepared: nothing to invoice yet.
        #expect(try home.exporter.run(.ubl).invoices.isEmpty)
        #expect(try home.base.scalar("SELECT count(*) FROM faturalar") == 0)
        // The carrier's report: one delivered, two on the way, one parcel cancelled by the carrier.
        _ = home.base.ingest("inbox/yurtici-rapor-1.csv")
        let invoiced = try home.exporter.run(.ubl).invoices
        #expect(invoiced.count == 4)
        // The dispatch date, which N11's export does not give: the carrier's earliest event with the parcel
        // in hand (for a parcel first reported delivered, the delivery: the latest the dispatch can be).
        #expect(try home.base.texts("""
            SELECT s.siparis_numarasi || ' ' || s.durum || ' ' || s.kargo_tarihi FROM faturalar f JOIN siparisler s ON s.id = f.siparis_id
            ORDER BY 1
            """) == ["208000001 teslim_edildi 2026-11-23T14:30:00+03:00", "208000002 kargoda 2026-11-22T09:00:00+03:00",
                     "208000003 kargoda 2026-11-22T09:15:00+03:00", "208000004 teslim_edildi 2026-11-22T11:00:00+03:00"])
        for path in invoiced {
            let xml = try String(contentsOfFile: home.path(path), encoding: .utf8)
            #expect(xml.contains("<cbc:ActualDespatchDate>2026-11-2"), "\(path)")
            #expect(xml.contains("<cbc:TrackingID>7251000000"), "\(path)")
        }
        // Their e-Arşiv invoices lack nothing of the shipment.
        #expect(try home.base.texts("SELECT coalesce(eksik_bilgi, '') FROM faturalar").allSatisfy {
            !$0.contains("tracking number") && !$0.contains("dispatch date") })
    }

    @Test func issuedAtLandingAnUnshippedOrdersInvoiceIsListedAsLackingItsShipment() throws {
        let home = try ExportHome()
        _ = home.base.ingest("inbox/n11-orders.xml")
        #expect(try home.exporter.run(.ubl).invoices.count == 6)
        let status = try StatusReport.read(home: home.base.home)
        #expect(status.incompleteInvoices.count == 6)
        #expect(status.incompleteInvoices.allSatisfy { $0.missing.contains("the tracking number")
            && $0.missing.contains("the dispatch date") }, "\(status.incompleteInvoices.map(\.missing))")
    }

    @Test func aShippedOrderStillWithoutAnInvoiceAfterTheDaysAllowedNeedsAction() throws {
        // A seller without an invoice profile: its shipped orders wait, and status says for how long.
        let home = try ExportHome(configText: "default_seller: demo\ninvoicing: { late_after_days: 3 }\n")
        _ = home.base.ingest("inbox/n11-orders.xml")
        _ = home.base.ingest("inbox/yurtici-rapor-1.csv")
        _ = try home.exporter.run()
        let status = try StatusReport.read(home: home.base.home)
        #expect(status.lateAfterDays == 3)
        #expect(status.lateInvoices.map(\.orderNumber) == ["208000002", "208000003", "208000004", "208000001"], "\(status.lateInvoices)")
        #expect(status.text.contains("needs action: shipped more than 3 days ago and not invoiced"))
        #expect(status.text.contains("demo order 208000002 (kargoda, shipped 2026-11-22T09:00:00+03:00)"), "\(status.text)")
    }

    @Test func issueAtIsShippedOrLanded() {
        #expect(throws: MappingError.self) { _ = try Configuration.parse("invoicing: { issue_at: later }\n", file: "pra.yaml") }
        #expect(throws: MappingError.self) { _ = try Configuration.parse("invoicing: { late_after_days: 0 }\n", file: "pra.yaml") }
        #expect((try? Configuration.parse("invoicing: { issue_at: landed }\n", file: "pra.yaml"))?.issueAt == .landed)
    }

    @Test func anOrderShippedInTwoPackagesHasADeliveryForEachAndPassesGIBsValidation() throws {
        let home = try ExportHome(configText: Self.config)
        let csv = "Barkod;Paket No;Kargo Firması;Sipariş Tarihi;Kargo Kodu;Sipariş Numarası;Alıcı;İl;İlçe;Ürün Adı;Sipariş Statüsü;"
            + "Stok Kodu;Adet;Birim Fiyatı;Faturalanacak Tutar;Kargoya Teslim Tarihi\n"
            + "8691234567890;P1;Trendyol Express;23.11.2026 14:05;7330000001;10001;Ayşe Yılmaz;İstanbul;Kadıköy;Çay Demliği;"
            + "Kargoya Verildi;DEM-1;2;1.200,00;2.400,00;24.11.2026 10:00\n"
            + "8691234567891;P2;Yurtiçi Kargo;23.11.2026 14:05;7250000002;10001;Ayşe Yılmaz;İstanbul;Kadıköy;Fincan;"
            + "Kargoya Verildi;FIN-6;1;149,90;149,90;24.11.2026 10:00\n"
        #expect(try home.base.ingest(named: "tum-siparisler.csv", bytes: Array(csv.utf8)).ordersInserted == 1)
        let invoiced = try home.exporter.run(.ubl).invoices
        #expect(invoiced.count == 1)
        let xml = try String(contentsOfFile: home.path(invoiced[0]), encoding: .utf8)
        #expect(xml.components(separatedBy: "<cac:Delivery>").count - 1 == 2)
        #expect(xml.contains("<cbc:TrackingID>7330000001</cbc:TrackingID>") && xml.contains("<cbc:TrackingID>7250000002</cbc:TrackingID>"))
        #expect(xml.contains("Trendyol Lojistik") && xml.contains("Yurtiçi Kargo"))
        try UBLValidation.expectValid([home.path(invoiced[0])])
    }
}
