import OrderCore

/// The keys a file has written so far, as a Bloom filter: "certainly not seen" costs no
/// database lookup, "maybe seen" falls back to one. Sized by the keys a file may hold (at most
/// 2 MiB): a morning flood's small file does not zero megabytes it never uses, and past its size a
/// filter only answers "maybe" more often.
struct SeenKeys {
    private let bitCount: Int
    private var words: [UInt64]

    /// A filter with about 16 bits per key for up to `expectedKeys` keys (4 Ki to 16 Mi bits).
    init(expectedKeys: Int) {
        let wanted = max(1 << 12, min(1 << 24, expectedKeys.multipliedReportingOverflow(by: 16).partialValue))
        bitCount = wanted.nextPowerOfTwo
        words = [UInt64](repeating: 0, count: bitCount / 64)
    }

    mutating func insert(_ key: String) {
        let (a, b) = Self.hashes(key)
        for i in 0..<3 { set((a &+ i &* b) & (bitCount - 1)) }
    }

    /// `false` only for a key never inserted.
    func mayContain(_ key: String) -> Bool {
        let (a, b) = Self.hashes(key)
        return (0..<3).allSatisfy { isSet((a &+ $0 &* b) & (bitCount - 1)) }
    }

    private mutating func set(_ bit: Int) { words[bit >> 6] |= 1 << UInt64(bit & 63) }
    private func isSet(_ bit: Int) -> Bool { words[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }

    /// Two hashes from one 64-bit FNV-1a of the key's UTF-8, mixed (MurmurHash3's finalizer) so
    /// every bit depends on every byte; the three bits are `a + i·b`.
    private static func hashes(_ key: String) -> (Int, Int) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h = (h ^ (h >> 33)) &* 0xff51_afd7_ed55_8ccd
        h = (h ^ (h >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return (Int(truncatingIfNeeded: h), Int(truncatingIfNeeded: h >> 32) | 1)
    }
}
