import OrderCore

/// The paths a mapping reads inside a record (XML elements or JSON keys), as a tree of nodes
/// in one flat array, each child found by its interned name in a table (no hashing, no
/// reference counting per element), so a reader skips every subtree nobody asked for. A name
/// may have several nodes under one parent when paths pick among repeated elements with
/// different predicates: they are chained by ``Node/nextVariant``.
struct TreePaths {
    struct Node {
        /// The node of each child name (by interned id), -1 for none; names past the end: none.
        var children: [Int32] = []
        /// Another node of the same name under the same parent (a different predicate), or -1.
        var nextVariant: Int32 = -1
        /// The predicate an element must meet to be this node.
        var predicate: CompiledPredicate?
        /// Slots the element's text fills: in the order's slot space, or a line's.
        var textSlots: [(slot: Int, line: Bool)] = []
        /// The slot, when the text fills exactly one (most elements): read without the array.
        var onlyTextSlot: (slot: Int, line: Bool)?
        /// Attributes read on this element: (attribute name, slot, a line's slot).
        var attributes: [(name: String, slot: Int, line: Bool)] = []
        /// The line element: a new line starts with it.
        var isLineRoot = false
        /// Some child is picked by position (`[2]`): the element counts its children by name.
        var countsChildren = false
        /// Names of children whose text a child's predicate compares (`[Type='Principal']`).
        var predicateChildren: [Int] = []

        func child(_ id: Int) -> Int32 { id >= 0 && id < children.count ? children[id] : -1 }
    }

    /// Node 0 is the record element.
    private(set) var nodes: [Node] = [Node()]
    /// The nodes along each order field's path, and each line field's (by slot).
    private(set) var orderPathNodes: [[Int]] = []
    private(set) var linePathNodes: [[Int]] = []

    /// The tree for `layout` under the record element; `linePath` (empty: no lines) leads to the
    /// line element, `.` makes the record element its own line. Paths were checked when the
    /// mapping loaded.
    init(layout: SourceLayout, linePath: [String], names: inout NameTable) {
        for (slot, path) in layout.orderFields.enumerated() { insert(path, slot: slot, line: false, under: 0, names: &names) }
        if linePath == ["."] {
            for (slot, path) in layout.lineFields.enumerated() { insert(path, slot: slot, line: true, under: 0, names: &names) }
        } else if !linePath.isEmpty {
            let lineRoot = descend(linePath.map { PathStep(name: $0) }, from: 0, names: &names)
            nodes[lineRoot].isLineRoot = true
            for (slot, path) in layout.lineFields.enumerated() { insert(path, slot: slot, line: true, under: lineRoot, names: &names) }
        }
    }

    /// The node at `steps` below `start`, created as needed.
    private mutating func descend(_ steps: [PathStep], from start: Int, names: inout NameTable) -> Int {
        var chain: [Int] = []
        return descend(steps, from: start, names: &names, chain: &chain)
    }

    /// The node at `steps` below `start`, created as needed; `chain` gets the node of each step.
    private mutating func descend(_ steps: [PathStep], from start: Int, names: inout NameTable, chain: inout [Int]) -> Int {
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
            var candidate = nodes[node].child(id)
            var last: Int32 = -1
            while candidate >= 0 && nodes[Int(candidate)].predicate != predicate {
                last = candidate
                candidate = nodes[Int(candidate)].nextVariant
            }
            if candidate >= 0 {
                node = Int(candidate)
                chain.append(node)
                continue
            }
            var child = Node()
            child.predicate = predicate
            if case .child(let c, _) = predicate { child.predicateChildren.append(c) }
            if case .position = predicate { nodes[node].countsChildren = true }
            nodes.append(child)
            let index = Int32(nodes.count - 1)
            if last >= 0 {
                nodes[Int(last)].nextVariant = index
            } else {
                if nodes[node].children.count <= id { nodes[node].children += Array(repeating: -1, count: id + 1 - nodes[node].children.count) }
                nodes[node].children[id] = index
            }
            node = Int(index)
            chain.append(node)
        }
        return node
    }

    private mutating func insert(_ path: String, slot: Int, line: Bool, under start: Int, names: inout NameTable) {
        var chain: [Int] = []
        defer { if line { linePathNodes.append(chain) } else { orderPathNodes.append(chain) } }
        guard case .success(var steps) = PathStep.parse(path) else { return }
        var attribute: String?
        if let last = steps.last, last.isAttribute {
            attribute = String(last.name.dropFirst())
            steps.removeLast()
        }
        let node = descend(steps, from: start, names: &names, chain: &chain)
        if let attribute {
            nodes[node].attributes.append((attribute, slot, line))
        } else {
            nodes[node].textSlots.append((slot, line))
            nodes[node].onlyTextSlot = nodes[node].textSlots.count == 1 ? (slot, line) : nil
        }
    }
}

/// A predicate with its names interned.
enum CompiledPredicate: Equatable {
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
