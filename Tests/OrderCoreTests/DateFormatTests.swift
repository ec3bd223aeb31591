import Foundation
import OrderCore
import Testing

@Suite struct DateFormatTests {
    let istanbul = TimeZone(identifier: "Europe/Istanbul")!

    @Test(arguments: [
        ("dd.MM.yyyy HH:mm", "23.11.2026 14:05", "2026-11-23T14:05:00+03:00"),
        ("dd-MM-yyyy HH:mm:ss", "23-11-2026 14:05:09", "2026-11-23T14:05:09+03:00"),
        ("yyyy-MM-dd HH:mm:ss Z", "2025-05-11 09:55:16 -0400", "2025-05-11T09:55:16-04:00"),
        ("dd/MM/yyyy", "01/02/2026", "2026-02-01T00:00:00+03:00"),
        ("iso8601", "2017-06-17T08:04:21+00:00", "2017-06-17T08:04:21+00:00"),
        ("iso8601", "2026-11-23T14:05:00.123Z", "2026-11-23T14:05:00+00:00"),
        ("epoch_ms", "1795435500000", "2026-11-23T15:05:00+03:00"),
        ("excel_serial", "46348.3958333333", "2026-11-22T09:30:00+03:00"),
        ("excel_serial", "46348,5", "2026-11-22T12:00:00+03:00"),
        // Before 2016 Turkey had summer time: the offset follows the date.
        ("dd.MM.yyyy HH:mm", "01.07.2015 12:00", "2015-07-01T12:00:00+03:00"),
        ("dd.MM.yyyy HH:mm", "01.01.2015 12:00", "2015-01-01T12:00:00+02:00"),
        // An Excel re-save writes single digits where the day, month or hour has one.
        ("dd.MM.yyyy HH:mm", "3.1.2026 9:05", "2026-01-03T09:05:00+03:00"),
        ("yyyyMMdd", "20261123", "2026-11-23T00:00:00+03:00"),
    ])
    func parsesEveryPlatformsDates(format: String, text: String, iso: String) throws {
        let f = try #require(DateFormat(name: format))
        #expect(f.parse(text, zone: istanbul)?.description == iso)
    }

    @Test(arguments: ["31.02.2026 10:00", "23.11.2026", "23.11.2026 25:00", "2026-11-23 14:05", "23.11.2026 14:05x",
                      "123.11.2026 14:05", "23.11.2026 14:5x"])
    func rejectsWhatIsNotADateInTheFormat(text: String) {
        #expect(DateFormat.pattern("dd.MM.yyyy HH:mm").parse(text, zone: istanbul) == nil)
    }
}

@Suite struct TurkishTextTests {
    @Test(arguments: ["Sipariş Numarası", "SİPARİŞ NUMARASI", "SIPARIŞ NUMARASI", "Siparis Numarasi",
                      "\u{FEFF}Sipariş  Numarası ", "sipariş numarası"])
    func headerNamesFoldTheTurkishWay(header: String) {
        #expect(ColumnName.folded(header) == "siparis numarasi")
    }

    /// A name a mapping reads and the file lacks, beside what the file has: a misspelling is found,
    /// an unrelated name is not.
    @Test(arguments: [
        ("Vergi Numarsı", ["Vergi Numarası", "Telefon"], "Vergi Numarası" as String?),
        ("_billing_tax_numbr", ["_billing_tax_number"], "_billing_tax_number"),
        ("tax_number", ["_wc_source", "_billing_tax_number"], "_billing_tax_number"),
        ("Telefon", ["Cep Telefonu"], "Cep Telefonu"),
        ("Vergi Dairesi", ["Kargo Firması", "Ürün Adı"], nil),
        ("KDV", ["KDV Dahil Tutar"], nil),
    ])
    func aLookalikeIsAFewEditsAwayOrContainsTheName(name: String, candidates: [String], found: String?) {
        #expect(ColumnName.lookalike(of: name, among: candidates) == found)
    }

    /// An all-ASCII name is folded byte by byte; a zero-width BOM sends the same name through the
    /// scalar-by-scalar path, which must agree on every ASCII byte and run of blanks.
    @Test func asciiNamesFoldAsTheScalarPathFoldsThem() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(" \t\r\n\u{0B}\u{0C}AIZaiz09_-\"'#@[`{~\u{7F}\u{01}".utf8)
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let name = String(decoding: bytes, as: UTF8.self)
            #expect(ColumnName.folded(name) == ColumnName.folded(name + "\u{FEFF}"), "\(Array(name.utf8))")
        }
        #expect(ColumnName.folded("  Lineitem\tQUANTITY \r\n") == "lineitem quantity")
    }

    @Test func curlyQuotesInHeadersMatchStraightOnes() {
        #expect(ColumnName.folded("Müşteriye “Yarın Kapında” gösterildi") == ColumnName.folded("Musteriye \"Yarin Kapinda\" gosterildi"))
    }

    @Test func casingKnowsDottedAndDotlessI() {
        #expect(TurkishCase.upper("istanbul ılgaz") == "İSTANBUL ILGAZ")
        #expect(TurkishCase.lower("IĞDIR İZMİR") == "ığdır izmir")
    }
}

@Suite struct ExpressionTests {
    @Test func shopifyLineTotal() throws {
        let e = try Expression.parse("{qty} * {price} - {discount}").get()
        let values = ["qty": Decimal6(micros: 3_000_000), "price": Decimal6(micros: 33_330_000), "discount": Decimal6(micros: 0)]
        #expect(try e.evaluate { values[$0]! }.money == Money(minorUnits: 9_999))
    }

    @Test func divisionRoundsOnlyAtTheEnd() throws {
        let e = try Expression.parse("({a} + {b}) / 3").get()
        let v = try e.evaluate { _ in Decimal6(micros: 500_000) }
        #expect(v.micros == 333_333)
        #expect(v.money == Money(minorUnits: 33))
    }

    @Test(arguments: ["{a} *", "({a} + 1", "{}", "a + 1", "{a} % 2"])
    func malformedExpressionsSayWhere(text: String) {
        guard case .failure(let e) = Expression.parse(text) else {
            Issue.record("accepted '\(text)'")
            return
        }
        #expect(e.description.contains("at character"))
    }

    /// Values waiting for an operator sit in a fixed stack of 32: a right-nested sum that deep is
    /// refused when the mapping loads, one level less is evaluated.
    @Test func nestingIsBoundedByTheStack() throws {
        func nested(_ levels: Int) -> String {
            (1..<levels).map { "{f\($0)} + (" }.joined() + "{f\(levels)}" + String(repeating: ")", count: levels - 1)
        }
        let deepest = try Expression.parse(nested(32)).get()
        #expect(try deepest.evaluate { _ in Decimal6(micros: 1_000_000) } == Decimal6(micros: 32_000_000))
        guard case .failure(let e) = Expression.parse(nested(33)) else {
            Issue.record("accepted an expression 33 deep")
            return
        }
        #expect(e.description.contains("nested too deep"))
    }
}
