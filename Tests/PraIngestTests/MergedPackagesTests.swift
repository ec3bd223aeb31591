import Foundation
import OrderCore
@testable import PraIngest
import Testing

/// One order spread over many packages (`repeated: merge`): merged in linear time, and the
/// per-order limits hold for the order as merged (issue 19's probe).
@Suite struct MergedPackagesTests {
    /// A Trendyol API export of one order in `packages` packages of `lines` lines each.
    static func export(packages: Int, lines: Int = 1) -> [UInt8] {
        let content = (0..<packages).map { p in
            let items = (0..<lines).map { l in
                """
                {"id": \(p * 1000 + l), "quantity": 1, "merchantSku": "SKU-\(l)", "vatBaseAmount": 20,
                 "orderLineItemStatusName": "Shipped", "discountDetails": [{"lineItemPrice": 1.50}]}
                """
            }.joined(separator: ",")
            return """
                {"id": \(p), "orderNumber": "90000001", "orderDate": 1795442700000, "totalPrice": \(Double(lines) * 1.5),
                 "shipmentPackageStatus": "Shipped", "lines": [\(items)]}
                """
        }.joined(separator: ",\n")
        return Array("{\"content\": [\(content)]}".utf8)
    }

    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    @Test func manyPackagesOfOneOrderMergeInLinearTime() throws {
        var times: [Int: Double] = [:]
        for n in [1_500, 6_000] {
            let home = try TestHome(mappings: ["trendyol-api.yaml"])
            var report: IngestReport?
            times[n] = try seconds { report = try home.ingest(named: "packages.json", bytes: Self.export(packages: n)) }
            #expect(report?.status == .ingested)
            #expect(try home.scalar("SELECT count(*) FROM siparis_urunleri") == Int64(n))
            #expect(try home.texts("SELECT toplam_tutar FROM siparisler") == [String(n * 150)])
        }
        // Four times the packages: about four times the time (it was sixteen).
        let ratio = times[6_000]! / times[1_500]!
        #expect(ratio < 8, "1,500 packages: \(times[1_500]!) s, 6,000: \(times[6_000]!) s")
    }

    @Test func thePerOrderLimitsHoldAfterTheMerge() throws {
        let home = try TestHome(mappings: ["trendyol-api.yaml"])
        home.ingestor.limits.maxLinesPerOrder = 10
        let report = try home.ingest(named: "packages.json", bytes: Self.export(packages: 2, lines: 6))
        #expect(report.status == .partial)
        #expect(report.rejected.map(\.description).first?.contains(
            "with this package the order has 12 lines, more than the 10 accepted (limits.max_lines_per_order") == true)
        #expect(try home.scalar("SELECT count(*) FROM siparis_urunleri") == 6)
        home.ingestor.limits.maxAmount = Money(minorUnits: 1_000)
        let amounts = try home.ingest(named: "packages-2.json", bytes: Array(String(decoding: Self.export(packages: 2, lines: 4), as: UTF8.self)
            .replacingOccurrences(of: "90000001", with: "90000002").utf8))
        #expect(amounts.rejected.map(\.description).first?.contains("the order's total is 12,00, beyond the largest amount") == true)
    }
}
