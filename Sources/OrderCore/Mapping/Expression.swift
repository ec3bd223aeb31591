/// A small arithmetic expression over source fields, for amounts a platform does not give
/// directly: `{Lineitem quantity} * {Lineitem price} - {Lineitem discount}`.
///
/// Operators `+ - * /` and parentheses; fields in braces; literals with a dot decimal.
/// An empty field counts as zero. Arithmetic is exact decimal; division keeps six decimals
/// and the result is rounded half to even where a money value is needed.
public indirect enum Expression: Sendable, Equatable {
    case field(String)
    case literal(Decimal6)
    case negate(Expression)
    case binary(Operator, Expression, Expression)

    public enum Operator: Character, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }

    public var fieldNames: [String] {
        switch self {
        case .field(let f): return [f]
        case .literal: return []
        case .negate(let e): return e.fieldNames
        case .binary(_, let a, let b): return a.fieldNames + b.fieldNames
        }
    }

    /// The same arithmetic over fields renamed by `name` (paths made relative to another element).
    public func renamingFields(_ name: (String) -> String) -> Expression {
        switch self {
        case .field(let f): return .field(name(f))
        case .literal: return self
        case .negate(let e): return .negate(e.renamingFields(name))
        case .binary(let op, let a, let b): return .binary(op, a.renamingFields(name), b.renamingFields(name))
        }
    }

    /// Parses the expression text; the error says what was expected where.
    public static func parse(_ text: String) -> Result<Expression, ValueError> {
        var p = Parser(chars: Array(text))
        do {
            let e = try p.expression()
            p.skipBlanks()
            guard p.index == p.chars.count else { throw p.failure("unexpected '\(p.chars[p.index])'") }
            guard Program(e).depth <= Program.maxDepth else { throw Program.tooDeep }
            return .success(e)
        } catch let e as ValueError {
            return .failure(e)
        } catch {
            return .failure(.badExpression("\(error)"))
        }
    }

    /// Evaluates with `lookup` giving each field's numeric value.
    public func evaluate(_ lookup: (String) throws -> Decimal6) throws -> Decimal6 {
        let program = Program(self)
        return try program.evaluate { try lookup(program.fields[$0]) }
    }

    /// The expression in postfix order, its fields numbered: evaluated with a small stack, without
    /// walking boxed nodes or looking names up (a mapping runs it for every line).
    public struct Program: Sendable {
        enum Step: Sendable { case field(Int), literal(Decimal6), negate, binary(Operator) }
        let steps: [Step]
        /// The field names, by the number their steps carry.
        public let fields: [String]
        /// How many values wait on the stack at most.
        let depth: Int
        /// The stack: a fixed array in the evaluating frame (a temporary allocation's closure
        /// retained everything the caller's closure held, per line).
        typealias Stack = InlineArray<32, Decimal6>
        /// The deepest stack a program may need.
        static let maxDepth = Stack.count
        static let tooDeep = ValueError.badExpression("expression: nested too deep (at most \(maxDepth) values may wait for an operator)")

        public init(_ expression: Expression) {
            var steps: [Step] = [], fields: [String] = []
            func emit(_ e: Expression) {
                switch e {
                case .field(let f):
                    if let i = fields.firstIndex(of: f) { steps.append(.field(i)) } else {
                        steps.append(.field(fields.count))
                        fields.append(f)
                    }
                case .literal(let d): steps.append(.literal(d))
                case .negate(let inner):
                    emit(inner)
                    steps.append(.negate)
                case let .binary(op, a, b):
                    emit(a)
                    emit(b)
                    steps.append(.binary(op))
                }
            }
            emit(expression)
            self.steps = steps
            self.fields = fields
            var pending = 0, deepest = 0
            for step in steps {
                switch step {
                case .field, .literal: pending += 1
                case .negate: break
                case .binary: pending -= 1
                }
                deepest = max(deepest, pending)
            }
            depth = deepest
        }

        /// The value, with each field's value from `field` (called with its number in ``fields``).
        public func evaluate(_ field: (Int) throws -> Decimal6) throws -> Decimal6 {
            guard depth <= Self.maxDepth else { throw Self.tooDeep } // parsed ones never are
            var stack = Stack(repeating: Decimal6(micros: 0))
            var top = 0
            for step in steps {
                switch step {
                case .field(let i):
                    stack[top] = try field(i)
                    top += 1
                case .literal(let d):
                    stack[top] = d
                    top += 1
                case .negate:
                    stack[top - 1] = stack[top - 1].negated
                case .binary(let op):
                    let x = stack[top - 2], y = stack[top - 1]
                    top -= 1
                    switch op {
                    case .add: stack[top - 1] = try x.adding(y)
                    case .subtract: stack[top - 1] = try x.adding(y.negated)
                    case .multiply: stack[top - 1] = try x.multiplied(by: y)
                    case .divide: stack[top - 1] = try x.divided(by: y)
                    }
                }
            }
            return stack[0]
        }
    }

    private struct Parser {
        var chars: [Character]
        var index = 0

        func failure(_ what: String) -> ValueError {
            .badExpression("expression: \(what) at character \(index + 1)")
        }
        mutating func skipBlanks() { while index < chars.count && chars[index] == " " { index += 1 } }
        mutating func expression() throws -> Expression {
            var lhs = try term()
            while true {
                skipBlanks()
                guard index < chars.count, let op = Operator(rawValue: chars[index]), op == .add || op == .subtract else {
                    return lhs
                }
                index += 1
                lhs = .binary(op, lhs, try term())
            }
        }
        mutating func term() throws -> Expression {
            var lhs = try factor()
            while true {
                skipBlanks()
                guard index < chars.count, let op = Operator(rawValue: chars[index]), op == .multiply || op == .divide else {
                    return lhs
                }
                index += 1
                lhs = .binary(op, lhs, try factor())
            }
        }
        mutating func factor() throws -> Expression {
            skipBlanks()
            guard index < chars.count else { throw failure("expected a value") }
            switch chars[index] {
            case "-":
                index += 1
                return .negate(try factor())
            case "(":
                index += 1
                let e = try expression()
                skipBlanks()
                guard index < chars.count, chars[index] == ")" else { throw failure("expected ')'") }
                index += 1
                return e
            case "{":
                guard let close = chars[index...].firstIndex(of: "}") else { throw failure("missing '}'") }
                let name = String(chars[(index + 1)..<close])
                index = close + 1
                guard !name.isEmpty else { throw failure("empty field name") }
                return .field(name)
            default:
                var end = index
                while end < chars.count && (chars[end].isNumber || chars[end] == ".") { end += 1 }
                guard end > index,
                      case .success(let (m, s)) = NumberStyle.dot.parseDecimal(String(chars[index..<end])),
                      let d = Decimal6(mantissa: m, scale: s) else {
                    throw failure("expected a number, a {field} or '('")
                }
                index = end
                return .literal(d)
            }
        }
    }
}

/// An exact decimal with six fractional digits, for mapping arithmetic.
public struct Decimal6: Sendable, Equatable {
    /// The value times 10^6.
    public var micros: Int64

    public init(micros: Int64) { self.micros = micros }

    /// `nil` when the value does not fit or has more than six decimals.
    public init?(mantissa: Int64, scale: Int) {
        guard scale <= 6 else { return nil }
        var m = mantissa
        for _ in scale..<6 {
            let (r, o) = m.multipliedReportingOverflow(by: 10)
            if o { return nil }
            m = r
        }
        micros = m
    }

    public init(_ money: Money) { micros = money.minorUnits * 10_000 }

    var negated: Decimal6 { Decimal6(micros: -micros) }

    func adding(_ o: Decimal6) throws -> Decimal6 {
        let (r, over) = micros.addingReportingOverflow(o.micros)
        if over { throw ValueError.badExpression("expression: result too large") }
        return Decimal6(micros: r)
    }

    func multiplied(by o: Decimal6) throws -> Decimal6 {
        // Exact product / 10^6, rounded half to even.
        let (p, over) = micros.multipliedReportingOverflow(by: o.micros)
        if over { throw ValueError.badExpression("expression: result too large") }
        return Decimal6(micros: Money.divideRoundingHalfEven(p, 1_000_000))
    }

    func divided(by o: Decimal6) throws -> Decimal6 {
        guard o.micros != 0 else { throw ValueError.badExpression("expression: division by zero") }
        let (p, over) = micros.multipliedReportingOverflow(by: 1_000_000)
        if over { throw ValueError.badExpression("expression: result too large") }
        return Decimal6(micros: Money.divideRoundingHalfEven(p, o.micros))
    }

    /// Rounded half to even to the kuruş.
    public var money: Money { Money(minorUnits: Money.divideRoundingHalfEven(micros, 10_000)) }
}
