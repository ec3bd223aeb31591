@testable import OrderCore
import Testing

/// An identifier (barcode, SKU, order number) that Excel turned into scientific notation is
/// named as such; codes that merely hold an E are not.
@Suite struct IdentifierRuleTests {
    @Test(arguments: ["8,69123E+12", "6.25541e13", "8.69123E-05", "1E5", "8690000E+0"])
    func excelsScientificNotationIsRecognised(value: String) {
        #expect(CompiledRule.looksScientific(value))
    }

    @Test(arguments: ["E12", "12E", "12E+", "ABC-E1", "8690000", "TR-1E5", "1E5X", "1,2E3.4", "", "e", "é5", "1Ε5"])
    func codesWithAnELetterAreNot(value: String) {
        #expect(!CompiledRule.looksScientific(value))
    }
}
