import OrderCore
import Testing

/// `trimmingBlanks` spells Unicode's White_Space out instead of asking the property tables.
@Suite struct TrimmingTests {
    @Test func everyScalarIsBlankExactlyWhenUnicodeSaysWhiteSpace() {
        // Every White_Space scalar is in the Basic Multilingual Plane.
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar)
            #expect(text.trimmingBlanks().isEmpty == scalar.properties.isWhitespace, "U+\(String(value, radix: 16))")
            #expect(("a" + text + "ş").trimmingBlanks() == "a" + text + "ş")
        }
    }

    @Test func blanksAroundTurkishTextGoAndInnerOnesStay() {
        #expect(" \u{A0}Güneş Işık\u{3000}\t".trimmingBlanks() == "Güneş Işık")
        #expect("Kadıköy".trimmingBlanks() == "Kadıköy")
        #expect("\u{2007}".trimmingBlanks() == "")
        #expect("".trimmingBlanks() == "")
    }

    @Test func aValueIsBlankWhenEmptyOrWhiteSpaceOnly() {
        #expect("".isBlank && " \t\u{A0}\u{3000}".isBlank)
        #expect(!"a".isBlank && !" ş ".isBlank && !"\u{A0}0".isBlank)
    }
}
