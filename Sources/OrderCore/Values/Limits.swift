/// The limits that keep a broken or hostile file from costing more than itself: generous for
/// real exports (a 1M-order export passes), documented in `docs/security.md`, each settable in
/// `pra.yaml` under `limits:`. A value past a limit is rejected with its place and rule, a file
/// past one fails with a message naming the limit.
public struct Limits: Sendable, Equatable {
    /// The largest absolute value of any one amount (a line, a unit price, a total): 100 million TL.
    public var maxAmount = Money(minorUnits: 10_000_000_000)
    /// The largest quantity of one line.
    public var maxQuantity = 1_000_000
    /// The most lines one order may have.
    public var maxLinesPerOrder = 10_000
    /// Dates outside these years are rejected (an epoch in the wrong unit, a typo).
    public var earliestYear = 2000
    public var latestYear = 2100
    /// The longest field a reader accepts, in bytes.
    public var maxFieldBytes = 64 << 10
    /// The longest record (a CSV line with its quoted line breaks, an XML order), in bytes.
    public var maxRecordBytes = 16 << 20
    /// The most records (rows or XML orders) one file may hold.
    public var maxRecordsPerFile = 20_000_000
    /// The most cells (columns) one table row may have (Excel's own limit is 16,384).
    public var maxColumns = 16_384
    /// The largest uncompressed part of an `.xlsx` (a sheet, the shared strings), in bytes.
    public var maxUnzippedBytes: Int64 = 8 << 30
    /// The highest compression ratio of an `.xlsx` part, checked once 16 MiB are unzipped
    /// (real sheets compress 5–30×; a zip bomb 1000×).
    public var maxCompressionRatio = 100
    /// Rejected records whose details (rows, messages) are kept for the reports; the rest are counted.
    public var maxRejectDetails = 1_000
    /// The largest mapping file or `pra.yaml`, in bytes.
    public var maxConfigBytes = 1 << 20
    /// A file this large or larger is ingested with the database to itself (a rollback journal
    /// instead of the WAL): its new pages are written once, not twice, so the disk holds one copy
    /// of its growth, not two; other processes wait for its commit.
    public var exclusiveIngestBytes: Int64 = 16 << 20
    /// The largest received invoice document kept as a copy (an e-invoice with its embedded PDF
    /// view is well under a megabyte; a provider's archive of many is a zip of single documents).
    public var maxInvoiceBytes: Int64 = 32 << 20
    /// The largest file taken, dropped or uploaded (an upload past it is refused as it streams).
    public var maxFileBytes: Int64 = 1 << 30

    public init() {}

    /// Why an order merged from several records (packages) is beyond the per-order limits, or `nil`.
    public func problem(mergedLines lines: Int, total: Money) -> String? {
        if lines > maxLinesPerOrder {
            return "with this package the order has \(lines) lines, more than the \(maxLinesPerOrder) accepted "
                + "(limits.max_lines_per_order in pra.yaml)"
        }
        if total.minorUnits.magnitude > maxAmount.minorUnits.magnitude {
            return "with this package the order's total is \(total.turkishDescription), beyond the largest amount accepted "
                + "(\(maxAmount.turkishDescription); limits.max_amount in pra.yaml)"
        }
        return nil
    }

    /// Every limit with its `pra.yaml` key and current value, for `docs/security.md` and errors.
    public static let keys = [
        "max_amount", "max_quantity", "max_lines_per_order", "earliest_year", "latest_year", "max_field_bytes",
        "max_record_bytes", "max_records_per_file", "max_columns", "max_unzipped_bytes", "max_compression_ratio",
        "max_reject_details", "max_config_bytes", "exclusive_ingest_bytes", "max_invoice_bytes",
        "max_file_bytes",
    ]
}
