/// One step of an XML or JSON path in a mapping: an element's local name (a key, in JSON), or
/// `@attribute` as the last step, with an optional predicate that picks among repeated elements:
/// `Component[Type='Principal']` (a child's value), `Document[@type='Invoice']` (an attribute),
/// `Alias[2]` (the second one).
public struct PathStep: Sendable, Hashable {
    public var name: String
    public var predicate: Predicate?

    public enum Predicate: Sendable, Hashable, CustomStringConvertible {
        /// The n-th (1-based) element of this name under its parent.
        case position(Int)
        /// A child element whose text equals the value.
        case child(String, String)
        /// An attribute that equals the value.
        case attribute(String, String)

        /// As written in a mapping: `[2]`, `[Type='Principal']`, `[@schemeID='VKN']`.
        public var description: String {
            switch self {
            case .position(let n): return "[\(n)]"
            case .child(let c, let v): return "[\(c)='\(v)']"
            case .attribute(let a, let v): return "[@\(a)='\(v)']"
            }
        }
    }

    public init(name: String, predicate: Predicate? = nil) {
        self.name = name
        self.predicate = predicate
    }

    /// Whether the step reads an attribute (`@currency`).
    public var isAttribute: Bool { name.hasPrefix("@") }

    /// The steps of `path`. Wildcards (`*`), descendants (`//`), parents (`..`) and anything but the
    /// three predicates are refused with the reason: a path names exactly one place.
    public static func parse(_ path: String) -> Result<[PathStep], PathSyntaxError> {
        if path.contains("//") {
            return .failure(PathSyntaxError("'//' (any depth) is not supported: write the full path from the record element"))
        }
        var steps: [PathStep] = []
        for raw in splitSteps(path) {
            let part = raw.trimmingBlanks()
            guard !part.isEmpty else { return .failure(PathSyntaxError("an empty step in '\(path)'")) }
            if part == ".." || part == "." {
                return .failure(PathSyntaxError("'\(part)' is not supported: paths go down from the record (or line) element"))
            }
            var name = part, predicate: Predicate?
            if let open = part.firstIndex(of: "[") {
                guard part.hasSuffix("]") else { return .failure(PathSyntaxError("'\(part)': a predicate ends with ']'")) }
                name = String(part[..<open])
                let inner = String(part[part.index(after: open)..<part.index(before: part.endIndex)]).trimmingBlanks()
                switch parsePredicate(inner) {
                case .success(let p): predicate = p
                case .failure(let e): return .failure(e)
                }
            }
            if name.contains("*") { return .failure(PathSyntaxError("'*' (any element) is not supported: name the element")) }
            guard !name.isEmpty, !name.contains(where: { "[]='\"".contains($0) }) else {
                return .failure(PathSyntaxError("'\(part)' is not an element name"))
            }
            steps.append(PathStep(name: name, predicate: predicate))
        }
        if let i = steps.dropLast().firstIndex(where: \.isAttribute) {
            return .failure(PathSyntaxError("'\(steps[i].name)': an attribute can only be the last step"))
        }
        if let last = steps.last, last.isAttribute, last.predicate != nil {
            return .failure(PathSyntaxError("'\(last.name)': an attribute takes no predicate"))
        }
        return .success(steps)
    }

    /// The element names of `path`, without predicates (`a/b[2]/c` → `a, b, c`).
    public static func names(_ path: String) -> [String] {
        splitSteps(path).map { p in p.firstIndex(of: "[").map { String(p[..<$0]) } ?? p }.map { $0.trimmingBlanks() }
    }

    /// Splits on `/` outside brackets and quotes.
    private static func splitSteps(_ path: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0, quote: Character?
        for c in path {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "[" {
                depth += 1
            } else if c == "]" {
                depth -= 1
            } else if c == "/" && depth == 0 {
                parts.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        parts.append(current)
        return parts
    }

    private static func parsePredicate(_ text: String) -> Result<Predicate, PathSyntaxError> {
        if let n = Int(text) {
            return n >= 1 ? .success(.position(n)) : .failure(PathSyntaxError("[\(text)]: positions start at 1"))
        }
        guard let eq = text.firstIndex(of: "=") else {
            return .failure(PathSyntaxError("[\(text)] is not supported: use [Child='value'], [@attribute='value'] or [n]"))
        }
        let left = String(text[..<eq]).trimmingBlanks()
        var right = String(text[text.index(after: eq)...]).trimmingBlanks()
        guard right.count >= 2, let q = right.first, q == "'" || q == "\"", right.last == q else {
            return .failure(PathSyntaxError("[\(text)]: the value must be quoted ('value')"))
        }
        right = String(right.dropFirst().dropLast())
        guard !left.isEmpty, !left.contains(where: { "/[]*".contains($0) }) else {
            return .failure(PathSyntaxError("[\(text)]: compare one child element or attribute"))
        }
        return .success(left.hasPrefix("@") ? .attribute(String(left.dropFirst()), right) : .child(left, right))
    }
}

/// A path a mapping cannot use, and why.
public struct PathSyntaxError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
