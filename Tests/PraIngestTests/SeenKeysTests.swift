@testable import OrderStore
import Testing

@Suite struct SeenKeysTests {
    /// The writer skips the stored-order lookup on "not seen": a key inserted must never be missed.
    @Test func neverMissesAnInsertedKeyAndRarelyClaimsAnOtherOne() {
        var seen = SeenKeys()
        let inserted = (0..<200_000).map { "20900\($0)" }
        for key in inserted { seen.insert(key) }
        #expect(inserted.allSatisfy(seen.mayContain))
        let falsePositives = (0..<200_000).count { seen.mayContain("#\($0)") }
        #expect(falsePositives < 2_000, "\(falsePositives) of 200000 keys never inserted were claimed")
    }
}
