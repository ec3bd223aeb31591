import OrderCore

/// Turkish spreadsheet-friendly delimited text: `;` separator, decimal comma, `dd.MM.yyyy`,
/// UTF-8 with BOM or Windows-1254, CRLF. Text cells that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or CR) are neutralised with a leading `'`. Every CSV
/// PraIngest writes for people to open (ERP files, action lists, rejects reports) goes through here.
public struct DelimitedText {
    private var text = ""
    let separator: Character = ";"

    public init() {}

    /// A row of cells, already formatted.
    public mutating func row(_ cells: [Cell]) {
        text += cells.map(\.rendered).joined(separator: String(separator)) + "\r\n"
    }

    /// The rows so far as UTF-8 without a BOM, emptying the text: for a file written in parts,
    /// after ``byteOrderMark``.
    public mutating func takeUTF8() -> [UInt8] {
        defer { text = "" }
        return Array(text.utf8)
    }

    /// What a UTF-8 file for people to open starts with.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    public func bytes(_ encoding: ERPOptions.CSVEncoding) -> [UInt8] {
        switch encoding {
        case .utf8_bom: return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case .windows1254: return TurkishCodePages.encodeWindows1254(text)
        }
    }

    /// A cell: text from input data (neutralised and quoted as needed) or a number we formatted.
    public enum Cell {
        case text(String)
        case number(String)

        public static func money(_ m: Money) -> Cell { .number(m.description.replacingOccurrences(of: ".", with: ",")) }
        public static func integer(_ i: Int) -> Cell { .number(String(i)) }
        public static func date(_ d: CivilDateTime) -> Cell { .number(d.turkishDateString) }
        /// A measured quantity with `decimals` decimals and a decimal comma (`12,35`; `-0` never).
        public static func decimal(_ value: Double, decimals: Int = 2) -> Cell {
            guard value.isFinite else { return .number("") }
            let scale = [1.0, 10, 100, 1000, 10000][min(max(decimals, 0), 4)]
            let scaled = (abs(value) * scale).rounded()
            guard scaled < 9e15 else { return .number(String(value)) }
            let digits = String(Int64(scaled))
            let padded = digits.count > decimals ? digits : String(repeating: "0", count: decimals + 1 - digits.count) + digits
            let sign = value < 0 && scaled > 0 ? "-" : ""
            guard decimals > 0 else { return .number(sign + padded) }
            return .number(sign + padded.dropLast(decimals) + "," + padded.suffix(decimals))
        }

        var rendered: String {
            switch self {
            case .number(let n): return n
            case .text(var t):
                // Control characters (a NUL from a hostile file) never reach a spreadsheet.
                if t.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
                    t = String(String.UnicodeScalarView(t.unicodeScalars.map {
                        $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" ? "\u{FFFD}" : $0
                    }))
                }
                // Unicode scalars, not Characters: "\r\n" is one Character equal to neither "\r" nor
                // "\n", and "=" followed by a combining accent is one Character that is not "=".
                if let first = t.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { t = "'" + t }
                if t.unicodeScalars.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                    t = "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                }
                return t
            }
        }
    }
}
