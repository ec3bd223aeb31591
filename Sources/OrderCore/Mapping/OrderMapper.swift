import Foundation

/// Turns ``SourceRecord``s into ``NormalizedOrder``s by a ``MappingSpec``: the mapping engine.
///
/// Built once per mapping (regexes compiled, value maps folded, source fields given slots);
/// ``map(_:)`` is then a pure function of one record.
public struct OrderMapper: Sendable {
    public let spec: MappingSpec
    public let limits: Limits
    /// The source fields the parsers must deliver, in slot order.
    public private(set) var layout: SourceLayout
    let orderRules: CompiledRules
    /// Order rules that combine a value of every line (`lines: sum | first | same`), in line slots.
    let lineAggregates: CompiledRules
    let lineRules: CompiledRules
    /// How many rules fill ``FieldValues`` entries of an order and of a line (non-core targets):
    /// their room is reserved at once, not grown entry by entry.
    let orderValueRules: Int, lineValueRules: Int
    /// Charges invoiced as lines of their own, with their rules (order slots).
    let feeLines: [CompiledFee]
    /// A source field a value needs must be there (``FormatSpec/isTree``): known once, where the
    /// spec compared its list of formats with a literal for every rule of every record.
    let checksPresence: Bool

    /// A fee line's rules, compiled; for a fee per element, the slots its elements' values share.
    struct CompiledFee {
        let fee: FeeLine
        let key, sku, name, amount, vatRate: CompiledRule
        /// `each:` fees: every slot the rules read (each holds one value per element).
        let elementSlots: [Int]
    }

    public init(spec: MappingSpec, limits: Limits = Limits()) throws(MappingError) {
        self.spec = spec
        self.limits = limits
        var orderFields: [String] = []
        var lineFields: [String] = []
        func slots(_ names: [String], in list: inout [String]) -> [String: Int] {
            var r: [String: Int] = [:]
            for n in names {
                if let i = list.firstIndex(of: n) { r[n] = i } else { r[n] = list.count; list.append(n) }
            }
            return r
        }
        var compiledOrder: [CompiledRule] = [], aggregates: [CompiledRule] = []
        for rule in spec.orderRules {
            if rule.fromLines != nil {
                aggregates.append(try CompiledRule(rule, slots: slots(rule.sourceFields, in: &lineFields), limits: limits))
            } else {
                compiledOrder.append(try CompiledRule(rule, slots: slots(rule.sourceFields, in: &orderFields), limits: limits))
            }
        }
        var compiledLines: [CompiledRule] = []
        for rule in spec.lineRules {
            compiledLines.append(try CompiledRule(rule, slots: slots(rule.sourceFields, in: &lineFields), limits: limits))
        }
        var fees: [CompiledFee] = []
        for fee in spec.feeLines {
            func compiled(_ r: FieldRule) throws(MappingError) -> CompiledRule {
                try CompiledRule(r, slots: slots(r.sourceFields, in: &orderFields), limits: limits)
            }
            let (key, sku, name) = (try compiled(fee.key), try compiled(fee.sku), try compiled(fee.name))
            let (amount, vatRate) = (try compiled(fee.amount), try compiled(fee.vatRate))
            let read = Set(fee.rules.flatMap(\.sourceFields).compactMap { orderFields.firstIndex(of: $0) })
            fees.append(CompiledFee(fee: fee, key: key, sku: sku, name: name, amount: amount, vatRate: vatRate,
                                    elementSlots: fee.element == nil ? [] : read.sorted()))
        }
        feeLines = fees
        checksPresence = spec.format.isTree
        orderRules = CompiledRules(compiledOrder)
        lineAggregates = CompiledRules(aggregates)
        lineRules = CompiledRules(compiledLines)
        orderValueRules = (compiledOrder + aggregates).filter { !$0.rule.target.isCore }.count
        lineValueRules = compiledLines.filter { !$0.rule.target.isCore }.count
        layout = SourceLayout(orderFields: orderFields, lineFields: lineFields, groupBy: spec.records.groupBy,
                              // A fee per element reads elements an order may have none of.
                              required: (spec.orderRules.filter { $0.fromLines == nil }
                                         + spec.feeLines.filter { $0.element == nil }.flatMap(\.rules)).flatMap(\.requiredFields),
                              requiredLine: (spec.orderRules.filter { $0.fromLines != nil } + spec.lineRules).flatMap(\.requiredFields))
        for rule in spec.orderRules + spec.lineRules + spec.feeLines.flatMap(\.rules) {
            for field in rule.sourceFields where layout.readers[field] == nil { layout.readers[field] = rule.location }
        }
        layout.repeatable = Set((spec.orderRules + spec.lineRules).filter(\.sumsEachMatch).flatMap(\.sourceFields)
                                + spec.feeLines.filter { $0.element != nil }.flatMap(\.rules).flatMap(\.sourceFields))
    }

    /// An order that landed, with the fields that were stored empty because their value was bad.
    public struct Mapped: Sendable {
        public var order: NormalizedOrder
        public var warnings: [RecordError]
    }

    /// Maps one record. A bad key, amount, date or status rejects the whole order, with every
    /// problem listed; a bad descriptive field (`on_error: warn`) is left empty with a warning.
    public func map(_ record: SourceRecord) -> Result<Mapped, RecordErrors> {
        var errors: [RecordError] = []
        var warnings: [RecordError] = []
        var order = NormalizedOrder(orderNumber: "", position: record.position)
        order.values.reserveCapacity(orderValueRules)
        var orderDiscount = Money.zero
        var totalGiven: Money?
        var orderStatus: OrderStatus?

        // Assigned through a static function, not a local one: a local function capturing these
        // variables made every access to them a dynamic exclusivity check (two runtime calls).
        orderRules.forEach { rule in
            if let value = evaluate(rule, record.orderValues, at: record.position, errors: &errors, warnings: &warnings) {
                Self.assign(rule.rule.target, value, &order, &orderStatus, &totalGiven, &orderDiscount)
            }
        }
        lineAggregates.forEach { rule in
            if let value = combine(rule, record.lines, errors: &errors, warnings: &warnings) {
                Self.assign(rule.rule.target, value, &order, &orderStatus, &totalGiven, &orderDiscount)
            }
        }
        if !record.disagreements.isEmpty { judge(record.disagreements, errors: &errors, warnings: &warnings) }
        if order.orderNumber.isEmpty && !errors.contains(where: { $0.field == .siparis_numarasi }) {
            errors.append(RecordError(position: record.position, field: .siparis_numarasi,
                                      reason: "the order number is missing"))
        }
        let orderNumber = order.orderNumber.isEmpty ? nil : order.orderNumber
        if record.lines.isEmpty && (feeLines.isEmpty || !lineRules.isEmpty) {
            // Fee lines alone are an order only for an export without items (an order grid).
            let place = spec.format.isTree && !spec.records.recordIsLine
                ? " (no element matched the lines path \"\(spec.records.linePath.joined(separator: "/"))\")" : ""
            errors.append(RecordError(position: record.position, orderNumber: orderNumber,
                                      reason: "the order has no lines" + place))
        }
        if record.lines.count > limits.maxLinesPerOrder {
            return .failure(RecordErrors(errors: [RecordError(
                position: record.position, orderNumber: orderNumber,
                reason: "the order has \(record.lines.count) lines, more than the \(limits.maxLinesPerOrder) accepted "
                    + "(limits.max_lines_per_order in pra.yaml)")]))
        }

        var linesHaveStatus = false
        order.lines.reserveCapacity(record.lines.count + feeLines.count)
        // A mapping without line rules (an order grid export) makes its lines from fee_lines alone.
        for (index, sourceLine) in (lineRules.isEmpty ? [] : record.lines).enumerated() {
            switch mapLine(sourceLine, ordinal: index + 1, orderStatus: orderStatus, warnings: &warnings) {
            case .success(let (line, ownStatus)):
                order.lines.append(line)
                linesHaveStatus = linesHaveStatus || ownStatus
            case .failure(let e): errors.append(contentsOf: e.errors)
            }
        }
        for i in Self.repeatedKeys(order.lines) {
            let line = order.lines[i]
            errors.append(RecordError(position: line.position, field: .satir_anahtari,
                                      reason: "line key '\(line.key)' appears twice in this order; "
                                        + "the mapping's satir_anahtari must tell lines apart"))
        }
        order.status = Self.orderStatus(given: orderStatus, lines: order.lines, linesHaveStatus: linesHaveStatus)
        // Charges invoiced as lines of their own, in the state of the order they belong to.
        for fee in feeLines {
            for (i, values) in elementValues(fee, record, errors: &errors).enumerated() {
                if let line = feeLine(fee, values, ordinal: fee.elementSlots.isEmpty ? nil : i + 1, status: order.status,
                                      at: record.position, errors: &errors, warnings: &warnings) {
                    order.lines.append(line)
                }
            }
        }
        // An 11-digit "tax number" is a sole trader's or consumer's TCKN: it is one, not a VKN.
        if let number = order[.vergi_numarasi], number.count == 11 {
            order[.vergi_numarasi] = nil
            if order[.tc_kimlik_no] == nil { order[.tc_kimlik_no] = number }
        }

        if errors.isEmpty {
            if let problem = reconcile(&order, totalGiven: totalGiven, orderDiscount: orderDiscount) {
                errors.append(RecordError(position: record.position, field: .toplam_tutar, reason: problem))
            }
        }
        func numbered(_ list: [RecordError]) -> [RecordError] {
            list.map { var e = $0; e.orderNumber = e.orderNumber ?? orderNumber; return e }
        }
        guard errors.isEmpty else { return .failure(RecordErrors(errors: numbered(errors))) }
        return .success(Mapped(order: exchange(&order, with: .empty), warnings: numbered(warnings)))
    }

    /// Sets an order rule's `value`: the fields the order holds apart (its number, status,
    /// currency, total, shipping and discount), else one of its values. Moved in: a text is kept
    /// unretained.
    private static func assign(_ target: TargetField, _ value: consuming TypedValue, _ order: inout NormalizedOrder,
                               _ orderStatus: inout OrderStatus?, _ totalGiven: inout Money?, _ orderDiscount: inout Money) {
        switch (target, consume value) {
        case (.siparis_numarasi, .text(let v)): order.orderNumber = v
        case (.durum, .status(let v)): orderStatus = v
        case (.para_birimi, .text(let v)): order.currency = v
        case (.toplam_tutar, .money(let v)): totalGiven = v
        case (.kargo_ucreti, .money(let v)): order.shipping = v
        case (.platform_indirimi, .money(let v)): orderDiscount = v
        case (let field, let v): order.values[field] = v.intoFieldValue()
        }
    }

    /// The order values a fee line is read from: the record's; for a fee per element, one copy
    /// per element with its values in the fee's slots. Elements whose fields do not line up
    /// (one lacks a value another has) are an error: values of two elements are never paired.
    func elementValues(_ fee: CompiledFee, _ record: SourceRecord, errors: inout [RecordError]) -> [SourceValues] {
        guard !fee.elementSlots.isEmpty else { return [record.orderValues] }
        let parts = fee.elementSlots.map { slot in
            record.orderValues[slot].map { $0.split(separator: SourceLayout.valueSeparator, omittingEmptySubsequences: false).map(String.init) }
        }
        let counts = Set(parts.compactMap { $0?.count })
        guard counts.count <= 1 else {
            errors.append(RecordError(position: record.position, rule: fee.amount.rule.location,
                                      reason: "the \"\(fee.fee.element ?? "")\" elements do not each have every field the fee line reads "
                                        + "(\(counts.sorted().map(String.init).joined(separator: " and ")) values): fill them, or mark the "
                                        + "element's field rules optional"))
            return []
        }
        return (0..<(counts.first ?? 0)).map { i in
            var values = record.orderValues
            for (slot, list) in zip(fee.elementSlots, parts) { values[slot] = list?[i] }
            return values
        }
    }

    /// One fee line from `values` (of the `ordinal`-th element, for a fee per element), or `nil`
    /// when its amount is zero or a value is bad (in `errors`).
    func feeLine(_ fee: CompiledFee, _ values: SourceValues, ordinal: Int?, status: OrderStatus, at position: SourcePosition,
                 errors: inout [RecordError], warnings: inout [RecordError]) -> OrderLine? {
        guard case .money(let amount)? = evaluate(fee.amount, values, at: position, errors: &errors, warnings: &warnings),
              amount != .zero,
              case .integer(let rate)? = evaluate(fee.vatRate, values, at: position, errors: &errors, warnings: &warnings) else {
            return nil
        }
        func text(_ rule: CompiledRule) -> String? {
            guard case .text(let t)? = evaluate(rule, values, at: position, errors: &errors, warnings: &warnings) else { return nil }
            return t
        }
        let name = text(fee.name)
        guard var key = text(fee.key), let sku = text(fee.sku) else {
            errors.append(RecordError(position: position, field: .satir_anahtari, rule: fee.key.rule.location,
                                      reason: "the fee line has no key or no SKU"))
            return nil
        }
        if let ordinal, case .constant = fee.fee.key.value { key += "-\(ordinal)" }
        do {
            let total = spec.prices == .vat_exclusive ? try amount.scaled(by: Int64(100 + rate), over: 100) : amount
            var line = OrderLine(key: key, sku: sku, quantity: 1, unitPrice: total, lineTotal: total, vatRate: rate, status: status,
                                 position: position)
            line.values[text: .urun_adi] = name
            return line
        } catch {
            errors.append(RecordError(position: position, field: .toplam_fiyat, rule: fee.amount.rule.location,
                                      reason: "the \(name ?? "fee") is too large to compute with"))
            return nil
        }
    }

    /// Rows of one order that disagree on a column read for the order: the first row's value was
    /// read. For an amount (the order total, shipping, a discount, a fee) that is an error naming
    /// both rows; for anything else a warning.
    func judge(_ disagreements: [RowDisagreement], errors: inout [RecordError], warnings: inout [RecordError]) {
        let rules = orderRules.all.map(\.rule) + feeLines.flatMap { $0.fee.rules }
        for d in disagreements {
            let name = layout.orderFields[d.slot]
            for rule in rules where rule.sourceFields.contains(name) {
                let isAmount = rule.target.kind == .money
                let problem = RecordError(
                    position: SourcePosition(record: 0, line: d.other.line), field: rule.target, sourceField: name, rule: rule.location,
                    reason: "the order's rows disagree: '\(d.first.value)' on line \(d.first.line), '\(d.other.value)' on line "
                        + "\(d.other.line); an order has one \(rule.target.rawValue)"
                        + (isAmount ? "" : " (the first row's is kept)"),
                    severity: isAmount ? .reject : .warn)
                if isAmount { errors.append(problem) } else if !warnings.contains(where: { $0.field == rule.target }) { warnings.append(problem) }
            }
        }
    }

    /// A rule's value; a failure goes to `errors`, or to `warnings` when the rule only warns.
    func evaluate(_ rule: CompiledRule, _ values: SourceValues, at position: SourcePosition,
                          errors: inout [RecordError], warnings: inout [RecordError]) -> TypedValue? {
        do {
            return try rule.typedValue(values, numberStyle: spec.format.numberStyle, zone: spec.timeZone, checksPresence: checksPresence)
        } catch {
            if rule.rule.severity == .warn {
                warnings.append(error.at(position, severity: .warn))
            } else {
                errors.append(error.at(position))
            }
            return nil
        }
    }

    /// An order rule's value over the lines (`lines: sum | first | same`), folded as each line's
    /// value is read (every line is evaluated: each bad value is reported).
    func combine(_ rule: CompiledRule, _ lines: [SourceLine], errors: inout [RecordError],
                         warnings: inout [RecordError]) -> TypedValue? {
        var first: TypedValue?, last: TypedValue?
        var total: Money? = .zero
        var disagreement: (value: TypedValue, at: SourcePosition)?
        for line in lines {
            guard let v = evaluate(rule, line.values, at: line.position, errors: &errors, warnings: &warnings) else { continue }
            switch rule.rule.fromLines {
            case .sum?:
                if case .money(let m) = v, let sum = total { total = try? sum + m }
            case .same?:
                if let first, disagreement == nil, v.fieldValue != first.fieldValue { disagreement = (v, line.position) }
            case .last?, .first?, nil:
                break
            }
            if first == nil { first = v }
            last = v
        }
        guard let first else { return nil }
        switch rule.rule.fromLines {
        case .sum?:
            guard let total else {
                errors.append(RecordError(position: lines[0].position, field: rule.rule.target, sourceField: rule.sourceName,
                                          rule: rule.rule.location, reason: "the lines' amounts add up to more than can be computed with"))
                return nil
            }
            return .money(total)
        case .same?:
            if let (other, at) = disagreement {
                errors.append(RecordError(position: at, field: rule.rule.target, sourceField: rule.sourceName, rule: rule.rule.location,
                                          reason: "the lines disagree ('\(first.fieldValue.rendered)' and '\(other.fieldValue.rendered)'); "
                                            + "the order has one \(rule.rule.target.rawValue)"))
                return nil
            }
            return first
        case .last?:
            return last
        case .first?, nil:
            return first
        }
    }

    /// The positions of lines whose key an earlier line has: a few lines compared directly (no
    /// set built per order), many through a set (linear time however many lines).
    static func repeatedKeys(_ lines: [OrderLine]) -> [Int] {
        if lines.count <= 16 { return lines.indices.filter { i in lines[..<i].contains { $0.key == lines[i].key } } }
        var seen = Set<String>()
        return lines.indices.filter { !seen.insert(lines[$0].key).inserted }
    }

    /// The order's status: wholly cancelled or returned when every line is; else the mapped
    /// order status, moved on to where its live lines have all got (when lines have statuses).
    static func orderStatus(given: OrderStatus?, lines: [OrderLine], linesHaveStatus: Bool) -> OrderStatus {
        if let given, given.isVoid { return given }
        guard linesHaveStatus || lines.allSatisfy(\.status.isVoid), let fromLines = OrderStatus.following(lines.map(\.status))
        else { return given ?? .yeni }
        guard let given, !fromLines.isVoid else { return fromLines }
        return fromLines.progress > given.progress ? fromLines : given
    }

    /// Sets the order's total and platform discount; a stated total must equal its lines (the
    /// live ones, or all of them where the platform keeps cancelled lines in its total).
    private func reconcile(_ order: inout NormalizedOrder, totalGiven: Money?, orderDiscount: Money) -> String? {
        let expectedLive: Money, expectedAll: Money, live: Money, all: Money
        do {
            /// The lines' totals and platform discounts; `billable`: only the lines that count.
            func sum(billable: Bool) throws(AmountOverflow) -> (total: Money, discount: Money) {
                var total = Money.zero, discount = Money.zero
                for line in order.lines where !billable || !line.status.isVoid {
                    total = try total + line.lineTotal
                    discount = try discount + line.platformDiscount
                }
                return (total, discount)
            }
            let l = try sum(billable: true), a = try sum(billable: false)
            order.platformDiscount = try orderDiscount + l.discount
            expectedLive = try l.total + order.shipping - order.platformDiscount
            expectedAll = try a.total + order.shipping - orderDiscount - a.discount
            (live, all) = (l.total, a.total)
        } catch {
            return "the order's lines add up to more than can be computed with: \(error)"
        }
        guard let totalGiven else {
            order.total = expectedLive
            return nil
        }
        order.total = totalGiven
        let reconciles: Bool
        switch spec.reconcile {
        case .none: return nil
        case .live_lines: reconciles = totalGiven == expectedLive
        case .all_lines: reconciles = totalGiven == expectedAll
        case .either: reconciles = totalGiven == expectedLive || totalGiven == expectedAll
        }
        guard !reconciles else { return nil }
        let cancelled = order.lines.count - order.billableLines.count
        var reason = "the order total \(totalGiven.turkishDescription) does not reconcile: "
        if spec.reconcile != .all_lines {
            let difference = (try? totalGiven - expectedLive).map(\.turkishDescription) ?? "too large"
            reason += "live lines \(live.turkishDescription) + shipping \(order.shipping.turkishDescription) − "
                + "platform discounts \(order.platformDiscount.turkishDescription) = \(expectedLive.turkishDescription)"
                + " (difference \(difference))"
        }
        if spec.reconcile == .all_lines || (spec.reconcile == .either && cancelled > 0) {
            reason += (spec.reconcile == .all_lines ? "" : "; with its \(cancelled) cancelled or returned lines ")
                + "all lines \(all.turkishDescription) + shipping − discounts = \(expectedAll.turkishDescription)"
        }
        return reason
    }

    /// The same mapper compiled again on the calling thread: its rules, whose reference counts
    /// every value read touches, are then allocated beside what that thread allocates, not in
    /// the lines of memory another thread writes to (a reader thread's retains of rules
    /// compiled on the writer's thread cost 2–3× as much under `perf`).
    public func compiledAgain() -> OrderMapper {
        (try? OrderMapper(spec: spec, limits: limits)) ?? self // it compiled once: it compiles again
    }

    /// A line, and whether its status came from its own rule (not inherited from the order).
    private func mapLine(_ source: SourceLine, ordinal: Int, orderStatus: OrderStatus?,
                         warnings: inout [RecordError]) -> Result<(OrderLine, Bool), RecordErrors> {
        var errors: [RecordError] = []
        var key: String?, sku: String?, values = FieldValues()
        if lineValueRules > 0 { values.reserveCapacity(lineValueRules) }
        var quantity: Int?, unit: Money?, total: Money?, vat: Int?, discount = Money.zero, ownStatus: OrderStatus?
        lineRules.forEach { rule in
            guard let value = evaluate(rule, source.values, at: source.position, errors: &errors, warnings: &warnings) else {
                return
            }
            switch (rule.rule.target, value) {
            case (.satir_anahtari, .text(let v)): key = v
            case (.sku, .text(let v)): sku = v
            case (.adet, .integer(let v)): quantity = v
            case (.birim_fiyat, .money(let v)): unit = v
            case (.toplam_fiyat, .money(let v)): total = v
            case (.kdv_orani, .integer(let v)): vat = v
            case (.satir_platform_indirimi, .money(let v)): discount = v
            case (.satir_durumu, .status(let v)): ownStatus = v
            case (let field, let v): values[field] = v.intoFieldValue()
            }
        }
        // A cancelled order cancels its lines; otherwise a line without its own status follows the order.
        var status = ownStatus ?? orderStatus ?? .yeni
        if let orderStatus, orderStatus.isVoid, !status.isVoid { status = orderStatus }
        func missing(_ field: TargetField, _ reason: String) {
            if !errors.contains(where: { $0.field == field }) {
                let rule = lineRules.all.first { $0.rule.target == field }
                errors.append(RecordError(position: source.position, field: field, sourceField: rule?.sourceName,
                                          rule: rule?.rule.location, reason: reason))
            }
        }
        if sku == nil { missing(.sku, "the line has no SKU") }
        if quantity == nil { missing(.adet, "the line has no quantity") }
        // Platforms write 0 (and no price) for a cancelled item; a live line needs a real quantity.
        if let q = quantity, q < 0 || (q == 0 && !status.isVoid) { missing(.adet, "the quantity \(q) is not positive") }
        if vat == nil { missing(.kdv_orani, "the line has no KDV rate; map kdv_orani or give it a default") }
        if unit == nil && total == nil && !status.isVoid {
            missing(.toplam_fiyat, "the line has neither a unit price (birim_fiyat) nor a line total (toplam_fiyat)")
        }
        guard errors.isEmpty, let sku, let quantity, let vat else { return .failure(RecordErrors(errors: errors)) }
        var lineTotal: Money, unitPrice: Money
        do {
            lineTotal = try total ?? (unit ?? .zero) * quantity
            unitPrice = unit ?? (quantity > 0 ? lineTotal.divided(by: quantity) : .zero)
            if spec.prices == .vat_exclusive {
                lineTotal = try lineTotal.scaled(by: Int64(100 + vat), over: 100)
                unitPrice = try unitPrice.scaled(by: Int64(100 + vat), over: 100)
            }
        } catch {
            missing(.toplam_fiyat, "the line's amount is too large to compute with (\(quantity) × \(unit?.turkishDescription ?? "?"))")
            return .failure(RecordErrors(errors: errors))
        }
        guard lineTotal.minorUnits.magnitude <= limits.maxAmount.minorUnits.magnitude else {
            missing(.toplam_fiyat, "the line total \(lineTotal.turkishDescription) is beyond the largest amount accepted "
                    + "(\(limits.maxAmount.turkishDescription); limits.max_amount in pra.yaml)")
            return .failure(RecordErrors(errors: errors))
        }
        // Made in the result: a line set up first and then returned was copied (a retain and a release per text).
        return .success((OrderLine(key: key ?? String(ordinal), sku: sku, quantity: quantity, unitPrice: unitPrice,
                                   lineTotal: lineTotal, vatRate: vat, status: status, position: source.position,
                                   platformDiscount: discount, values: values), ownStatus != nil))
    }
}

extension TypedValue {
    /// As stored in ``FieldValues``.
    var fieldValue: FieldValue { (copy self).intoFieldValue() }

    /// As stored in ``FieldValues``, its text moved there, not copied.
    consuming func intoFieldValue() -> FieldValue {
        switch consume self {
        case .text(let t): return .text(t)
        case .date(let d): return .date(d)
        case .money(let m): return .money(m)
        case .integer(let i): return .text(String(i))
        case .status(let s): return .text(s.rawValue)
        case .shipmentStatus(let s): return .text(s.rawValue)
        }
    }
}

/// All the problems of one rejected record.
public struct RecordErrors: Error, Sendable {
    public var errors: [RecordError]
    public init(errors: [RecordError]) { self.errors = errors }
}
