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
public struct FieldValues: Sendable, Equatable {
    private var values: [TargetField: FieldValue] = [:]

    public init() {}

    public subscript(field: TargetField) -> FieldValue? {
        get { values[field] }
        set { values[field] = newValue }
    }

    /// The field's value as text (dates in ISO 8601, money `1234.56`); `nil` when absent.
    public subscript(text field: TargetField) -> String? {
        get { values[field]?.rendered }
        set { values[field] = newValue.map(FieldValue.text) }
    }

    public func date(_ field: TargetField) -> Timestamp? {
        if case .date(let d) = values[field] { return d }
        return nil
    }

    public func money(_ field: TargetField) -> Money? {
        if case .money(let m) = values[field] { return m }
        return nil
    }
}
