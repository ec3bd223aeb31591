import Foundation

/// A bounded queue between two threads: ``put(_:)`` waits while it is full, ``take()`` while it
/// is empty; ``cancel()`` releases both for good. What a pipeline's stages pass each other.
public final class HandOff<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var elements: [Element] = []
    private var cancelled = false
    private let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    /// Waits for room; `false` once cancelled (the element is dropped).
    public func put(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while elements.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        elements.append(element)
        condition.broadcast()
        return true
    }

    /// Waits for the next element; `nil` once cancelled.
    public func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while elements.isEmpty && !cancelled { condition.wait() }
        if cancelled { return nil }
        let element = elements.removeFirst()
        condition.broadcast()
        return element
    }

    /// Drops what is queued and releases every waiting thread.
    public func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        elements.removeAll()
        condition.broadcast()
    }
}

/// Threads started for one job and joined before it ends: ``join()`` waits for every thread
/// ``start(_:)`` began.
public final class ThreadGroup: @unchecked Sendable {
    private let condition = NSCondition()
    private var running = 0

    public init() {}

    /// Runs `body` on a new thread (8 MiB of stack, as a deep XML record may need).
    public func start(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        running += 1
        condition.unlock()
        let thread = Thread { [self] in
            body()
            condition.lock()
            running -= 1
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits until every thread started has ended.
    public func join() {
        condition.lock()
        defer { condition.unlock() }
        while running > 0 { condition.wait() }
    }
}
