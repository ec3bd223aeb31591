import Foundation
import OrderCore
import Parsers

/// Opens the record reader a mapping needs for a file.
enum SourceReaders {
    /// An XML or JSON reader, or a tabular reader over CSV or the first sheet of an xlsx.
    /// `observer` sees every byte of the file when its reader reads it from the start (CSV, XML,
    /// JSON); a workbook's or a zip's reader, which reads entries out of order, takes none.
    static func open(path: String, mapper: OrderMapper, observer: ReadObserver? = nil) throws(ParseError) -> any RecordReader {
        let spec = mapper.spec, limits = mapper.limits
        if spec.format.isXML && FileSniff(path: path).container == .zippedXML {
            return try ZippedXMLRecordReader(path: path, layout: mapper.layout, recordPath: spec.records.recordPath,
                                             linePath: spec.records.linePath, limits: limits)
        }
        if spec.format.isXML {
            return try XMLRecordReader(path: path, layout: mapper.layout, recordPath: spec.records.recordPath,
                                       linePath: spec.records.linePath, limits: limits, observer: observer)
        }
        if spec.format.isJSON {
            return try JSONRecordReader(path: path, layout: mapper.layout, recordPath: spec.records.recordPath,
                                        linePath: spec.records.linePath, limits: limits, observer: observer)
        }
        if FileSniff(path: path).container == .xlsx {
            return TabularRecordReader(rows: try XLSXReader(path: path, numberStyle: spec.format.numberStyle, limits: limits),
                                       file: path, layout: mapper.layout, shape: TableShape(spec), limits: limits)
        }
        return TabularRecordReader(rows: ClosingCSVReader(try CSVReader(path: path, encoding: spec.format.encoding,
                                                                        separator: spec.format.separator, limits: limits,
                                                                        observer: observer)),
                                   file: path, layout: mapper.layout, shape: TableShape(spec), limits: limits)
    }

    /// Whether the reader for `path` reads the file itself from its first byte to its last
    /// (CSV, XML, JSON), so an observer given to ``open(path:mapper:observer:)`` sees the whole
    /// file; a workbook's or a zip's reader reads its entries out of order.
    static func readsInOrder(path: String) -> Bool {
        let container = FileSniff(path: path).container
        return container != .zippedXML && container != .xlsx
    }
}

/// A CSV reader that closes its file when released.
final class ClosingCSVReader: TableRowSource {
    private var reader: CSVReader
    init(_ r: CSVReader) { reader = r }
    deinit { reader.close() }
    func want(columns: Set<Int>?) { reader.want(columns: columns) }
    func nextRow() throws(ParseError) -> TableRow? { try reader.nextRow() }
    func recycle(_ row: consuming TableRow) { reader.recycle(row) }
    var bytesRead: Int64 { reader.bytesRead }
}
