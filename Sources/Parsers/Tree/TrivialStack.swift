/// A stack of plain values (no references) in memory of its own, pushed and popped with a store
/// and a count: an `Array`'s `append` and `removeLast` each checked the uniqueness of its
/// storage in a runtime call, twice an element for a tree reader's frames. A copy of a stack
/// shares its memory: only one of them may go on using it.
struct TrivialStack<Element: BitwiseCopyable> {
    private let memory: Memory
    // The memory's pointer and size, copied here: pushing reads a struct's fields, not a class's.
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// How many elements are on the stack.
    private(set) var count = 0

    init(capacity: Int = 16) {
        memory = Memory(capacity: capacity)
        (base, self.capacity) = (memory.base, capacity)
    }

    var isEmpty: Bool { count == 0 }

    /// The element at `index` from the bottom.
    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "stack index out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "stack index out of range")
            base[index] = newValue
        }
    }

    /// The top element.
    var last: Element? { count > 0 ? base[count - 1] : nil }

    mutating func push(_ element: Element) {
        if count == capacity { (base, capacity) = memory.grow(keeping: count) }
        base[count] = element
        count += 1
    }

    /// Removes and returns the top element.
    mutating func pop() -> Element {
        precondition(count > 0, "pop from an empty stack")
        count -= 1
        return base[count]
    }

    /// Empties the stack, keeping its memory.
    mutating func removeAll() { count = 0 }

    /// Owns the elements' memory, freed with the last stack that shares it.
    private final class Memory {
        private(set) var base: UnsafeMutablePointer<Element>
        private var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 1)
            base = .allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }

        /// Twice the room, the first `kept` elements copied.
        func grow(keeping kept: Int) -> (UnsafeMutablePointer<Element>, Int) {
            capacity *= 2
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
            grown.update(from: base, count: kept)
            base.deallocate()
            base = grown
            return (grown, capacity)
        }
    }
}
