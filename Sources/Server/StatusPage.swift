import Foundation
import OrderStore
import PraIngest

/// `GET /`: one server-rendered page, with no outside assets and no script, that refreshes itself
/// every 10 s. The banner says at a glance whether anything needs a person; the sections below
/// say what and where. Every value from a file is escaped.
enum StatusPage {
    /// The operator's (and admin's) page: everything.
    static func `operator`(_ r: StatusReport, orders: [(seller: String, platform: String, orders: Int)], topSKUs: [SKUChart],
                           failedFiles: Int, stopping: Bool) -> String {
        let pending = r.queue["pending"] ?? 0, processing = r.queue["processing"] ?? 0
        var problems: [String] = []
        if failedFiles > 0 { problems.append("\(failedFiles) file\(failedFiles == 1 ? "" : "s") in failed/") }
        if !r.heldInvoices.isEmpty { problems.append("\(r.heldInvoices.count) invoice\(r.heldInvoices.count == 1 ? "" : "s") held back") }
        if r.needsActionTotal > 0 { problems.append("\(r.needsActionTotal) open action\(r.needsActionTotal == 1 ? "" : "s")") }
        var body = banner(problems, stopping: stopping)
        body += tiles([("waiting", pending), ("in hand", processing), ("failed files", failedFiles),
                       ("held invoices", r.heldInvoices.count), ("open actions", r.needsActionTotal)])
        body += section("Last files", table(["file", "state", "outcome", "at (UTC)"], r.recentFiles.map {
            [$0.path, $0.state, outcome($0.outcome, $0.firstErrors), time($0.at)]
        }, stateColumn: 1, htmlColumn: 2))
        body += section("Orders per seller and platform", table(["seller", "platform", "orders"], orders.map {
            [$0.seller, $0.platform, String($0.orders)]
        }))
        if !r.errorsBySellerAndPlatform.isEmpty {
            body += section("Problems per seller and mapping", table(["seller", "mapping", "rejected records", "warnings", "failed files"],
                                                                     r.errorsBySellerAndPlatform.map {
                [$0.seller, $0.mapping, String($0.rejectedRecords), String($0.warnings), String($0.failedFiles)]
            }))
        }
        body += section("Invoices held back", r.heldInvoices.isEmpty ? empty("none") : table(["seller", "order", "reason", "since"],
                                                                                             r.heldInvoices.map {
            [$0.seller, $0.orderNumber, $0.reason, $0.since]
        }))
        body += section("Open actions", r.needsAction.isEmpty ? empty("none") : table(["#", "action", "seller", "order", "invoice", "amount", "why"],
                                                                                      r.needsAction.map {
            [String($0.id), $0.action, $0.seller, $0.orderNumber, $0.invoiceNumber, "\($0.amount) \($0.currency)", $0.reason]
        }))
        if !topSKUs.isEmpty { body += section("Best sellers and their next four weeks", charts(topSKUs, showSeller: true)) }
        body += "<p class=foot>GİB user list: " + escape(r.userList.map { "\($0.file), \($0.users) users, loaded \($0.loadedAt)" } ?? "none loaded")
            + " · exchange rates: " + escape(r.exchangeRates.map { "\($0.days) days, \($0.first) to \($0.last)" } ?? "none loaded")
            + "</p>"
        return document(title: "PraIngest", body)
    }

    /// A seller's page: its own files and orders only.
    static func seller(_ seller: String, overview: (files: [JobQueue.Recent], orders: [String: Int]), topSKUs: [SKUChart]) -> String {
        let failed = overview.files.filter { $0.state == "failed" }.count
        var body = banner(failed > 0 ? ["\(failed) of your last files failed"] : [], stopping: false)
        body += "<p class=who>Seller <b>\(escape(seller))</b></p>"
        let rows = overview.files.map { f -> [String] in // each error names its own place
            [f.path, f.state, outcome(f.outcome, f.errors.prefix(3).map(\.message)), time(f.at)]
        }
        body += section("Your last files", table(["file", "state", "outcome", "at (UTC)"], rows, stateColumn: 1, htmlColumn: 2))
        body += section("Your orders per platform", table(["platform", "orders"], overview.orders.sorted { $0.key < $1.key }.map {
            [$0.key, String($0.value)]
        }))
        if !topSKUs.isEmpty { body += section("Your best sellers and their next four weeks", charts(topSKUs, showSeller: false)) }
        return document(title: "PraIngest · \(seller)", body)
    }

    private static func banner(_ problems: [String], stopping: Bool) -> String {
        if stopping { return "<div class='banner warn'>Shutting down: finishing the file in hand</div>" }
        return problems.isEmpty ? "<div class='banner ok'>All good: nothing needs you</div>"
            : "<div class='banner bad'>Needs you: " + problems.map(escape).joined(separator: " · ") + "</div>"
    }

    private static func tiles(_ figures: [(String, Int)]) -> String {
        "<div class=tiles>" + figures.map { name, n in
            "<div class='tile\(n > 0 && name != "waiting" && name != "in hand" ? " hot" : "")'><span>\(n)</span>\(escape(name))</div>"
        }.joined() + "</div>"
    }

    /// A small chart per SKU, inline SVG (no script): eight weeks sold, then the forecast with its
    /// 80 % interval as a band.
    static func charts(_ charts: [SKUChart], showSeller: Bool) -> String {
        "<div class=charts>" + charts.map { c in
            let days = c.history.count + c.forecast.count
            let top = max(1, (c.history + c.hi80).max() ?? 1)
            let (w, h) = (300.0, 80.0)
            func x(_ i: Int) -> String { String(format: "%.1f", Double(i) * w / Double(max(1, days - 1))) }
            func y(_ v: Double) -> String { String(format: "%.1f", h - v / top * (h - 4)) }
            let sold = c.history.enumerated().map { "\(x($0.offset)),\(y($0.element))" }.joined(separator: " ")
            let n = c.history.count
            let ahead = c.forecast.enumerated().map { "\(x(n + $0.offset)),\(y($0.element))" }.joined(separator: " ")
            let band = (c.hi80.enumerated().map { "\(x(n + $0.offset)),\(y($0.element))" }
                        + c.lo80.enumerated().reversed().map { "\(x(n + $0.offset)),\(y($0.element))" }).joined(separator: " ")
            let total = c.forecast.reduce(0, +)
            let title = (showSeller ? c.seller + " · " : "") + c.sku
            return "<figure class=chart><figcaption><b>\(escape(title))</b> · next 28 days ≈ \(Int(total.rounded())) units "
                + "<span class=empty>(\(escape(c.method)))</span></figcaption>"
                + "<svg viewBox='0 0 \(Int(w)) \(Int(h))' width='\(Int(w))' height='\(Int(h))' role='img' aria-label='\(escape(c.sku)) sales and forecast'>"
                + "<polygon points='\(band)' fill='#dbe6fb'/><polyline points='\(sold)' fill='none' stroke='#8a93a5' stroke-width='1.5'/>"
                + "<polyline points='\(ahead)' fill='none' stroke='#1f4fa3' stroke-width='2'/></svg></figure>"
        }.joined() + "</div>"
    }

    private static func section(_ title: String, _ content: String) -> String {
        "<section><h2>\(escape(title))</h2>\(content)</section>"
    }

    private static func empty(_ text: String) -> String { "<p class=empty>\(escape(text))</p>" }

    /// An outcome with its first errors under it (already escaped: the cell is HTML); long texts cut.
    private static func outcome(_ text: String, _ errors: [String]) -> String {
        escape(cut(text, 300)) + errors.filter { !text.contains($0) }.map { "<div class=err>\(escape(cut($0, 400)))</div>" }.joined()
    }

    private static func cut(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length)) + " …"
    }

    /// `2026-12-03T16:29:03+00:00` → `2026-12-03 16:29` (UTC, as stored).
    private static func time(_ stamp: String) -> String {
        stamp.count >= 16 ? String(stamp.prefix(16)).replacingOccurrences(of: "T", with: " ") : stamp
    }

    /// Cells are text, escaped here, but for `htmlColumn`, whose cells are HTML already.
    private static func table(_ header: [String], _ rows: [[String]], stateColumn: Int? = nil, htmlColumn: Int? = nil) -> String {
        guard !rows.isEmpty else { return empty("nothing yet") }
        var t = "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for row in rows {
            t += "<tr>" + row.enumerated().map { i, cell in
                i == stateColumn ? "<td class=nw><span class='state \(escape(cell))'>\(escape(cell))</span></td>"
                    : i == htmlColumn ? "<td>\(cell)</td>" : "<td>\(escape(cell))</td>"
            }.joined() + "</tr>"
        }
        return t + "</table>"
    }

    private static func document(title: String, _ body: String) -> String {
        """
        <!doctype html><html lang=en><head><meta charset=utf-8><meta http-equiv=refresh content=10>
        <meta name=viewport content="width=device-width, initial-scale=1"><title>\(escape(title))</title><style>
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
        header{background:#1d2330;color:#fff;padding:14px 28px;font-size:18px;font-weight:600}
        main{max-width:1100px;margin:0 auto;padding:20px 28px}
        .banner{padding:14px 18px;border-radius:10px;font-weight:600;margin-bottom:18px}
        .ok{background:#e3f5e8;color:#17603a}.bad{background:#fde8e6;color:#9b1c13}.warn{background:#fff4d6;color:#7a5200}
        .tiles{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:18px}
        .tile{background:#fff;border-radius:10px;padding:12px 16px;min-width:120px;box-shadow:0 1px 2px #0001;color:#5b6475}
        .tile span{display:block;font-size:26px;font-weight:700;color:#1d2330}.tile.hot span{color:#b42318}
        section{background:#fff;border-radius:10px;padding:14px 18px;margin-bottom:16px;box-shadow:0 1px 2px #0001}
        h2{font-size:15px;margin:0 0 10px;color:#39414f}table{border-collapse:collapse;width:100%}
        th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eceef2;vertical-align:top;overflow-wrap:anywhere}
        td:first-child{min-width:180px}td:last-child{white-space:nowrap}
        th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#6b7384}
        .state{padding:2px 8px;border-radius:999px;font-size:12px;background:#eceef2}
        .state.done{background:#e3f5e8;color:#17603a}.state.failed{background:#fde8e6;color:#9b1c13}
        .state.pending,.state.processing{background:#e6effd;color:#1f4fa3}
        .empty{color:#6b7384;margin:0}.foot,.who{color:#6b7384}.nw{white-space:nowrap}
        .err{color:#9b1c13;font-size:13px;margin-top:3px}
        .charts{display:flex;flex-wrap:wrap;gap:14px}.chart{margin:0}figcaption{font-size:13px;margin-bottom:4px}
        </style></head><body><header>\(escape(title))</header><main>\(body)</main></body></html>
        """
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c.value < 0x20 && c != "\n" && c != "\t" ? "\u{FFFD}" : c)
            }
        }
        return out
    }
}
