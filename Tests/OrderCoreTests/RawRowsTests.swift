import OrderCore
import Testing

/// A record's rows as written live in one buffer: each row reads back byte for byte (empty rows,
/// separators and bytes past ASCII kept), in order, whether the room was reserved or not.
@Suite struct RawRowsTests {
    private static let rows: [[UInt8]] = [
        Array("#1001\u{1F}Ayşe Yılmaz\u{1F}İstanbul".utf8), [], Array("\u{1F}\u{1F}".utf8), [0xFF, 0x00, 0x0A], Array("son".utf8),
    ]

    @Test func rowsReadBackAsAppendedWithTheRoomReserved() {
        var raw = RawRows(reservingRows: Self.rows.count, bytes: Self.rows.reduce(0) { $0 + $1.count })
        for row in Self.rows { row.withUnsafeBufferPointer { raw.append($0) } }
        #expect(raw.count == 5)
        #expect(Array(raw) == Self.rows)
        #expect(raw == RawRows(Self.rows))
    }

    @Test func rowsPastTheRoomReservedGrowIt() {
        var raw = RawRows(reservingRows: 1, bytes: 2)
        for row in Self.rows { row.withUnsafeBufferPointer { raw.append($0) } }
        #expect(Array(raw) == Self.rows)
        var none = RawRows()
        #expect(none.isEmpty && none == [])
        Self.rows[0].withUnsafeBufferPointer { none.append($0) }
        #expect(none == [Self.rows[0]] && none != [Self.rows[1]])
    }
}
