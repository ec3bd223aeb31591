/// A problem in a mapping file, with the place an admin must fix:
/// `mappings/trendyol.yaml:12:5: error: unknown field 'qty'`.
public struct MappingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SpecLocation
    public var message: String
    public init(_ message: String, at location: SpecLocation) {
        self.message = message
        self.location = location
    }
    public var description: String { "\(location): error: \(message)" }
}
