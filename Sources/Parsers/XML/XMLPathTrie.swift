import OrderCore

/// The element paths a mapping reads inside a record, as a tree keyed by interned names,
/// so the reader can skip every subtree nobody asked for.
final class XMLPathNode {
    var children: [Int: XMLPathNode] = [:]
    /// Slot of the element's text, in the order or line slot space.
    var textSlot: Int?
    /// Attributes read on this element: (attribute name, slot).
    var attributes: [(String, Int)] = []
    /// The line element: descendants use line slots.
    var isLineRoot = false
}

/// Interns element names: each distinct name gets a small integer once.
struct NameTable {
    private(set) var ids: [String: Int] = [:]
    mutating func id(_ name: String) -> Int {
        if let i = ids[name] { return i }
        ids[name] = ids.count
        return ids.count - 1
    }
}

extension XMLPathNode {
    /// Builds the tree for `layout` under the record element; `linePath` leads to the line element.
    static func build(layout: SourceLayout, linePath: [String], names: inout NameTable) -> XMLPathNode {
        let root = XMLPathNode()
        /// The node at `parts` below `start`, created as needed.
        func descend(_ parts: [String], from start: XMLPathNode) -> XMLPathNode {
            var node = start
            for p in parts {
                let id = names.id(p)
                if let c = node.children[id] { node = c } else {
                    let c = XMLPathNode()
                    node.children[id] = c
                    node = c
                }
            }
            return node
        }
        func insert(_ path: String, slot: Int, under start: XMLPathNode) {
            var parts = path.split(separator: "/").map(String.init)
            var attribute: String?
            if let last = parts.last, last.hasPrefix("@") {
                attribute = String(last.dropFirst())
                parts.removeLast()
            }
            let node = descend(parts, from: start)
            if let attribute { node.attributes.append((attribute, slot)) } else { node.textSlot = slot }
        }
        for (slot, path) in layout.orderFields.enumerated() { insert(path, slot: slot, under: root) }
        let lineRoot = descend(linePath, from: root)
        lineRoot.isLineRoot = true
        for (slot, path) in layout.lineFields.enumerated() { insert(path, slot: slot, under: lineRoot) }
        return root
    }
}
