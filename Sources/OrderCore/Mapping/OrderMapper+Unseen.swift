/// A column or path a mapping reads that nothing in a file had: every value the rule read from
/// it is empty. A misspelled name looks exactly like this, so it is never silent.
public struct UnmatchedSource: Sendable, CustomStringConvertible {
    /// The source field, or the alternatives of a `from: [a, b]` that all went unmatched; a
    /// line's path in a tree format with the line path before it.
    public var names: [String]
    public var target: TargetField
    public var rule: SpecLocation
    /// What the file has instead that looks like it (a column one letter apart, elements whose
    /// predicate never fit): the name is likely misspelled, a warning that makes the file
    /// partial. Without one it is a note: many exports leave out what an optional rule reads.
    public var lookalike: String?
    public var isWarning: Bool { lookalike != nil }

    public var description: String {
        names.map { "\"\($0)\"" }.joined(separator: " or ") + " (→ \(target.rawValue), rule \(rule))"
            + (lookalike.map { "; the file has \($0)" } ?? "")
    }
}

extension OrderMapper {
    /// The sources of every rule that nothing in the file matched, in the mapping's order.
    public func unmatchedSources(_ unseen: UnseenFields) -> [UnmatchedSource] {
        let linePrefix = spec.format.isTree && !spec.records.recordIsLine
            ? spec.records.linePath.map { $0 + "/" }.joined() : ""
        var found: [UnmatchedSource] = []
        func consider(_ rule: FieldRule, inLine: Bool) {
            let missing = inLine ? unseen.line : unseen.order
            var groups = rule.value.requiredGroups
            groups += rule.cases.flatMap { $0.conditions.map { [$0.field] } }
            for group in groups where !group.isEmpty && group.allSatisfy(missing.contains) {
                let names = group.map { inLine ? linePrefix + $0 : $0 }
                guard !found.contains(where: { $0.names == names }) else { continue }
                found.append(UnmatchedSource(names: names, target: rule.target, rule: rule.location,
                                             lookalike: group.lazy.compactMap { unseen.lookalikes[$0] }.first))
            }
        }
        for rule in spec.orderRules { consider(rule, inLine: rule.fromLines != nil) }
        for rule in spec.lineRules { consider(rule, inLine: true) }
        for rule in spec.feeLines.flatMap(\.rules) { consider(rule, inLine: false) }
        return found
    }
}
