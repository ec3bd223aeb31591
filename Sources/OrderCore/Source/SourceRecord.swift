/// One order as a parser found it, before mapping: the values of the source fields the
/// mapping asked for, for the order and for each of its lines.
///
/// Values are in *slot* order: slot `i` holds the value of ``SourceLayout/orderFields``[i]
/// (or ``SourceLayout/lineFields``[i] for lines); `nil` when the file has no such value.
public struct SourceRecord: Sendable {
    public var position: SourcePosition
    public var orderValues: SourceValues
    public var lines: [SourceLine]
    /// Tabular files: every cell of each row as written (UTF-8, cells joined by U+001F), kept
    /// so a rejected record can be reported whole. Empty for XML, where the values read stand for it.
    public var rawRows: RawRows
    /// The file inside a zip the record came from (a provider's batch of invoices).
    public var part: String?
    /// Tabular files: order fields on which the order's rows disagree (the first row's value is
    /// the one read): the mapping decides what that costs.
    public var disagreements: [RowDisagreement]

    public init(position: SourcePosition, orderValues: SourceValues, lines: [SourceLine], rawRows: RawRows = RawRows(),
                disagreements: [RowDisagreement] = []) {
        self.position = position
        self.orderValues = orderValues
        self.lines = lines
        self.rawRows = rawRows
        self.disagreements = disagreements
    }
}

/// Two rows of one order with different values in a column read for the order.
public struct RowDisagreement: Sendable, Equatable {
    /// The order slot (``SourceLayout/orderFields``).
    public var slot: Int
    public var first: (line: Int, value: String)
    public var other: (line: Int, value: String)
    public init(slot: Int, first: (line: Int, value: String), other: (line: Int, value: String)) {
        self.slot = slot
        self.first = first
        self.other = other
    }
    public static func == (a: RowDisagreement, b: RowDisagreement) -> Bool {
        a.slot == b.slot && a.first == b.first && a.other == b.other
    }
}

/// One line of a ``SourceRecord`` (a CSV row, or a repeated XML line element).
public struct SourceLine: Sendable {
    public var position: SourcePosition
    public var values: SourceValues
    public init(position: SourcePosition, values: SourceValues) {
        self.position = position
        self.values = values
    }
}

/// The source fields a mapping reads that nothing in a file had: no element matched the path
/// (XML, JSON), or the header has no such column (an optional rule's). Line fields by their
/// name relative to the line.
public struct UnseenFields: Sendable, Equatable {
    public var order: Set<String> = []
    public var line: Set<String> = []
    /// What the file has that an unseen name looks like a mistake for: `a column "Vergi No"`, `"ID"
    /// elements, none with @schemeID='VNK'`. A hint makes the unseen field a warning.
    public var lookalikes: [String: String] = [:]
    public init(order: Set<String> = [], line: Set<String> = [], lookalikes: [String: String] = [:]) {
        self.order = order
        self.line = line
        self.lookalikes = lookalikes
    }

    /// What two parts of a file (the entries of a zip) both lacked.
    public func intersection(_ other: UnseenFields) -> UnseenFields {
        UnseenFields(order: order.intersection(other.order), line: line.intersection(other.line),
                     lookalikes: lookalikes.merging(other.lookalikes) { a, _ in a })
    }
}

/// The source fields a mapping reads, resolved once per file into slots.
public struct SourceLayout: Sendable, Equatable {
    /// Column names (CSV/XLSX) or paths relative to the record element (XML) read for the order.
    public var orderFields: [String]
    /// Column names or paths relative to the line element read for each line.
    public var lineFields: [String]
    /// For tabular files: the column whose value groups rows into one order.
    public var groupBy: String?
    /// Source fields the file must have for the record (order) and for each line: at least one
    /// of each group (a rule's `from: [a, b]` alternatives form one group). Fields of
    /// `optional: true` rules are in no group.
    public var required: [[String]]
    public var requiredLine: [[String]]
    /// Paths that may match several elements of a record (or line): their values are kept
    /// apart by ``SourceLayout/valueSeparator`` for the rule that adds them up.
    public var repeatable: Set<String> = []
    /// The rule that reads each source field first, for an error about the field to point at.
    public var readers: [String: SpecLocation] = [:]
    /// Between the values of a repeatable path (never in a value: control characters are refused).
    public static let valueSeparator: Character = "\u{1E}"

    public init(orderFields: [String], lineFields: [String], groupBy: String?, required: [[String]] = [],
                requiredLine: [[String]] = []) {
        self.orderFields = orderFields
        self.lineFields = lineFields
        self.groupBy = groupBy
        self.required = required
        self.requiredLine = requiredLine
    }

    /// Tabular files, where a column serves order and lines alike: the groups none of whose
    /// fields is in `present` (compared by `key`).
    public func missing(from present: Set<String>, key: (String) -> String = { $0 }) -> [[String]] {
        (required + requiredLine).filter { group in !group.contains { present.contains(key($0)) } }
    }
}
