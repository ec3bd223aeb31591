import OrderCore

/// The paths a mapping reads inside a record (XML elements or JSON keys), as a tree keyed by
/// interned names, so a reader skips every subtree nobody asked for. A name may have several
/// nodes when paths pick among repeated elements with different predicates.
final class TreePathNode {
    var children: [Int: [TreePathNode]] = [:]
    /// The predicate an element must meet to be this node.
    var predicate: CompiledPredicate?
    /// Slots the element's text fills: in the order's slot space, or a line's.
    var textSlots: [(slot: Int, line: Bool)] = []
    /// Attributes read on this element: (attribute name, slot, a line's slot).
    var attributes: [(name: String, slot: Int, line: Bool)] = []
    /// The line element: descendants use line slots.
    var isLineRoot = false
    /// Some child is picked by position (`[2]`): the element counts its children by name.
    var countsChildren = false
    /// Names of children whose text a child's predicate compares (`[Type='Principal']`).
    var predicateChildren: Set<Int> = []
}

/// A predicate with its names interned.
enum CompiledPredicate {
    case position(Int)
    case child(Int, String)
    case attribute(String, String)
}

/// Interns names: each distinct name the mapping uses gets a small integer once. Names the
/// mapping never uses are not interned (a hostile file's random names cost nothing).
struct NameTable {
    private(set) var ids: [String: Int] = [:]
    mutating func id(_ name: String) -> Int {
        if let i = ids[name] { return i }
        ids[name] = ids.count
        return ids.count - 1
    }
    /// The name's id, or -1 for a name no path uses.
    func lookup(_ name: String) -> Int { ids[name] ?? -1 }
}

extension TreePathNode {
    /// Builds the tree for `layout` under the record element; `linePath` (empty: no lines) leads
    /// to the line element, `.` makes the record element its own line. Paths were checked when
    /// the mapping loaded.
    static func build(layout: SourceLayout, linePath: [String], names: inout NameTable) -> TreePathNode {
        let root = TreePathNode()
        func descend(_ steps: [PathStep], from start: TreePathNode) -> TreePathNode {
            var node = start
            for step in steps {
                let id = names.id(step.name)
                let predicate: CompiledPredicate? = step.predicate.map {
                    switch $0 {
                    case .position(let n): return .position(n)
                    case .child(let c, let v): return .child(names.id(c), v)
                    case .attribute(let a, let v): return .attribute(a, v)
                    }
                }
                if let existing = node.children[id]?.first(where: { $0.predicate == predicate }) {
                    node = existing
                    continue
                }
                let child = TreePathNode()
                child.predicate = predicate
                switch predicate {
                case .position: node.countsChildren = true
                case .child(let c, _): child.predicateChildren.insert(c)
                default: break
                }
                node.children[id, default: []].append(child)
                node = child
            }
            return node
        }
        func insert(_ path: String, slot: Int, line: Bool, under start: TreePathNode) {
            guard case .success(var steps) = PathStep.parse(path) else { return }
            var attribute: String?
            if let last = steps.last, last.isAttribute {
                attribute = String(last.name.dropFirst())
                steps.removeLast()
            }
            let node = descend(steps, from: start)
            if let attribute { node.attributes.append((attribute, slot, line)) } else { node.textSlots.append((slot, line)) }
        }
        for (slot, path) in layout.orderFields.enumerated() { insert(path, slot: slot, line: false, under: root) }
        if linePath == ["."] {
            for (slot, path) in layout.lineFields.enumerated() { insert(path, slot: slot, line: true, under: root) }
        } else if !linePath.isEmpty {
            let lineRoot = descend(linePath.map { PathStep(name: $0) }, from: root)
            lineRoot.isLineRoot = true
            for (slot, path) in layout.lineFields.enumerated() { insert(path, slot: slot, line: true, under: lineRoot) }
        }
        return root
    }
}

extension CompiledPredicate: Equatable {}
