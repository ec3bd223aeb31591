import Foundation
import OrderCore
import Testing

/// One invoice line as amounts in kuruş: quantity, VAT-inclusive total, KDV, base.
struct SimulatedLine: Equatable, CustomStringConvertible {
    var quantity: Int
    var gross: Int64
    var tax: Int64
    var net: Int64
    var description: String { "\(quantity)× gross \(gross) kdv \(tax) net \(net)" }
}

/// An invoice's totals per KDV rate: base and KDV, in kuruş.
struct SimulatedTotals: Equatable {
    var byRate: [Int: (net: Int64, tax: Int64)]
    static func == (a: SimulatedTotals, b: SimulatedTotals) -> Bool {
        a.byRate.keys.sorted() == b.byRate.keys.sorted() && a.byRate.allSatisfy { b.byRate[$0.key]! == $0.value }
    }
}

/// What an ERP file says of one invoice, recomputed as the ERP would from the file's own fields.
struct SimulatedRecord {
    var invoiceNumber: String
    var uuid: String?
    /// `dd.MM.yyyy`.
    var date: String
    /// Per-line formats; `nil` for a per-invoice format (then ``totals``).
    var lines: [SimulatedLine]?
    var totals: SimulatedTotals
}

/// The invoices PraIngest wrote (`outbox/ubl/`), read back from their XML.
enum UBLLines {
    struct Invoice {
        var uuid: String
        var date: String
        var lines: [SimulatedLine]
        var totals: SimulatedTotals
    }

    static func read(_ home: ExportHome) throws -> [String: Invoice] {
        var out: [String: Invoice] = [:]
        for name in try home.files("outbox/ubl") {
            let xml = try String(contentsOfFile: home.path("outbox/ubl/\(name)"), encoding: .utf8).replacing(/>\s+</, with: "><")
            let number = try #require(xml.firstMatch(of: /<cbc:ProfileID>[^<]*<\/cbc:ProfileID><cbc:ID>([^<]+)</)?.1)
            let uuid = try #require(xml.firstMatch(of: /<cbc:UUID>([^<]+)</)?.1)
            let date = try #require(xml.firstMatch(of: /<cbc:IssueDate>(\d{4})-(\d{2})-(\d{2})</))
            var lines: [SimulatedLine] = []
            var totals: [Int: (net: Int64, tax: Int64)] = [:]
            for m in xml.matches(of: /<cac:InvoiceLine>(.*?)<\/cac:InvoiceLine>/) {
                let l = String(m.1)
                let quantity = Int(l.firstMatch(of: /<cbc:InvoicedQuantity[^>]*>(\d+)</)!.1)!
                let net = kurus(String(l.firstMatch(of: /<cbc:LineExtensionAmount[^>]*>([^<]+)</)!.1))
                let tax = kurus(String(l.firstMatch(of: /<cac:TaxTotal><cbc:TaxAmount[^>]*>([^<]+)</)!.1))
                let rate = Int(Double(String(l.firstMatch(of: /<cbc:Percent>([^<]+)</)!.1))!)
                lines.append(SimulatedLine(quantity: quantity, gross: net + tax, tax: tax, net: net))
                let t = totals[rate] ?? (0, 0)
                totals[rate] = (t.net + net, t.tax + tax)
            }
            out[String(number)] = Invoice(uuid: String(uuid), date: "\(date.3).\(date.2).\(date.1)", lines: lines,
                                          totals: SimulatedTotals(byRate: totals))
        }
        return out
    }
}

/// Reads an ERP file the way its ERP imports it and recomputes every line from its own fields:
/// a VAT-inclusive unit price × quantity with KDV split out at its rate (rounded half away from
/// zero, as Logo, Netsis and Excel round), or a net unit price × quantity with the KDV the row
/// states. Each recomputed amount must also equal what the row itself states.
enum ERPImportSimulation {
    static func read(_ path: String) throws -> [SimulatedRecord] {
        if path.hasSuffix(".xml") { return try logo(path) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let rows = text.split(separator: "\r\n").map { splitCSV(String($0)) }
        let header = rows[0]
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        var records: [String: SimulatedRecord] = [:]
        var order: [String] = []
        func add(_ number: String, uuid: String?, date: String, line: SimulatedLine?, rate: Int) {
            if records[number] == nil {
                records[number] = SimulatedRecord(invoiceNumber: number, uuid: uuid, date: date, lines: line == nil ? nil : [],
                                                  totals: SimulatedTotals(byRate: [:]))
                order.append(number)
            }
            if let line {
                records[number]!.lines!.append(line)
                let t = records[number]!.totals.byRate[rate] ?? (0, 0)
                records[number]!.totals.byRate[rate] = (t.net + line.net, t.tax + line.tax)
            }
        }
        for row in rows.dropFirst() {
            func cell(_ name: String) -> String { row[column(name)] }
            if header.contains("Belge No") { // generic_csv
                let q = Int(cell("Miktar"))!, rate = Int(cell("KDV %"))!
                let line = vatIncluded(unit: cell("KDV Dahil Birim Fiyat"), quantity: q, rate: rate)
                #expect(kurus(cell("KDV Dahil Tutar")) == line.gross && kurus(cell("KDV Tutarı")) == line.tax
                        && kurus(cell("Tutar")) == line.net, "\(row)")
                #expect(roundedProduct(cell("Birim Fiyat"), q) == line.net, "net unit price × quantity: \(row)")
                add(cell("Belge No"), uuid: cell("ETTN"), date: cell("Tarih"), line: line, rate: rate)
            } else if header.contains("Matrah %20") { // luca
                var byRate: [Int: (net: Int64, tax: Int64)] = [:]
                for rate in [20, 10, 1] where kurus(cell("Matrah %\(rate)")) != 0 {
                    byRate[rate] = (kurus(cell("Matrah %\(rate)")), kurus(cell("KDV %\(rate)")))
                }
                if kurus(cell("Matrah %0")) != 0 { byRate[0] = (kurus(cell("Matrah %0")), 0) }
                #expect(byRate.values.reduce(0) { $0 + $1.net + $1.tax } == kurus(cell("Toplam")), "\(row)")
                records[cell("Fatura No")] = SimulatedRecord(invoiceNumber: cell("Fatura No"), uuid: cell("ETTN"), date: cell("Tarih"),
                                                             lines: nil, totals: SimulatedTotals(byRate: byRate))
                order.append(cell("Fatura No"))
            } else if header.contains("sip_belgeno") { // mikro: a net unit price, the KDV as given
                let q = Int(cell("sip_miktar"))!
                let net = roundedProduct(cell("sip_b_fiyat"), q), tax = kurus(cell("sip_vergi"))
                #expect(net == kurus(cell("sip_tutar")), "\(row)")
                let rate = [0: 0, 1: 0, 2: 1, 3: 10, 4: 20][Int(cell("sip_vergi_pntr"))!]!
                add(cell("sip_belgeno"), uuid: nil, date: cell("sip_tarih"),
                    line: SimulatedLine(quantity: q, gross: net + tax, tax: tax, net: net), rate: rate)
            } else { // netsis
                #expect(cell("KDV_DAHILMI") == "E")
                let q = Int(cell("STHAR_GCMIK"))!, rate = Int(cell("STHAR_KDV"))!
                add(cell("GIB_FATIRS_NO"), uuid: nil, date: cell("TARIH"), line: vatIncluded(unit: cell("STHAR_BF"), quantity: q, rate: rate),
                    rate: rate)
            }
        }
        return order.map { records[$0]! }
    }

    /// Logo: per INVOICE its NUMBER, GUID and DATE; per TRANSACTION PRICE × QUANTITY with VAT_INCLUDED.
    static func logo(_ path: String) throws -> [SimulatedRecord] {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) // the numbers are ASCII
        var records: [SimulatedRecord] = []
        for m in text.matches(of: /<INVOICE DBOP="INS">(.*?)<\/INVOICE>/.dotMatchesNewlines()) {
            let inv = String(m.1)
            func field(_ name: String, in s: String) -> String? {
                s.firstMatch(of: try! Regex("<\(name)>([^<]*)</\(name)>"))?.output[1].substring.map(String.init)
            }
            var lines: [SimulatedLine] = []
            var totals: [Int: (net: Int64, tax: Int64)] = [:]
            for t in inv.matches(of: /<TRANSACTION>(.*?)<\/TRANSACTION>/.dotMatchesNewlines()) {
                let tr = String(t.1)
                #expect(field("VAT_INCLUDED", in: tr) == "1")
                let q = Int(field("QUANTITY", in: tr)!)!, rate = Int(field("VAT_RATE", in: tr)!)!
                let line = vatIncluded(unit: field("PRICE", in: tr)!, quantity: q, rate: rate)
                #expect(kurus(field("VAT_AMOUNT", in: tr)!) == line.tax && kurus(field("VAT_BASE", in: tr)!) == line.net, "\(tr)")
                lines.append(line)
                let tt = totals[rate] ?? (0, 0)
                totals[rate] = (tt.net + line.net, tt.tax + line.tax)
            }
            records.append(SimulatedRecord(invoiceNumber: field("NUMBER", in: inv)!, uuid: field("GUID", in: inv),
                                           date: field("DATE", in: inv)!, lines: lines, totals: SimulatedTotals(byRate: totals)))
        }
        return records
    }

    /// A VAT-inclusive unit price × quantity, its KDV split out at `rate`, rounded half away from zero.
    static func vatIncluded(unit: String, quantity: Int, rate: Int) -> SimulatedLine {
        let gross = roundedProduct(unit, quantity)
        let tax = (try? Money.mulDiv(gross, Int64(rate), Int64(100 + rate), rounding: .halfAwayFromZero)) ?? -1
        return SimulatedLine(quantity: quantity, gross: gross, tax: tax, net: gross - tax)
    }

    /// `price × quantity`, rounded half away from zero to the kuruş (the price may have more decimals).
    static func roundedProduct(_ price: String, _ quantity: Int) -> Int64 {
        let p = price.replacingOccurrences(of: ",", with: ".")
        let parts = p.split(separator: ".")
        let decimals = parts.count > 1 ? parts[1].count : 0
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let units = Int64(p.replacingOccurrences(of: ".", with: ""))!
        return (try? Money.mulDiv(units * Int64(quantity), 100, scale, rounding: .halfAwayFromZero)) ?? -1
    }

    /// An amount written with a comma or a dot, in kuruş.
    static func kurus(_ text: String) -> Int64 { roundedProduct(text, 1) }

    /// A `;` row with quoted cells.
    static func splitCSV(_ line: String) -> [String] {
        var cells: [String] = [], current = "", quoted = false
        var chars = Array(line), i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { current.append("\""); i += 1 } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == ";" {
                cells.append(current)
                current = ""
            } else {
                current.append(c)
            }
            i += 1
        }
        cells.append(current)
        if cells.first?.hasPrefix("\u{FEFF}") == true { cells[0].removeFirst() }
        chars = []
        return cells
    }
}

private func kurus(_ text: String) -> Int64 { ERPImportSimulation.kurus(text) }
