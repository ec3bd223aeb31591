import Foundation
@testable import OrderCore
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
        // Compiled anew, not the same rules handed back: that is what puts them on the reader's thread.
        let rules = mapper.orderRules.all + mapper.lineRules.all, rulesAgain = again.orderRules.all + again.lineRules.all
        #expect(!rules.isEmpty && rules.count == rulesAgain.count)
        #expect(zip(rules, rulesAgain).allSatisfy { $0 !== $1 && $0.rule.target == $1.rule.target })
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
