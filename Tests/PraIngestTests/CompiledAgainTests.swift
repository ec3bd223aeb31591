import Foundation
import OrderCore
import Parsers
@testable import PraIngest
import Testing

/// A file's reader thread maps with its mapper compiled again, the rules allocated on that
/// thread (``OrderMapper/compiledAgain()``): the same fields read, every record mapped alike.
@Suite struct CompiledAgainTests {
    @Test(arguments: [("n11/DetailedOrderList.xml", "n11.yaml"), ("shopify_orders_export.csv", "shopify.yaml"),
                      ("platforms/ciceksepeti-orders.json", "ciceksepeti.yaml")])
    func aMapperCompiledAgainMapsEveryRecordAlike(fixture: String, mapping: String) throws {
        let mappings = Fixture.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("mappings")
        let mapper = try OrderMapper(spec: MappingFileLoader.load(path: mappings.appendingPathComponent(mapping).path))
        let again = mapper.compiledAgain()
        #expect(again.layout == mapper.layout)
        var reader = try SourceReaders.open(path: Fixture.path(fixture), mapper: mapper)
        var orders = 0
        while let result = try reader.next() {
            guard case .record(let record) = result else { continue }
            switch (mapper.map(record), again.map(record)) {
            case (.success(let first), .success(let second)):
                #expect(first.order == second.order)
                #expect(first.warnings.map(\.description) == second.warnings.map(\.description))
                orders += 1
            case (.failure(let first), .failure(let second)):
                #expect(first.errors.map(\.description) == second.errors.map(\.description))
            default:
                Issue.record("the two mappers disagree on record \(record.position.record)")
            }
        }
        #expect(orders > 0)
    }
}
