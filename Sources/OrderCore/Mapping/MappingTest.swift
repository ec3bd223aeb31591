/// A test embedded in a mapping file: an input snippet and the orders (or errors) it must give.
public struct MappingTest: Sendable {
    public var name: String
    /// The snippet, in the mapping's own format (an `.xlsx` mapping takes CSV text with its header).
    public var input: String
    /// Expected orders, field by field; only the fields written are compared.
    public var expectedOrders: [ExpectedOrder]
    /// Expected rejected records: a substring of each error, in order.
    public var expectedErrors: [String]
    /// Expected warnings (fields stored empty): a substring of each, in order.
    public var expectedWarnings: [String]
    public var location: SpecLocation

    public init(name: String, input: String, expectedOrders: [ExpectedOrder], expectedErrors: [String],
                expectedWarnings: [String] = [], location: SpecLocation) {
        self.expectedWarnings = expectedWarnings
        self.name = name
        self.input = input
        self.expectedOrders = expectedOrders
        self.expectedErrors = expectedErrors
        self.location = location
    }
}

/// The fields an embedded test expects of one order, as rendered by ``NormalizedOrder/renderedFields``.
public struct ExpectedOrder: Sendable {
    public var fields: [(TargetField, String, SpecLocation)]
    public var lines: [[(TargetField, String, SpecLocation)]]
    public var location: SpecLocation
    public init(fields: [(TargetField, String, SpecLocation)], lines: [[(TargetField, String, SpecLocation)]],
                location: SpecLocation) {
        self.fields = fields
        self.lines = lines
        self.location = location
    }
}
