/// A condition on one source field, ready to test values: listed values folded, a pattern
/// compiled. Used by `when` cases and by the row filters of tabular records.
public struct PreparedCondition: Sendable {
    public let field: String
    private let test: Prepared

    private enum Prepared: Sendable {
        case present, empty
        case oneOf(Set<String>)
        case matches(LinearRegex)
    }

    public init(_ condition: RuleCase.Condition) throws(LinearRegex.SyntaxError) {
        field = condition.field
        switch condition.test {
        case .present: test = .present
        case .empty: test = .empty
        case .oneOf(let values): test = .oneOf(Set(values.map(ColumnName.folded)))
        case .matches(let pattern): test = .matches(try LinearRegex(pattern))
        }
    }

    /// Whether slot `slot` of `values` meets the condition (presence read on the bytes: no string made).
    public func holds(_ values: SourceValues, _ slot: Int) throws(LinearRegex.BudgetExceeded) -> Bool {
        switch test {
        case .present: return !values.isBlank(slot)
        case .empty: return values.isBlank(slot)
        case .oneOf(let folded): return folded.contains(values.withUTF8(slot, Self.foldedValue) ?? "")
        case .matches: return try holds(values[slot])
        }
    }

    /// Whether `raw` (the field's value, `nil` when absent) meets the condition.
    public func holds(_ raw: String?) throws(LinearRegex.BudgetExceeded) -> Bool {
        switch test {
        // Presence is read in place: no trimmed copy of the value per record.
        case .present: return !(raw?.isBlank ?? true)
        case .empty: return raw?.isBlank ?? true
        case .oneOf(let folded): return folded.contains((raw ?? "").withUTF8Bytes(Self.foldedValue))
        case .matches(let regex): return try regex.matches(raw?.trimmingBlanks() ?? "")
        }
    }

    /// A value as `one_of` compares it: without its blanks, folded (``ColumnName/folded(utf8:)``:
    /// an ASCII value is folded from its bytes, no string made first).
    private static func foldedValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        ColumnName.folded(utf8: UnsafeBufferPointer(rebasing: bytes[String.blanklessRange(bytes)]))
    }
}
