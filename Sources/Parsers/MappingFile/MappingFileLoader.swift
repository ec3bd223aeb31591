import Foundation
import OrderCore
import Yams

/// Reads a mapping file (`mappings/*.yaml`) into a checked ``MappingSpec``. Every problem is
/// a ``MappingError`` naming the file, line and column, as an admin editing it needs.
public enum MappingFileLoader {
    static let topKeys = ["platform", "platform_type", "kind", "match", "format", "records", "order", "line",
                          "tests", "on_record_error", "reconcile_totals", "description", "sale"]
    static let ruleKeys = ["from", "constant", "concat", "expr", "trim", "case", "regex", "map", "map_default",
                           "default", "required", "date", "when", "on_error"]

    /// Parses YAML `text` read from `file` (the name shown in messages).
    public static func load(text: String, file: String) throws(MappingError) -> MappingSpec {
        guard let top = try YAMLNode.parse(text, file: file) else {
            throw MappingError("the file is empty", at: SpecLocation(file: file, line: 1, column: 1))
        }
        _ = try top.pairs(allowed: topKeys)
        func need(_ key: String) throws(MappingError) -> YAMLNode {
            guard let v = top.value(key) else { throw MappingError("missing key '\(key)'", at: top.location) }
            return v
        }
        if let kind = top.value("kind"), try kind.string() != "orders" {
            throw kind.error("kind '\(try kind.string())' is not supported yet (only 'orders')")
        }

        let formatNode = try need("format")
        _ = try formatNode.pairs(allowed: ["type", "encoding", "separator", "decimal", "header_row", "timezone", "prices"])
        guard let typeNode = formatNode.value("type") else { throw formatNode.error("missing key 'type'") }
        var kinds: [FormatSpec.Kind] = []
        for t in try typeNode.list() {
            guard let k = FormatSpec.Kind(rawValue: try t.string()) else { throw t.error("unknown format type (expected csv, xml or xlsx)") }
            kinds.append(k)
        }
        if kinds.contains(.xml) && kinds.count > 1 { throw typeNode.error("xml cannot be combined with other types") }
        let isXML = kinds == [.xml]
        var encoding = TextEncoding.auto
        if let e = formatNode.value("encoding") {
            guard let v = TextEncoding(rawValue: try e.string().lowercased()) else {
                throw e.error("unknown encoding (expected \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            encoding = v
        }
        var separator: UInt8?
        if let s = formatNode.value("separator") {
            switch try s.string() {
            case ";": separator = UInt8(ascii: ";")
            case ",": separator = UInt8(ascii: ",")
            case "tab", "\t": separator = 0x09
            case "|": separator = UInt8(ascii: "|")
            default: throw s.error("separator must be ';', ',', '|' or tab")
            }
        }
        var style = NumberStyle.dot
        if let d = formatNode.value("decimal") {
            guard let v = NumberStyle(rawValue: try d.string()) else { throw d.error("decimal must be comma or dot") }
            style = v
        }
        var zone = TimeZone(identifier: "Europe/Istanbul")!
        if let z = formatNode.value("timezone") {
            guard let v = TimeZone(identifier: try z.string()) else { throw z.error("unknown time zone") }
            zone = v
        }
        var prices = PriceBasis.vat_inclusive
        if let p = formatNode.value("prices") {
            guard let v = PriceBasis(rawValue: try p.string()) else { throw p.error("prices must be vat_inclusive or vat_exclusive") }
            prices = v
        }
        let headerRow = try formatNode.value("header_row")?.int()
        let format = FormatSpec(kinds: kinds, encoding: encoding, separator: separator, numberStyle: style, headerRow: headerRow)

        let matchNode = try need("match")
        _ = try matchNode.pairs(allowed: ["file_name", "header", "xml_root"])
        let match = MatchRule(fileNames: try matchNode.value("file_name")?.strings() ?? [],
                              headerContains: try matchNode.value("header")?.strings() ?? [],
                              xmlRoot: try matchNode.value("xml_root")?.string())
        if isXML && match.xmlRoot == nil { throw matchNode.error("an xml mapping needs match.xml_root") }
        if !isXML && match.headerContains.isEmpty {
            throw matchNode.error("a tabular mapping needs match.header (columns that identify the file)")
        }

        let recordsNode = try need("records")
        _ = try recordsNode.pairs(allowed: ["group_by", "record", "lines"])
        let records = RecordSpec(
            recordPath: try recordsNode.value("record")?.string().split(separator: "/").map(String.init) ?? [],
            linePath: try recordsNode.value("lines")?.string().split(separator: "/").map(String.init) ?? [],
            groupBy: try recordsNode.value("group_by")?.string())
        if isXML && (records.recordPath.isEmpty || records.linePath.isEmpty) {
            throw recordsNode.error("an xml mapping needs records.record and records.lines")
        }
        if !isXML && records.groupBy == nil {
            throw recordsNode.error("a tabular mapping needs records.group_by (the order number column)")
        }

        let orderRules = try rules(try need("order"), level: .order)
        let lineRules = try rules(try need("line"), level: .line)
        if isXML {
            // An order field reads outside the line element: inside it there is one value per line.
            for rule in orderRules {
                for path in rule.sourceFields {
                    let parts = path.split(separator: "/").map(String.init)
                    if parts.count >= records.linePath.count && Array(parts.prefix(records.linePath.count)) == records.linePath {
                        throw MappingError("order field '\(rule.target.rawValue)' reads '\(path)', which lies inside the line element "
                                           + "('\(records.linePath.joined(separator: "/"))'): read it as a line field", at: rule.location)
                    }
                }
            }
        }
        for (needed, rules, node) in [(TargetField.siparis_numarasi, orderRules, try need("order")),
                                      (.sku, lineRules, try need("line")), (.adet, lineRules, try need("line")),
                                      (.kdv_orani, lineRules, try need("line"))]
            where !rules.contains(where: { $0.target == needed }) {
            throw node.error("no rule for '\(needed.rawValue)'")
        }
        if !lineRules.contains(where: { $0.target == .toplam_fiyat || $0.target == .birim_fiyat }) {
            throw try need("line").error("no rule for 'toplam_fiyat' or 'birim_fiyat'")
        }

        var policy = RecordErrorPolicy.skip
        if let p = top.value("on_record_error") {
            guard let v = RecordErrorPolicy(rawValue: try p.string()) else { throw p.error("on_record_error must be skip or reject_file") }
            policy = v
        }
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var spec = MappingSpec(
            name: name, file: file, platform: try need("platform").string(),
            platformType: try top.value("platform_type")?.string() ?? "marketplace",
            match: match, format: format, records: records, orderRules: orderRules, lineRules: lineRules,
            timeZone: zone, prices: prices, reconcile: try reconciliation(top.value("reconcile_totals")),
            onRecordError: policy, tests: [])
        if let t = top.value("tests") { spec.tests = try tests(t) }
        if let sale = top.value("sale") {
            _ = try sale.pairs(allowed: ["site", "payment_intermediary"])
            let site = try sale.value("site")?.string()
            if let site, site != "seller", !(site.hasPrefix("https://") || site.hasPrefix("http://")) {
                throw sale.error("sale.site is the platform's web address (https://…), or 'seller' for the seller's own web site")
            }
            spec.sale = InvoiceBuilder.SaleChannel(site: site == "seller" ? nil : site,
                                                   paymentIntermediary: try sale.value("payment_intermediary")?.string())
        }
        do { _ = try OrderMapper(spec: spec) }
        return spec
    }

    /// Reads and loads a mapping file from disk; messages name it `displayName` (default: `path`).
    public static func load(path: String, as displayName: String? = nil, limits: Limits = Limits()) throws(MappingError) -> MappingSpec {
        let name = displayName ?? path
        guard let text = try ConfigText.read(path: path, as: name, maxBytes: limits.maxConfigBytes) else {
            throw MappingError("cannot read the file", at: SpecLocation(file: name, line: 0, column: 0))
        }
        return try load(text: text, file: name)
    }

    static func yamlError(_ e: YamlError, file: String) -> MappingError {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return MappingError("YAML syntax: \(what)", at: SpecLocation(file: file, line: mark.line, column: mark.column))
        case let .composer(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.joined(separator: " ")
            return MappingError("YAML: \(what)", at: SpecLocation(file: file, line: mark.line, column: mark.column))
        default:
            return MappingError("YAML: \(e)", at: SpecLocation(file: file, line: 1, column: 1))
        }
    }

    static func rules(_ section: YAMLNode, level: TargetField.Level) throws(MappingError) -> [FieldRule] {
        var out: [FieldRule] = []
        for (key, keyNode, value) in try section.pairs() {
            guard let target = TargetField(rawValue: key) else {
                let known = TargetField.allCases.filter { $0.level == level }.map(\.rawValue).joined(separator: ", ")
                throw keyNode.error("unknown field '\(key)' (\(level.rawValue) fields: \(known))")
            }
            guard target.level == level else {
                throw keyNode.error("'\(key)' is a\(level == .order ? " line" : "n order") field; move it under '\(target.level == .order ? "order" : "line")'")
            }
            out.append(try rule(target, value, at: keyNode.location))
        }
        return out
    }

    static func rule(_ target: TargetField, _ n: YAMLNode, at location: SpecLocation) throws(MappingError) -> FieldRule {
        // Shorthand: `siparis_numarasi: "Sipariş Numarası"` reads that column or path.
        if !n.isMapping {
            var r = FieldRule(target: target, value: .field(try n.string()), location: location)
            try checkTyping(&r, n)
            return r
        }
        let pairs = try n.pairs(allowed: ruleKeys)
        let sources = pairs.filter { ["from", "constant", "concat", "expr"].contains($0.key) }
        guard sources.count <= 1 else { throw n.error("use only one of from, constant, concat, expr") }
        var source: ValueSource = .constant("")
        if let s = sources.first {
            switch s.key {
            case "from":
                let names = try s.value.strings()
                source = names.count == 1 ? .field(names[0]) : .firstOf(names)
            case "constant": source = .constant(try s.value.string())
            case "concat":
                var parts: [ValueSource] = []
                for p in try s.value.list() {
                    if p.isMapping {
                        guard let f = p.value("from") else { throw p.error("a concat part is a text or {from: column}") }
                        parts.append(.field(try f.string()))
                    } else {
                        parts.append(.constant(try p.string()))
                    }
                }
                source = .concat(parts)
            default:
                switch Expression.parse(try s.value.string()) {
                case .success(let e): source = .expression(e)
                case .failure(let e): throw s.value.error("\(e)")
                }
            }
        } else if n.value("default") == nil && n.value("when") == nil {
            throw n.error("the rule needs from, constant, concat, expr, when or default")
        }
        var r = FieldRule(target: target, value: source, location: location)
        for (key, _, v) in pairs {
            switch key {
            case "trim": r.trim = try v.bool()
            case "case":
                guard let c = FieldRule.LetterCase(rawValue: try v.string()) else { throw v.error("case must be upper or lower") }
                r.letterCase = c
            case "regex": r.regex = try v.string()
            case "map":
                var m: [String: String] = [:]
                for (k, _, mv) in try v.pairs() { m[k] = try mv.string() }
                r.valueMap = m
            case "map_default": r.mapDefault = try v.string()
            case "default": r.defaultValue = try v.string()
            case "required": r.required = try v.bool()
            case "when": r.cases = try cases(v)
            case "on_error":
                guard let severity = TargetField.Severity(rawValue: try v.string()) else { throw v.error("on_error must be warn or reject") }
                r.severity = severity
            case "date":
                r.dateFormats = []
                for f in try v.list() {
                    guard let df = DateFormat(name: try f.string()) else {
                        throw f.error("unknown date format (a pattern such as dd.MM.yyyy HH:mm, or iso8601, epoch_ms, epoch_s, excel_serial)")
                    }
                    r.dateFormats.append(df)
                }
            default: break
            }
        }
        try checkTyping(&r, n)
        return r
    }

    /// `when: [{ if: { Cancelled at: present }, then: iptal }, { if: { Financial Status: [voided, refunded] }, then: iade }]`
    static func cases(_ n: YAMLNode) throws(MappingError) -> [RuleCase] {
        var out: [RuleCase] = []
        for c in try n.list() {
            _ = try c.pairs(allowed: ["if", "then"])
            guard let condition = c.value("if"), let then = c.value("then") else {
                throw c.error("a when case needs 'if: { column: test }' and 'then: value'")
            }
            var conditions: [RuleCase.Condition] = []
            for (field, _, test) in try condition.pairs() {
                let values = try test.strings()
                switch values {
                case ["present"]: conditions.append(.init(field: field, test: .present))
                case ["empty"]: conditions.append(.init(field: field, test: .empty))
                default: conditions.append(.init(field: field, test: .oneOf(values)))
                }
            }
            guard !conditions.isEmpty else { throw condition.error("the condition names no column") }
            out.append(RuleCase(conditions: conditions, value: try then.string(), location: c.location))
        }
        return out
    }

    /// `reconcile_totals: true | false | live_lines | all_lines` (true: live or all lines).
    static func reconciliation(_ n: YAMLNode?) throws(MappingError) -> Reconciliation {
        guard let n else { return .either }
        switch try n.string().lowercased() {
        case "true", "yes", "either": return .either
        case "false", "no": return .none
        case "live_lines": return .live_lines
        case "all_lines": return .all_lines
        default: throw n.error("reconcile_totals must be true, false, live_lines or all_lines")
        }
    }

    /// Field-kind checks that can be made before any data: date formats, status values.
    static func checkTyping(_ r: inout FieldRule, _ n: YAMLNode) throws(MappingError) {
        if r.target.kind == .date && r.dateFormats.isEmpty {
            throw n.error("'\(r.target.rawValue)' needs `date:` with its format (e.g. dd.MM.yyyy HH:mm)")
        }
        if r.target.kind == .status {
            var values = Array((r.valueMap ?? [:]).values) + [r.mapDefault, r.defaultValue].compactMap { $0 } + r.cases.map(\.value)
            if case .constant(let c) = r.value, !c.isEmpty { values.append(c) }
            if r.valueMap == nil, !r.value.fieldNames.isEmpty {
                throw n.error("'\(r.target.rawValue)' needs a `map:` from the platform's labels to normalized statuses")
            }
            for v in values where OrderStatus(rawValue: v) == nil {
                throw n.error("'\(v)' is not a normalized status (\(OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    static func tests(_ n: YAMLNode) throws(MappingError) -> [MappingTest] {
        var out: [MappingTest] = []
        for t in try n.list() {
            _ = try t.pairs(allowed: ["name", "input", "expect", "errors", "warnings"])
            guard let input = t.value("input") else { throw t.error("a test needs 'input'") }
            var orders: [ExpectedOrder] = []
            for o in try t.value("expect")?.list() ?? [] {
                var fields: [(TargetField, String, SpecLocation)] = []
                var lines: [[(TargetField, String, SpecLocation)]] = []
                for (k, kn, v) in try o.pairs() {
                    if k == "lines" {
                        for l in try v.list() {
                            var lf: [(TargetField, String, SpecLocation)] = []
                            for (lk, lkn, lv) in try l.pairs() {
                                guard let f = TargetField(rawValue: lk), f.level == .line else { throw lkn.error("unknown line field '\(lk)'") }
                                lf.append((f, try lv.string(), lkn.location))
                            }
                            lines.append(lf)
                        }
                    } else {
                        guard let f = TargetField(rawValue: k), f.level == .order else { throw kn.error("unknown order field '\(k)'") }
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
