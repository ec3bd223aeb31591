import Foundation
@testable import OrderCore
import Parsers
@testable import PraIngest
import Testing

/// A text or code read straight from a field is converted from the record's bytes (no string
/// made first, ``CompiledRule/convertsInPlace``). The same rules with an `empty_values` entry
/// that never occurs take the general path: both must map every unkind value alike, to the
/// same value, warning or refusal.
@Suite struct InPlaceRuleTests {
    static let header = "o;a;b;c;t;s;n;q;u"
    static let rows = [
        "1;Ayşe Yılmaz;ayse@example.com;Firma A.Ş.;TRK123;SKU-1;Çay Bardağı;2;10.00",
        "2;;;;;;Kupa;1;5.00",                                  // blanks: defaults, a `from:` list's next field
        "3;  Ali Veli  ;  ; c ; ;  SKU-3  ;x;1;1.00",          // blanks around values, a blank first choice
        "4;a;b;c;t;=SUM(A1);n;1;1.00",               // a code that starts like a formula
        "5;a;b;c;t;8,69123E+12;n;1;1.00",                      // a code Excel turned into scientific notation
        "6;A\u{1}B;b;c;t;SKU-6;n;1;1.00",                      // a control character in a name: warned, stored empty
        "7;a;b;c;+905551112233;SKU-7;n;1;1.00",                // a tracking number that starts like a formula
        "8;a;b;c;t;SKU-8;   ;1;1.00",                          // a required name that is blank: warned (a name warns)
        "9;Ali\tVeli;b;c;t;SKU-9;n;1;1.00",                    // a tab inside a value
        "10;Ğ;\u{A0}x\u{A0};c;t;SKU-10;n;1;1.00",              // non-breaking spaces around a value
    ]

    static func mapping(general: Bool) -> String {
        // An `empty_values` entry that never occurs sends each rule down the general path.
        let extra = general ? ", empty_values: [\"<hiçbiri>\"]" : ""
        return """
            platform: Test
            match: { header: [o] }
            format: { type: csv, separator: ";", decimal: dot }
            records: { group_by: o }
            order:
              siparis_numarasi: o
              musteri_adi: { from: a, optional: true\(extra) }
              musteri_email: { from: [b, a], optional: true\(extra) }
              firma_adi: { from: c, default: "Yok"\(extra) }
              kargo_takip_no: { from: t, optional: true\(extra) }
            line:
              sku: { from: [s, n]\(extra) }
              urun_adi: { from: n, required: true\(extra) }
              adet: q
              birim_fiyat: u
              kdv_orani: { constant: "20" }
            """
    }

    /// Each record's outcome as text: the order's fields and lines, or its refusal; and its warnings.
    static func outcomes(general: Bool) throws -> [String] {
        let mapper = try OrderMapper(spec: MappingFileLoader.load(text: mapping(general: general), file: "t.yaml"))
        let inPlace = (mapper.orderRules.all + mapper.lineRules.all).filter(\.convertsInPlace).map(\.rule.target)
        let texts: Set<TargetField> = [.musteri_adi, .musteri_email, .firma_adi, .kargo_takip_no, .sku, .urun_adi]
        #expect(general ? texts.isDisjoint(with: inPlace) : texts.isSubset(of: inPlace))
        let path = NSTemporaryDirectory() + "/pra-inplace-\(UUID().uuidString).csv"
        try ([header] + rows).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try SourceReaders.open(path: path, mapper: mapper)
        var out: [String] = []
        while let result = try reader.next() {
            guard case .record(let record) = result else { Issue.record("a record the reader refused"); continue }
            switch mapper.map(record) {
            case .success(let mapped):
                let o = mapped.order
                let fields = [TargetField.musteri_adi, .musteri_email, .firma_adi, .kargo_takip_no].map { "\($0)=\(o[$0] ?? "-")" }
                let lines = o.lines.map { (line: OrderLine) in "\(line.sku)|\(line[.urun_adi] ?? "-")" }
                let warnings = mapped.warnings.map { (w: RecordError) in " warning: \(w.description)" }
                out.append("\(o.orderNumber): " + (fields + lines).joined(separator: " ") + warnings.joined())
            case .failure(let errors):
                out.append("refused: " + errors.errors.map { (e: RecordError) in e.description }.joined(separator: "; "))
            }
        }
        return out
    }

    @Test func textsAndCodesReadInPlaceMapAsTheGeneralPathDoes() throws {
        let inPlace = try Self.outcomes(general: false), general = try Self.outcomes(general: true)
        #expect(inPlace.count == Self.rows.count)
        #expect(inPlace == general)
        // The work happened, both ways: values kept and trimmed, defaults, warnings and refusals.
        #expect(inPlace[0] == "1: musteri_adi=Ayşe Yılmaz musteri_email=ayse@example.com firma_adi=Firma A.Ş. kargo_takip_no=TRK123 SKU-1|Çay Bardağı")
        #expect(inPlace[1] == "2: musteri_adi=- musteri_email=- firma_adi=Yok kargo_takip_no=- Kupa|Kupa")
        #expect(inPlace[2] == "3: musteri_adi=Ali Veli musteri_email=Ali Veli firma_adi=c kargo_takip_no=- SKU-3|x")
        #expect(inPlace[3].hasPrefix("refused: ") && inPlace[3].contains("spreadsheet formula"))
        #expect(inPlace[4].hasPrefix("refused: ") && inPlace[4].contains("scientific"))
        #expect(inPlace[5].hasPrefix("6: musteri_adi=- ") && inPlace[5].contains("warning: ") && inPlace[5].contains("U+0001"))
        #expect(inPlace[6].hasPrefix("refused: ") && inPlace[6].contains("spreadsheet formula"))
        #expect(inPlace[7].hasPrefix("8: ") && inPlace[7].contains("SKU-8|- warning: ") && inPlace[7].contains("the value is missing"))
        #expect(inPlace[8].contains("musteri_adi=Ali\tVeli "))
        #expect(inPlace[9].contains("musteri_email=x "))
    }
}
