import Foundation
import OrderCore
@testable import Parsers
import Testing

@Suite struct CSVReaderTests {
    @Test func readsATabSeparatedUTF16FileWithBOM() throws {
        var reader = try CSVReader(path: Fixture.path("hepsiburada/hb-unicode-text.txt"), encoding: .auto, separator: nil)
        defer { reader.close() }
        reader.want(columns: nil)
        let header = try #require(try reader.nextRow())
        #expect(header.cells.first == "Sipariş Numarası")
        #expect(header.cells.count == 29)
    }

    /// Rows handed back are reused for the rows after: every row reads its own cells, whether
    /// its buffer was a shorter row's, a longer row's or new, and a row still held is never
    /// written over by the ones read after it.
    @Test func aRecycledRowsBufferHoldsOnlyTheRowsAfterIt() throws {
        func cells(_ i: Int) -> [String] {
            ["\(i)", String(repeating: i % 7 == 0 ? "ğ" : "x", count: (i * 37) % 700), "", "son \(i)"]
        }
        let path = NSTemporaryDirectory() + "/pra-recycle-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = (0..<3000).map { cells($0).joined(separator: ";") }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var reader = try CSVReader(path: path, encoding: .utf8, separator: UInt8(ascii: ";"), chunkBytes: 4096)
        defer { reader.close() }
        reader.want(columns: nil)
        var held: (row: TableRow, index: Int)?
        var read = 0
        while let row = try reader.nextRow() {
            #expect(row.cells == cells(read))
            if let (earlier, index) = held {
                #expect(earlier.cells == cells(index)) // still its own after a row was read
                reader.recycle(earlier)
            }
            held = read % 5 == 0 ? (row, read) : nil
            if read % 5 != 0 { reader.recycle(row) }
            read += 1
        }
        #expect(read == 3000)
    }

    /// The encoding sniff passes ASCII over eight bytes at a time: wherever the first byte past
    /// ASCII falls, valid, broken or cut off at the sample's end, the answer is the one for the
    /// same bytes with no ASCII before them (where the check starts byte by byte).
    @Test func theEncodingSniffAnswersAlikeWhereverTheFirstByteBeyondASCIIFalls() {
        // A tail, what follows it, and the answer for them alone.
        let tails: [(bytes: [UInt8], valid: Bool)] = [
            ([0xC5, 0x9F], true), ([0xE2, 0x82, 0xAC], true), ([0xC5], true), ([0xE2, 0x82], true), // cut off at the end: allowed
            ([0xFE], false), ([0xE2, 0x41, 0x42], false), ([0x9F, 0x41], false),
        ]
        var checked = 0
        for (tail, validAlone) in tails {
            for (after, stillValid) in [([UInt8](), true), (Array("ab;cd,ef\n".utf8), true),
                                        (Array(repeating: UInt8(ascii: "x"), count: 9) + [0xFE], false)] {
                // A tail cut off at the end is broken once something follows it.
                let cutOff = tail == [0xC5] || tail == [0xE2, 0x82]
                let expected = validAlone && stillValid && !(cutOff && !after.isEmpty)
                #expect(TextTranscoder.isMostlyValidUTF8(tail + after) == expected, "\(tail + after)")
                for run in 1...17 {
                    let sample = Array(repeating: UInt8(ascii: "a"), count: run) + tail + after
                    #expect(TextTranscoder.isMostlyValidUTF8(sample) == expected, "\(run) ASCII bytes, then \(tail + after)")
                    checked += 1
                }
            }
        }
        #expect(checked == 7 * 3 * 17)
        // A Windows-1254 header ("Sipariş No" with ş as 0xFE) past the first eight bytes.
        let cp1254 = Array("Tarih;Sipari".utf8) + [0xFE] + Array(" No;Tutar\n1;2;3\n".utf8)
        #expect(CSVReader.dialect(head: cp1254, encoding: .auto, separator: nil).source == .windows1254)
        #expect(CSVReader.dialect(head: cp1254, encoding: .auto, separator: nil).separator == UInt8(ascii: ";"))
    }

    /// The separator is the one the first line has most of, whatever the lines after it hold.
    @Test func theSeparatorIsTheFirstLines() {
        let head = Array("a;b;c,d\r\n1,2,3,4,5,6\n".utf8)
        #expect(CSVReader.dialect(head: head, encoding: .auto, separator: nil).separator == UInt8(ascii: ";"))
        let units: [UInt16] = Array("a\tb\tc;d\n1;2;3;4;5".utf16)
        let utf16: [UInt8] = [0xFF, 0xFE] + units.flatMap { (unit: UInt16) -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let dialect = CSVReader.dialect(head: utf16, encoding: .auto, separator: nil)
        #expect(dialect.source == .utf16LE && dialect.separator == 0x09)
    }

    /// The check a wanted cell with bytes past ASCII gets agrees with the standard library's
    /// decoder on every edge of the encoding and on random bytes.
    @Test func theUTF8CheckAgreesWithTheStandardLibrary() {
        let edges: [[UInt8]] = [
            [0xC2, 0xA0], [0xC1, 0xBF], [0xC0, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xE0, 0x9F, 0xBF],
            [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xC5, 0x9F], [0xC5], [0x9F],
            [0xE2, 0x82], [0x61, 0xC4, 0xB1, 0x62], [0xFF], [0xFE, 0xFF],
        ]
        var random = SystemRandomNumberGenerator()
        let noise = (0..<50_000).map { _ in
            (0..<Int.random(in: 1...6, using: &random)).map { _ in
                // Mostly bytes near the boundaries, where a wrong range would show.
                [UInt8.random(in: 0x80...0xFF, using: &random), UInt8.random(in: 0x7E...0xC3, using: &random),
                 UInt8.random(in: 0xDF...0xF5, using: &random), UInt8.random(in: 0x8E...0xA1, using: &random)][Int.random(in: 0...3, using: &random)]
            }
        }
        // Runs of ASCII, which the check passes eight bytes at a time, before, between and after them.
        let text = (0..<20_000).map { _ in
            (0..<Int.random(in: 1...40, using: &random)).flatMap { _ -> [UInt8] in
                switch Int.random(in: 0..<20, using: &random) {
                case 0..<14: [UInt8.random(in: 0x00...0x7F, using: &random)]
                case 14..<19: Array(String(Character(Unicode.Scalar([0xE7, 0x11F, 0x131, 0x20AC, 0x1F600][Int.random(in: 0...4, using: &random)])!)).utf8)
                default: [UInt8.random(in: 0x80...0xFF, using: &random)] // a stray byte
                }
            }
        }
        var valid = 0
        for bytes in edges + noise + text {
            let expected = String(validating: bytes, as: UTF8.self) != nil
            if expected { valid += 1 }
            #expect(bytes.withUnsafeBufferPointer(isWellFormedUTF8) == expected, "\(bytes)")
        }
        #expect(valid > 100, "the sample held too few valid sequences to test anything")
        #expect(text.filter { String(validating: $0, as: UTF8.self) != nil && $0.count >= 16 && $0.contains { $0 >= 0x80 } }.count > 100,
                "too few long valid sequences mixing ASCII and beyond")
    }
}

@Suite struct XLSXReaderTests {
    static let workbook = Fixture.path("trendyol/tum-siparisler.xlsx")

    /// The shortcut for cells Excel shows as written agrees with the general rounding, and
    /// leaves every other cell to it.
    @Test func numbersShownAsWrittenTakeTheShortcutOnlyWhenRoundingWouldChangeNothing() {
        let shortcut = ["0", "7", "-12", "1234", "245.08", "-0.05", "0.5", "869123456789012", "99999.9999999999"]
        let general = ["-0", "007", "1.50", "245.080", "1E3", "8691234567890123", "9210.559999999999", "0.", ".5", "1.2.3", "", "-", "+5"]
        for v in shortcut {
            #expect(ExcelNumber.isShownAsWritten(v.utf8), "\(v)")
            #expect(ExcelNumber.rounded(v) == v, "\(v)")
        }
        for v in general { #expect(!ExcelNumber.isShownAsWritten(v.utf8), "\(v)") }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let v = String(Double(Int64.random(in: -10_000_000...10_000_000, using: &random)) / [1, 10, 100, 1000][Int.random(in: 0...3)])
            if ExcelNumber.isShownAsWritten(v.utf8) { #expect(ExcelNumber.rounded(v) == v, "\(v)") }
        }
    }

    static func firstRows(_ reader: inout XLSXReader, _ count: Int) -> [[String]] {
        reader.want(columns: nil)
        return (0..<count).compactMap { _ in try? reader.nextRow()?.cells }
    }

    @Test func aPreviewReadsTheSameFirstRowsAsTheWholeFile() throws {
        // 1,500 bytes hold the title and header rows of the sheet (3.6 kB) and the strings they
        // use, and cut both files before the order rows.
        var whole = try XLSXReader(path: Self.workbook, numberStyle: .comma)
        var preview = try XLSXReader(path: Self.workbook, numberStyle: .comma, previewBytes: 1_500)
        let wholeRows = Self.firstRows(&whole, 6), previewHeader = Self.firstRows(&preview, 2)
        #expect(previewHeader == Array(wholeRows.prefix(2)))
        #expect(!preview.previewFellShort)
        #expect(2 + Self.firstRows(&preview, 4).count < wholeRows.count, "the preview was not cut")
    }

    @Test func aPreviewCutBeforeTheHeaderStringsSaysSoInsteadOfGuessing() throws {
        var preview = try XLSXReader(path: Fixture.path("trendyol/strings-after-header.xlsx"), numberStyle: .comma,
                                     previewBytes: XLSXReader.previewBytes)
        _ = Self.firstRows(&preview, 3)
        #expect(preview.previewFellShort)
    }

    @Test func numbersFollowTheMappingsDecimalSeparator() throws {
        var comma = try XLSXReader(path: Self.workbook, numberStyle: .comma)
        var dot = try XLSXReader(path: Self.workbook, numberStyle: .dot)
        let commaCells = Self.firstRows(&comma, 4).flatMap { $0 }.compactMap { $0 }
        let dotCells = Self.firstRows(&dot, 4).flatMap { $0 }.compactMap { $0 }
        let changed = zip(commaCells, dotCells).filter { $0 != $1 }
        #expect(!changed.isEmpty)
        #expect(changed.allSatisfy { $0.0 == $0.1.replacingOccurrences(of: ".", with: ",") })
    }
}

@Suite struct XMLReaderTests {
    /// The SAX reader gets text in pieces (at its 64 KiB chunks, around entities, in CDATA):
    /// every value arrives whole, wherever the pieces fall.
    @Test func valuesSplitAcrossChunksEntitiesAndCDATAArriveWhole() throws {
        let names = (0..<3_000).map { "Ürün \($0) — çay & şeker <\(String(repeating: "ğ", count: $0 % 97))>" }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<orders>"
        for (i, name) in names.enumerated() {
            let escaped = name.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
            xml += i % 2 == 0 ? "<order><no>\(i)</no><name>\(escaped)</name></order>\n"
                : "<order><no>\(i)</no><name><![CDATA[\(name)]]></name></order>\n"
        }
        xml += "</orders>\n"
        #expect(xml.utf8.count > 4 << 16, "the file spans several chunks")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sax-\(UUID().uuidString).xml").path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try XMLRecordReader(path: path, layout: SourceLayout(orderFields: ["no", "name"], lineFields: [], groupBy: nil),
                                         recordPath: ["orders", "order"], linePath: ["."])
        var read: [String] = []
        while let result = try reader.next() {
            guard case .record(let record) = result else { Issue.record("rejected: \(result)"); continue }
            #expect(record.orderValues[0] == String(read.count))
            read.append(record.orderValues[1] ?? "")
        }
        #expect(read == names)
    }

    /// A path that may match many elements (`each: sum`) joins their values, interleaved with
    /// another field's, in time and memory linear in the matches: 40,000 of them in one record
    /// of a hostile file arrive whole, in order, and the next record starts clean.
    @Test func manyRepeatedMatchesInOneRecordJoinInLinearTime() throws {
        let matches = 40_000
        var xml = "<?xml version=\"1.0\"?>\n<orders><order><no>1</no>"
        for i in 0..<matches { xml += "<refund><amount>\(i % 100).25</amount><note>n\(i)</note></refund>" }
        xml += "</order><order><no>2</no><refund><amount>7.50</amount></refund></order></orders>\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("each-\(UUID().uuidString).xml").path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var layout = SourceLayout(orderFields: ["no", "refund/amount", "refund/note"], lineFields: [], groupBy: nil)
        layout.repeatable = ["refund/amount", "refund/note"]
        let reader = try XMLRecordReader(path: path, layout: layout, recordPath: ["orders", "order"], linePath: ["."])
        let started = ContinuousClock.now
        guard case .record(let first)? = try reader.next(), case .record(let second)? = try reader.next() else {
            Issue.record("both records should be read")
            return
        }
        #expect(ContinuousClock.now - started < .seconds(5), "joining the matches is linear")
        let amounts = first.orderValues[1]?.split(separator: SourceLayout.valueSeparator).map(String.init) ?? []
        #expect(amounts.count == matches)
        #expect(amounts.first == "0.25" && amounts.last == "\((matches - 1) % 100).25")
        #expect(first.orderValues[2]?.split(separator: SourceLayout.valueSeparator).count == matches)
        #expect(second.orderValues[0] == "2" && second.orderValues[1] == "7.50" && second.orderValues[2] == nil)
    }
}
