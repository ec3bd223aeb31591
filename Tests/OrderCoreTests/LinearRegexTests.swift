import OrderCore
import Testing

/// The mapping regex engine: the syntax admins use, leftmost-first like ICU, and no backtracking.
@Suite struct LinearRegexTests {
    @Test(arguments: [
        ("(\\d+)", "KDV %20", "20"),
        ("(\\d+)", "%8", "8"),
        ("^(\\w+)-", "TY-1234", "TY"),
        ("[A-Z]{3}\\d{13}", "fatura PRA2026000000001 ok", "PRA2026000000001"),
        ("(?:Sipariş|Order) No: (\\S+)", "Sipariş No: 10001-A", "10001-A"),
        ("(a|ab)(c|bcd)", "abcd", "a"),
        ("(a+?)a", "aaaa", "a"),
        ("(a*)b", "xaab", "aa"),
        ("(?i)kargo(\\w*)", "KARGOda", "da"),
        ("([^;]+);", "Ayşe Yılmaz;x", "Ayşe Yılmaz"),
        ("(\\d{2})\\.(\\d{2})", "23.11.2026", "23"),
        ("colou?r", "the colour", "colour"),
        ("\\bİl\\b", "İl İlçe", "İl"),
        ("x*", "abc", ""),
    ])
    func extractsTheFirstGroupOrTheWholeMatch(pattern: String, text: String, expected: String) throws {
        #expect(try LinearRegex(pattern).extract(text) == expected)
    }

    @Test func noMatchIsNil() throws {
        #expect(try LinearRegex("(\\d+)").extract("yok") == nil)
        #expect(try LinearRegex("^a$").extract("ab") == nil)
    }

    @Test(arguments: ["(a", "a)", "*a", "a**", "[z-a]", "(?=a)", "\\1", "a{2}{3}", "\\"])
    func refusesWhatItDoesNotSupport(pattern: String) {
        #expect(throws: LinearRegex.SyntaxError.self) { _ = try LinearRegex(pattern) }
    }

    /// `(a+)+$` on 81 characters took 39 s with NSRegularExpression; here it is linear.
    @Test func aCatastrophicPatternRunsInLinearTime() throws {
        let value = String(repeating: "a", count: 20_000) + "!"
        #expect(try LinearRegex("(a+)+$").extract(value) == nil)
        #expect(try LinearRegex("(a|aa)*b").extract(value) == nil)
        #expect(try LinearRegex("(x+x+)+y").extract(String(repeating: "x", count: 5_000)) == nil)
    }

    /// Linear in the value, bounded in the program: `(?:.{1000}){19}Z` on 60 KB took 61 s, `(x?)`×2000`y` 13 s and 200 MB.
    @Test(arguments: [("(?:.{1000}){19}Z", 1), ("(x?)", 2_000), ("(?:x?)", 1_100)])
    func aPatternTooLargeToRunIsRefusedWhenTheMappingLoads(part: String, times: Int) {
        let pattern = String(repeating: part, count: times) + (times > 1 ? "y" : "")
        #expect(throws: LinearRegex.SyntaxError.self) { _ = try LinearRegex(pattern) }
    }

    @Test func aValueThatWouldCostMoreThanTheBudgetFailsFastWithoutAnAnswer() throws {
        let regex = try LinearRegex("(?:.{100}){19}Z") // about 1,900 instructions: accepted
        let start = ContinuousClock.now
        #expect(throws: LinearRegex.BudgetExceeded.self) { _ = try regex.extract(String(repeating: "a", count: 60_000)) }
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(try regex.extract(String(repeating: "a", count: 1_900) + "Z") != nil)
    }
}
