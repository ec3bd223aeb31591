import OrderCore

/// Builds records out of a stream of tree events — XML elements or JSON keys, as their readers
/// report them — by the paths a mapping reads. Records are found by the names of the path to
/// them, matched as a suffix of the element stack (SOAP envelopes and prefixes do not matter).
///
/// A path names one element: when it matches a second one in the same record (or line), the
/// record is rejected with both places, never silently given the first. A predicate picks among
/// repeated elements; one on a child's value (`Component[Type='Principal']/Amount`) is only
/// known at the element's end, so the values read inside it wait in a scope until then.
struct TreeRecordAssembler {
    private let file: String
    private let paths: TreePaths
    private let recordPath: [Int]
    private let layout: SourceLayout
    private let limits: Limits
    /// The record element is its own line (`lines: "."`).
    private let recordIsLine: Bool
    let names: NameTable
    private(set) var recordCount = 0
    /// Slots some element filled anywhere in the file (for paths that never matched).
    private var seenOrder: [Bool]
    private var seenLine: [Bool]
    /// The values that the predicate of a node was compared with and that did not hold (an
    /// attribute's, a child's; the first few): one a letter off the expected value means the
    /// mapping misspelled it.
    private var predicateMisses: [Set<String>]

    private var outerStack: [Int] = []
    private var inRecord = false
    private var position = SourcePosition(record: 0, line: 0)
    private var frames = ScratchArray<Frame>()
    /// What frames hold beyond their fixed fields, in stacks beside them (a frame's entries are
    /// pushed when it starts, before any child's, and dropped when it ends), so a frame holds no
    /// reference and pushing or popping one retains nothing: the active nodes after each frame's
    /// first, the scopes each decides, the text of each open element that keeps it (UTF-8, one
    /// after another: an element's text ends where its first child's starts), their child counts.
    private var moreActives: [Active] = []
    private var decidingScopes: [Int] = []
    private var texts = ScratchArray<UInt8>(capacity: 256)
    private var childCounts: [[Int: Int]] = []
    private var orderValues = SourceValues(absent: 0)
    private var orderOrigins = ScratchArray<Int>()
    private var lines: [SourceLine] = []
    private var lineValues = SourceValues(absent: 0)
    /// How many bytes the last record's (line's) values took: room made for the next one's.
    private var orderValueBytes = 0
    private var lineValueBytes = 0
    private var lineOrigins = ScratchArray<Int>()
    private var linePosition = SourcePosition(record: 0, line: 0)
    private var extraLines = 0
    private var conflicts: [String] = []
    private var scopes: [Scope] = []
    /// Slots whose path may match several elements (`each: sum`).
    private let repeatableOrder: Set<Int>
    private let repeatableLine: Set<Int>
    /// The matches of those slots so far, joined by ``SourceLayout/valueSeparator``: a string
    /// grows in place, and goes into the values when its record (line) ends. (Joined in the
    /// values' buffer, each match would copy the ones before it: quadratic in a hostile file's
    /// thousands of matches.)
    private var repeatedOrder: [Int: String] = [:]
    private var repeatedLine: [Int: String] = [:]

    /// A node of the path tree this element stands for (an index into ``TreePaths/nodes``), and
    /// the predicate scope its values wait in (-1: none).
    private struct Active: BitwiseCopyable {
        let node: Int
        let scope: Int
    }

    /// An open element of a record, plain values only (its ranges kept as bounds: `Range` is
    /// not `BitwiseCopyable`), so frames are pushed and popped as bytes (``ScratchArray``).
    private struct Frame: BitwiseCopyable {
        var first: Active?
        private var moreBounds: (Int, Int)
        var isLineRoot = false
        var inLine: Bool
        var collectsText = false
        /// Where the element's text starts in `texts`, when it is kept (``collectsText``).
        var text = -1
        var line: Int
        var scopesOpened = 0
        private var decidesBounds: (Int, Int)
        /// Its children counted by name (`childCounts[counts]`), or -1.
        var counts = -1

        init(first: Active? = nil, more: Range<Int>, inLine: Bool, line: Int, decides: Range<Int>) {
            self.first = first
            moreBounds = (more.lowerBound, more.upperBound)
            self.inLine = inLine
            self.line = line
            decidesBounds = (decides.lowerBound, decides.upperBound)
        }

        /// The frame's other active nodes: `moreActives[more]`.
        var more: Range<Int> {
            get { moreBounds.0..<moreBounds.1 }
            set { moreBounds = (newValue.lowerBound, newValue.upperBound) }
        }

        /// Scopes whose predicate compares this element's text: `decidingScopes[decides]`.
        var decides: Range<Int> {
            get { decidesBounds.0..<decidesBounds.1 }
            set { decidesBounds = (newValue.lowerBound, newValue.upperBound) }
        }
    }

    /// The frame's active nodes (`more`: ``moreActives``, passed in so `body` may change the assembler).
    private static func forEachActive(_ frame: Frame, _ more: [Active], _ body: (Active) -> Void) {
        if let first = frame.first { body(first) }
        for i in frame.more { body(more[i]) }
    }

    /// Values read inside an element whose predicate is decided at its end.
    private struct Scope {
        let expected: String
        let parent: Int
        /// The node whose predicate this scope decides.
        let node: Int
        var satisfied = false
        var buffer: [(slot: Int, inLine: Bool, value: String, line: Int)] = []
    }

    init(file: String, layout: SourceLayout, recordPath: [String], linePath: [String], limits: Limits) {
        self.file = file
        self.layout = layout
        self.limits = limits
        recordIsLine = linePath == ["."]
        var table = NameTable()
        paths = TreePaths(layout: layout, linePath: linePath, names: &table)
        self.recordPath = recordPath.map { table.id($0) }
        names = table
        repeatableOrder = Set(layout.orderFields.indices.filter { layout.repeatable.contains(layout.orderFields[$0]) })
        repeatableLine = Set(layout.lineFields.indices.filter { layout.repeatable.contains(layout.lineFields[$0]) })
        seenOrder = Array(repeating: false, count: layout.orderFields.count)
        seenLine = Array(repeating: false, count: layout.lineFields.count)
        predicateMisses = Array(repeating: [], count: paths.nodes.count)
    }

    /// Source fields (paths) no element matched anywhere in the file so far, with a hint for
    /// those whose elements were there but never met the path's predicate.
    var unseenFields: UnseenFields {
        var lookalikes: [String: String] = [:]
        func unseen(_ fields: [String], _ seen: [Bool], _ chains: [[Int]]) -> Set<String> {
            var out = Set<String>()
            for (slot, path) in fields.enumerated() where !seen[slot] {
                out.insert(path)
                guard slot < chains.count, case .success(let steps) = PathStep.parse(path) else { continue }
                for (k, node) in chains[slot].enumerated() where k < steps.count && !predicateMisses[node].isEmpty {
                    let expected: String
                    switch steps[k].predicate {
                    case .child(_, let v)?, .attribute(_, let v)?: expected = v
                    default: continue
                    }
                    guard let near = ColumnName.lookalike(of: expected, among: predicateMisses[node].sorted()) else { continue }
                    lookalikes[path] = "\"\(steps[k].name)\" elements with '\(near)' where the path has \(steps[k].predicate!)"
                    break
                }
            }
            return out
        }
        let order = unseen(layout.orderFields, seenOrder, paths.orderPathNodes)
        let line = unseen(layout.lineFields, seenLine, paths.linePathNodes)
        return UnseenFields(order: order, line: line, lookalikes: lookalikes)
    }

    /// Whether the stream is inside a record (for "the file ends inside a record").
    var isInRecord: Bool { inRecord }

    /// The current element's text is kept: a reader builds the string only then.
    var wantsText: Bool { inRecord && !frames.isEmpty && frames[frames.count - 1].collectsText }

    /// An element (key) starts. Returns false when nothing below it is wanted: the reader then
    /// skips its subtree and reports no end for it.
    mutating func start(_ id: Int, line: Int, attribute: (String) -> String?) throws(ParseError) -> Bool {
        guard inRecord else {
            outerStack.append(id)
            if outerStack.count >= recordPath.count && outerStack.suffix(recordPath.count).elementsEqual(recordPath) {
                try beginRecord(line: line)
            }
            return true
        }
        let parent = frames[frames.count - 1]
        var frame = Frame(more: moreActives.count..<moreActives.count, inLine: parent.inLine, line: line,
                          decides: decidingScopes.count..<decidingScopes.count)
        var index = 0
        if parent.counts >= 0 {
            index = (childCounts[parent.counts][id] ?? 0) + 1
            childCounts[parent.counts][id] = index
        }
        var opened = 0
        func consider(_ a: Active) {
            // Fields read in place: copying a node would retain each of its arrays.
            if a.scope >= 0, paths.nodes[a.node].predicateChildren.contains(id) { decidingScopes.append(a.scope) }
            var v = paths.nodes[a.node].child(id)
            while v >= 0 {
                let n = Int(v)
                var scope = a.scope
                var fits = true
                switch paths.nodes[n].predicate {
                case .none: break
                case .position(let p): fits = p == index
                case .attribute(let name, let value):
                    let actual = attribute(name)
                    fits = actual == value
                    if !fits, let actual, predicateMisses[n].count < Self.keptMisses { predicateMisses[n].insert(actual) }
                case .child(_, let value):
                    scope = scopes.count
                    scopes.append(Scope(expected: value, parent: a.scope, node: n))
                    opened += 1
                }
                if fits {
                    let active = Active(node: n, scope: scope)
                    if frame.first == nil { frame.first = active } else { moreActives.append(active) }
                }
                v = paths.nodes[n].nextVariant
            }
        }
        if let first = parent.first { consider(first) }
        for i in parent.more { consider(moreActives[i]) }
        frame.more = frame.more.lowerBound..<moreActives.count
        frame.decides = frame.decides.lowerBound..<decidingScopes.count
        frame.scopesOpened = opened
        guard frame.first != nil || !frame.decides.isEmpty else { return false }
        var isLineRoot = false, collects = !frame.decides.isEmpty, counts = false, hasAttributes = false
        Self.forEachActive(frame, moreActives) { a in
            isLineRoot = isLineRoot || paths.nodes[a.node].isLineRoot
            collects = collects || !paths.nodes[a.node].textSlots.isEmpty
            counts = counts || paths.nodes[a.node].countsChildren
            hasAttributes = hasAttributes || !paths.nodes[a.node].attributes.isEmpty
        }
        if counts {
            frame.counts = childCounts.count
            childCounts.append([:])
        }
        frame.collectsText = collects
        if collects { frame.text = texts.count }
        if isLineRoot {
            frame.isLineRoot = true
            frame.inLine = true
            lineValues = SourceValues(absent: layout.lineFields.count, valueBytes: lineValueBytes)
            Self.zero(&lineOrigins, count: layout.lineFields.count)
            repeatedLine.removeAll(keepingCapacity: true)
            linePosition = SourcePosition(record: position.record, line: line)
        }
        if hasAttributes {
            var pending: [(Int, Bool, String, Int)] = []
            Self.forEachActive(frame, moreActives) { a in
                for (name, slot, inLine) in paths.nodes[a.node].attributes {
                    if let v = attribute(name) { pending.append((slot, inLine, v, a.scope)) }
                }
            }
            for (slot, inLine, value, scope) in pending { commit(slot, inLine: inLine, value: value, scope: scope, line: line) }
        }
        frames.append(frame)
        return true
    }

    /// Text directly inside the current element, as UTF-8.
    mutating func text(utf8: UnsafeBufferPointer<UInt8>) throws(ParseError) {
        guard wantsText else { return }
        // Fields read in place: a call on the whole assembler here copied all of it per text.
        let length = utf8.count + texts.count - frames[frames.count - 1].text
        if length > limits.maxFieldBytes { throw Self.valueTooLong(file: file, line: frames[frames.count - 1].line, limits: limits) }
        texts.append(contentsOf: utf8)
    }

    /// Text directly inside the current element.
    mutating func text(_ s: String) throws(ParseError) {
        var s = s
        try s.withUTF8 { utf8 in Result { () throws(ParseError) in try text(utf8: utf8) } }.get()
    }

    /// Refuses a value of the current element of `count` bytes when that is past
    /// `limits.max_field_bytes`: a reader gathering a value calls it before the value is whole.
    func checkValueLength(_ count: Int) throws(ParseError) {
        guard count > limits.maxFieldBytes else { return }
        throw Self.valueTooLong(file: file, line: frames.last?.line, limits: limits)
    }

    private static func valueTooLong(file: String, line: Int?, limits: Limits) -> ParseError {
        ParseError(.malformed, file: file, line: line,
                   message: "a value is longer than \(limits.maxFieldBytes) bytes (limits.max_field_bytes in pra.yaml)")
    }

    /// The current element ends; a finished record is returned.
    @inline(__always) // most ends finish no record: returned through the caller's frames, nothing (a record's 136 bytes) is copied
    mutating func end() -> RecordResult? {
        endsRecord() ? finishRecord() : nil
    }

    /// The current element ends; whether it was the record's.
    private mutating func endsRecord() -> Bool {
        guard inRecord else {
            if !outerStack.isEmpty { outerStack.removeLast() }
            return false
        }
        let frame = frames.removeLast()
        if frame.collectsText {
            // Read in place: committing a value never changes `texts`.
            let text = UnsafeBufferPointer(rebasing: texts.elements[frame.text...])
            if frame.more.isEmpty && frame.decides.isEmpty, let a = frame.first, let only = paths.nodes[a.node].onlyTextSlot {
                // One field read from the element (most are): no list of its slots to walk.
                commit(only.slot, inLine: only.line, utf8: text, scope: a.scope, line: frame.line)
            } else {
                commitEverywhere(text, frame)
            }
            texts.removeLast(texts.count - frame.text)
        }
        if !frame.more.isEmpty { moreActives.removeLast(frame.more.count) }
        if !frame.decides.isEmpty { decidingScopes.removeLast(frame.decides.count) }
        if frame.counts >= 0 { childCounts.removeLast() }
        if frame.scopesOpened > 0 {
            let opened = scopes.suffix(frame.scopesOpened)
            scopes.removeLast(frame.scopesOpened)
            for scope in opened where scope.satisfied {
                for b in scope.buffer { commit(b.slot, inLine: b.inLine, value: b.value, scope: scope.parent, line: b.line) }
            }
        }
        if frame.isLineRoot {
            // Past the lines-per-order limit lines are only counted: memory stays bounded.
            if lines.count < limits.maxLinesPerOrder {
                Self.settle(&repeatedLine, into: &lineValues)
                lineValueBytes = lineValues.roomForNext(reserved: lineValueBytes)
                lines.append(SourceLine(position: linePosition, values: lineValues))
            } else {
                extraLines += 1
            }
        }
        return frames.isEmpty
    }

    /// The record whose element just ended.
    private mutating func finishRecord() -> RecordResult {
        Self.settle(&repeatedOrder, into: &orderValues)
        orderValueBytes = orderValues.roomForNext(reserved: orderValueBytes)
        if recordIsLine {
            Self.settle(&repeatedLine, into: &lineValues)
            lineValueBytes = lineValues.roomForNext(reserved: lineValueBytes)
            lines = [SourceLine(position: position, values: lineValues)]
        }
        inRecord = false
        outerStack.removeLast()
        if extraLines > 0 {
            return .rejected(RecordError(position: position, reason: "the order has \(lines.count + extraLines) lines, "
                                            + "more than the \(limits.maxLinesPerOrder) accepted (limits.max_lines_per_order in pra.yaml)"),
                             rawRows: [])
        }
        if !conflicts.isEmpty {
            return .rejected(RecordError(position: position, reason: conflicts.joined(separator: "; ")), rawRows: [])
        }
        return .record(SourceRecord(position: position, orderValues: orderValues, lines: lines))
    }

    /// An element's text goes to every slot of its active nodes, and decides the scopes whose
    /// predicate compares it.
    private mutating func commitEverywhere(_ text: UnsafeBufferPointer<UInt8>, _ frame: Frame) {
        Self.forEachActive(frame, moreActives) { a in
            for (slot, inLine) in paths.nodes[a.node].textSlots {
                commit(slot, inLine: inLine, utf8: text, scope: a.scope, line: frame.line)
            }
        }
        if !frame.decides.isEmpty {
            let trimmed = String(decoding: text, as: UTF8.self).trimmingBlanks()
            for s in decidingScopes[frame.decides] {
                if trimmed == scopes[s].expected {
                    scopes[s].satisfied = true
                } else if predicateMisses[scopes[s].node].count < Self.keptMisses {
                    predicateMisses[scopes[s].node].insert(trimmed)
                }
            }
        }
    }

    /// `count` zeros in `origins` (the origins stay here, unlike the values, which leave with each record).
    private static func zero(_ origins: inout ScratchArray<Int>, count: Int) {
        origins.removeAll()
        for _ in 0..<count { origins.append(0) }
    }

    private mutating func beginRecord(line: Int) throws(ParseError) {
        inRecord = true
        recordCount += 1
        guard recordCount <= limits.maxRecordsPerFile else {
            throw ParseError(.malformed, file: file, line: line, message: "the file has more than "
                                + "\(limits.maxRecordsPerFile) records (limits.max_records_per_file in pra.yaml)")
        }
        position = SourcePosition(record: recordCount, line: line)
        frames.removeAll()
        moreActives.removeAll(keepingCapacity: true)
        decidingScopes.removeAll(keepingCapacity: true)
        texts.removeAll()
        childCounts.removeAll(keepingCapacity: true)
        frames.append(Frame(first: Active(node: 0, scope: -1), more: 0..<0, inLine: false, line: line, decides: 0..<0))
        if paths.nodes[0].countsChildren {
            frames[0].counts = 0
            childCounts.append([:])
        }
        orderValues = SourceValues(absent: layout.orderFields.count, valueBytes: orderValueBytes)
        Self.zero(&orderOrigins, count: layout.orderFields.count)
        repeatedOrder.removeAll(keepingCapacity: true)
        repeatedLine.removeAll(keepingCapacity: true)
        if recordIsLine {
            lineValues = SourceValues(absent: layout.lineFields.count, valueBytes: lineValueBytes)
            Self.zero(&lineOrigins, count: layout.lineFields.count)
        }
        lines = []
        if !recordIsLine { lines.reserveCapacity(Self.expectedLines) } // room for most orders' lines at once
        extraLines = 0
        conflicts = []
        scopes = []
    }

    /// Lines most orders have at most.
    private static let expectedLines = 4

    /// How many distinct values a predicate keeps of those that did not hold.
    private static let keptMisses = 64

    private mutating func commit(_ slot: Int, inLine: Bool, value: String, scope: Int, line: Int) {
        var value = value
        value.withUTF8 { commit(slot, inLine: inLine, utf8: $0, scope: scope, line: line) }
    }

    private mutating func commit(_ slot: Int, inLine: Bool, utf8 value: UnsafeBufferPointer<UInt8>, scope: Int, line: Int) {
        if scope >= 0 {
            scopes[scope].buffer.append((slot, inLine, String(decoding: value, as: UTF8.self), line))
            return
        }
        // Read before written: after the first records every slot is seen, and a read needs no
        // check of the array's uniqueness (a runtime call per value).
        if inLine {
            if !seenLine[slot] { seenLine[slot] = true }
            if repeatableLine.contains(slot) {
                Self.join(value, to: &repeatedLine, slot: slot)
                if lineOrigins[slot] == 0 { lineOrigins[slot] = max(line, 1) }
            } else if lineOrigins[slot] != 0 {
                conflict(layout.lineFields[slot], lineOrigins[slot], line)
            } else {
                lineValues.set(slot, utf8: value)
                lineOrigins[slot] = max(line, 1)
            }
        } else {
            if !seenOrder[slot] { seenOrder[slot] = true }
            if repeatableOrder.contains(slot) {
                Self.join(value, to: &repeatedOrder, slot: slot)
                if orderOrigins[slot] == 0 { orderOrigins[slot] = max(line, 1) }
            } else if orderOrigins[slot] != 0 {
                conflict(layout.orderFields[slot], orderOrigins[slot], line)
            } else {
                orderValues.set(slot, utf8: value)
                orderOrigins[slot] = max(line, 1)
            }
        }
    }

    /// Adds a match of a repeatable slot to the ones before it.
    private static func join(_ value: UnsafeBufferPointer<UInt8>, to repeated: inout [Int: String], slot: Int) {
        let text = String(decoding: value, as: UTF8.self)
        if repeated[slot] == nil { repeated[slot] = text } else { repeated[slot]! += String(SourceLayout.valueSeparator) + text }
    }

    /// The repeatable slots' joined matches into `values`, for the record (line) that ends.
    private static func settle(_ repeated: inout [Int: String], into values: inout SourceValues) {
        guard !repeated.isEmpty else { return }
        for (slot, text) in repeated { values.set(slot, text) }
        repeated.removeAll(keepingCapacity: true)
    }

    private mutating func conflict(_ path: String, _ first: Int, _ second: Int) {
        guard conflicts.count < 3, !conflicts.contains(where: { $0.hasPrefix("\"\(path)\"") }) else { return }
        conflicts.append("\"\(path)\" matches more than one element (lines \(first) and \(second)); a path must name one: "
                         + "pick it with a predicate ([Type='…'], [@attribute='…'] or [1]), or combine line values with `lines:`")
    }
}
