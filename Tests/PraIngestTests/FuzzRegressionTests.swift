import Foundation
import OrderCore
import Parsers
@testable import PraIngest
import Testing

/// Every input `fuzz/run` ever crashed on (Tests/Fixtures/fuzz-regressions/<target>/), replayed
/// through the same readers: each must now end in a result or a ParseError, never a trap.
@Suite struct FuzzRegressionTests {
    static func inputs(_ target: String) -> [String] {
        let folder = Fixture.root.appendingPathComponent("fuzz-regressions/\(target)")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            .filter { !$0.hasPrefix(".") }.map { folder.appendingPathComponent($0).path }
    }

    @Test(arguments: inputs("FuzzXLSX"))
    func workbookInputs(path: String) throws {
        for preview in [XLSXReader.previewBytes, nil] as [Int?] {
            guard let reader = try? XLSXReader(path: path, numberStyle: .comma, previewBytes: preview) else { continue }
            while (try? reader.nextRow()) != nil {}
        }
        let home = try TestHome()
        #expect(home.ingestor.ingest(path: path, seller: "demo").status == .failed)
    }

    @Test(arguments: inputs("FuzzCSV") + inputs("FuzzXML") + inputs("FuzzJSON") + inputs("FuzzConfig") + inputs("FuzzMapping"))
    func otherInputs(path: String) throws {
        let home = try TestHome()
        _ = home.ingestor.ingest(path: path, seller: "demo")
        if let text = try? ConfigText.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: "f.yaml", maxBytes: 1 << 20),
           let spec = try? MappingFileLoader.load(text: text, file: "f.yaml") {
            _ = MappingTestRunner.run(spec)
        }
    }
}
