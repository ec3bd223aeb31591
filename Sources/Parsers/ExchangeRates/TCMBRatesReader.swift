import CXML2
import Foundation
import OrderCore

/// Reads the Central Bank of the Republic of Türkiye's daily rates file: `Tarih_Date` (its
/// `Tarih` `28.10.2026`, `Date` `10/28/2026` and `Bulten_No` `2026/208`) holding a `Currency` per
/// currency (`CurrencyCode`, `Unit`, `ForexBuying`, `ForexSelling`, `BanknoteBuying`,
/// `BanknoteSelling`). Rates are checked as read, since they decide every seller's invoices: a
/// date that does not parse or disagrees with itself, a code that is not three letters, a rate
/// that is not a positive decimal, or a currency twice fails the file with its line.
public enum TCMBRatesReader {
    /// A daily file is about 10 KB; anything much larger is not one.
    public static let maxBytes: Int64 = 4 << 20

    /// The root element of TCMB's file.
    public static let rootElement = "Tarih_Date"

    public static func read(path: String) throws(ParseError) -> RateBulletin {
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64, size > maxBytes {
            throw ParseError(.unsupported, file: path, message: "the file has \(size) bytes: a TCMB rates file has some ten thousand")
        }
        let file = try XMLTextReaderFile(path: path, options: XMLRecordReader.options)
        let r = file.reader
        func line() -> Int { Int(xmlTextReaderGetParserLineNumber(r)) }
        func invalid(_ why: String) -> ParseError {
            ParseError(.malformed, file: path, line: line(), message: "\(why); the rates are refused")
        }
        func attribute(_ name: String) -> String? {
            xmlTextReaderGetAttribute(r, name).map { p -> String in
                defer { cxml2_free(p) }
                return String(cString: p).trimmingBlanks()
            }
        }
        var day: CalendarDay?
        var number: String?
        var rows: [RateBulletin.Row] = []
        var current: (code: String, unit: Int?, published: [RateKind: String])?
        var field: String?
        var text = ""
        let kinds = Dictionary(uniqueKeysWithValues: RateKind.allCases.map { ($0.tcmbElement, $0) })
        while true {
            let ret = xmlTextReaderRead(r)
            if ret == 0 { break }
            if ret < 0 { throw ParseError(.malformed, file: path, line: line(), message: "the rates file is not well-formed XML") }
            let name = xmlTextReaderConstLocalName(r).map { String(cString: $0) } ?? ""
            switch xmlTextReaderNodeType(r) {
            case 1:
                switch name {
                case "Tarih_Date":
                    guard let tarih = attribute("Tarih"), let d = Self.turkishDay(tarih) else {
                        throw invalid("Tarih_Date has no Tarih attribute with a date like 28.10.2026")
                    }
                    if let us = attribute("Date"), !us.isEmpty, Self.americanDay(us) != d {
                        throw invalid("its Tarih \(tarih) and its Date \(us) are not the same day")
                    }
                    day = d
                    number = attribute("Bulten_No").flatMap { $0.isEmpty ? nil : $0 }
                    if let n = number, !RateBulletin.isNumber(n, of: d) {
                        throw invalid("its Bulten_No '\(n.prefix(20))' is not a bulletin of \(d.civil.year) (2026/207)")
                    }
                case "Currency":
                    guard let code = attribute("CurrencyCode") ?? attribute("Kod"), code.utf8.count == 3,
                          code.utf8.allSatisfy({ (65...90).contains($0) }) else {
                        throw invalid("a Currency has no three-letter CurrencyCode")
                    }
                    guard !rows.contains(where: { $0.currency == code }) else { throw invalid("\(code) is listed twice") }
                    current = (code, nil, [:])
                default:
                    if current != nil, name == "Unit" || kinds[name] != nil { field = name; text = "" }
                }
            case 3, 4:
                if field != nil, let v = xmlTextReaderConstValue(r) {
                    text += String(cString: v)
                    guard text.utf8.count <= 64 else { throw invalid("a value of \(current?.code ?? "") is too long") }
                }
            case 5, 10:
                throw ParseError(.forbiddenConstruct, file: path, message: XMLRecordReader.doctypeRefusal)
            case 15:
                if name == "Currency", let c = current {
                    let unit = c.unit ?? 1
                    for (kind, value) in c.published where RateValue(published: value, unit: unit) == nil {
                        throw invalid("\(c.code) \(kind.tcmbElement) '\(value)' is not a positive rate with at most 6 decimals per unit")
                    }
                    rows.append(RateBulletin.Row(currency: c.code, unit: unit, published: c.published))
                    current = nil
                } else if name == field {
                    let value = text.trimmingBlanks()
                    if name == "Unit" {
                        guard let u = Int(value), u > 0, u <= 1_000_000 else { throw invalid("\(current?.code ?? "") Unit '\(value)' is not a count") }
                        current?.unit = u
                    } else if let kind = kinds[name], !value.isEmpty {
                        current?.published[kind] = value.replacingOccurrences(of: ",", with: ".")
                    }
                    field = nil
                }
            default: break
            }
        }
        guard let day else { throw ParseError(.malformed, file: path, message: "the file has no Tarih_Date element") }
        guard rows.contains(where: { !$0.published.isEmpty }) else {
            throw ParseError(.malformed, file: path, message: "the file of \(day) has no rate at all; the rates are refused")
        }
        return RateBulletin(day: day, number: number, rows: rows)
    }

    /// `28.10.2026`
    static func turkishDay(_ text: String) -> CalendarDay? {
        let p = text.split(separator: ".")
        guard p.count == 3, p[2].count == 4, let d = Int(p[0]), let m = Int(p[1]), let y = Int(p[2]) else { return nil }
        return CalendarDay(year: y, month: m, day: d)
    }

    /// `10/28/2026`
    static func americanDay(_ text: String) -> CalendarDay? {
        let p = text.split(separator: "/")
        guard p.count == 3, p[2].count == 4, let m = Int(p[0]), let d = Int(p[1]), let y = Int(p[2]) else { return nil }
        return CalendarDay(year: y, month: m, day: d)
    }
}
