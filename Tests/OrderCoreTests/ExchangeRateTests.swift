import OrderCore
import Testing

/// Rates as published, the day whose rate an invoice takes, and the lira equivalents.
@Suite struct ExchangeRateTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

    @Test func publishedRatesAreExactMillionthsPerUnit() {
        #expect(RateValue(published: "42.5512")?.millionths == 42_551_200)
        #expect(RateValue(published: "42,5512")?.millionths == 42_551_200)
        // TCMB quotes the yen per 100.
        #expect(RateValue(published: "30.7666", unit: 100)?.millionths == 307_666)
        #expect(RateValue(published: "30.7666", unit: 100)?.description == "0.307666")
        #expect(RateValue(published: "57.3755")?.description == "57.3755")
        #expect(RateValue(published: "57")?.description == "57.0000")
        for bad in ["", "0", "0.0000", "-1.5", "1.2.3", "12,34,5", "abc", "1.1234567", "1e3"] {
            #expect(RateValue(published: bad) == nil, "\(bad)")
        }
        // Seven decimals per yen do not fit GİB's six.
        #expect(RateValue(published: "30.76661", unit: 100) == nil)
    }

    @Test func conversionRoundsHalfAwayFromZeroToTheKurus() throws {
        let rate = RateValue(published: "57.3755")!
        #expect(try rate.convert(Money(minorUnits: 10_000)) == Money(minorUnits: 573_755))
        #expect(try RateValue(published: "1.5")!.convert(Money(minorUnits: 1)) == Money(minorUnits: 2))
        #expect(try RateValue(published: "1.5")!.convert(Money(minorUnits: -1)) == Money(minorUnits: -2))
    }

    @Test func liraEquivalentsAreLineByLineAndTotalsTheirSums() throws {
        let lines = [try InvoiceLine(name: "a", sellerItemID: "A", quantity: 3, vatRate: 20, grossAmount: Money(minorUnits: 12_000)),
                     try InvoiceLine(name: "b", sellerItemID: "B", quantity: 1, vatRate: 10, grossAmount: Money(minorUnits: 3_333))]
        let lira = try LiraEquivalent(lines: lines, rate: RateValue(published: "57.3755")!)
        #expect(lira.lines.count == 2)
        #expect(lira.lines[0].taxable == Money(minorUnits: 573_755)) // 100.00 EUR
        #expect(lira.lines[0].tax == Money(minorUnits: 114_751))     // 20.00 EUR
        #expect(lira.taxable.minorUnits == lira.lines.map(\.taxable.minorUnits).reduce(0, +))
        #expect(lira.gross.minorUnits == lira.taxable.minorUnits + lira.tax.minorUnits)
    }

    @Test func theLiraTotalIsThePayableTimesTheRateAndTheLinesAddUpToIt() throws {
        // Seven lines of 0,01 EUR at 57,3755: each rounds to 0,57 TL (3,99 TL together), the total
        // 0,07 EUR is 4,02 TL; three lines get a kuruş more.
        let lines = try (0..<7).map { i throws(AmountOverflow) in
            try InvoiceLine(name: "x", sellerItemID: "S\(i)", quantity: 1, vatRate: 0, grossAmount: Money(minorUnits: 1),
                            exemption: .export)
        }
        let lira = try LiraEquivalent(lines: lines, rate: RateValue(published: "57.3755")!)
        #expect(lira.gross == Money(minorUnits: 402))
        #expect(lira.lines.map(\.gross.minorUnits).reduce(0, +) == 402)
        #expect(Set(lira.lines.map(\.gross.minorUnits)) == [57, 58])
        // With KDV: the total and the KDV each the document's × the rate; the base their difference.
        let taxed = [try InvoiceLine(name: "a", sellerItemID: "A", quantity: 1, vatRate: 20, grossAmount: Money(minorUnits: 3_333)),
                     try InvoiceLine(name: "b", sellerItemID: "B", quantity: 1, vatRate: 20, grossAmount: Money(minorUnits: 3_333)),
                     try InvoiceLine(name: "c", sellerItemID: "C", quantity: 1, vatRate: 10, grossAmount: Money(minorUnits: 1_001))]
        let rate = RateValue(published: "49.4105")!
        let l2 = try LiraEquivalent(lines: taxed, rate: rate)
        let totals = try InvoiceTotals(taxed)
        #expect(l2.gross == (try rate.convert(totals.gross)))
        #expect(l2.tax == (try rate.convert(totals.tax)))
        #expect(l2.lines.map(\.taxable.minorUnits).reduce(0, +) == l2.taxable.minorUnits)
        #expect(l2.lines.map(\.tax.minorUnits).reduce(0, +) == l2.tax.minorUnits)
        for (line, tl) in zip(taxed, l2.lines) {
            #expect(abs(tl.taxable.minorUnits - (try rate.convert(line.taxableAmount)).minorUnits) <= 1)
        }
    }

    @Test func theLastPublicationSkipsWeekendsAndHolidays() {
        let p = ExchangeRatePolicy()
        #expect(p.expectedPublication(before: Self.day("2026-10-30")) == Self.day("2026-10-28")) // 29 October
        #expect(p.expectedPublication(before: Self.day("2026-11-02")) == Self.day("2026-10-30")) // the weekend
        #expect(p.expectedPublication(before: Self.day("2026-11-01")) == Self.day("2026-10-30"))
        #expect(p.expectedPublication(before: Self.day("2027-01-04")) == Self.day("2026-12-31"))
        #expect(p.expectedPublication(before: Self.day("2027-01-05")) == Self.day("2027-01-04")) // 1 January, a Friday
        // Kurban Bayramı 2026 is known; its eve (26 May, a half day) is a publication day.
        #expect(p.expectedPublication(before: Self.day("2026-06-01")) == Self.day("2026-05-26"))
        #expect(p.expectedPublication(before: Self.day("2026-03-23")) == Self.day("2026-03-19"))
        // A later year's holidays are the operator's to list.
        var later = ExchangeRatePolicy()
        later.holidays = [Self.day("2027-03-09"), Self.day("2027-03-10"), Self.day("2027-03-11")]
        #expect(later.expectedPublication(before: Self.day("2027-03-12")) == Self.day("2027-03-08"))
        #expect(p.expectedPublication(before: Self.day("2027-03-12")) == Self.day("2027-03-11"))
    }

    static func published(_ day: String, _ bulletin: String?, _ rate: String = "57.0000") -> ExchangeRatePolicy.Published {
        ExchangeRatePolicy.Published(day: Self.day(day), bulletin: bulletin, value: RateValue(published: rate)!)
    }

    @Test func theRateOfTheLastBusinessDayBeforeTheTaxDay() {
        let p = ExchangeRatePolicy()
        // Shipped on the holiday: 28 October's rate, once it is in.
        let use = p.choose(currency: "EUR", taxDay: Self.day("2026-10-29"), latestBefore: Self.published("2026-10-28", "2026/206", "57.2923"),
                           earliestFrom: nil)
        #expect(use == .use(ExchangeRate(currency: "EUR", kind: .forex_buying, value: RateValue(published: "57.2923")!,
                                         published: Self.day("2026-10-28"), bulletin: "2026/206")))
        // Only 27 October's is in: it waits, naming the day it waits for.
        guard case .wait(let why) = p.choose(currency: "EUR", taxDay: Self.day("2026-10-29"),
                                             latestBefore: Self.published("2026-10-27", "2026/205"), earliestFrom: nil) else {
            Issue.record("a rate older than the last business day was used")
            return
        }
        #expect(why.contains("of 2026-10-28"))
        // A later bulletin with a gap does not prove the one before is the last: still waiting.
        #expect(p.choose(currency: "EUR", taxDay: Self.day("2026-10-29"), latestBefore: Self.published("2026-10-27", "2026/205"),
                         earliestFrom: Self.published("2026-10-30", "2026/207")) != .use(ExchangeRate(
                             currency: "EUR", kind: .forex_buying, value: RateValue(published: "57.0000")!,
                             published: Self.day("2026-10-27"), bulletin: "2026/205")))
        // The very next bulletin does: TCMB announced nothing on a day the calendar did not know.
        guard case .use(let rate) = p.choose(currency: "EUR", taxDay: Self.day("2026-10-29"),
                                             latestBefore: Self.published("2026-10-27", "2026/205"),
                                             earliestFrom: Self.published("2026-10-30", "2026/206")) else {
            Issue.record("consecutive bulletins were not taken as proof")
            return
        }
        #expect(rate.published == Self.day("2026-10-27"))
        // Nothing loaded at all.
        guard case .wait(let none) = p.choose(currency: "USD", taxDay: Self.day("2026-11-02"), latestBefore: nil, earliestFrom: nil) else {
            Issue.record("an invoice was issued without a rate")
            return
        }
        #expect(none.contains("no rate of USD"))
    }

    @Test func sameDayBasisTakesTheBulletinOfTheTaxDay() {
        var p = ExchangeRatePolicy()
        p.basis = .same_day
        p.kind = .forex_selling
        #expect(p.cutoff(taxDay: Self.day("2026-10-28")) == Self.day("2026-10-29"))
        guard case .use(let rate) = p.choose(currency: "EUR", taxDay: Self.day("2026-10-28"),
                                             latestBefore: Self.published("2026-10-28", "2026/206"), earliestFrom: nil) else {
            Issue.record("the same day's bulletin was not used")
            return
        }
        #expect(rate.kind == .forex_selling)
    }

    @Test func calendarDays() {
        #expect(Self.day("2026-10-29").isoWeekday == 4)
        #expect(Self.day("2026-11-01").isoWeekday == 7)
        #expect(CalendarDay(iso: "2026-02-30") == nil)
        #expect(CalendarDay(iso: "26-10-29") == nil)
        #expect(Self.day("2026-12-31").adding(days: 1).description == "2027-01-01")
    }
}
