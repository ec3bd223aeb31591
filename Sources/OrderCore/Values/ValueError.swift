/// Why one value could not be converted. Rendered into a ``RecordError`` with its position.
public enum ValueError: Error, Sendable, Equatable, CustomStringConvertible {
    case notANumber(String, NumberStyle)
    case scientificNotation(String)
    case tooManyDecimals(String)
    case notAWholeNumber(String)
    case outOfRange(String)
    case badDate(String, formats: [String])
    case unmappedValue(String, known: [String])
    case noRegexMatch(String, pattern: String)
    case badIdentifier(String, expected: String)
    case badVATRate(String)
    case badExpression(String)

    public var description: String {
        switch self {
        case let .notANumber(t, style):
            let example = style == .comma ? "1.234,56" : "1,234.56 or 1234.56"
            return "'\(t)' is not a number in this file's style (\(example)); "
                + "a decimal separator read as a thousands separator would change the amount"
        case let .scientificNotation(t):
            return "'\(t)' is in scientific notation: Excel rounded this number and its digits are lost; "
                + "export the file again without opening it in Excel, or format the column as text"
        case let .tooManyDecimals(t):
            return "'\(t)' has more than two decimals; amounts are exact to the kuruş"
        case let .notAWholeNumber(t):
            return "'\(t)' is not a whole number"
        case let .outOfRange(t):
            return "'\(t)' is too large"
        case let .badDate(t, formats):
            return "'\(t)' is not a date in the expected format (\(formats.joined(separator: " or ")))"
        case let .unmappedValue(t, known):
            let list = known.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
            return "'\(t)' is not in the value map (known: \(list)\(known.count > 8 ? ", …" : ""))"
        case let .noRegexMatch(t, pattern):
            return "'\(t)' does not match /\(pattern)/"
        case let .badIdentifier(t, expected):
            return "'\(t)' is not \(expected)"
        case let .badVATRate(t):
            return "'\(t)' is not a KDV rate (0, 1, 8, 10, 18 or 20)"
        case let .badExpression(t):
            return t
        }
    }
}
