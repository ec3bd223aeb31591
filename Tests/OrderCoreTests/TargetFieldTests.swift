import OrderCore
import Testing

@Suite struct TargetFieldTests {
    /// Tables indexed by field (the store's statement parameters) rely on it.
    @Test func ordinalIsTheDeclarationIndex() {
        for (index, field) in TargetField.allCases.enumerated() {
            #expect(field.ordinal == index, "\(field)")
        }
    }
}
