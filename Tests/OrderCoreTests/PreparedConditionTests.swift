import OrderCore
import Testing

/// A `one_of` condition answers alike on a record's bytes (`when` cases) and on a cell's text
/// (row filters): blanks around the value dropped, case and Turkish letters folded.
@Suite struct PreparedConditionTests {
    static let values: [String?] = ["iptal", "  İPTAL ", "Iptal", "\u{A0}iptal\u{A0}", "ıptal", "İptal edildi", "", "   ", nil, "refunded",
                                    "REFUNDED\t", "ödendi", "ÖDENDİ", "odendi x"]

    @Test func oneOfReadsTheBytesAsItReadsTheText() throws {
        let condition = try PreparedCondition(.init(field: "s", test: .oneOf(["İptal", "refunded", "Ödendi"])))
        let record = SourceValues(Self.values)
        var held: [Bool] = []
        for (slot, value) in Self.values.enumerated() {
            let onBytes = try condition.holds(record, slot)
            #expect(onBytes == (try condition.holds(value)), "slot \(slot): \(value ?? "nil")")
            held.append(onBytes)
        }
        // The work happened: the folded matches held, the others did not.
        #expect(held == [true, true, true, true, true, false, false, false, false, true, true, true, true, false])
    }
}
