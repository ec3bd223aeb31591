import Exporters
import Foundation
import OrderCore

/// The reports written beside a file in `failed/`, for the seller to act on: `<name>.error.txt`
/// (what went wrong, where, which mapping) and `<name>.rejects.csv` (the rejected rows of a
/// tabular file, as they were, with a reason column: fix them and drop the file again).
enum FailureReport {
    static func errorText(report: IngestReport, originalName: String, movedTo: String, at time: String) -> String {
        let owner = report.seller.isEmpty ? "no seller" : "seller \(SellerCode.printable(report.seller))"
        var t = "PraIngest: \"\(SellerCode.printable(originalName))\" (\(owner)), \(time)\n\n"
        if let e = report.error {
            t += "The file could not be ingested:\n  \(e.message)\n"
            if report.ordersWritten > 0 {
                t += "\nThe \(report.ordersWritten) orders before that point were ingested; dropping the corrected file again "
                    + "updates them in place, it never duplicates them.\n"
            }
        }
        let rejected = report.rejectedCount
        if rejected > 0 {
            t += "\n\(rejected) record(s) were rejected; \(report.ordersWritten) order(s) of the file were ingested.\n"
            for r in report.rejectedRecords {
                for e in r.errors { t += "  \(e)\n" }
            }
            if report.rejectedRecords.count < rejected {
                t += "  (\(rejected - report.rejectedRecords.count) more are counted but not listed)\n"
            }
        }
        let warned = report.warningCount
        if warned > 0 {
            t += "\n\(warned) order(s) landed with a descriptive field stored empty because its value was unusable:\n"
            for r in report.warnedRecords {
                for e in r.errors { t += "  \(e)\n" }
            }
        }
        t += "\nMapping: " + (report.mapping.map { "mappings/\($0).yaml" } ?? "none") + "\n"
        t += "The file itself is now at: \(movedTo)\n"
        t += "\nWhat to do: correct the file (or the rows listed) and drop it into inbox/ again. "
            + "Orders already ingested are updated in place, never duplicated.\n"
        return t
    }

    /// Rejected rows of a tabular file (and the rows of orders that landed with warnings) with the
    /// header, a severity column (`hata`: not ingested; `uyarı`: ingested, a field left empty) and a
    /// reason column; `nil` when there are none.
    static func rejectsCSV(report: IngestReport) -> [UInt8]? {
        let rows = (report.rejectedRecords + report.warnedRecords).filter { !$0.rawRows.isEmpty }
            .sorted { ($0.errors.first?.position.record ?? 0) < ($1.errors.first?.position.record ?? 0) }
        guard !rows.isEmpty, !report.header.isEmpty else { return nil }
        // Sellers open this in Excel: cells are neutralised like every CSV PraIngest writes.
        var out = DelimitedText()
        out.row((report.header + ["PraIngest seviye", "PraIngest hata"]).map { .text($0) })
        for r in rows {
            let reason = r.errors.map(\.description).joined(separator: " | ")
            let severity = r.errors.first?.severity == .warn ? "uyarı" : "hata"
            for raw in r.rawRows {
                let cells = String(decoding: raw, as: UTF8.self).split(separator: "\u{1F}", omittingEmptySubsequences: false)
                out.row((cells.map(String.init) + [severity, reason]).map { .text($0) })
            }
        }
        return out.bytes(.utf8_bom)
    }
}
