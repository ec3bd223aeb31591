import Foundation
import OrderCore
import Parsers
@testable import PraIngest
import Testing

/// The checksum made from the bytes the reader reads (``ChecksumTap``): a file is read once,
/// and the stored SHA-256 is that of every byte of it, whatever its kind.
@Suite struct ChecksumTapTests {
    /// A CSV, an XML and a JSON export are hashed as they are read; a workbook, whose entries are
    /// read out of order, on a thread of its own. Each stores its file's SHA-256.
    @Test(arguments: [("shopify_orders_export.csv", true), ("n11/DetailedOrderList.xml", true),
                      ("platforms/ciceksepeti-orders.json", true), ("platforms/pttavm-siparisler.xlsx", false)])
    func everyKindOfFileStoresTheChecksumOfItsBytes(fixture: String, readInOrder: Bool) throws {
        let path = Fixture.path(fixture)
        #expect(SourceReaders.readsInOrder(path: path) == readInOrder)
        let home = try TestHome()
        let report = home.ingest(fixture)
        #expect(report.ordersInserted > 0, "\(report.summary)")
        let expected = try SHA256.hex(ofFile: path)
        #expect(report.sha256 == expected)
        #expect(try home.texts("SELECT sha256 FROM kaynak_dosyalar") == [expected])
    }

    /// A file cut off half-way fails with its place, and its report still carries the checksum of
    /// every byte it has.
    @Test func aCutOffFileFailsAndStillHasTheChecksumOfAllItsBytes() throws {
        let path = Fixture.path("n11/DetailedOrderList-truncated.xml")
        #expect(SourceReaders.readsInOrder(path: path))
        let home = try TestHome()
        let report = home.ingest("n11/DetailedOrderList-truncated.xml")
        #expect(report.mapping == "n11")
        #expect(report.status == .failed)
        #expect(report.error?.code == .malformed)
        #expect(report.sha256 == (try SHA256.hex(ofFile: path)))
        #expect(try home.scalar("SELECT count(*) FROM siparisler") == 0)
    }

    /// The tap's checksum is of the bytes the reader read, not read again: a file changed on
    /// disk after its reader finished still gives the checksum of what was parsed. The CSV is
    /// several reads long, so the chunks are joined in order.
    @Test(arguments: [("large", "shopify.yaml"), ("n11/DetailedOrderList.xml", "n11.yaml"),
                      ("platforms/ciceksepeti-orders.json", "ciceksepeti.yaml")])
    func theChecksumIsOfTheBytesTheReaderRead(fixture: String, mapping: String) throws {
        let (path, bytes) = try fixture == "large" ? largeCSV() : copy(fixture)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tap = ChecksumTap(path: path)
        var reader = try SourceReaders.open(path: path, mapper: try mapper(mapping), observer: tap)
        var records = 0
        while try reader.next() != nil { records += 1 }
        #expect(records >= (fixture == "large" ? 1000 : 1))
        try Data("changed after the read".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try tap.value() == SHA256Digest.hex(of: bytes))
    }

    /// A reader stopped before the end (a parse error, a file given up on) leaves the checksum
    /// to a read of the whole file.
    @Test func aReaderStoppedEarlyLeavesTheChecksumToAWholeRead() throws {
        let (path, bytes) = try largeCSV()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tap = ChecksumTap(path: path)
        var reader = try SourceReaders.open(path: path, mapper: try mapper("shopify.yaml"), observer: tap)
        #expect(try reader.next() != nil)
        #expect(try tap.value() == SHA256Digest.hex(of: bytes))
        _ = try reader.next() // a reader still running after the checksum was taken changes nothing
        #expect(try tap.value() == SHA256Digest.hex(of: bytes))
    }

    private func mapper(_ mapping: String) throws -> OrderMapper {
        let mappings = Fixture.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("mappings")
        return try OrderMapper(spec: MappingFileLoader.load(path: mappings.appendingPathComponent(mapping).path))
    }

    /// A fixture copied to a file of its own, to be changed.
    private func copy(_ fixture: String) throws -> (path: String, bytes: [UInt8]) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixture.path(fixture))))
        let path = NSTemporaryDirectory() + "/pra-tap-\(UUID().uuidString)-" + (fixture as NSString).lastPathComponent
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }

    /// The Shopify fixture's orders again and again, renumbered: about 1.4 MB, five 256 KiB reads.
    private func largeCSV() throws -> (path: String, bytes: [UInt8]) {
        let text = try String(contentsOfFile: Fixture.path("shopify_orders_export.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines.removeFirst()
        var out = header + "\n"
        for copy in 0..<100 {
            for line in lines where !line.isEmpty { out += line.replacingOccurrences(of: "#", with: "#\(copy)-") + "\n" }
        }
        let path = NSTemporaryDirectory() + "/pra-tap-\(UUID().uuidString).csv"
        let bytes = Array(out.utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }
}
