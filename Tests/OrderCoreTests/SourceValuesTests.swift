import OrderCore
import Testing

/// A record's values live as bytes in one buffer: each slot reads back exactly what was set
/// (absent, empty and blank kept apart), however the buffer grows, and a copy is a value.
@Suite struct SourceValuesTests {
    @Test func eachSlotReadsBackWhatWasSet() {
        var values = SourceValues(absent: 4)
        #expect(values.count == 4)
        #expect(Array(values) == [nil, nil, nil, nil])
        set(&values, 2, "İstanbul")
        set(&values, 0, "")
        set(&values, 3, "  ")
        #expect(Array(values) == ["", nil, "İstanbul", "  "])
        #expect(!values.isAbsent(0) && values.isAbsent(1) && !values.isAbsent(2))
        #expect(values.isBlank(0) && values.isBlank(1) && !values.isBlank(2) && values.isBlank(3))
        #expect(values.withUTF8(2) { Array($0) } == Array("İstanbul".utf8))
        #expect(values.withUTF8(1) { $0.count } == nil)
        values[2] = nil
        #expect(values[2] == nil && values.isAbsent(2))
        values[1] = "yeni"
        #expect(values[1] == "yeni")
    }

    @Test func valuesPastTheRoomMadeForThemGrowTheBuffer() {
        var values = SourceValues(absent: 3, valueBytes: 4)
        let long = String(repeating: "ğ", count: 5_000)
        set(&values, 0, "kısa")
        set(&values, 1, long)
        set(&values, 2, "son")
        #expect(values[0] == "kısa" && values[1] == long && values[2] == "son")
        #expect(values.valueBytes == "kısa".utf8.count + long.utf8.count + 3)
    }

    @Test func aCopyIsAValue() {
        var original: SourceValues = ["a", nil, "c"]
        let copy = original
        set(&original, 1, "b")
        original[0] = nil
        #expect(Array(copy) == ["a", nil, "c"])
        #expect(Array(original) == [nil, "b", "c"])
        #expect(copy != original)
        #expect(copy == SourceValues(["a", nil, "c"]))
    }

    @Test func aByteBufferKeepsItsBytesAcrossGrowthAndTruncation() {
        var buffer = ByteBuffer(capacity: 2)
        let bytes = Array("çok uzun bir değer".utf8)
        bytes.withUnsafeBufferPointer { buffer.append($0) }
        buffer.append(UInt8(ascii: "!"))
        #expect(buffer.withUnsafeBufferPointer { Array($0) } == bytes + [UInt8(ascii: "!")])
        buffer.truncate(to: 3)
        #expect(buffer.withUnsafeBufferPointer { Array($0) } == Array(bytes.prefix(3)))
        let copy = buffer
        buffer.removeAll()
        #expect(buffer.isEmpty && copy.count == 3)
        #expect(copy.withUnsafeBufferPointer { Array($0) } == Array(bytes.prefix(3)))
    }

    private func set(_ values: inout SourceValues, _ slot: Int, _ text: String) {
        Array(text.utf8).withUnsafeBufferPointer { values.set(slot, utf8: $0) }
    }
}
