import Foundation
import OrderCore
@testable import OrderStore
@testable import PraIngest
import Testing

/// Carrier files update the orders they name (fixtures: `Tests/Fixtures/inbox/`, from
/// `generate_inbox.py`): a Yurtiçi report in the queryShipment field names, its next day's
/// re-download, and a shop plugin's headerless bulk file.
@Suite struct ShipmentTests {
    /// Order number → "durum kargo_durumu kargo_takip_no".
    func shipments(_ home: TestHome) throws -> [String: String] {
        let rows = try home.ingestor.store.db.prepare("""
            SELECT siparis_numarasi, durum || ' ' || coalesce(kargo_durumu, '-') || ' ' || coalesce(kargo_takip_no, '-')
            FROM siparisler
            """).rows { ($0.text(0) ?? "", $0.text(1) ?? "") }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    @Test func aCarrierReportMovesItsOrdersForwardAndKeepsEveryEvent() throws {
        let home = try TestHome()
        #expect(home.ingest("inbox/n11-orders.xml").status == .ingested)
        let report = home.ingest("inbox/yurtici-rapor-1.csv")
        #expect(report.status == .ingested)
        #expect(report.mapping == "yurtici")
        #expect(report.summary == "yurtici-rapor-1.csv: 6 shipment events: 5 applied, 1 waiting for their orders, 0 rejected [yurtici]")
        let s = try shipments(home)
        #expect(s["208000001"] == "teslim_edildi teslim_edildi 725100000001")
        #expect(s["208000002"] == "kargoda yolda 725100000002")
        #expect(s["208000003"] == "kargoda dagitimda 725100000003")
        // The carrier cancelled the parcel, not the order.
        #expect(s["208000005"] == "hazirlaniyor iptal -")
        #expect(try home.texts("SELECT teslim_tarihi FROM siparisler WHERE siparis_numarasi = '208000001'") == ["2026-11-23T14:30:00+03:00"])
        // Every event is history, with the carrier's own code and text.
        #expect(try home.texts("""
            SELECT h.eski_durum || '→' || h.yeni_durum || ' ' || h.platform_durumu || ' @' || h.platform_zamani
            FROM siparis_durum_gecmisi h JOIN siparisler s ON s.id = h.siparis_id
            WHERE s.siparis_numarasi = '208000001' AND h.eski_durum IS NOT NULL
            """) == ["hazirlaniyor→teslim_edildi DLV Kargo teslim edilmiştir. @2026-11-23T14:30:00+03:00"])
        #expect(try home.scalar("SELECT count(*) FROM gonderi_olaylari") == 6)
        #expect(try home.texts("SELECT sonuc FROM gonderi_olaylari WHERE siparis_numarasi = '208000099'")
                == ["bekliyor: the order is not here yet"])
    }

    @Test func theNextDaysReDownloadAddsOnlyWhatIsNew() throws {
        let home = try TestHome()
        _ = home.ingest("inbox/n11-orders.xml")
        _ = home.ingest("inbox/yurtici-rapor-1.csv")
        let second = home.ingest("inbox/yurtici-rapor-2.csv")
        #expect(second.shipments?.known == 4)
        #expect(second.shipments?.applied == 2)
        let s = try shipments(home)
        #expect(s["208000002"] == "teslim_edildi teslim_edildi 725100000002")
        // Delivered, then on its way back: returned.
        #expect(s["208000004"] == "iade iade 725100000004")
        #expect(try home.scalar("SELECT count(*) FROM gonderi_olaylari") == 8)
        // The same file again changes nothing.
        #expect(home.ingest("inbox/yurtici-rapor-2.csv").status == .duplicate)
    }

    @Test func eventsThatArriveBeforeTheirOrdersAreAppliedWhenTheOrdersDo() throws {
        let home = try TestHome()
        let early = home.ingest("inbox/yurtici-rapor-1.csv")
        #expect(early.shipments?.waiting == 6)
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0) // a shipment never creates an order
        let orders = home.ingest("inbox/n11-orders.xml")
        #expect(orders.waitingApplied.shipments == 5)
        #expect(orders.summary.contains("5 waiting shipment events applied"))
        let s = try shipments(home)
        #expect(s["208000001"] == "teslim_edildi teslim_edildi 725100000001")
        #expect(s["208000003"] == "kargoda dagitimda 725100000003")
        // A later export of the orders (still "approved" on N11) never moves them back.
        _ = try home.ingest(named: "n11-again.xml", bytes: Array(
            try String(contentsOfFile: Fixture.path("inbox/n11-orders.xml"), encoding: .utf8).replacingOccurrences(
                of: "<result>", with: "<!-- re-download --><result>").utf8))
        #expect(try shipments(home)["208000001"] == "teslim_edildi teslim_edildi 725100000001")
    }

    @Test func aPluginsHeaderlessBulkFileHandsOrdersToTheirCarrier() throws {
        let home = try TestHome()
        _ = home.ingest("inbox/n11-orders.xml")
        _ = home.ingest("inbox/yurtici-rapor-1.csv")
        let report = home.ingest("inbox/kargo-takip-toplu.csv")
        #expect(report.mapping == "kargo-takip-plugin")
        #expect(report.shipments?.applied == 2)
        let s = try shipments(home)
        #expect(s["208000006"] == "kargoda olusturuldu 725000000006")
        #expect(try home.texts("SELECT kargo_firmasi FROM siparisler WHERE siparis_numarasi = '208000006'") == ["Yurtici"])
        // Out for delivery already: a row without a time does not take the parcel back.
        #expect(s["208000003"] == "kargoda dagitimda 725100000003")
    }

    @Test func aHeaderlessFileIsRecognisedByItsFirstRowNotByItsName() throws {
        let home = try TestHome()
        let wrong = try home.ingest(named: "liste.csv", bytes: Array("208000006;merhaba dünya;x\n".utf8))
        #expect(wrong.status == .failed)
        #expect(wrong.error?.message.contains("kargo-takip-plugin: the first row has 1 cells, not 3") == true
                || wrong.error?.message.contains("kargo-takip-plugin: carrier") == true)
    }

    @Test func aBuyerIsToldWhatTheirOrderDidAndTheListGoesToTheOutbox() throws {
        let home = try ExportHome()
        _ = home.base.ingest("inbox/n11-orders.xml")
        _ = home.base.ingest("inbox/yurtici-rapor-1.csv")
        #expect(try home.base.texts("SELECT kanal || ': ' || mesaj FROM mesaj_log ORDER BY id").first
                == "eposta: Merhaba, 208000001 numaralı siparişiniz teslim edildi. Bizi tercih ettiğiniz için teşekkür ederiz.")
        let report = try home.exporter.run(.actions)
        #expect(report.messageFiles == ["outbox/messages/demo-messages-20261123-051320.csv"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: home.path("outbox/messages/demo-messages-20261123-051320.csv")))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF]) // a BOM: Turkish Excel opens it as UTF-8
        let csv = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(csv.hasPrefix("message_id;seller;order_number;channel;recipient;text;created_at\r\n"))
        #expect(csv.components(separatedBy: "\r\n").count == 6) // header, 4 messages, the end
        #expect(try home.base.scalar("SELECT count(*) FROM mesaj_log WHERE durum = 'yazildi'") == 4)
        // Nothing new: no new list.
        #expect(try home.exporter.run(.actions).messageFiles.isEmpty)
    }

    @Test func anEventOlderThanWhatTheOrderShowsChangesNothing() {
        var delivered = ShipmentEvent(status: .teslim_edildi, position: SourcePosition(record: 1, line: 2))
        delivered.eventTime = Timestamp(epochSeconds: 2_000, utcOffsetSeconds: 10_800)
        var stored = StoredShipmentState(orderStatus: .kargoda, shipmentStatus: .yolda,
                                         lastEventTime: Timestamp(epochSeconds: 1_000, utcOffsetSeconds: 10_800), trackingNumber: nil)
        let applied = ShipmentUpdate.apply(delivered, to: stored)
        #expect(applied.orderStatus == .teslim_edildi && !applied.isStale)
        stored.lastEventTime = Timestamp(epochSeconds: 3_000, utcOffsetSeconds: 10_800)
        #expect(ShipmentUpdate.apply(delivered, to: stored).isStale)
        // Not deliverable, from any live state; a problem or a cancelled parcel leaves the order as it is.
        var failed = ShipmentEvent(status: .teslim_edilemedi, position: delivered.position)
        failed.eventTime = Timestamp(epochSeconds: 4_000, utcOffsetSeconds: 10_800)
        #expect(ShipmentUpdate.apply(failed, to: stored).orderStatus == .teslim_edilemedi)
        #expect(ShipmentUpdate.apply(ShipmentEvent(status: .sorunlu, position: delivered.position), to: stored).orderStatus == nil)
    }
}
