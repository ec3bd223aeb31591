import Foundation
import OrderCore

/// A rejected record as JSON for `hata_log.raw_response`: tabular rows as header → cell
/// objects, XML records as the values read by path.
enum RawRecordJSON {
    static func render(position: SourcePosition, header: [String], rawRows: RawRows,
                       layout: SourceLayout?, record: SourceRecord?) -> String {
        var object: [String: Any] = ["line": position.line, "record": position.record]
        if !rawRows.isEmpty {
            object["rows"] = rawRows.map { raw -> [String: String] in
                let cells = String(decoding: raw, as: UTF8.self).split(separator: "\u{1F}", omittingEmptySubsequences: false)
                var row: [String: String] = [:]
                for (i, c) in cells.enumerated() { row[i < header.count ? header[i] : "column \(i + 1)"] = String(c) }
                return row
            }
        } else if let record, let layout {
            var order: [String: String] = [:]
            for (i, name) in layout.orderFields.enumerated() { order[name] = record.orderValues[i] }
            object["order"] = order
            object["lines"] = record.lines.map { line -> [String: String] in
                var l: [String: String] = [:]
                for (i, name) in layout.lineFields.enumerated() { l[name] = line.values[i] }
                return l
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
