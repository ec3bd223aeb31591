import Foundation
import OrderCore
@testable import Parsers
import Testing

@Suite struct CSVReaderTests {
    @Test func readsATabSeparatedUTF16FileWithBOM() throws {
        var reader = try CSVReader(path: Fixture.path("hepsiburada/hb-unicode-text.txt"), encoding: .auto, separator: nil)
        defer { reader.close() }
        reader.want(columns: nil)
        let header = try #require(try reader.nextRow())
        #expect(header.cells.first == "Sipariş Numarası")
        #expect(header.cells.count == 29)
    }
}
