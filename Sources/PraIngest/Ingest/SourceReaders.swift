import Foundation
import OrderCore
import Parsers

/// Opens the record reader a mapping needs for a file.
enum SourceReaders {
    /// An XML or JSON reader, or a tabular reader over CSV or the first sheet of an xlsx.
    /// `observer` sees the bytes of a file read from its start (``readsInOrder(path:)``).
    static func open(path: String, mapper: OrderMapper, observer: ReadObserver? = nil) throws(ParseError) -> any RecordReader {
        let spec = mapper.spec, limits = mapper.limits
        let container = FileSniff(path: path).container
        let observer = readsInOrder(container) ? observer : nil
        if spec.format.isXML && container == .zippedXML {
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
        if container == .xlsx {
            return TabularRecordReader(rows: try XLSXReader(path: path, numberStyle: spec.format.numberStyle, limits: limits),
                                       file: path, layout: mapper.layout, shape: TableShape(spec), limits: limits)
        }
        return TabularRecordReader(rows: ClosingCSVReader(try CSVReader(path: path, encoding: spec.format.encoding,
                                                                        separator: spec.format.separator, limits: limits,
                                                                        observer: observer)),
                                   file: path, layout: mapper.layout, shape: TableShape(spec), limits: limits)
    }

    /// Whether the reader for `path` reads the file itself from its first byte to its last, in
    /// order (CSV, XML, JSON), so a ``ReadObserver`` sees the whole file; a workbook's or a
    /// zip's reader reads its entries out of order.
    static func readsInOrder(path: String) -> Bool {
        readsInOrder(FileSniff(path: path).container)
    }

    private static func readsInOrder(_ container: FileSniff.Container) -> Bool {
        container != .zippedXML && container != .xlsx
    }
}

/// A CSV reader that closes its file when released.
final class ClosingCSVReader: TableRowSource {
    private var reader: CSVReader
    init(_ r: CSVReader) { reader = r }
    deinit { reader.close() }
    func want(columns: Set<Int>?) { reader.want(columns: columns) }
    func nextRow() throws(ParseError) -> TableRow? { try reader.nextRow() }
    var bytesRead: Int64 { reader.bytesRead }
}
