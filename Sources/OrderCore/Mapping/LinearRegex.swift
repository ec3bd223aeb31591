/// The regular expressions of mapping rules, matched in time linear in the input: a compiled
/// program run by a Pike VM (all threads in step, no backtracking), so a pattern such as
/// `(a+)+$` cannot hang the service on a hostile value, whatever its length.
///
/// Syntax: literals; `.`; classes `[a-z0-9_]`, `[^…]`; `\d \D \w \W \s \S`, `\t \n \r` and
/// escaped punctuation; anchors `^ $`; `\b \B`; groups `( )`, `(?: )`; alternation `|`;
/// quantifiers `* + ? {n} {n,} {n,m}` and their lazy forms `*? +? ??`; a leading `(?i)`
/// ignores case. Leftmost-first, like Perl and ICU. Back-references and look-around are not
/// supported (they are what makes backtracking engines exponential).
///
/// Linear in the value is not bounded in the program: a program's size and its groups are capped
/// when a mapping loads (``maxProgram``, ``maxGroups``), and one value may cost at most
/// ``stepBudget`` steps of the VM, past which the match fails with ``BudgetExceeded``.
public struct LinearRegex: Sendable {
    private let program: [Instruction]
    private let groupCount: Int
    private let ignoreCase: Bool

    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The largest compiled program (counted repetitions expand it). A mapping's patterns are a few
    /// dozen instructions; `(?:.{1000}){19}` is 19,000.
    public static let maxProgram = 2_000
    /// The most capturing groups (each thread carries their positions).
    public static let maxGroups = 20
    /// The most VM steps one value may cost (a real pattern on a real value takes a few thousand).
    public static let stepBudget = 2_000_000

    /// A value that would cost more than ``stepBudget`` steps to match.
    public struct BudgetExceeded: Error, Sendable, CustomStringConvertible {
        public var description: String {
            "matching the pattern against this value takes more than \(LinearRegex.stepBudget) steps; the value is refused "
                + "(simplify the pattern, or shorten the value)"
        }
    }

    public init(_ pattern: String) throws(SyntaxError) {
        var scalars = Array(pattern.unicodeScalars)
        var ignoreCase = false
        if scalars.starts(with: Array("(?i)".unicodeScalars)) {
            ignoreCase = true
            scalars.removeFirst(4)
        }
        var parser = Parser(chars: scalars)
        let node = try parser.parseAlternation()
        guard parser.index == scalars.count else {
            throw SyntaxError(description: "unexpected '\(scalars[parser.index])' at character \(parser.index + 1)")
        }
        guard parser.groups <= Self.maxGroups else {
            throw SyntaxError(description: "the pattern has \(parser.groups) capturing groups, more than \(Self.maxGroups); "
                                + "use (?:…) for groups that capture nothing")
        }
        var compiler = Compiler(ignoreCase: ignoreCase)
        compiler.emit(.save(0))
        try compiler.compile(node)
        compiler.emit(.save(1))
        compiler.emit(.match)
        program = compiler.program
        groupCount = parser.groups + 1
        self.ignoreCase = ignoreCase
    }

    /// The first capture group of the leftmost match (or the whole match when the pattern has
    /// no group, or the group did not take part); `nil` without a match.
    public func extract(_ text: String) throws(BudgetExceeded) -> String? {
        let input = Array(text.unicodeScalars)
        guard let caps = try firstMatch(input) else { return nil }
        let (start, end) = groupCount > 1 && caps[2] >= 0 && caps[3] >= 0 ? (caps[2], caps[3]) : (caps[0], caps[1])
        var out = String.UnicodeScalarView()
        out.append(contentsOf: input[start..<end])
        return String(out)
    }

    /// Whether the pattern matches anywhere in `text`.
    public func matches(_ text: String) throws(BudgetExceeded) -> Bool { try firstMatch(Array(text.unicodeScalars)) != nil }

    // MARK: The VM

    private struct Thread {
        var pc: Int
        var caps: [Int]
    }

    /// Capture positions (start, end pairs) of the leftmost-first match.
    private func firstMatch(_ input: [Unicode.Scalar]) throws(BudgetExceeded) -> [Int]? {
        var current: [Thread] = [], next: [Thread] = []
        var steps = 0
        var onList = [Int](repeating: -1, count: program.count)
        var matched: [Int]?
        let empty = [Int](repeating: -1, count: groupCount * 2)
        var position = 0
        // Visited marks per list: the list of position p uses generation p + 1.
        while true {
            if matched == nil {
                // A new attempt starting here, at the lowest priority.
                addThread(&current, Thread(pc: 0, caps: empty), at: position, input, &onList, generation: position + 1)
            }
            if current.isEmpty { break }
            // Each position costs at most its threads, and each thread at most the program.
            steps += current.count + 1
            guard steps <= Self.stepBudget else { throw BudgetExceeded() }
            let scalar: Unicode.Scalar? = position < input.count ? input[position] : nil
            var i = 0
            while i < current.count {
                let thread = current[i]
                switch program[thread.pc] {
                case .match:
                    matched = thread.caps
                    current.removeSubrange((i + 1)...) // lower-priority threads lose to this match
                case .char(let set):
                    if let scalar, set.contains(scalar, ignoreCase: ignoreCase) {
                        addThread(&next, Thread(pc: thread.pc + 1, caps: thread.caps), at: position + 1, input, &onList,
                                  generation: position + 2)
                    }
                default:
                    break
                }
                i += 1
            }
            guard position < input.count else { break }
            swap(&current, &next)
            next.removeAll(keepingCapacity: true)
            position += 1
        }
        return matched
    }

    /// Adds `thread` and every thread its empty moves reach, in priority order.
    private func addThread(_ list: inout [Thread], _ thread: Thread, at position: Int, _ input: [Unicode.Scalar],
                           _ onList: inout [Int], generation: Int) {
        var stack = [thread]
        while let t = stack.popLast() {
            guard onList[t.pc] != generation else { continue }
            onList[t.pc] = generation
            switch program[t.pc] {
            case .jump(let to):
                stack.append(Thread(pc: to, caps: t.caps))
            case .split(let first, let second):
                stack.append(Thread(pc: second, caps: t.caps))
                stack.append(Thread(pc: first, caps: t.caps))
            case .save(let slot):
                var caps = t.caps
                if slot < caps.count { caps[slot] = position }
                stack.append(Thread(pc: t.pc + 1, caps: caps))
            case .assert(let kind):
                if kind.holds(at: position, in: input) { stack.append(Thread(pc: t.pc + 1, caps: t.caps)) }
            case .char, .match:
                list.append(t)
            }
        }
    }

    // MARK: Program

    enum Instruction: Sendable {
        case char(CharSet)
        case split(Int, Int)
        case jump(Int)
        case save(Int)
        case assert(Assertion)
        case match
    }

    enum Assertion: Sendable {
        case start, end, wordBoundary, notWordBoundary

        func holds(at i: Int, in input: [Unicode.Scalar]) -> Bool {
            switch self {
            case .start: return i == 0
            case .end: return i == input.count
            case .wordBoundary, .notWordBoundary:
                let before = i > 0 && CharSet.isWord(input[i - 1])
                let after = i < input.count && CharSet.isWord(input[i])
                return (before != after) == (self == .wordBoundary)
            }
        }
    }

    /// A set of scalars: ranges and named classes, possibly negated.
    struct CharSet: Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        var classes: [Named] = []
        var negated = false
        var any = false

        enum Named: Sendable { case digit, notDigit, word, notWord, space, notSpace }

        static func isWord(_ s: Unicode.Scalar) -> Bool {
            s == "_" || s.properties.isAlphabetic || ("0"..."9").contains(s)
        }

        func contains(_ s: Unicode.Scalar, ignoreCase: Bool) -> Bool {
            if any { return s != "\n" }
            var hit = test(s)
            if !hit && ignoreCase {
                hit = s.properties.lowercaseMapping.unicodeScalars.contains(where: test)
                    || s.properties.uppercaseMapping.unicodeScalars.contains(where: test)
            }
            return hit != negated
        }

        private func test(_ s: Unicode.Scalar) -> Bool {
            if ranges.contains(where: { $0.contains(s.value) }) { return true }
            for c in classes {
                switch c {
                case .digit: if ("0"..."9").contains(s) { return true }
                case .notDigit: if !("0"..."9").contains(s) { return true }
                case .word: if Self.isWord(s) { return true }
                case .notWord: if !Self.isWord(s) { return true }
                case .space: if s.properties.isWhitespace { return true }
                case .notSpace: if !s.properties.isWhitespace { return true }
                }
            }
            return false
        }
    }

    // MARK: Parsing

    indirect enum Node {
        case empty
        case set(CharSet)
        case assert(Assertion)
        case concat([Node])
        case alternate([Node])
        case repeated(Node, min: Int, max: Int?, greedy: Bool)
        case group(Node, index: Int?)
    }

    struct Parser {
        let chars: [Unicode.Scalar]
        var index = 0
        var groups = 0

        func fail(_ what: String) -> SyntaxError { SyntaxError(description: "\(what) at character \(index + 1)") }

        mutating func parseAlternation() throws(SyntaxError) -> Node {
            var branches = [try parseConcat()]
            while index < chars.count && chars[index] == "|" {
                index += 1
                branches.append(try parseConcat())
            }
            return branches.count == 1 ? branches[0] : .alternate(branches)
        }

        mutating func parseConcat() throws(SyntaxError) -> Node {
            var items: [Node] = []
            while index < chars.count && chars[index] != "|" && chars[index] != ")" {
                var atom = try parseAtom()
                atom = try parseQuantifier(atom)
                items.append(atom)
            }
            return items.isEmpty ? .empty : items.count == 1 ? items[0] : .concat(items)
        }

        mutating func parseQuantifier(_ atom: Node) throws(SyntaxError) -> Node {
            guard index < chars.count else { return atom }
            var min = 0, max: Int?
            switch chars[index] {
            case "*": index += 1
            case "+": min = 1; index += 1
            case "?": max = 1; index += 1
            case "{":
                guard let (lo, hi, end) = counted(from: index) else { return atom }
                (min, max, index) = (lo, hi, end)
            default: return atom
            }
            if case .assert = atom { throw fail("nothing to repeat") }
            var greedy = true
            if index < chars.count && chars[index] == "?" { greedy = false; index += 1 }
            if index < chars.count {
                let n = chars[index]
                if n == "*" || n == "+" || n == "?" || (n == "{" && counted(from: index) != nil) {
                    throw fail("a quantifier cannot follow a quantifier")
                }
            }
            return .repeated(atom, min: min, max: max, greedy: greedy)
        }

        /// `{n}`, `{n,}`, `{n,m}` at `i`: (min, max, index after), or `nil` when it is a literal brace.
        func counted(from i: Int) -> (Int, Int?, Int)? {
            var j = i + 1
            func number() -> Int? {
                var v = 0, any = false
                while j < chars.count, chars[j].value >= 48, chars[j].value <= 57 {
                    v = v * 10 + Int(chars[j].value - 48)
                    any = true
                    j += 1
                    if v > 1000 { return nil }
                }
                return any ? v : nil
            }
            guard let lo = number() else { return nil }
            var hi: Int? = lo
            if j < chars.count && chars[j] == "," {
                j += 1
                hi = number()
            }
            guard j < chars.count, chars[j] == "}", hi.map({ $0 >= lo }) ?? true else { return nil }
            return (lo, hi, j + 1)
        }

        mutating func parseAtom() throws(SyntaxError) -> Node {
            let c = chars[index]
            index += 1
            switch c {
            case "(":
                var capturing = true
                if index + 1 < chars.count && chars[index] == "?" {
                    guard chars[index + 1] == ":" else { throw fail("only (?:…) groups are supported (no look-around)") }
                    capturing = false
                    index += 2
                }
                var number: Int?
                if capturing { groups += 1; number = groups }
                let inner = try parseAlternation()
                guard index < chars.count, chars[index] == ")" else { throw fail("missing ')'") }
                index += 1
                return .group(inner, index: number)
            case ")": throw fail("unbalanced ')'")
            case "*", "+", "?": throw fail("nothing to repeat")
            case ".": var s = CharSet(); s.any = true; return .set(s)
            case "^": return .assert(.start)
            case "$": return .assert(.end)
            case "[": return .set(try parseClass())
            case "\\": return try parseEscape(inClass: false)
            default: return .set(CharSet(ranges: [c.value...c.value]))
            }
        }

        mutating func parseEscape(inClass: Bool) throws(SyntaxError) -> Node {
            guard index < chars.count else { throw fail("a pattern cannot end with '\\'") }
            let c = chars[index]
            index += 1
            func named(_ n: CharSet.Named) -> Node { .set(CharSet(classes: [n])) }
            switch c {
            case "d": return named(.digit)
            case "D": return named(.notDigit)
            case "w": return named(.word)
            case "W": return named(.notWord)
            case "s": return named(.space)
            case "S": return named(.notSpace)
            case "t": return .set(CharSet(ranges: [9...9]))
            case "n": return .set(CharSet(ranges: [10...10]))
            case "r": return .set(CharSet(ranges: [13...13]))
            case "b" where !inClass: return .assert(.wordBoundary)
            case "B" where !inClass: return .assert(.notWordBoundary)
            default:
                if c.properties.isAlphabetic || ("0"..."9").contains(c) {
                    throw fail("unsupported escape '\\\(c)' (back-references and named classes are not supported)")
                }
                return .set(CharSet(ranges: [c.value...c.value]))
            }
        }

        mutating func parseClass() throws(SyntaxError) -> CharSet {
            var set = CharSet()
            if index < chars.count && chars[index] == "^" { set.negated = true; index += 1 }
            var first = true
            while index < chars.count && (chars[index] != "]" || first) {
                first = false
                var low: UInt32
                if chars[index] == "\\" {
                    index += 1
                    guard case .set(let escaped) = try parseEscape(inClass: true) else { throw fail("bad escape in a class") }
                    if escaped.ranges.count == 1 && escaped.classes.isEmpty {
                        low = escaped.ranges[0].lowerBound
                    } else {
                        set.classes += escaped.classes
                        continue
                    }
                } else {
                    low = chars[index].value
                    index += 1
                }
                if index + 1 < chars.count && chars[index] == "-" && chars[index + 1] != "]" {
                    index += 1
                    if chars[index] == "\\" && index + 1 < chars.count { index += 1 }
                    let high = chars[index].value
                    index += 1
                    guard low <= high else { throw fail("a range runs backwards") }
                    set.ranges.append(low...high)
                } else {
                    set.ranges.append(low...low)
                }
            }
            guard index < chars.count else { throw fail("missing ']'") }
            index += 1
            return set
        }
    }

    // MARK: Compiling

    struct Compiler {
        var program: [Instruction] = []
        let ignoreCase: Bool

        mutating func emit(_ i: Instruction) { program.append(i) }

        mutating func compile(_ node: Node) throws(SyntaxError) {
            guard program.count < LinearRegex.maxProgram else {
                throw SyntaxError(description: "the pattern is too large (its counted repetitions expand past \(LinearRegex.maxProgram) steps)")
            }
            switch node {
            case .empty: break
            case .set(let s): emit(.char(s))
            case .assert(let a): emit(.assert(a))
            case .concat(let items): for n in items { try compile(n) }
            case .group(let inner, let number):
                if let number { emit(.save(number * 2)) }
                try compile(inner)
                if let number { emit(.save(number * 2 + 1)) }
            case .alternate(let branches):
                var jumps: [Int] = []
                for (k, b) in branches.enumerated() {
                    if k < branches.count - 1 {
                        let split = program.count
                        emit(.split(split + 1, -1))
                        try compile(b)
                        jumps.append(program.count)
                        emit(.jump(-1))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        try compile(b)
                    }
                }
                for j in jumps { program[j] = .jump(program.count) }
            case let .repeated(inner, min, max, greedy):
                for _ in 0..<min { try compile(inner) }
                if let max {
                    // Each optional copy: split to it or past all the rest.
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(program.count)
                        emit(.split(-1, -1))
                        try compile(inner)
                    }
                    for s in splits { program[s] = greedy ? .split(s + 1, program.count) : .split(program.count, s + 1) }
                } else {
                    let loop = program.count
                    emit(.split(-1, -1))
                    try compile(inner)
                    emit(.jump(loop))
                    program[loop] = greedy ? .split(loop + 1, program.count) : .split(program.count, loop + 1)
                }
            }
        }
    }
}
