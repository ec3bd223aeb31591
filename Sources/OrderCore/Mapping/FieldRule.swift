import Foundation

/// How one target field gets its value: the first matching `when` case, else where from, then
/// trim, regex, case, value map, default.
public struct FieldRule: Sendable {
    public var target: TargetField
    public var value: ValueSource
    /// Conditional values, tried in order before ``value``: `Cancelled at` present ⇒ `iptal`.
    public var cases: [RuleCase]
    /// What a bad value costs (`on_error`); the field's own default unless the mapping says.
    public var severity: TargetField.Severity
    /// Trim surrounding white space (default on).
    public var trim: Bool
    public var letterCase: LetterCase?
    /// Keep the first capture group (or the whole match) of this pattern.
    public var regex: String?
    /// Value map: raw value → normalized value, keys compared Turkish-insensitively.
    public var valueMap: [String: String]?
    /// Value for keys missing from `valueMap`; without it an unknown value is an error.
    public var mapDefault: String?
    /// Used when the source is empty.
    public var defaultValue: String?
    /// Values that stand for "none" (`0000000000000` where an API has no TCKN): read as empty.
    public var emptyValues: Set<String> = []
    public var required: Bool
    /// Accepted date formats, tried in order (date fields only).
    public var dateFormats: [DateFormat]
    /// The zone of dates written without an offset, when it is not the file's (`format.timezone`).
    public var timeZone: TimeZone?
    /// The zone a date is stored in (`to_timezone`): the same moment, with that zone's offset
    /// (an Amazon report's UTC times as Istanbul time).
    public var toTimeZone: TimeZone?
    /// The column may be missing from a file (an export version without it); otherwise a missing
    /// column fails the file, so a misspelled name never passes as an empty field.
    public var optional: Bool
    /// An order field read from every line and combined (`lines: sum`): shipping charged per
    /// item row, a carrier named on each line.
    public var fromLines: LineAggregate?
    /// The path may match several elements of one record (or line), whose amounts are added
    /// (`each: sum`: a Trendyol line's `discountDetails/lineItemPrice`, one per unit).
    public var sumsEachMatch: Bool = false
    /// `kdv_orani` computed from amounts (tax ÷ net × 100): the nearest legal rate, within half a point.
    public var nearestRate: Bool
    public var location: SpecLocation

    public init(target: TargetField, value: ValueSource, location: SpecLocation) {
        self.target = target
        self.value = value
        self.cases = []
        self.severity = target.severity
        self.trim = true
        self.required = false
        self.dateFormats = []
        self.optional = false
        self.nearestRate = false
        self.location = location
    }

    public enum LetterCase: String, Sendable { case upper, lower }

    /// How an order field combines the values its source has on each line.
    public enum LineAggregate: String, Sendable {
        /// The sum of the lines' amounts.
        case sum
        /// The first line's value that is not empty.
        case first
        /// The last line's value that is not empty (the latest of a shipment's events).
        case last
        /// The value every line has; lines that disagree are an error.
        case same
    }

    /// Every source field the rule reads: its value's and its cases' conditions'.
    public var sourceFields: [String] { value.fieldNames + cases.flatMap { $0.conditions.map(\.field) } }

    /// The rule with every source field it reads renamed by `name`: a fee's paths, written
    /// relative to its element, as paths of the record.
    public func renamingFields(_ name: (String) -> String) -> FieldRule {
        var r = self
        r.value = value.renamingFields(name)
        r.cases = cases.map { c in
            var c = c
            c.conditions = c.conditions.map { RuleCase.Condition(field: name($0.field), test: $0.test) }
            return c
        }
        return r
    }

    /// The source fields a file must have for this rule: one of each group (none when `optional`).
    public var requiredFields: [[String]] {
        optional ? [] : value.requiredGroups + cases.flatMap { $0.conditions.map { [$0.field] } }
    }
}

/// One `when` case of a rule: if every condition holds, the field takes ``value``.
public struct RuleCase: Sendable {
    public var conditions: [Condition]
    /// The raw value, converted like any other (a status name, a date, an amount…).
    public var value: String
    public var location: SpecLocation

    public init(conditions: [Condition], value: String, location: SpecLocation) {
        self.conditions = conditions
        self.value = value
        self.location = location
    }

    /// A test on one source field.
    public struct Condition: Sendable {
        public var field: String
        public var test: Test
        public init(field: String, test: Test) {
            self.field = field
            self.test = test
        }
    }

    public enum Test: Sendable, Equatable {
        /// The field has a non-blank value.
        case present
        /// The field is missing or blank.
        case empty
        /// The field's value is one of these (compared as column names are: Turkish letters and case folded).
        case oneOf([String])
        /// The field's value matches this pattern (written `/pattern/` in a mapping).
        case matches(String)
    }
}

/// Where a rule's raw value comes from.
public indirect enum ValueSource: Sendable {
    /// A column name (tabular) or a path relative to the record/line element (XML).
    case field(String)
    /// The first of these fields that is not empty.
    case firstOf([String])
    case constant(String)
    /// The parts joined without separator (use constants for separators).
    case concat([ValueSource])
    /// Arithmetic over fields: `{Lineitem quantity} * {Lineitem price} - {Lineitem discount}`.
    case expression(Expression)

    /// The fields a file must have for this value: one of each group.
    public var requiredGroups: [[String]] {
        switch self {
        case .firstOf(let fs): return [fs]
        case .concat(let parts): return parts.flatMap(\.requiredGroups)
        default: return fieldNames.map { [$0] }
        }
    }

    /// The same value with its source fields renamed by `name`.
    public func renamingFields(_ name: (String) -> String) -> ValueSource {
        switch self {
        case .field(let f): return .field(name(f))
        case .firstOf(let fs): return .firstOf(fs.map(name))
        case .constant: return self
        case .concat(let parts): return .concat(parts.map { $0.renamingFields(name) })
        case .expression(let e): return .expression(e.renamingFields(name))
        }
    }

    /// Every source field this value reads.
    public var fieldNames: [String] {
        switch self {
        case .field(let f): return [f]
        case .firstOf(let fs): return fs
        case .constant: return []
        case .concat(let parts): return parts.flatMap(\.fieldNames)
        case .expression(let e): return e.fieldNames
        }
    }
}
