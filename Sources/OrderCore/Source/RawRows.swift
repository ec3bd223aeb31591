/// The rows of a tabular record as written, each row's cells as UTF-8 joined by U+001F, kept so
/// a rejected record or an order's warnings can be reported whole. One buffer however many
/// rows: a record crosses from the reading thread to the writing one as one allocation, not
/// one per row (each freed across threads, its reference count a cache line fetched from the
/// other core).
public struct RawRows: Sendable {
    /// Where each row ends in the rows' bytes (an `Int` each; room for ``rowCapacity``), then the rows' bytes.
    private var storage: [UInt8] = []
    /// How many rows the table at the front has room for.
    private var rowCapacity = 0
    /// How many rows there are.
    public private(set) var count = 0

    /// No rows (no allocation).
    public init() {}

    /// No rows yet, with room for `rows` rows of `bytes` bytes in all: one allocation for both.
    public init(reservingRows rows: Int, bytes: Int) {
        guard rows > 0 || bytes > 0 else { return }
        rowCapacity = rows
        storage.reserveCapacity(rows * Self.endSize + bytes)
        storage.append(contentsOf: repeatElement(0, count: rows * Self.endSize))
    }

    /// The rows of `rows`, in their order.
    public init(_ rows: [[UInt8]]) {
        self.init(reservingRows: rows.count, bytes: rows.reduce(0) { $0 + $1.count })
        for row in rows { row.withUnsafeBufferPointer { append($0) } }
    }

    private static let endSize = MemoryLayout<Int>.size

    /// Adds `row` after the others.
    public mutating func append(_ row: UnsafeBufferPointer<UInt8>) {
        if count == rowCapacity {
            // More rows than reserved: the table at the front grows (the bytes move once).
            let more = Swift.max(rowCapacity, 1)
            storage.insert(contentsOf: repeatElement(0, count: more * Self.endSize), at: rowCapacity * Self.endSize)
            rowCapacity += more
        }
        storage.append(contentsOf: row)
        let end = storage.count - rowCapacity * Self.endSize
        let slot = count * Self.endSize
        storage.withUnsafeMutableBytes { $0.storeBytes(of: end, toByteOffset: slot, as: Int.self) }
        count += 1
    }

    /// Where row `i` is among the rows' bytes.
    private func range(of i: Int, in all: UnsafeRawBufferPointer) -> Range<Int> {
        let start = i == 0 ? 0 : all.loadUnaligned(fromByteOffset: (i - 1) * Self.endSize, as: Int.self)
        return start..<all.loadUnaligned(fromByteOffset: i * Self.endSize, as: Int.self)
    }
}

extension RawRows: RandomAccessCollection, ExpressibleByArrayLiteral, Equatable {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// Row `i`'s bytes (a copy).
    public subscript(i: Int) -> [UInt8] {
        precondition(i >= 0 && i < count, "row out of range")
        return storage.withUnsafeBytes { all in
            let bytes = rowCapacity * Self.endSize
            let r = range(of: i, in: all)
            return Array(UnsafeRawBufferPointer(rebasing: all[(bytes + r.lowerBound)..<(bytes + r.upperBound)]))
        }
    }

    public init(arrayLiteral rows: [UInt8]...) {
        if rows.isEmpty { self.init() } else { self.init(rows) }
    }

    public static func == (a: RawRows, b: RawRows) -> Bool { a.elementsEqual(b) }
}
