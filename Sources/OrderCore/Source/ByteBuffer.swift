/// Bytes gathered at the end and dropped from it with `memcpy` and a count. A reader gathers
/// every value of a file this way: `Array`'s `append(contentsOf:)` of a buffer and its
/// `removeAll(keepingCapacity:)` take a generic path of tens of instructions a call.
public struct ByteBuffer: Sendable {
    /// Always initialized to its capacity (UInt8 needs no initializing; no byte at or past
    /// ``count`` is read): the bytes past ``count`` are room to grow into.
    @usableFromInline var storage: [UInt8]
    @usableFromInline var held: Int

    /// How many bytes the buffer holds.
    public var count: Int { held }

    /// An empty buffer with room for `capacity` bytes.
    public init(capacity: Int = 0) {
        storage = Self.storage(capacity: capacity, copying: UnsafeBufferPointer(start: nil, count: 0))
        held = 0
    }

    @usableFromInline static func storage(capacity: Int, copying old: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            if let from = old.baseAddress, old.count > 0 { buffer.baseAddress!.update(from: from, count: old.count) }
            initialized = capacity
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// Appends `bytes`.
    @inlinable public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        let at = held
        withUnsafeMutableRoom(bytes.count) { $0.advanced(by: at).update(from: from, count: bytes.count) }
    }

    /// Appends `byte`.
    @inlinable public mutating func append(_ byte: UInt8) {
        let at = held
        withUnsafeMutableRoom(1) { $0[at] = byte }
    }

    /// Adds `more` bytes at the end, written by `body` (given the start of the storage, bytes
    /// before ``count`` included), growing the storage when it lacks the room.
    @inlinable public mutating func withUnsafeMutableRoom(_ more: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Void) {
        if held + more > storage.count { grow(toHold: more) }
        storage.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
        held += more
    }

    /// Room for `more` bytes past ``count``: at least twice the storage there was.
    @usableFromInline mutating func grow(toHold more: Int) {
        let kept = held
        storage = storage.withUnsafeBufferPointer {
            Self.storage(capacity: Swift.max(kept + more, 2 * $0.count, 16), copying: UnsafeBufferPointer(rebasing: $0[..<kept]))
        }
    }

    /// Keeps the first `newCount` bytes.
    @inlinable public mutating func truncate(to newCount: Int) {
        precondition(newCount >= 0 && newCount <= held, "truncating past the end")
        held = newCount
    }

    /// Empties the buffer, keeping its storage.
    @inlinable public mutating func removeAll() { held = 0 }

    /// Calls `body` with the bytes held.
    @inlinable public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        let held = held
        return try storage.withUnsafeBufferPointer { (all) throws(E) in try body(UnsafeBufferPointer(rebasing: all[..<held])) }
    }

    /// Calls `body` with the bytes held, to change them in place.
    @inlinable public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<UInt8>) -> R) -> R {
        let held = held
        return storage.withUnsafeMutableBufferPointer { body(UnsafeMutableBufferPointer(rebasing: $0[..<held])) }
    }
}
