@testable import OrderStore
import Testing

@Suite struct SeenKeysTests {
    /// The writer skips the stored-order lookup on "not seen": a key inserted must never be missed.
    @Test func neverMissesAnInsertedKeyAndRarelyClaimsAnOtherOne() {
        var seen = SeenKeys(expectedKeys: 200_000)
        let inserted = (0..<200_000).map { "20900\($0)" }
        for key in inserted { seen.insert(key) }
        #expect(inserted.allSatisfy(seen.mayContain))
        let falsePositives = (0..<200_000).count { seen.mayContain("#\($0)") }
        #expect(falsePositives < 2_000, "\(falsePositives) of 200000 keys never inserted were claimed")
    }

    /// A filter sized for a small file that gets far more keys (a workbook, compressed) only
    /// answers "maybe" more often: it still never misses one.
    @Test func anOverfilledSmallFilterStillNeverMissesAKey() {
        var seen = SeenKeys(expectedKeys: 10)
        let inserted = (0..<20_000).map { "TY-\($0)" }
        for key in inserted { seen.insert(key) }
        #expect(inserted.allSatisfy(seen.mayContain))
    }
}
