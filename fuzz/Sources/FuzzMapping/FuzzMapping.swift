import FuzzDriver
import OrderCore
import Parsers

/// The mapping engine on any values: the input's lines (split at newlines, fields at U+001F)
/// become one order's values through a mapping that uses every kind of rule.
let mapper: OrderMapper = {
    let spec = try! MappingFileLoader.load(text: """
        platform: Fuzz
        match: { header: [o] }
        format: { type: csv, decimal: comma }
        records: { group_by: o }
        order:
          siparis_numarasi: o
          siparis_tarihi: { from: d, date: ["dd.MM.yyyy HH:mm", excel_serial, epoch_ms] }
          durum: { when: [{ if: { c: present }, then: iptal }], from: s, map: { a: yeni, b: kargoda }, on_error: warn }
          toplam_tutar: t
          kargo_ucreti: { expr: "{k} * 2 / 3 - {t}" }
          musteri_adi: { from: n, regex: "(\\\\w+)\\\\s+(\\\\w+)?", case: upper }
          vergi_numarasi: v
        line:
          satir_anahtari: { concat: [{ from: p }, "-", { from: b }] }
          sku: b
          adet: q
          birim_fiyat: u
          kdv_orani: { from: r, regex: "(\\\\d+)" }
          satir_durumu: { from: ls, map: { x: iptal, y: iade }, map_default: yeni }
        """, file: "fuzz.yaml")
    return try! OrderMapper(spec: spec)
}()

@_cdecl("LLVMFuzzerTestOneInput") public func fuzzMapping(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let rows = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(64)
    guard let first = rows.first else { return 0 }
    func values(_ row: Substring, _ count: Int) -> SourceValues {
        let cells = row.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        return SourceValues((0..<count).map { $0 < cells.count ? cells[$0] : nil })
    }
    let lines = rows.dropFirst().enumerated().map {
        SourceLine(position: SourcePosition(record: 1, line: $0.offset + 2), values: values($0.element, mapper.layout.lineFields.count))
    }
    let record = SourceRecord(position: SourcePosition(record: 1, line: 1), orderValues: values(first, mapper.layout.orderFields.count),
                              lines: lines)
    if case .success(let mapped) = mapper.map(record) {
        _ = OrderUpdate.merge(mapped.order, into: nil)
        _ = try? InvoiceBuilder().lines(for: mapped.order)
    }
    return 0
}

@_cdecl("FuzzMapping_main") public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzMapping)
}
