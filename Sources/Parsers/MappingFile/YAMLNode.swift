import OrderCore
import Yams

/// A YAML node with its place in the mapping file, and typed accessors that fail with a
/// ``MappingError`` pointing at that place.
struct YAMLNode {
    let node: Node
    let file: String

    var location: SpecLocation {
        SpecLocation(file: file, line: (node.mark?.line ?? 0), column: (node.mark?.column ?? 0))
    }

    func error(_ message: String) -> MappingError { MappingError(message, at: location) }

    func string() throws(MappingError) -> String {
        guard case .scalar(let s) = node else { throw error("expected a single value") }
        return s.string
    }

    func bool() throws(MappingError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "evet": return true
        case "false", "no", "hayır", "hayir": return false
        default: throw error("expected true or false")
        }
    }

    func int() throws(MappingError) -> Int {
        guard let i = Int(try string()) else { throw error("expected a whole number") }
        return i
    }

    /// A list, or a single value taken as a one-element list.
    func list() throws(MappingError) -> [YAMLNode] {
        switch node {
        case .sequence(let seq): return seq.map { YAMLNode(node: $0, file: file) }
        case .scalar: return [self]
        case .mapping: throw error("expected a list")
        default: throw error("expected a list")
        }
    }

    func strings() throws(MappingError) -> [String] {
        var out: [String] = []
        for n in try list() { out.append(try n.string()) }
        return out
    }

    var isMapping: Bool { if case .mapping = node { return true } else { return false } }

    /// The key/value pairs of a mapping, in file order; rejects keys outside `allowed` (when given).
    func pairs(allowed: [String]? = nil) throws(MappingError) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
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

    func value(_ key: String) -> YAMLNode? {
        guard case .mapping(let m) = node else { return nil }
        for (k, v) in m where k.string == key { return YAMLNode(node: v, file: file) }
        return nil
    }
}
