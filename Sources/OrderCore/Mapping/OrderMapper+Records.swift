/// A shipment event or received invoice as its mapping read it: every field it filled, typed.
public struct MappedRecord: Sendable {
    public var position: SourcePosition
    public var values: FieldValues
    /// Fields stored empty because their value was bad (`on_error: warn`).
    public var warnings: [RecordError]

    public init(position: SourcePosition, values: FieldValues, warnings: [RecordError]) {
        self.position = position
        self.values = values
        self.warnings = warnings
    }

    /// Every field filled, as text (as embedded tests compare them).
    public var renderedFields: [TargetField: String] {
        var r: [TargetField: String] = [:]
        for field in TargetField.allCases { if let v = values[text: field] { r[field] = v } }
        return r
    }
}

extension OrderMapper {
    /// Maps one record of a `shipments` or `invoices` mapping: each rule fills its field; a bad
    /// key, amount, date or status rejects the record, and so does a record without the fields
    /// its kind needs (``MappingKind/requiredFields``).
    public func mapRecord(_ record: SourceRecord) -> Result<MappedRecord, RecordErrors> {
        var errors: [RecordError] = []
        var warnings: [RecordError] = []
        var values = FieldValues()
        orderRules.forEach { rule in
            if let value = evaluate(rule, record.orderValues, at: record.position, errors: &errors, warnings: &warnings) {
                values[rule.rule.target] = value.intoFieldValue()
            }
        }
        // A field read from the record's lines (a carrier's list of events: the last one).
        lineAggregates.forEach { rule in
            if let value = combine(rule, record.lines, errors: &errors, warnings: &warnings) { values[rule.rule.target] = value.intoFieldValue() }
        }
        for group in spec.kind.requiredFields where !group.contains(where: { values[$0] != nil })
            && !errors.contains(where: { e in group.contains { $0 == e.field } }) {
            let names = group.map(\.rawValue).joined(separator: " or ")
            errors.append(RecordError(position: record.position, field: group[0],
                                      reason: group.count == 1 ? "the \(names) is missing" : "the record has no \(names)"))
        }
        guard errors.isEmpty else { return .failure(RecordErrors(errors: errors)) }
        return .success(MappedRecord(position: record.position, values: values, warnings: warnings))
    }
}
