/// Splits CSV text into fields and rows, writing each field's bytes straight into the row
/// being assembled: no field buffer of its own, no callback per field, and runs of ordinary
/// bytes copied at once.
///
/// The dialect is the one real exports need, strict about quotes:
/// - a field in double quotes may hold separators, line breaks and doubled quotes (`""`);
/// - blanks and tabs around an unquoted field, and around a quoted field's quotes, are not
///   part of it (unless the tab is the separator);
/// - a quote inside an unquoted field, or anything but blanks after a closing quote, is an
///   error, and so is a quoted field still open at the end of the file;
/// - every CR and every LF ends a row (a CRLF pair is one line break to ``RowAssembler``, and a
///   blank line is an empty row it skips).
struct CSVTokenizer {
    private enum State {
        /// Between rows: no field of this row yet.
        case rowNotBegun
        /// After a separator: the next field has not started.
        case fieldNotBegun
        /// Inside a field (`quoted`: it began with a quote).
        case inField
        /// A quote inside a quoted field: the field's end, or the first of a doubled quote.
        case quoteInField
    }

    private var state = State.rowNotBegun
    private var quoted = false
    /// Blanks at the end of an unquoted field so far, or after a quoted field's closing quote:
    /// written to the row, taken back when the field ends.
    private var blanks = 0
    private let separator: UInt8
    /// The bytes that end a run of an unquoted field's bytes (blanks inside it are in the run).
    private let stopsRun: [Bool]

    private static let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A, space: UInt8 = 0x20, tab: UInt8 = 0x09

    init(separator: UInt8) {
        self.separator = separator
        var stops = [Bool](repeating: false, count: 256)
        for b in [separator, Self.quote, Self.cr, Self.lf] { stops[Int(b)] = true }
        stopsRun = stops
    }

    private static func isLineBreak(_ b: UInt8) -> Bool { b == cr || b == lf }
    private func isBlank(_ b: UInt8) -> Bool { (b == Self.space || b == Self.tab) && b != separator }

    /// How many bytes of the field not yet ended are in the row (for the field-size limit).
    func openFieldBytes(_ row: RowAssembler) -> Int {
        state == .inField || state == .quoteInField ? row.raw.count - row.fieldStart : 0
    }

    /// Splits `input`, a piece of the file (fields and rows may continue into the next piece).
    /// Returns the offset of a byte that breaks the quoting rules, or `nil`.
    mutating func parse(_ input: UnsafeBufferPointer<UInt8>, into row: inout RowAssembler) -> Int? {
        stopsRun.withUnsafeBufferPointer { stops in parse(input, stops: stops, into: &row) }
    }

    private mutating func parse(_ input: UnsafeBufferPointer<UInt8>, stops: UnsafeBufferPointer<Bool>,
                                into row: inout RowAssembler) -> Int? {
        let n = input.count
        var i = 0
        while i < n {
            let c = input[i]
            switch state {
            case .rowNotBegun, .fieldNotBegun:
                if isBlank(c) {
                    i += 1
                } else if Self.isLineBreak(c) {
                    if state == .fieldNotBegun { row.endField(dropping: 0) }
                    row.endRow(Int32(c))
                    state = .rowNotBegun
                    i += 1
                } else if c == separator {
                    row.endField(dropping: 0)
                    state = .fieldNotBegun
                    i += 1
                } else if c == Self.quote {
                    (state, quoted, blanks) = (.inField, true, 0)
                    i += 1
                } else {
                    (state, quoted, blanks) = (.inField, false, 0) // c is read as the field's first byte below
                }
            case .inField where quoted:
                // Everything up to the next quote is the field's.
                var j = i
                while j < n && input[j] != Self.quote { j += 1 }
                row.append(UnsafeBufferPointer(rebasing: input[i..<j]))
                if j < n {
                    row.append(Self.quote) // taken back if it closes the field
                    (state, blanks) = (.quoteInField, 0)
                    j += 1
                }
                i = j
            case .inField:
                var j = i
                while j < n && !stops[Int(input[j])] { j += 1 }
                if j > i {
                    // One append per run; blanks at its end are the field's only if more follows.
                    row.append(UnsafeBufferPointer(rebasing: input[i..<j]))
                    var k = j
                    while k > i && isBlank(input[k - 1]) { k -= 1 }
                    blanks = k == i ? blanks + (j - i) : j - k
                    i = j
                    continue
                }
                if c == Self.quote { return i }
                row.endField(dropping: blanks)
                if c == separator {
                    state = .fieldNotBegun
                } else { // a line break: nothing else stops a run
                    row.endRow(Int32(c))
                    state = .rowNotBegun
                }
                i += 1
            case .quoteInField:
                if c == separator {
                    row.endField(dropping: blanks + 1)
                    state = .fieldNotBegun
                } else if Self.isLineBreak(c) {
                    row.endField(dropping: blanks + 1)
                    row.endRow(Int32(c))
                    state = .rowNotBegun
                } else if isBlank(c) {
                    row.append(c)
                    blanks += 1
                } else if c == Self.quote && blanks == 0 {
                    state = .inField // a doubled quote: the one written stays
                } else {
                    return i
                }
                i += 1
            }
        }
        return nil
    }

    /// The end of the file: ends the last field and row. False when a quoted field is still open.
    mutating func finish(into row: inout RowAssembler) -> Bool {
        switch state {
        case .inField where quoted:
            return false
        case .inField:
            row.endField(dropping: blanks)
            row.endRow(-1)
        case .quoteInField:
            row.endField(dropping: blanks + 1)
            row.endRow(-1)
        case .fieldNotBegun:
            row.endField(dropping: 0)
            row.endRow(-1)
        case .rowNotBegun:
            break
        }
        state = .rowNotBegun
        return true
    }
}
