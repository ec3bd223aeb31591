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

    /// Whether `raw` (the field's value, `nil` when absent) meets the condition.
    public func holds(_ raw: String?) throws(LinearRegex.BudgetExceeded) -> Bool {
        switch test {
        // Presence is read in place: no trimmed copy of the value per record.
        case .present: return !(raw?.isBlank ?? true)
        case .empty: return raw?.isBlank ?? true
        case .oneOf(let folded): return folded.contains(ColumnName.folded(raw?.trimmingBlanks() ?? ""))
        case .matches(let regex): return try regex.matches(raw?.trimmingBlanks() ?? "")
        }
    }
}
