/// The value of a non-core field, typed by its ``TargetField/kind``.
public enum FieldValue: Sendable, Equatable {
    case text(String)
    case date(Timestamp)
    case money(Money)

    /// As embedded tests and reports show it: text as is, dates ISO 8601, money `1234.56`.
    public var rendered: String {
        switch self {
        case .text(let t): return t
        case .date(let d): return d.description
        case .money(let m): return m.description
        }
    }
}

/// The non-core fields of an order or a line, by their declaration (``TargetField``).
///
/// A handful of fields per order or line: kept as a short list searched in place, which costs
/// far less per record than hashing into a dictionary (100k N11 orders: see the commit).
public struct FieldValues: Sendable, Equatable {
    /// A struct, not a tuple: an array of tuples is destroyed through the runtime's generic
    /// tuple witness, element by element (two calls more per value).
    @usableFromInline struct Entry: Sendable {
        @usableFromInline var field: TargetField
        @usableFromInline var value: FieldValue
    }

    @usableFromInline var entries: [Entry] = []

    public init() {}

    /// Room for `count` fields, so filling them allocates once.
    public mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }

    public subscript(field: TargetField) -> FieldValue? {
        get {
            // By index: iterating the entries would copy (retain and release) every value passed.
            for i in entries.indices where entries[i].field == field { return entries[i].value }
            return nil
        }
        set {
            var i = 0
            while i < entries.count && entries[i].field != field { i += 1 }
            if i < entries.count {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append(Entry(field: field, value: newValue))
            }
        }
    }

    /// The field's value as text (dates in ISO 8601, money `1234.56`); `nil` when absent.
    public subscript(text field: TargetField) -> String? {
        get { self[field]?.rendered }
        set { self[field] = newValue.map(FieldValue.text) }
    }

    public func date(_ field: TargetField) -> Timestamp? {
        if case .date(let d) = self[field] { return d }
        return nil
    }

    public func money(_ field: TargetField) -> Money? {
        if case .money(let m) = self[field] { return m }
        return nil
    }

    /// Calls `body` with each field that has a value, in no particular order, the value moved out
    /// of its place for the call and back after it. (Inlinable, and not copied: a copy per call
    /// cost a retain and a release per text, which on a string another thread made fetch its
    /// cache line from that thread's core.)
    @inlinable public mutating func forEachInPlace(_ body: (TargetField, FieldValue) -> Void) {
        for i in entries.indices {
            let value = exchange(&entries[i].value, with: .money(.zero))
            body(entries[i].field, value)
            entries[i].value = value
        }
    }

    /// The same fields with the same values, in any order.
    public static func == (a: FieldValues, b: FieldValues) -> Bool {
        a.entries.count == b.entries.count && a.entries.allSatisfy { b[$0.field] == $0.value }
    }
}
