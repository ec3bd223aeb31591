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

    /// A record's lines share its storage: each line's table reads back its own values, the
    /// record's slots set after a line's table stay the record's, and a line changed later is a
    /// value of its own (the record and the other lines keep theirs).
    @Test func linesSharingARecordsStorageReadBackTheirOwnValues() {
        var record = SourceValues(absent: 2, valueBytes: 8)
        set(&record, 0, "#1001")
        let first = record.appendTable(count: 3)
        let second = record.appendTable(count: 3)
        setLine(&record, first, 0, "SKU-1")
        setLine(&record, second, 0, "SKU-2")
        setLine(&record, first, 2, "")
        set(&record, 1, String(repeating: "ş", count: 300)) // after the tables, and past the room made: the storage grows
        setLine(&record, second, 1, "2")
        var lines = [record.sharing(table: first, count: 3), record.sharing(table: second, count: 3)]
        #expect(Array(record) == ["#1001", String(repeating: "ş", count: 300)])
        #expect(Array(lines[0]) == ["SKU-1", nil, ""])
        #expect(Array(lines[1]) == ["SKU-2", "2", nil])
        lines[0][1] = "5"
        set(&record, 0, "#1002")
        #expect(Array(lines[0]) == ["SKU-1", "5", ""])
        #expect(Array(lines[1]) == ["SKU-2", "2", nil])
        #expect(Array(record) == ["#1002", String(repeating: "ş", count: 300)])
        #expect(lines[1] == SourceValues(["SKU-2", "2", nil]))
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

    private func setLine(_ values: inout SourceValues, _ table: Int, _ slot: Int, _ text: String) {
        Array(text.utf8).withUnsafeBufferPointer { values.set(slot, utf8: $0, inTable: table, count: 3) }
    }

    private func set(_ values: inout SourceValues, _ slot: Int, _ text: String) {
        Array(text.utf8).withUnsafeBufferPointer { values.set(slot, utf8: $0) }
    }
}
