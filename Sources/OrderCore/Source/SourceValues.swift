/// The values of a record's (or line's) slots, as UTF-8 in one buffer: a record holds no string
/// per value, so reading it, handing it to the writer and dropping it retain and release nothing
/// per value. A rule makes a string of the value it reads.
///
/// Slot `i` is absent (`nil`: the file had no such value) until it is set.
public struct SourceValues: Sendable {
    /// One allocation per record or line: a span per slot (where its value starts, and its
    /// length, both `UInt32`; start `UInt32.max`: absent), then every value set, one after another
    /// (a value set again leaves its old bytes behind). A table's lines may share their record's
    /// storage, each line's spans a table of their own in it (``appendTable(count:)``).
    @usableFromInline var storage: ByteBuffer
    /// Where this value's table of spans starts in ``storage``.
    @usableFromInline let table: Int
    /// How many slots there are.
    public let count: Int

    @usableFromInline static let absentStart = UInt32.max
    @usableFromInline static let spanSize = 8

    /// `count` absent values, with room for `valueBytes` bytes of values before the storage grows.
    public init(absent count: Int, valueBytes: Int = 0) {
        self.count = count
        table = 0
        storage = ByteBuffer(capacity: count * Self.spanSize + Swift.max(valueBytes, 16))
        storage.withUnsafeMutableRoom(count * Self.spanSize) { $0.initialize(repeating: 0xFF, count: count * Self.spanSize) }
    }

    /// No slots and no storage (no allocation).
    public init() {
        count = 0
        table = 0
        storage = ByteBuffer()
    }

    private init(sharing storage: ByteBuffer, table: Int, count: Int) {
        self.storage = storage
        self.table = table
        self.count = count
    }

    /// Adds a table of `count` absent slots to the storage, for another set of values that
    /// shares it (a line of this record): where it starts, for ``set(_:utf8:inTable:)`` and
    /// ``sharing(table:count:)``. One allocation for a record and all its lines, not one each.
    public mutating func appendTable(count: Int) -> Int {
        let start = storage.count
        storage.withUnsafeMutableRoom(count * Self.spanSize) { $0.advanced(by: start).initialize(repeating: 0xFF, count: count * Self.spanSize) }
        return start
    }

    /// The values of the table at `table` (from ``appendTable(count:)``), sharing this storage.
    public func sharing(table: Int, count: Int) -> SourceValues {
        precondition(table >= 0 && table + count * Self.spanSize <= storage.count, "no such table")
        return SourceValues(sharing: storage, table: table, count: count)
    }

    /// The values of `strings`, in their order.
    public init(_ strings: [String?]) {
        self.init(absent: strings.count)
        for (slot, value) in strings.enumerated() {
            if let value { set(slot, value) }
        }
    }

    /// How many bytes the values take (with any left behind, and any other tables sharing the storage).
    public var valueBytes: Int { storage.count - count * Self.spanSize }

    /// Room to reserve for the next record's values, given `reserved` for these: the most any
    /// record needed so far, up to 4 KiB. Reserving only the last record's size made a longer
    /// record grow its storage (a new allocation and a copy) every other order; past 4 KiB a
    /// hostile file's one huge record would hold that much for every record in flight.
    public func roomForNext(reserved: Int) -> Int { Swift.min(Swift.max(reserved, valueBytes), 4096) }

    @inlinable @inline(__always) func span(_ slot: Int) -> (start: Int, count: Int)? {
        precondition(slot >= 0 && slot < count, "slot out of range")
        return storage.withUnsafeBufferPointer { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            let start = raw.loadUnaligned(fromByteOffset: table + slot * Self.spanSize, as: UInt32.self)
            guard start != Self.absentStart else { return nil }
            return (Int(start), Int(raw.loadUnaligned(fromByteOffset: table + slot * Self.spanSize + 4, as: UInt32.self)))
        }
    }

    /// Writes slot `slot`'s span in the table at byte `table` of the storage at `base`.
    @inlinable static func store(_ span: (start: Int, count: Int), slot: Int, table: Int, at base: UnsafeMutablePointer<UInt8>) {
        let raw = UnsafeMutableRawPointer(base)
        raw.storeBytes(of: UInt32(truncatingIfNeeded: span.start), toByteOffset: table + slot * spanSize, as: UInt32.self)
        raw.storeBytes(of: UInt32(truncatingIfNeeded: span.count), toByteOffset: table + slot * spanSize + 4, as: UInt32.self)
    }

    /// Whether slot `slot` has no value.
    @inlinable public func isAbsent(_ slot: Int) -> Bool { span(slot) == nil }

    /// Whether slot `slot` is absent, empty or white space only (no string made).
    public func isBlank(_ slot: Int) -> Bool { withUTF8(slot, String.isBlank) ?? true }

    /// Sets slot `slot` to `utf8`: the bytes and the slot's span written at once.
    @inlinable public mutating func set(_ slot: Int, utf8: UnsafeBufferPointer<UInt8>) {
        precondition(slot >= 0 && slot < count, "slot out of range")
        append(utf8, slot: slot, table: table)
    }

    /// Sets slot `slot` of the table at `table` (``appendTable(count:)``, `count` slots) to `utf8`.
    @inlinable public mutating func set(_ slot: Int, utf8: UnsafeBufferPointer<UInt8>, inTable table: Int, count: Int) {
        precondition(slot >= 0 && slot < count && table >= 0 && table + count * Self.spanSize <= storage.count, "slot out of range")
        append(utf8, slot: slot, table: table)
    }

    @inlinable @inline(__always) mutating func append(_ utf8: UnsafeBufferPointer<UInt8>, slot: Int, table: Int) {
        let start = storage.count
        precondition(start + utf8.count < Int(Self.absentStart), "values over 4 GiB")
        storage.withUnsafeMutableRoom(utf8.count) { base in
            if let from = utf8.baseAddress, utf8.count > 0 { base.advanced(by: start).update(from: from, count: utf8.count) }
            Self.store((start, utf8.count), slot: slot, table: table, at: base)
        }
    }

    /// Sets slot `slot` to `text`.
    public mutating func set(_ slot: Int, _ text: String) {
        var text = text
        text.withUTF8 { set(slot, utf8: $0) }
    }

    /// Makes slot `slot` absent.
    public mutating func remove(_ slot: Int) {
        precondition(slot >= 0 && slot < count, "slot out of range")
        let table = table
        storage.withUnsafeMutableBufferPointer { Self.store((Int(Self.absentStart), 0), slot: slot, table: table, at: $0.baseAddress!) }
    }

    /// Calls `body` with slot `slot`'s bytes; `nil` when it is absent.
    @inlinable public func withUTF8<R>(_ slot: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        guard let span = span(slot) else { return nil }
        return try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[span.start..<(span.start + span.count)])) }
    }
}

extension SourceValues: RandomAccessCollection, MutableCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// Slot `slot`'s value as a new string; setting `nil` makes it absent.
    public subscript(slot: Int) -> String? {
        get { withUTF8(slot) { String(decoding: $0, as: UTF8.self) } }
        set {
            if let newValue { set(slot, newValue) } else { remove(slot) }
        }
    }
}

extension SourceValues: ExpressibleByArrayLiteral, Equatable, CustomStringConvertible {
    public init(arrayLiteral elements: String?...) { self.init(elements) }

    public static func == (a: SourceValues, b: SourceValues) -> Bool { a.elementsEqual(b) }

    public var description: String { Array(self).description }
}
