/// Plain values (no references) in memory of their own, appended and dropped at the end with a
/// store and a count: a reader's scratch (the row or the cell being built, a stack of open
/// elements), reused from one item to the next. An `Array`'s `append` and `removeLast` each
/// checked the uniqueness of its storage in a runtime call: four calls a CSV field, two an XML
/// element. A copy shares the memory: only one of them may go on using it.
struct ScratchArray<Element: BitwiseCopyable> {
    private let memory: Memory
    // The memory's pointer and size, copied here: appending reads a struct's fields, not a class's.
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// How many elements there are.
    private(set) var count = 0

    init(capacity: Int = 16) {
        memory = Memory(capacity: capacity)
        (base, self.capacity) = (memory.base, memory.capacity)
    }

    var isEmpty: Bool { count == 0 }

    /// The element at `index`.
    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "index out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "index out of range")
            base[index] = newValue
        }
    }

    /// The last element.
    var last: Element? { count > 0 ? base[count - 1] : nil }

    /// The elements, valid until the next change.
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always) mutating func append(_ element: Element) {
        if count == capacity { (base, capacity) = memory.grow(toHold: count + 1, keeping: count) }
        base[count] = element
        count += 1
    }

    @inline(__always) mutating func append(contentsOf run: UnsafeBufferPointer<Element>) {
        guard let from = run.baseAddress, !run.isEmpty else { return }
        if count + run.count > capacity { (base, capacity) = memory.grow(toHold: count + run.count, keeping: count) }
        (base + count).update(from: from, count: run.count)
        count += run.count
    }

    /// Removes and returns the last element.
    mutating func removeLast() -> Element {
        precondition(count > 0, "removeLast from an empty scratch array")
        count -= 1
        return base[count]
    }

    /// Drops the last `n` elements.
    mutating func removeLast(_ n: Int) {
        precondition(n >= 0 && n <= count, "removing more than there is")
        count -= n
    }

    /// Empties it, keeping its memory.
    mutating func removeAll() { count = 0 }

    /// Owns the elements' memory, freed with the last scratch array that shares it.
    private final class Memory {
        private(set) var base: UnsafeMutablePointer<Element>
        private(set) var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 1)
            base = .allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }

        /// Room for at least `needed` (twice the room there was), the first `kept` copied.
        func grow(toHold needed: Int, keeping kept: Int) -> (UnsafeMutablePointer<Element>, Int) {
            capacity = max(needed, 2 * capacity)
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
            grown.update(from: base, count: kept)
            base.deallocate()
            base = grown
            return (grown, capacity)
        }
    }
}

extension ScratchArray where Element == UInt8 {
    /// A copy of the bytes at their exact size.
    var bytes: [UInt8] { Array(elements) }
}
