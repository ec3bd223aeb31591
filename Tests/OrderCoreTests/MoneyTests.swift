import OrderCore
import Testing

@Suite struct NumberStyleTests {
    @Test(arguments: [
        ("1.234,56", 123_456), ("1234,56", 123_456), ("0,75", 75), ("1.154", 115_400), ("-12,5", -1_250),
        ("2,17", 217), ("1.200.000,00", 120_000_000), (" 9,99 ", 999),
    ])
    func commaStyleReadsTurkishAmounts(text: String, kurus: Int64) {
        #expect(NumberStyle.comma.parseMoney(text) == .success(Money(minorUnits: kurus)))
    }

    @Test(arguments: [("1,234.56", 123_456), ("1234.56", 123_456), ("1.80000", 180), ("10", 1_000), ("0.00", 0)])
    func dotStyleReadsAPIAmounts(text: String, kurus: Int64) {
        #expect(NumberStyle.dot.parseMoney(text) == .success(Money(minorUnits: kurus)))
    }

    /// The classic silent errors: a decimal separator read as a thousands separator.
    @Test(arguments: [(NumberStyle.dot, "9,99"), (.dot, "1,23"), (.comma, "1.23"), (.comma, "123.45"),
                      (.comma, "1,234.56"), (.dot, "12a"), (.comma, ""), (.comma, "1..000")])
    func ambiguousSeparatorsAreErrorsNotWrongNumbers(style: NumberStyle, text: String) {
        guard case .failure = style.parseMoney(text) else {
            Issue.record("'\(text)' was accepted in \(style) style")
            return
        }
    }

    @Test func excelScientificNotationIsNamed() {
        #expect(NumberStyle.comma.parseMoney("8,69123E+12") == .failure(.scientificNotation("8,69123E+12")))
    }

    @Test func moneyBeyondTheKurusIsRefused() {
        #expect(NumberStyle.dot.parseMoney("1.234") == .failure(.tooManyDecimals("1.234")))
    }

    @Test func quantitiesMustBeWhole() {
        #expect(NumberStyle.comma.parseInteger("2,00") == .success(2))
        #expect(NumberStyle.comma.parseInteger("2,5") == .failure(.notAWholeNumber("2,5")))
    }
}

@Suite struct MoneyTests {
    @Test(arguments: [(Int64(125), 2, Int64(62)), (135, 2, 68), (-125, 2, -62), (100, 3, 33), (200, 3, 67), (8995, 1, 8995)])
    func divisionRoundsHalfToEven(minor: Int64, by divisor: Int, expected: Int64) {
        #expect(Money(minorUnits: minor).divided(by: divisor).minorUnits == expected)
    }

    /// The one KDV split of invoices and ERP files: every rate, and the ties (only 20 % has them).
    @Test(arguments: [
        (Int64(12000), 20, Int64(10000), Int64(2000)), (3, 20, 2, 1), (9, 20, 7, 2), (15, 20, 12, 3), (-3, 20, -2, -1),
        (9999, 20, 8332, 1667), (10000, 10, 9091, 909), (100, 8, 93, 7), (10000, 18, 8475, 1525), (10100, 1, 10000, 100),
        (10000, 0, 10000, 0), (0, 20, 0, 0),
    ])
    func kdvSplitsHalfAwayFromZeroAndAddsUp(gross: Int64, rate: Int, base: Int64, kdv: Int64) throws {
        let split = try KDVSplit(gross: Money(minorUnits: gross), rate: rate)
        #expect(split.base.minorUnits == base && split.kdv.minorUnits == kdv)
        #expect(split.base.minorUnits + split.kdv.minorUnits == gross)
    }

    @Test func rendersForUBLAndForPeople() {
        let m = Money(minorUnits: -123_456_789)
        #expect(m.description == "-1234567.89")
        #expect(m.turkishDescription == "-1.234.567,89")
        #expect(Money(minorUnits: 5).description == "0.05")
    }
}
