import FuzzDriver
import OrderCore
import Parsers
import PraIngest

/// Any bytes as a mapping file and as `pra.yaml`: loaded (or refused with an error), and a
/// mapping that loads runs its own embedded tests.
@_cdecl("LLVMFuzzerTestOneInput") public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let text = try? ConfigText.decode(bytes, file: "fuzz.yaml", maxBytes: 1 << 20) else { return 0 }
    _ = try? Configuration.parse(text, file: "pra.yaml")
    if let spec = try? MappingFileLoader.load(text: text, file: "fuzz.yaml") {
        _ = MappingTestRunner.run(spec)
    }
    return 0
}

@_cdecl("FuzzConfig_main") public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzConfig)
}
