import FuzzDriver
import OrderCore
import Parsers

/// Any bytes as a marketplace API's JSON read with the shipped Trendyol API mapping's paths,
/// predicates and repeated amounts included.
let layout: SourceLayout = {
    var l = SourceLayout(orderFields: ["orderNumber", "orderDate", "totalPrice", "shipmentAddress/city", "invoiceAddress/taxNumber",
                                       "packageHistories[2]/status", "lines[Type='x']/id"],
                         lineFields: ["id", "merchantSku", "quantity", "discountDetails/lineItemPrice", "vatBaseAmount"],
                         groupBy: nil)
    l.repeatable = ["discountDetails/lineItemPrice"]
    return l
}()

@_cdecl("LLVMFuzzerTestOneInput") public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzDriver.withFile(data, size) { path in
        _ = JSONRecordReader.keys(path: path)
        for linePath in [["lines"], ["."]] {
            guard let reader = try? JSONRecordReader(path: path, layout: layout, recordPath: ["content"], linePath: linePath) else { return }
            var records = 0
            while let r = try? reader.next(), records < 100_000 { records += 1; _ = r }
        }
    }
    return 0
}

@_cdecl("FuzzJSON_main") public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzJSON)
}
