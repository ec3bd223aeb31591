import FuzzDriver
import OrderCore
import Parsers

/// Any bytes as an N11 SOAP response read with the shipped mapping's paths.
let layout = SourceLayout(orderFields: ["orderNumber", "createDate", "status", "buyer/fullName", "buyer/@id",
                                        "Component[Type='Principal']/Amount", "PartyIdentification/ID[@schemeID='VKN']", "Alias[2]/Name"],
                          lineFields: ["id", "productSellerCode", "quantity", "price", "sellerInvoiceAmount", "status"],
                          groupBy: nil)

@_cdecl("LLVMFuzzerTestOneInput") public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzDriver.withFile(data, size) { path in
        _ = XMLRecordReader.rootElement(path: path)
        guard let reader = try? XMLRecordReader(path: path, layout: layout, recordPath: ["orderList", "order"],
                                                linePath: ["orderItemList", "orderItem"]) else { return }
        var records = 0
        while let r = try? reader.next(), records < 100_000 { records += 1; _ = r }
    }
    return 0
}

@_cdecl("FuzzXML_main") public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzXML)
}
