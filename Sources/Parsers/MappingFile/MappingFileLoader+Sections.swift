import Foundation
import OrderCore

/// The `format:` section with the settings that go to the spec itself.
struct ParsedFormat {
    var spec: FormatSpec
    var timeZone: TimeZone
    var prices: PriceBasis
}

extension MappingFileLoader {
    static func format(_ n: YAMLNode) throws(MappingError) -> ParsedFormat {
        _ = try n.pairs(allowed: ["type", "encoding", "separator", "decimal", "header_row", "columns", "timezone", "prices"])
        let typeNode = try n.need("type")
        var kinds: [FormatSpec.Kind] = []
        for t in try typeNode.list() {
            guard let k = FormatSpec.Kind(rawValue: try t.string()) else {
                throw t.error("unknown format type (expected csv, xlsx, xml or json)")
            }
            kinds.append(k)
        }
        if (kinds.contains(.xml) || kinds.contains(.json)) && kinds.count > 1 {
            throw typeNode.error("xml and json cannot be combined with other types")
        }
        var encoding = TextEncoding.auto
        if let e = n.value("encoding") {
            guard let v = TextEncoding(rawValue: try e.string().lowercased()) else {
                throw e.error("unknown encoding (expected \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            encoding = v
        }
        var separator: UInt8?
        if let s = n.value("separator") {
            switch try s.string() {
            case ";": separator = UInt8(ascii: ";")
            case ",": separator = UInt8(ascii: ",")
            case "tab", "\t": separator = 0x09
            case "|": separator = UInt8(ascii: "|")
            default: throw s.error("separator must be ';', ',', '|' or tab")
            }
        }
        var style = NumberStyle.dot
        if let d = n.value("decimal") {
            guard let v = NumberStyle(rawValue: try d.string()) else { throw d.error("decimal must be comma or dot") }
            style = v
        }
        var zone = TimeZone(identifier: "Europe/Istanbul")!
        if let z = n.value("timezone") { zone = try timeZone(z) }
        var prices = PriceBasis.vat_inclusive
        if let p = n.value("prices") {
            guard let v = PriceBasis(rawValue: try p.string()) else { throw p.error("prices must be vat_inclusive or vat_exclusive") }
            prices = v
        }
        let columns = try n.value("columns")?.strings()
        if columns != nil && (kinds.contains(.xml) || kinds.contains(.json)) {
            throw n.value("columns")!.error("columns: names the columns of a file without a header (csv, xlsx)")
        }
        if let columns, columns.isEmpty || Set(columns.map(ColumnName.folded)).count != columns.count {
            throw n.value("columns")!.error("columns: needs distinct column names")
        }
        let spec = FormatSpec(kinds: kinds, encoding: encoding, separator: separator, numberStyle: style,
                              headerRow: try n.value("header_row")?.int(), columns: columns)
        return ParsedFormat(spec: spec, timeZone: zone, prices: prices)
    }

    static func timeZone(_ n: YAMLNode) throws(MappingError) -> TimeZone {
        guard let v = TimeZone(identifier: try n.string()) else { throw n.error("unknown time zone (e.g. Europe/Istanbul, UTC)") }
        return v
    }

    static func match(_ n: YAMLNode, format: ParsedFormat?) throws(MappingError) -> MatchRule {
        _ = try n.pairs(allowed: ["file_name", "header", "xml_root", "element", "cells", "absent_columns", "absent_elements"])
        var cells: [(column: String, pattern: String)] = []
        if let c = n.value("cells") {
            for (column, _, pattern) in try c.pairs() {
                do { _ = try LinearRegex(try pattern.string()) } catch { throw pattern.error("invalid pattern: \(error)") }
                cells.append((column, try pattern.string()))
            }
        }
        var match = MatchRule(fileNames: try n.value("file_name")?.strings() ?? [],
                              headerContains: try n.value("header")?.strings() ?? [],
                              xmlRoot: try n.value("xml_root")?.string(), element: try n.value("element")?.string(),
                              cellPatterns: cells)
        for key in ["absent_columns", "absent_elements"] {
            guard let v = n.value(key) else { continue }
            if format?.spec.isTree == (key == "absent_columns") {
                throw v.error(key == "absent_columns" ? "absent_columns is for csv and xlsx files; XML and JSON take absent_elements"
                                                      : "absent_elements is for XML and JSON files; csv and xlsx take absent_columns")
            }
            match.absent += try v.strings()
        }
        guard let format = format?.spec else { return match }
        if format.isXML && match.xmlRoot == nil { throw n.error("an xml mapping needs match.xml_root") }
        if format.isJSON && match.element == nil && match.fileNames.isEmpty {
            throw n.error("a json mapping needs match.element (a key near the top of the file) or match.file_name")
        }
        if let columns = format.columns {
            if match.cellPatterns.isEmpty {
                throw n.error("a file without a header is recognised by its first row: give match.cells (column: pattern)")
            }
            for (column, _) in match.cellPatterns where !columns.contains(column) {
                throw n.error("match.cells names '\(column)', which is not among format.columns")
            }
        } else if !format.isTree && match.headerContains.isEmpty {
            throw n.error("a tabular mapping needs match.header (columns that identify the file)")
        }
        return match
    }

    static func records(_ n: YAMLNode, format: ParsedFormat?, kind: MappingKind) throws(MappingError) -> RecordSpec {
        _ = try n.pairs(allowed: ["group_by", "record", "lines", "skip_rows", "line_rows", "lines_from", "repeated"])
        func path(_ key: String) throws(MappingError) -> [String] {
            guard let v = n.value(key) else { return [] }
            let text = try v.string()
            if key == "lines" && text == "." { return ["."] } // the record is its own line
            switch PathStep.parse(text) {
            case .success(let steps) where steps.allSatisfy({ $0.predicate == nil && !$0.isAttribute }): return steps.map(\.name)
            case .success: throw v.error("records.\(key) is a plain path of element names (no predicates or attributes)")
            case .failure(let e): throw v.error("\(e)")
            }
        }
        var skip: [[RuleCase.Condition]] = []
        if let s = n.value("skip_rows") {
            for group in try s.list() { skip.append(try conditions(group)) }
        }
        var cellLines: CellLines?
        if let c = n.value("lines_from") {
            _ = try c.pairs(allowed: ["column", "items", "fields", "key_value"])
            cellLines = CellLines(column: try c.need("column").string(), itemSeparator: try c.value("items")?.string() ?? ";",
                                  fieldSeparator: try c.value("fields")?.string() ?? "|",
                                  keyValueSeparator: try c.value("key_value")?.string() ?? ":")
            if Set([cellLines!.itemSeparator, cellLines!.fieldSeparator, cellLines!.keyValueSeparator]).count < 3
                || [cellLines!.itemSeparator, cellLines!.fieldSeparator, cellLines!.keyValueSeparator].contains("") {
                throw c.error("lines_from needs three different, non-empty separators (items, fields, key_value)")
            }
        }
        let parsed = RecordSpec(recordPath: try path("record"), linePath: try path("lines"),
                                 groupBy: try n.value("group_by")?.string(), skipRows: skip,
                                 lineRows: try n.value("line_rows").map(conditions) ?? [], linesFrom: cellLines)
        var spec = parsed
        if let r = n.value("repeated") {
            switch try r.string() {
            case "merge": spec.mergesRepeated = true
            case "reject": break
            default: throw r.error("repeated must be merge (parts of one order add up) or reject (the default)")
            }
        }
        let records = spec
        guard let format = format?.spec else { return records }
        if format.isTree {
            if records.recordPath.isEmpty { throw n.error("an \(format.isXML ? "xml" : "json") mapping needs records.record") }
            if kind == .orders && records.linePath.isEmpty { throw n.error("an order mapping needs records.lines (the line element)") }
            if records.groupBy != nil || !records.skipRows.isEmpty || !records.lineRows.isEmpty || records.linesFrom != nil {
                throw n.error("group_by, skip_rows, line_rows and lines_from are for tabular files")
            }
        } else {
            if kind == .orders && records.groupBy == nil {
                throw n.error("a tabular order mapping needs records.group_by (the order number column)")
            }
            if !records.recordPath.isEmpty || !records.linePath.isEmpty {
                throw n.error("records.record and records.lines are for xml and json files")
            }
        }
        return records
    }

    /// `{ column: present | empty | [values] | /pattern/ }`: every condition must hold.
    static func conditions(_ n: YAMLNode) throws(MappingError) -> [RuleCase.Condition] {
        var out: [RuleCase.Condition] = []
        for (field, _, test) in try n.pairs() {
            let values = try test.strings()
            switch values {
            case ["present"]: out.append(.init(field: field, test: .present))
            case ["empty"]: out.append(.init(field: field, test: .empty))
            case let v where v.count == 1 && v[0].count >= 2 && v[0].hasPrefix("/") && v[0].hasSuffix("/"):
                let pattern = String(v[0].dropFirst().dropLast())
                do { _ = try LinearRegex(pattern) } catch { throw test.error("invalid pattern: \(error)") }
                out.append(.init(field: field, test: .matches(pattern)))
            default: out.append(.init(field: field, test: .oneOf(values)))
            }
        }
        guard !out.isEmpty else { throw n.error("the condition names no column") }
        return out
    }

    /// `fee_lines: [{ key: cod, sku: KAPIDA-ODEME, name: Kapıda ödeme bedeli, amount: fee_total, kdv_orani: "20" }]`;
    /// `each: fee_lines` makes a line of every element at that path (`name: { from: name }`).
    static func feeLines(_ n: YAMLNode, format: FormatSpec?) throws(MappingError) -> [FeeLine] {
        var out: [FeeLine] = []
        for f in try n.list() {
            _ = try f.pairs(allowed: ["key", "sku", "name", "amount", "kdv_orani", "each"])
            let element = try f.value("each").map { e throws(MappingError) -> String in
                guard format?.isTree ?? true else { throw e.error("each: reads repeated elements of XML and JSON files") }
                let path = try e.string()
                if case .failure(let problem) = PathStep.parse(path) { throw e.error("\(problem)") }
                return path
            }
            /// A value written as is (`"20"`, `Kargo bedeli`) is that value, a rule reads it from the file;
            /// but a plain amount names its column (`amount: fee_total`).
            func part(_ key: String, _ target: TargetField) throws(MappingError) -> FieldRule {
                let v = try f.need(key)
                guard v.isMapping || target == .toplam_fiyat else {
                    return FieldRule(target: target, value: .constant(try v.string()), location: v.location)
                }
                return try rule(target, v, level: .order, at: v.location)
            }
            var fee = FeeLine(key: try part("key", .satir_anahtari), sku: try part("sku", .sku), name: try part("name", .urun_adi),
                              amount: try part("amount", .toplam_fiyat), vatRate: try part("kdv_orani", .kdv_orani))
            if let element {
                fee.element = element
                for (i, r) in fee.rules.enumerated() {
                    let moved = r.renamingFields { element + "/" + $0 }
                    switch i {
                    case 0: fee.key = moved
                    case 1: fee.sku = moved
                    case 2: fee.name = moved
                    case 3: fee.amount = moved
                    default: fee.vatRate = moved
                    }
                }
            }
            out.append(fee)
        }
        return out
    }

    static func tests(_ n: YAMLNode, kind: MappingKind) throws(MappingError) -> [MappingTest] {
        var out: [MappingTest] = []
        for t in try n.list() {
            _ = try t.pairs(allowed: ["name", "input", "expect", "errors", "warnings"])
            let input = try t.need("input")
            var orders: [ExpectedOrder] = []
            for o in try t.value("expect")?.list() ?? [] {
                var fields: [(TargetField, String, SpecLocation)] = []
                var lines: [[(TargetField, String, SpecLocation)]] = []
                for (k, kn, v) in try o.pairs() {
                    if k == "lines" && kind == .orders {
                        for l in try v.list() {
                            var lf: [(TargetField, String, SpecLocation)] = []
                            for (lk, lkn, lv) in try l.pairs() {
                                guard let f = TargetField(rawValue: lk), f.fits(.line) else { throw lkn.error("unknown line field '\(lk)'") }
                                lf.append((f, try lv.string(), lkn.location))
                            }
                            lines.append(lf)
                        }
                    } else {
                        guard let f = TargetField(rawValue: k), f.fits(kind.recordLevel) else {
                            throw kn.error("unknown \(kind.recordLevel.rawValue) field '\(k)'")
                        }
                        fields.append((f, try v.string(), kn.location))
                    }
                }
                orders.append(ExpectedOrder(fields: fields, lines: lines, location: o.location))
            }
            out.append(MappingTest(name: try t.value("name")?.string() ?? "test at line \(t.location.line)",
                                   input: try input.string(), expectedOrders: orders,
                                   expectedErrors: try t.value("errors")?.strings() ?? [],
                                   expectedWarnings: try t.value("warnings")?.strings() ?? [], location: t.location))
        }
        return out
    }
}
