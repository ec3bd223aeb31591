/// Why one record of a source file was rejected, with everything needed to find and fix it:
/// the position in the file, the source column or path, the target field and the mapping rule.
///
/// ``description`` may contain the offending value; it is meant for the seller's own error
/// report, not for logs (see ``logDescription``).
public struct RecordError: Error, Sendable, CustomStringConvertible {
    public var position: SourcePosition
    public var orderNumber: String?
    public var field: TargetField?
    /// The column name (tabular) or path (XML) the value came from.
    public var sourceField: String?
    /// The mapping rule that was applied.
    public var rule: SpecLocation?
    public var reason: String
    /// `reject`: the record was rejected; `warn`: the field was stored empty and the record landed.
    public var severity: TargetField.Severity
    /// The problem shows the whole file cannot be trusted (its dates are written month first):
    /// nothing of it lands.
    public var failsFile = false

    public init(position: SourcePosition, orderNumber: String? = nil, field: TargetField? = nil,
                sourceField: String? = nil, rule: SpecLocation? = nil, reason: String,
                severity: TargetField.Severity = .reject) {
        self.severity = severity
        self.position = position
        self.orderNumber = orderNumber
        self.field = field
        self.sourceField = sourceField
        self.rule = rule
        self.reason = reason
    }

    private var whereText: String {
        var parts = ["\(position)"]
        if let orderNumber { parts.append("order \(orderNumber)") }
        if let sourceField { parts.append("\"\(sourceField)\"") }
        if let field { parts.append("→ \(field.rawValue)") }
        return parts.joined(separator: ", ")
    }

    /// `line 5, order 123, "Faturalanacak Tutar", → toplam_fiyat: '1.23' is not a number… (rule trendyol.yaml:40:5)`
    public var description: String {
        "\(whereText): " + (severity == .warn ? "warning: " : "") + reason + (rule.map { " (rule \($0))" } ?? "")
            + (severity == .warn && field != nil ? "; stored empty, the order landed" : "")
    }

    /// The same without the value, for logs: customer data stays out of them.
    public var logDescription: String {
        "\(position)" + (field.map { ", field \($0.rawValue)" } ?? "") + (rule.map { " (rule \($0))" } ?? "")
    }
}
