import CXML2
import Foundation
import OrderCore

/// Reads the first sheet of an `.xlsx` workbook as table rows, like a CSV: shared strings,
/// inline strings and numbers. Numeric cells are read as Excel shows them and written in the
/// mapping's number style (`1234,5` for comma style), so one mapping reads both the `.xlsx` and
/// its CSV re-save; date cells arrive as Excel serial numbers (the `excel_serial` format).
///
/// The sheet is inflated a few chunks ahead of its scanner, on a thread of its own
/// (``ZipEntryReadAhead`` over a ``ZipEntryStream``): no temporary copy, flat memory, zip-bomb
/// limits on what is really unzipped. Every XML part refuses a DOCTYPE and
/// entity references, as the XML reader does.
public final class XLSXReader: TableRowSource {
    private let path: String
    private let archive: ZipArchive
    private let sheet: ZipEntryReadAhead
    /// The sheet (and before it the shared strings) are read with ``XMLByteScanner``: a
    /// 10,000-order Trendyol workbook's dry run took 6.8 G instructions with libxml2's SAX2
    /// parser, 4.9 G with the scanner.
    private var scanner: XMLByteScanner
    private var state: SheetState
    private var taken = 0
    private var finished = false

    /// What a preview reads of the sheet and of the shared strings by default.
    public static let previewBytes = 1 << 20
    /// Whether a previewed row needed a shared string past the preview (read the file whole then).
    public private(set) var previewFellShort = false
    private let isPreview: Bool

    /// Opens the first sheet of the workbook at `path`. A preview reads only the first
    /// `previewBytes` of the sheet and of its shared strings: enough for the header rows.
    public init(path: String, numberStyle: NumberStyle, previewBytes: Int? = nil, limits: Limits = Limits()) throws(ParseError) {
        self.path = path
        self.isPreview = previewBytes != nil
        let zip = try ZipArchive(path: path, what: "Excel workbook")
        archive = zip
        let sheetPath = try Self.firstSheetPath(zip, file: path, limits: limits)
        guard let sheetEntry = zip[sheetPath] else {
            throw ParseError(.malformed, file: path, message: "the workbook names \(sheetPath), which is not in the file")
        }
        let stop = previewBytes.map(Int64.init)
        var sharedStrings: SharedStringTable?
        if let entry = zip["xl/sharedStrings.xml"] {
            sharedStrings = try Self.readSharedStrings(ZipEntryStream(archive: zip, entry: entry, limits: limits, stopAfter: stop),
                                                       file: path, limits: limits)
        }
        let stream = ZipEntryReadAhead(try ZipEntryStream(archive: zip, entry: sheetEntry, limits: limits, stopAfter: stop))
        sheet = stream
        state = SheetState(path: path, sharedStrings: sharedStrings, numberStyle: numberStyle, limits: limits, isPreview: previewBytes != nil)
        scanner = XMLByteScanner(path: path, part: "the sheet XML", maxToken: limits.maxFieldBytes,
                                 input: { (buffer: UnsafeMutableRawBufferPointer) throws(ParseError) -> Int in try stream.read(into: buffer) })
    }

    /// Approximate: the share of the sheet's compressed bytes read, scaled to the workbook's size.
    public var bytesRead: Int64 {
        let total = max(sheet.entry.compressedSize, 1)
        return Int64(Double(sheet.consumed) / Double(total) * Double(archive.size))
    }

    /// Every cell of a sheet is text already (XML is UTF-8, its numbers are written out): nothing to check.
    public func want(columns: Set<Int>?) {}

    /// A libxml2 reader pulling from a zip entry as it inflates.
    static func xmlReader(_ stream: ZipEntryStream, name: String) -> xmlTextReaderPtr? {
        let reader = xmlReaderForIO(readEntry, nil, Unmanaged.passUnretained(stream).toOpaque(), name, nil, XMLRecordReader.options)
        if let reader { XMLTextReaderFile.silence(reader) }
        return reader
    }

    public func recycle(_ row: consuming TableRow) {
        state.buffers.give(row.buffer())
    }

    public func nextRow() throws(ParseError) -> TableRow? {
        while true {
            if taken < state.ready.count {
                taken += 1
                if isPreview && state.readyFellShort[taken - 1] { previewFellShort = true }
                return exchange(&state.ready[taken - 1], with: .empty)
            }
            state.ready.removeAll(keepingCapacity: true)
            state.readyFellShort.removeAll(keepingCapacity: true)
            taken = 0
            if finished { return nil }
            let progress: XMLByteScanner.Progress
            do { progress = try scanner.step(&state) } catch {
                finished = true
                throw sheet.failure ?? error
            }
            switch progress {
            case .more: break
            case .end: finished = true
            case .malformed(let error):
                finished = true
                if isPreview && sheet.failure == nil { continue } // the preview's cut: the rows before it stand
                if let failure = sheet.failure { throw failure }
                var placed = error // a byte offset alone does not show a seller where to look
                if state.rowNumber > 0 { placed.message = "row \(state.rowNumber) or after: " + placed.message }
                throw placed
            }
        }
    }

    /// `AB12` (as UTF-8) → 27 (0-based); `nil` past `max` columns (no overflow, however many letters).
    static func columnIndex(_ ref: some Sequence<UInt8>, max: Int) -> Int? {
        var n = 0
        for c in ref {
            guard c >= 65 && c <= 90 else { break }
            n = n * 26 + Int(c - 64)
            if n > max { return nil }
        }
        return n - 1
    }

    /// `xl/worksheets/sheet1.xml`, through the workbook's first `<sheet>` and its relationship.
    static func firstSheetPath(_ archive: ZipArchive, file: String, limits: Limits) throws(ParseError) -> String {
        func read(_ entryPath: String) throws(ParseError) -> String {
            guard let e = archive[entryPath] else {
                throw ParseError(.malformed, file: file, message: "not an Excel workbook: \(entryPath) is missing")
            }
            let text = String(decoding: try archive.contents(of: e, limit: 4 << 20, what: "a workbook's part list", limits: limits), as: UTF8.self)
            if text.contains("<!DOCTYPE") || text.contains("<!ENTITY") {
                throw ParseError(.forbiddenConstruct, file: file, message: XMLRecordReader.doctypeRefusal + " (in \(entryPath))")
            }
            return text
        }
        let workbook = try read("xl/workbook.xml")
        let rels = try read("xl/_rels/workbook.xml.rels")
        guard let sheetTag = workbook.range(of: "<sheet ").map({ workbook[$0.lowerBound...] }),
              let rid = sheetTag.firstMatch(of: /r:id="([^"]+)"/)?.1 else {
            throw ParseError(.malformed, file: file, message: "the workbook has no sheet")
        }
        for rel in rels.matches(of: /<Relationship [^>]*>/) {
            let tag = rel.0
            guard tag.contains("Id=\"\(rid)\""), let target = tag.firstMatch(of: /Target="([^"]+)"/)?.1 else { continue }
            return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        throw ParseError(.malformed, file: file, message: "the workbook's first sheet \(rid) has no target")
    }

    /// Every `<si>` as one string (rich-text runs joined, phonetic runs left out), streamed from
    /// the zip into a table on disk; a preview stops at its cut.
    static func readSharedStrings(_ stream: ZipEntryStream, file: String, limits: Limits) throws(ParseError) -> SharedStringTable {
        var strings = SharedStrings(table: try SharedStringTable(workbook: file), file: file, limits: limits)
        var scanner = XMLByteScanner(path: file, part: "sharedStrings.xml", maxToken: limits.maxFieldBytes,
                                     input: { (buffer: UnsafeMutableRawBufferPointer) throws(ParseError) -> Int in try stream.read(into: buffer) })
        scanning: while true {
            switch try scanner.step(&strings) {
            case .more: continue
            case .end: break scanning
            case .malformed(let error):
                if let failure = stream.failure { throw failure }
                if stream.isPreview { break scanning } // the preview's cut
                throw error
            }
        }
        if let failure = stream.failure { throw failure }
        try strings.table.finish()
        return strings.table
    }
}

/// What ``XLSXReader/readSharedStrings(_:file:limits:)`` builds as the scanner reports
/// `sharedStrings.xml`: each `<si>`'s `<t>` runs joined, `<rPh>` (phonetic) runs left out.
private struct SharedStrings: XMLScanSink {
    let table: SharedStringTable
    let file: String
    let limits: Limits
    private var current: [UInt8] = []
    private var inText = false, inPhonetic = false

    init(table: SharedStringTable, file: String, limits: Limits) {
        self.table = table
        self.file = file
        self.limits = limits
    }

    mutating func start(_ tag: XMLTag) throws(ParseError) {
        if tag.localName.isName("si") { current.removeAll(keepingCapacity: true) }
        else if tag.localName.isName("t") { inText = true }
        else if tag.localName.isName("rPh") { inPhonetic = true }
    }

    mutating func end(localName: UnsafeBufferPointer<UInt8>) throws(ParseError) {
        if localName.isName("t") { inText = false }
        else if localName.isName("rPh") { inPhonetic = false }
        else if localName.isName("si") {
            guard current.withUnsafeBufferPointer(isXMLText) else {
                throw ParseError(.malformed, file: file, message: "shared string \(table.count) is not UTF-8 or holds a control "
                                    + "character, which a workbook cannot (the file is damaged)")
            }
            try current.withUnsafeBufferPointer { (bytes) throws(ParseError) in try table.append(bytes) }
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) {
        guard inText && !inPhonetic else { return }
        current.append(contentsOf: bytes)
        guard current.count <= limits.maxFieldBytes else {
            throw ParseError(.malformed, file: file, message: "a shared string is longer than \(limits.maxFieldBytes) bytes "
                                + "(limits.max_field_bytes in pra.yaml)")
        }
    }
}

/// libxml2's read callback: the next inflated bytes of a ``ZipEntryStream`` (its error is kept in the stream).
private let readEntry: xmlInputReadCallback = { context, buffer, length in
    let stream = Unmanaged<ZipEntryStream>.fromOpaque(context!).takeUnretainedValue()
    guard let buffer, length > 0 else { return 0 }
    do {
        return Int32(try stream.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))))
    } catch {
        return -1
    }
}
