import FuzzDriver
import OrderCore
import Parsers

/// Any bytes as a CSV file (encoding and separator detected): rows until the end or a ParseError.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzDriver.withFile(data, size) { path in
        guard var reader = try? CSVReader(path: path, encoding: .auto, separator: nil) else { return }
        defer { reader.close() }
        var rows = 0
        while let row = try? reader.nextRow(), rows < 100_000 { rows += 1; _ = row.cells.count }
    }
    return 0
}

@_cdecl("FuzzCSV_main") public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzCSV)
}
