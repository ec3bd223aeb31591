import OrderCore

/// The outcome of ingesting one file: what landed, what was rejected and why.
public struct IngestReport: Sendable {
    public enum Status: String, Sendable {
        /// Every record landed.
        case ingested
        /// Good records landed; some were rejected (see ``rejected``).
        case partial
        /// The same content was ingested before for this seller; nothing changed.
        case duplicate
        /// Nothing landed (see ``error``), or the file failed part-way (``ordersWritten`` > 0).
        case failed
    }
    public var file: String
    public var seller: String
    public var mapping: String?
    public var sha256: String?
    public var status: Status
    public var ordersInserted = 0
    public var ordersUpdated = 0
    public var linesWritten = 0
    public var duplicateRowsDropped = 0
    public var rejected: [RecordError] = []
    public var error: IngestError?

    public var ordersWritten: Int { ordersInserted + ordersUpdated }

    /// `orders.csv: 12 orders (10 new, 2 updated), 30 lines, 1 rejected [trendyol]`
    public var summary: String {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        switch status {
        case .duplicate:
            return "\(name): duplicate of a file already ingested for \(seller); nothing changed"
        case .failed where ordersWritten == 0:
            return "\(name): failed: \(error?.message ?? "unknown error")"
        default:
            var s = "\(name): \(ordersWritten) orders (\(ordersInserted) new, \(ordersUpdated) updated), "
                + "\(linesWritten) lines, \(rejected.count) rejected"
            if duplicateRowsDropped > 0 { s += ", \(duplicateRowsDropped) exact duplicate rows ignored" }
            if let mapping { s += " [\(mapping)]" }
            if let error { s += "; then failed: \(error.message)" }
            return s
        }
    }
}
