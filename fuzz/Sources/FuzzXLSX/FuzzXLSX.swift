import FuzzDriver
import OrderCore
import Parsers

/// Any bytes as an .xlsx workbook: its first sheet's rows, preview and whole.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzzXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzDriver.withFile(data, size) { path in
        for preview in [XLSXReader.previewBytes, nil] as [Int?] {
            guard let reader = try? XLSXReader(path: path, numberStyle: .comma, previewBytes: preview) else { continue }
            var rows = 0
            while let row = try? reader.nextRow(), rows < 100_000 { rows += 1; _ = row.cells.count }
        }
    }
    return 0
}

@_cdecl("FuzzXLSX_main") public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzXLSX)
}
