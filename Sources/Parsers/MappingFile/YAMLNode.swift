import OrderCore
import Yams

/// A YAML node with its place in the file, and typed accessors that fail with a
/// ``MappingError`` pointing at that place. Used for mapping files and `pra.yaml`.
public struct YAMLNode {
    let node: Node
    let file: String

    init(node: Node, file: String) {
        self.node = node
        self.file = file
    }

    /// Parses `text` (read from `file`); `nil` for an empty document. Every scalar is read as
    /// its text (the accessors below interpret it), so no tag is resolved: Yams' default resolver
    /// runs a regular expression per scalar, most of the cost of loading the mappings.
    public static func parse(_ text: String, file: String) throws(MappingError) -> YAMLNode? {
        do {
            return try Yams.compose(yaml: text, .basic).map { YAMLNode(node: $0, file: file) }
        } catch let e as YamlError {
            throw MappingFileLoader.yamlError(e, file: file)
        } catch {
            throw MappingError("\(error)", at: SpecLocation(file: file, line: 1, column: 1))
        }
    }

    /// An empty `{}`, standing for a section a file may leave out.
    static func emptyMapping(file: String) -> YAMLNode { YAMLNode(node: .mapping(.init([])), file: file) }

    public var location: SpecLocation {
        SpecLocation(file: file, line: (node.mark?.line ?? 0), column: (node.mark?.column ?? 0))
    }

    public func error(_ message: String) -> MappingError { MappingError(message, at: location) }

    public func string() throws(MappingError) -> String {
        guard case .scalar(let s) = node else { throw error("expected a single value") }
        return s.string
    }

    public func bool() throws(MappingError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "evet": return true
        case "false", "no", "hayır", "hayir": return false
        default: throw error("expected true or false")
        }
    }

    public func int() throws(MappingError) -> Int {
        guard let i = Int(try string()) else { throw error("expected a whole number") }
        return i
    }

    /// A list, or a single value taken as a one-element list.
    public func list() throws(MappingError) -> [YAMLNode] {
        switch node {
        case .sequence(let seq): return seq.map { YAMLNode(node: $0, file: file) }
        case .scalar: return [self]
        case .mapping: throw error("expected a list")
        default: throw error("expected a list")
        }
    }

    public func strings() throws(MappingError) -> [String] {
        var out: [String] = []
        for n in try list() { out.append(try n.string()) }
        return out
    }

    public var isMapping: Bool { if case .mapping = node { return true } else { return false } }

    /// The key/value pairs of a mapping, in file order; rejects keys outside `allowed` (when given).
    public func pairs(allowed: [String]? = nil) throws(MappingError) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
        guard case .mapping(let m) = node else { throw error("expected key: value pairs") }
        var out: [(String, YAMLNode, YAMLNode)] = []
        for (k, v) in m {
            let keyNode = YAMLNode(node: k, file: file)
            let key = try keyNode.string()
            if let allowed, !allowed.contains(key) {
                throw keyNode.error("unknown key '\(key)' (expected one of: \(allowed.joined(separator: ", ")))")
            }
            out.append((key, keyNode, YAMLNode(node: v, file: file)))
        }
        return out
    }

    public func value(_ key: String) -> YAMLNode? {
        guard case .mapping(let m) = node else { return nil }
        for (k, v) in m where k.string == key { return YAMLNode(node: v, file: file) }
        return nil
    }
}
