/// A problem in a mapping file, with the place an admin must fix:
/// `mappings/trendyol.yaml:12:5: error: unknown field 'qty'`.
public struct MappingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SpecLocation
    public var message: String
    /// Further problems of the same file, reported with this one.
    public var more: [MappingError] = []
    public init(_ message: String, at location: SpecLocation) {
        self.message = message
        self.location = location
    }
    /// This problem and the others of the file, one per line.
    public var description: String {
        ([self] + more).map { "\($0.location): error: \($0.message)" }.joined(separator: "\n")
    }
    /// This problem and the others of the file, each on its own.
    public var all: [MappingError] {
        var first = self
        first.more = []
        return [first] + more
    }
}
