import Foundation
import OrderCore
import Yams

/// Reads a mapping file (`mappings/*.yaml`) into a checked ``MappingSpec``. Every problem is
/// a ``MappingError`` naming the file, line and column, as an admin editing it needs; a file
/// with several problems reports them all at once (the first error, the rest in ``MappingError/more``).
public enum MappingFileLoader {
    static let topKeys = ["platform", "platform_type", "kind", "match", "format", "records", "order", "line", "shipment",
                          "invoice", "rate", "product", "fee_lines", "tests", "on_record_error", "reconcile_totals", "description", "sale",
                          "priority"]

    /// Parses YAML `text` read from `file` (the name shown in messages).
    public static func load(text: String, file: String) throws(MappingError) -> MappingSpec {
        guard let top = try YAMLNode.parse(text, file: file) else {
            throw MappingError("the file is empty", at: SpecLocation(file: file, line: 1, column: 1))
        }
        var problems = MappingProblems()
        _ = try top.pairs()
        problems.check { () throws(MappingError) in _ = try top.pairs(allowed: topKeys) }
        var kind = MappingKind.orders
        if let k = top.value("kind") {
            problems.check { () throws(MappingError) in
                guard let v = MappingKind(rawValue: try k.string()) else {
                    throw k.error("unknown kind (expected \(MappingKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                kind = v
            }
        }
        let format = problems.value { () throws(MappingError) in try self.format(try top.need("format")) }
        let match = problems.value { () throws(MappingError) in try self.match(try top.need("match"), format: format) }
        // Shipments and invoices read row by row need no records section.
        let recordsNode = top.value("records") ?? (kind == .orders ? nil : YAMLNode.emptyMapping(file: file))
        let records = problems.value { () throws(MappingError) in
            guard let recordsNode else { throw top.error("missing key 'records'") }
            return try self.records(recordsNode, format: format, kind: kind)
        }

        // The record's rules, and each line's for orders; every rule is checked on its own.
        var orderRules: [FieldRule] = [], lineRules: [FieldRule] = []
        let sections = kind == .orders ? ["order", "line"] : [kind.recordLevel.rawValue]
        for key in ["order", "line", "shipment", "invoice", "rate", "product"] where !sections.contains(key) {
            if let n = top.value(key) {
                problems.add(n.error("a '\(kind.rawValue)' mapping has no '\(key)' section (it has \(sections.joined(separator: " and ")))"))
            }
        }
        if let n = problems.value({ () throws(MappingError) in try top.need(sections[0]) }) {
            orderRules = rules(n, level: kind.recordLevel, problems: &problems)
        }
        // An export without items (an order grid) has no line rules; its lines come from fee_lines.
        if kind == .orders, top.value("line") != nil || top.value("fee_lines") == nil,
           let n = problems.value({ () throws(MappingError) in try top.need("line") }) {
            lineRules = rules(n, level: .line, problems: &problems)
        }
        checkRequired(top, kind: kind, orderRules: orderRules, lineRules: lineRules, problems: &problems)
        if format?.spec.isTree == true {
            // A path names one place: wildcards, any depth, parents and unknown predicates are refused here.
            for rule in orderRules + lineRules {
                for path in rule.sourceFields {
                    if case .failure(let e) = PathStep.parse(path) { problems.add(MappingError("'\(path)': \(e)", at: rule.location)) }
                }
            }
        }
        if let records, format?.spec.isTree == true, !records.linePath.isEmpty {
            // An order field reads outside the line element: inside it there is one value per line.
            for rule in orderRules where rule.fromLines == nil {
                for path in rule.sourceFields {
                    let parts = PathStep.names(path)
                    if parts.count >= records.linePath.count && Array(parts.prefix(records.linePath.count)) == records.linePath {
                        problems.add(MappingError("order field '\(rule.target.rawValue)' reads '\(path)', which lies inside the line "
                                                  + "element ('\(records.linePath.joined(separator: "/"))'): read it as a line field, "
                                                  + "or combine the lines' values with `lines: sum` (or first, same)", at: rule.location))
                    }
                }
            }
        }

        var policy = RecordErrorPolicy.skip
        if let p = top.value("on_record_error") {
            problems.check { () throws(MappingError) in
                guard let v = RecordErrorPolicy(rawValue: try p.string()) else { throw p.error("on_record_error must be skip or reject_file") }
                policy = v
            }
        }
        let reconcile = problems.value { () throws(MappingError) in try reconciliation(top.value("reconcile_totals")) } ?? .either
        let platform = problems.value { () throws(MappingError) in try top.need("platform").string() }
        let platformType = problems.value { () throws(MappingError) in try top.value("platform_type")?.string() } ?? nil
        let tests = problems.value { () throws(MappingError) in try top.value("tests").map { t throws(MappingError) in try self.tests(t, kind: kind) } }
        let sale = problems.value { () throws(MappingError) in try top.value("sale").map(self.sale) } ?? nil
        let fees = problems.value { () throws(MappingError) in try top.value("fee_lines").map { n throws(MappingError) in try feeLines(n, format: format?.spec) } } ?? nil
        if fees != nil && kind != .orders { problems.add(top.value("fee_lines")!.error("fee_lines are lines of orders")) }

        guard let format, let match, let records, let platform else {
            throw problems.error ?? MappingError("the mapping is incomplete", at: top.location)
        }
        try problems.throwIfAny()
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var spec = MappingSpec(
            name: name, file: file, platform: platform, platformType: platformType ?? "marketplace",
            match: match, format: format.spec, records: records, orderRules: orderRules, lineRules: lineRules,
            timeZone: format.timeZone, prices: format.prices, reconcile: reconcile, onRecordError: policy,
            tests: (tests ?? nil) ?? [])
        spec.kind = kind
        spec.sale = sale
        spec.feeLines = (fees ?? nil) ?? []
        if let p = top.value("priority") {
            guard let n = Int(try p.string()), (-100...100).contains(n) else { throw p.error("priority is a whole number from -100 to 100") }
            spec.priority = n
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

    /// The fields each record (and line) must have a rule for.
    static func checkRequired(_ top: YAMLNode, kind: MappingKind, orderRules: [FieldRule], lineRules: [FieldRule],
                              problems: inout MappingProblems) {
        let section = top.value(kind == .orders ? "order" : kind.recordLevel.rawValue) ?? top
        for group in kind.requiredFields where !orderRules.contains(where: { group.contains($0.target) }) {
            problems.add(section.error("no rule for '\(group.map(\.rawValue).joined(separator: "' or '"))'"))
        }
        guard kind == .orders, let line = top.value("line") else { return }
        for needed in [TargetField.sku, .adet, .kdv_orani] where !lineRules.contains(where: { $0.target == needed }) {
            problems.add(line.error("no rule for '\(needed.rawValue)'"))
        }
        if !lineRules.contains(where: { $0.target == .toplam_fiyat || $0.target == .birim_fiyat }) {
            problems.add(line.error("no rule for 'toplam_fiyat' or 'birim_fiyat'"))
        }
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

    /// `sale: { site: https://…, payment_intermediary: … }`.
    static func sale(_ n: YAMLNode) throws(MappingError) -> InvoiceBuilder.SaleChannel {
        _ = try n.pairs(allowed: ["site", "payment_intermediary"])
        let site = try n.value("site")?.string()
        if let site, site != "seller", !(site.hasPrefix("https://") || site.hasPrefix("http://")) {
            throw n.error("sale.site is the platform's web address (https://…), or 'seller' for the seller's own web site")
        }
        return InvoiceBuilder.SaleChannel(site: site == "seller" ? nil : site,
                                          paymentIntermediary: try n.value("payment_intermediary")?.string())
    }
}

/// The problems found in one mapping file, collected so `check` can report them all at once.
struct MappingProblems {
    private(set) var all: [MappingError] = []

    mutating func add(_ e: MappingError) { all.append(e) }

    /// Runs `body`, keeping its error.
    mutating func check(_ body: () throws(MappingError) -> Void) {
        do { try body() } catch { all.append(error) }
    }

    /// `body`'s value, or `nil` with its error kept.
    mutating func value<T>(_ body: () throws(MappingError) -> T) -> T? {
        do { return try body() } catch { all.append(error); return nil }
    }

    /// The first problem, carrying the others.
    var error: MappingError? {
        guard var first = all.first else { return nil }
        first.more = Array(all.dropFirst())
        return first
    }

    func throwIfAny() throws(MappingError) {
        if let error { throw error }
    }
}

extension YAMLNode {
    /// The value of a key the section must have.
    func need(_ key: String) throws(MappingError) -> YAMLNode {
        guard let v = value(key) else { throw error("missing key '\(key)'") }
        return v
    }
}
