import Foundation
import OrderCore

extension MappingFileLoader {
    static let ruleKeys = ["from", "constant", "concat", "expr", "trim", "case", "regex", "map", "map_default",
                           "default", "required", "date", "when", "on_error", "optional", "lines", "nearest_rate", "timezone",
                           "to_timezone", "each", "empty_values"]

    /// The rules of one section; each rule is checked on its own, so every bad rule is reported.
    static func rules(_ section: YAMLNode, level: TargetField.Level, problems: inout MappingProblems) -> [FieldRule] {
        var out: [FieldRule] = []
        guard let pairs = problems.value({ () throws(MappingError) in try section.pairs() }) else { return [] }
        for (key, keyNode, value) in pairs {
            guard let target = TargetField(rawValue: key) else {
                let known = TargetField.fields(fitting: level).map(\.rawValue).joined(separator: ", ")
                problems.add(keyNode.error("unknown field '\(key)' (\(level.rawValue) fields: \(known))"))
                continue
            }
            guard target.fits(level) else {
                problems.add(keyNode.error("'\(key)' is a\(target.level == .order ? "n" : "") \(target.level.rawValue) field, "
                                           + "not a\(level == .order ? "n" : "") \(level.rawValue) field"
                                           + (level == .order || level == .line ? "; move it under '\(target.level.rawValue)'" : "")))
                continue
            }
            if let r = problems.value({ () throws(MappingError) in try rule(target, value, level: level, at: keyNode.location) }) {
                out.append(r)
            }
        }
        return out
    }

    static func rule(_ target: TargetField, _ n: YAMLNode, level: TargetField.Level, at location: SpecLocation) throws(MappingError) -> FieldRule {
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
            case "regex":
                do { _ = try LinearRegex(try v.string()) } catch { throw v.error("invalid regex: \(error)") }
                r.regex = try v.string()
            case "map":
                var m: [String: String] = [:]
                for (k, _, mv) in try v.pairs() { m[k] = try mv.string() }
                r.valueMap = m
            case "map_default": r.mapDefault = try v.string()
            case "default": r.defaultValue = try v.string()
            case "empty_values": r.emptyValues = Set(try v.strings())
            case "required": r.required = try v.bool()
            case "optional": r.optional = try v.bool()
            case "when": r.cases = try cases(v)
            case "on_error":
                guard let severity = TargetField.Severity(rawValue: try v.string()) else { throw v.error("on_error must be warn or reject") }
                r.severity = severity
            case "date":
                r.dateFormats = []
                for f in try v.list() {
                    guard let df = DateFormat(name: try f.string()) else {
                        throw f.error("unknown date format (a pattern such as dd.MM.yyyy HH:mm or MMM-dd-yy, or iso8601, "
                                      + "epoch_ms, epoch_ms_local, epoch_s, excel_serial)")
                    }
                    if case .pattern(let p) = df, let problem = DateFormat.problem(inPattern: p) {
                        throw f.error("date pattern '\(p)': \(problem)")
                    }
                    r.dateFormats.append(df)
                }
            case "timezone": r.timeZone = try timeZone(v)
            case "to_timezone": r.toTimeZone = try timeZone(v)
            case "lines":
                guard level != .line else { throw v.error("lines: combines the lines' values into a field of the record") }
                guard let a = FieldRule.LineAggregate(rawValue: try v.string()) else { throw v.error("lines must be sum, first, last or same") }
                if a == .sum && target.kind != .money { throw v.error("lines: sum adds amounts; '\(target.rawValue)' is no amount") }
                r.fromLines = a
            case "each":
                guard try v.string() == "sum" else { throw v.error("each: sum adds the amounts of every element the path matches") }
                switch (target.kind, source) {
                case (.money, .field), (.money, .expression): break
                default: throw v.error("each: sum adds up the amounts of one path (from:) or of each path of an expr: for an amount")
                }
                r.sumsEachMatch = true
            case "nearest_rate":
                guard target == .kdv_orani else { throw v.error("nearest_rate is for kdv_orani") }
                r.nearestRate = try v.bool()
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
            out.append(RuleCase(conditions: try conditions(condition), value: try then.string(), location: c.location))
        }
        return out
    }

    /// Field-kind checks that can be made before any data: date formats, status values.
    static func checkTyping(_ r: inout FieldRule, _ n: YAMLNode) throws(MappingError) {
        if r.target.kind == .date && r.dateFormats.isEmpty {
            throw n.error("'\(r.target.rawValue)' needs `date:` with its format (e.g. dd.MM.yyyy HH:mm)")
        }
        let statuses: [String]
        switch r.target.kind {
        case .status: statuses = OrderStatus.allCases.map(\.rawValue)
        case .shipmentStatus: statuses = ShipmentStatus.allCases.map(\.rawValue)
        default: return
        }
        var values = Array((r.valueMap ?? [:]).values) + [r.mapDefault, r.defaultValue].compactMap { $0 } + r.cases.map(\.value)
        if case .constant(let c) = r.value, !c.isEmpty { values.append(c) }
        if r.valueMap == nil, !r.value.fieldNames.isEmpty {
            throw n.error("'\(r.target.rawValue)' needs a `map:` from the \(r.target.kind == .status ? "platform" : "carrier")'s "
                          + "labels to normalized statuses")
        }
        for v in values where !statuses.contains(v) {
            throw n.error("'\(v)' is not a normalized \(r.target.kind == .status ? "" : "shipment ")status (\(statuses.joined(separator: ", ")))")
        }
    }
}
