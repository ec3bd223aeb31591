import Foundation

/// A value after conversion to the target field's kind.
enum TypedValue {
    case text(String), money(Money), integer(Int), date(Timestamp), status(OrderStatus), shipmentStatus(ShipmentStatus)
}

/// A field error before it knows its position in the file.
struct FieldFailure: Error {
    var field: TargetField
    var sourceField: String?
    var rule: SpecLocation
    var reason: String
    /// The value shows the whole file cannot be trusted (its dates are month-first).
    var failsFile = false

    func at(_ position: SourcePosition, severity: TargetField.Severity = .reject) -> RecordError {
        var e = RecordError(position: position, field: field, sourceField: sourceField, rule: rule, reason: reason, severity: severity)
        e.failsFile = failsFile
        return e
    }
}

extension Error {
    func at(_ position: SourcePosition, severity: TargetField.Severity = .reject) -> RecordError {
        if let f = self as? FieldFailure { return f.at(position, severity: severity) }
        return RecordError(position: position, reason: "\(self)", severity: severity)
    }
}

/// A ``FieldRule`` with its source fields resolved to slots and its regex and map prepared.
/// A class: the engine walks these for every record, and a reference is cheaper to pass than
/// the rule's many fields.
final class CompiledRule: Sendable {
    let rule: FieldRule
    let slots: [String: Int]
    /// The slot of a plain `field` source: most rules, read without a name lookup.
    let directSlot: Int?
    /// The slots of a `from: [a, b]` source, in order, read without a name lookup.
    let firstOfSlots: [Int]
    /// An `expr` source, compiled, with the slot of each of its fields.
    let program: CompiledExpression?
    let limits: Limits
    let regex: LinearRegex?
    let foldedMap: [String: String]?
    /// The `when` cases with their conditions' slots.
    let cases: [(conditions: [(slot: Int, condition: PreparedCondition)], value: String)]
    /// The source fields the value needs, as slots: one of each group must be there (an element
    /// matched in the record, in XML and JSON); empty for an `optional` rule and for one with a
    /// `default` (which says what a missing value means).
    let presence: [(slots: [Int], names: [String])]
    /// The value is an amount, a quantity, a date, a text or a code read straight from a field
    /// (`from: a` or `from: [a, b]`), with nothing done to its text first: it is converted from
    /// the record's bytes, no string made but a text's own.
    let convertsInPlace: Bool
    /// The value is an amount computed by ``program`` with nothing done to it after: taken as
    /// computed, not written out and read back.
    let computesAmount: Bool

    init(_ rule: FieldRule, slots: [String: Int], limits: Limits) throws(MappingError) {
        self.rule = rule
        self.slots = slots
        if case .field(let f) = rule.value { directSlot = slots[f] } else { directSlot = nil }
        if case .firstOf(let fs) = rule.value { firstOfSlots = fs.map { slots[$0]! } } else { firstOfSlots = [] }
        if case .expression(let e) = rule.value {
            program = CompiledExpression(e, slots: slots)
        } else {
            program = nil
        }
        self.limits = limits
        presence = rule.optional || rule.defaultValue != nil ? [] : rule.value.requiredGroups.map { group in (group.map { slots[$0]! }, group) }
        var cases: [(conditions: [(slot: Int, condition: PreparedCondition)], value: String)] = []
        for c in rule.cases {
            var conditions: [(slot: Int, condition: PreparedCondition)] = []
            for cond in c.conditions {
                do { conditions.append((slots[cond.field]!, try PreparedCondition(cond))) } catch {
                    throw MappingError("invalid pattern for \"\(cond.field)\": \(error)", at: c.location)
                }
            }
            cases.append((conditions, c.value))
        }
        self.cases = cases
        if let pattern = rule.regex {
            do {
                regex = try LinearRegex(pattern)
            } catch {
                throw MappingError("invalid regex /\(pattern)/: \(error)", at: rule.location)
            }
        } else {
            regex = nil
        }
        foldedMap = rule.valueMap.map { map in
            Dictionary(map.map { (ColumnName.folded($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        }
        let readsInPlace = [TargetField.Kind.money, .integer, .date, .text, .identifier].contains(rule.target.kind)
        let takenAsRead = cases.isEmpty && rule.emptyValues.isEmpty && regex == nil && rule.letterCase == nil && foldedMap == nil
        convertsInPlace = readsInPlace && (directSlot != nil || !firstOfSlots.isEmpty) && !rule.sumsEachMatch && takenAsRead
        computesAmount = rule.target.kind == .money && program != nil && takenAsRead
    }

    /// The source field the value came from, for error messages.
    var sourceName: String? {
        switch rule.value {
        case .field(let f): return f
        case .firstOf(let fs): return fs.joined(separator: " | ")
        default: return nil
        }
    }

    /// `5e0f8a4c-6d7b-4d39-9c1e-2f4b8a1c9d10`, either case.
    static func isUUID(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 36 else { return false }
        for (i, b) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                guard b == UInt8(ascii: "-") else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b | 0x20)
                else { return false }
            }
        }
        return true
    }

    private func fail(_ reason: String) -> FieldFailure {
        FieldFailure(field: rule.target, sourceField: sourceName, rule: rule.location, reason: reason)
    }

    private func raw(_ source: ValueSource, _ values: SourceValues, _ style: NumberStyle) throws -> String? {
        switch source {
        case .field(let f): return values[slots[f]!]
        case .firstOf(let fs): return Self.firstFilled(fs.lazy.map { self.slots[$0]! }, values)
        case .constant(let c): return c
        case .concat(let parts):
            var out = ""
            for p in parts { out += try raw(p, values, style) ?? "" }
            return out
        case .expression(let e):
            return try evaluate(program ?? CompiledExpression(e, slots: slots), values, style).description
        }
    }

    /// The value of the first of `slots` that is not blank.
    private static func firstFilled(_ slots: some Sequence<Int>, _ values: SourceValues) -> String? {
        for slot in slots where !values.isBlank(slot) { return values[slot] }
        return nil
    }

    /// An expression's value over the record's values (an empty one counts as 0), as an amount.
    private func evaluate(_ compiled: CompiledExpression, _ values: SourceValues, _ style: NumberStyle) throws -> Money {
        // Read through the reference: taken into locals, the program's arrays were retained per line.
        try compiled.program.evaluate { i -> Decimal6 in
            if !rule.sumsEachMatch { // read in place
                return try values.withUTF8(compiled.slots[i]) { try number(utf8: $0, field: i, of: compiled.program, style: style) }
                    ?? Decimal6(micros: 0)
            }
            let value = values[compiled.slots[i]] ?? ""
            guard value.contains(SourceLayout.valueSeparator) else { return try number(value, field: i, of: compiled.program, style: style) }
            // `each: sum`: the field matched several elements (every refund of the order); their sum.
            var total = Decimal6(micros: 0)
            for part in value.split(separator: SourceLayout.valueSeparator, omittingEmptySubsequences: false) {
                total = try total.adding(number(String(part), field: i, of: compiled.program, style: style))
            }
            return total
        }.money
    }

    /// A field's value inside an expression: empty counts as 0.
    private func number(_ value: String, field: Int, of program: Expression.Program, style: NumberStyle) throws -> Decimal6 {
        try value.withUTF8Bytes { bytes in Result { try number(utf8: bytes, field: field, of: program, style: style) } }.get()
    }

    /// ``number(_:field:of:style:)`` over UTF-8, read in place. The field's name is read only when
    /// the value is refused (passed as a string, it was retained and released per value).
    private func number(utf8 value: UnsafeBufferPointer<UInt8>, field: Int, of program: Expression.Program, style: NumberStyle) throws -> Decimal6 {
        let kept = UnsafeBufferPointer(rebasing: value[String.blanklessRange(value)])
        if kept.isEmpty { return Decimal6(micros: 0) }
        var text: String { String(decoding: kept, as: UTF8.self) }
        switch style.parseDecimal(utf8: kept) {
        case .success(let (m, s)):
            guard let d = Decimal6(mantissa: m, scale: s) else { throw fail("\"\(program.fields[field])\": '\(text)' has too many decimals") }
            return d
        case .failure(let err): throw fail("\"\(program.fields[field])\": \(err)")
        }
    }

    /// The value of the first `when` case whose conditions all hold.
    private func caseValue(_ values: SourceValues) throws -> String? {
        do {
            // Cases and conditions by index: read in place, where iterating copied each (retains).
            for i in cases.indices {
                var all = true
                for j in cases[i].conditions.indices where all {
                    all = try cases[i].conditions[j].condition.holds(values, cases[i].conditions[j].slot)
                }
                if all { return cases[i].value }
            }
        } catch {
            throw fail("a `when` pattern: \(error)")
        }
        return nil
    }

    /// The value for this rule, or `nil` when the source is empty and nothing is required.
    /// - Parameter checksPresence: a source field the value needs must be there (XML and JSON,
    ///   where a misspelled path is no column the header lacks but an element never found).
    func typedValue(_ values: SourceValues, numberStyle: NumberStyle, zone: TimeZone, checksPresence: Bool) throws -> TypedValue? {
        if !cases.isEmpty, let v = try caseValue(values) { return try convert(v, style: numberStyle, zone: zone) }
        if checksPresence, let absent = presence.first(where: { group in !group.slots.contains { !values.isAbsent($0) } }) {
            var failure = fail("no element matched \(absent.names.map { "\"\($0)\"" }.joined(separator: " or ")) here: "
                               + "check the path, or mark the rule `optional: true` if the export leaves it out")
            failure.sourceField = absent.names.joined(separator: " | ")
            throw failure
        }
        if convertsInPlace {
            let slot = directSlot ?? firstOfSlots.first { !values.isBlank($0) }
            switch try slot.flatMap({ s in try values.withUTF8(s) { try convertInPlace($0, style: numberStyle, zone: zone) } }) ?? .blank {
            case .value(let value): return value
            case .blank where rule.defaultValue?.isEmpty ?? true:
                if rule.required { throw fail("the value is missing") }
                return nil
            case .blank, .general: break
            }
        }
        if computesAmount, let program {
            let amount = try evaluate(program, values, numberStyle)
            return try money(.success(amount), amount.description)
        }
        var style = numberStyle
        if case .expression = rule.value { style = .dot } // an expression's result is written with a dot
        var text: String?
        if let slot = directSlot {
            text = values[slot]
        } else if !firstOfSlots.isEmpty {
            text = Self.firstFilled(firstOfSlots, values)
        } else {
            text = try raw(rule.value, values, numberStyle)
        }
        if rule.sumsEachMatch, let t = text, t.contains(SourceLayout.valueSeparator) {
            // Every element the path matched: their amounts added up.
            var total = Money.zero
            for part in t.split(separator: SourceLayout.valueSeparator, omittingEmptySubsequences: false) where !String(part).isBlank {
                guard case .money(let m) = try convert(String(part).trimmingBlanks(), style: numberStyle, zone: zone) else { continue }
                do { total = try total + m } catch { throw fail("the amounts add up to more than can be computed with") }
            }
            text = total.description
            style = .dot
        }
        // The rule's settings are tested before the value is bound: binding a string retains it.
        if rule.trim { text?.trimBlanks() }
        if !rule.emptyValues.isEmpty, let t = text, rule.emptyValues.contains(t) { text = nil }
        if let regex, let t = text, !t.isEmpty {
            let found: String?
            do { found = try regex.extract(t) } catch { throw fail("`regex`: \(error)") }
            guard let extracted = found else { throw fail(ValueError.noRegexMatch(t, pattern: rule.regex!).description) }
            text = extracted
        }
        if let c = rule.letterCase, let t = text, !t.isEmpty {
            text = c == .upper ? TurkishCase.upper(t) : TurkishCase.lower(t)
        }
        if let map = foldedMap, let t = text, !t.isEmpty {
            if let mapped = rule.valueMap?[t] ?? map[ColumnName.folded(t)] {
                text = mapped
            } else if let d = rule.mapDefault {
                text = d
            } else {
                throw fail(ValueError.unmappedValue(t, known: rule.valueMap!.keys.sorted()).description)
            }
        }
        if text?.isEmpty ?? true { text = rule.defaultValue }
        if Self.hasControlByte(text), let bad = text?.unicodeScalars.first(where: Self.isControl) {
            throw fail("the value holds the control character U+\(String(bad.value, radix: 16, uppercase: true).leftPadded(4)); "
                       + "it is refused (it would cut or corrupt the invoice and ERP files)")
        }
        guard let value = text.take(), !value.isEmpty else {
            if rule.required { throw fail("the value is missing") }
            return nil
        }
        return try convert(value, style: style, zone: zone)
    }

    /// What ``convertInPlace(_:style:zone:)`` made of a value.
    private enum InPlace {
        case value(TypedValue)
        /// Empty (after trimming, when the rule trims), or absent: the rule's default, or no value.
        case blank
        /// Something the general path says better (a control character, a code that looks wrong).
        case general
    }

    /// ``convert(_:style:zone:)`` of a ``convertsInPlace`` rule's bytes.
    private func convertInPlace(_ bytes: UnsafeBufferPointer<UInt8>, style: NumberStyle, zone: TimeZone) throws -> InPlace {
        let value = rule.trim ? UnsafeBufferPointer(rebasing: bytes[String.blanklessRange(bytes)]) : bytes
        if value.isEmpty { return .blank }
        if value.contains(where: Self.isControlByte) { return .general }
        var text: String { String(decoding: value, as: UTF8.self) }
        switch rule.target.kind {
        case .money: return .value(try money(style.parseMoney(utf8: value), text))
        case .integer: return .value(try integer(style.parseInteger(utf8: value), text))
        case .date: return .value(try date({ $0.parse(utf8: value, zone: $1) }, text, zone: zone))
        case .text: return .value(.text(text))
        case .identifier: return Self.isPlausibleCode(value) ? .value(.text(text)) : .general
        default: return .general
        }
    }

    /// `value` is owned: a text value is kept without a retain.
    private func convert(_ value: __owned String, style: NumberStyle, zone: TimeZone) throws -> TypedValue {
        switch rule.target.kind {
        case .text:
            return .text(value)
        case .identifier:
            if Self.looksScientific(value) { throw fail(ValueError.scientificNotation(value).description) }
            if value.withUTF8Bytes(Self.startsLikeFormula) {
                throw fail(ValueError.badIdentifier(value, expected: "a code (it starts like a spreadsheet formula)").description)
            }
            return .text(value)
        case .currency:
            let code = value.uppercased() == "TL" ? "TRY" : value.uppercased()
            guard code.utf8.count == 3, code.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
                throw fail(ValueError.badIdentifier(value, expected: "a three-letter currency code").description)
            }
            return .text(code)
        case .exchangeRate:
            guard RateValue(published: value) != nil else {
                throw fail("'\(value)' is not a rate: a positive decimal with at most 6 decimals (57.3755 or 57,3755)")
            }
            return .text(value.replacingOccurrences(of: ",", with: "."))
        case .uuid:
            guard Self.isUUID(value) else {
                throw fail(ValueError.badIdentifier(value, expected: "a UUID (8-4-4-4-12 hexadecimal digits)").description)
            }
            return .text(value)
        case .digits(let n):
            guard n.contains(value.utf8.count), value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                let expected = n.count == 1 ? "\(n.lowerBound) digits" : "\(n.lowerBound) to \(n.upperBound) digits"
                throw fail(ValueError.badIdentifier(value, expected: expected).description)
            }
            return .text(value)
        case .money:
            return try money(style.parseMoney(value), value)
        case .integer:
            return try integer(style.parseInteger(value), value)
        case .vatRate where rule.nearestRate:
            // A rate computed from amounts (tax ÷ net × 100): the legal rate within half a point.
            guard case .success(let (mantissa, scale)) = NumberStyle.dot.parseDecimal(value.trimmingBlanks()),
                  let d = Decimal6(mantissa: mantissa, scale: scale),
                  let rate = Self.legalRates.min(by: { abs(Int64($0) * 1_000_000 - d.micros) < abs(Int64($1) * 1_000_000 - d.micros) }),
                  abs(Int64(rate) * 1_000_000 - d.micros) <= 500_000 else {
                throw fail("'\(value)' is not within half a point of a KDV rate (\(Self.legalRates.map(String.init).joined(separator: ", ")))")
            }
            return .integer(rate)
        case .vatRate:
            let trimmed = value.hasPrefix("%") ? String(value.dropFirst()) : value.hasSuffix("%") ? String(value.dropLast()) : value
            guard case .success(let rate) = style.parseInteger(trimmed.trimmingBlanks()),
                  Self.legalRates.contains(rate) else {
                throw fail(ValueError.badVATRate(value).description)
            }
            return .integer(rate)
        case .date:
            return try date({ $0.parse(value, zone: $1) }, value, zone: zone)
        case .status:
            guard let s = OrderStatus(rawValue: value) else {
                throw fail("'\(value)' is not a normalized status (\(OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return .status(s)
        case .shipmentStatus:
            guard let s = ShipmentStatus(rawValue: value) else {
                throw fail("'\(value)' is not a normalized shipment status (\(ShipmentStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return .shipmentStatus(s)
        }
    }

    /// An amount as parsed from `value`, checked against the schema and the limits.
    private func money(_ parsed: Result<Money, ValueError>, _ value: @autoclosure () -> String) throws -> TypedValue {
        switch parsed {
        case .success(var m):
            if m.minorUnits < 0 && rule.target.signIsConvention { m = Money(minorUnits: -m.minorUnits) }
            // Every amount of the schema is a magnitude: discounts and refunds have fields of their
            // own, and a negative price would make an invoice GİB refuses (a negative PayableAmount).
            guard m.minorUnits >= 0 else {
                throw fail("'\(value())' is negative: this amount is never below zero (discounts and refunds have fields "
                           + "of their own)")
            }
            guard m.minorUnits.magnitude <= limits.maxAmount.minorUnits.magnitude else {
                throw fail("'\(value())' is beyond the largest amount accepted (\(limits.maxAmount.turkishDescription); "
                           + "limits.max_amount in pra.yaml)")
            }
            return .money(m)
        case .failure(let e): throw fail(e.description)
        }
    }

    /// A quantity as parsed from `value`, checked against the limits.
    private func integer(_ parsed: Result<Int, ValueError>, _ value: @autoclosure () -> String) throws -> TypedValue {
        switch parsed {
        case .success(let i):
            guard i.magnitude <= limits.maxQuantity else {
                throw fail("'\(value())' is beyond the largest quantity accepted (\(limits.maxQuantity); limits.max_quantity in pra.yaml)")
            }
            return .integer(i)
        case .failure(let e): throw fail(e.description)
        }
    }

    /// A date read by the rule's first format that `parse` reads `value` with, in the rule's zone.
    private func date(_ parse: (DateFormat, TimeZone) -> Timestamp?, _ value: @autoclosure () -> String, zone: TimeZone) throws -> TypedValue {
        let zone = rule.timeZone ?? zone
        for f in rule.dateFormats {
            guard var t = parse(f, zone) else { continue }
            guard (limits.earliestYear...limits.latestYear).contains(t.local.year) else {
                throw fail("'\(value())' is the year \(t.local.year), outside \(limits.earliestYear)–\(limits.latestYear) "
                           + "(limits.earliest_year / latest_year in pra.yaml); is the date format right?")
            }
            if let target = rule.toTimeZone { t = DateFormat.instant(epochSeconds: t.epochSeconds, zone: target) }
            return .date(t)
        }
        // `11/25/2026` read as dd/MM: the file writes the month first, so its `11/05/2026` would
        // silently be 11 May. Every date of it is suspect: the file fails, with the reason.
        let text = value()
        if let swapped = rule.dateFormats.lazy.compactMap({ f in f.swappingDayAndMonth.flatMap { $0.parse(text, zone: zone) != nil ? f : nil } }).first {
            var failure = fail("'\(text)' is no date as \(swapped) but is one with day and month the other way round: "
                               + "this file writes the month first, so none of its dates can be read as the mapping says; "
                               + "fix the rule's date format (e.g. \(swapped.swappingDayAndMonth!))")
            failure.failsFile = true
            throw failure
        }
        throw fail(ValueError.badDate(text, formats: rule.dateFormats.map(\.description)).description)
    }

    static let legalRates = [0, 1, 8, 10, 18, 20]

    /// C0 controls other than tab, line feed and carriage return, and DEL: never in a real value.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\t" && s != "\n" && s != "\r") || s.value == 0x7F
    }

    /// The UTF-8 form of ``isControl``: every such scalar is one byte below 0x80, and no byte of a
    /// longer sequence is below 0x80, so a byte scan finds exactly them (and is fast for every value).
    static func isControlByte(_ b: UInt8) -> Bool {
        (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F
    }

    /// Whether `text` holds a byte ``isControlByte`` refuses, scanned over its contiguous UTF-8
    /// (this runs for every value of every record).
    static func hasControlByte(_ text: String?) -> Bool {
        text?.withUTF8Bytes { bytes in bytes.contains(where: isControlByte) } ?? false
    }

    /// Whether a code's bytes pass ``convert(_:style:zone:)``'s checks for a code.
    private static func isPlausibleCode(_ b: UnsafeBufferPointer<UInt8>) -> Bool { !looksScientific(b) && !startsLikeFormula(b) }

    /// A code never starts like a spreadsheet formula; one that does is an injection attempt.
    private static func startsLikeFormula(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = b.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "@")
    }

    /// `8,69123E+12`, `6.25541e13`: what Excel makes of a long barcode (ASCII digits, as Excel
    /// writes them), read over the bytes: every identifier of every record passes here.
    static func looksScientific(_ v: String) -> Bool { v.withUTF8Bytes(looksScientific) }

    private static func looksScientific(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let e = b.firstIndex(where: { $0 | 0x20 == UInt8(ascii: "e") }), e > 0 else { return false }
        let isDigit = { (c: UInt8) in c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        var exponent = b[(e + 1)...]
        if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { exponent = exponent.dropFirst() }
        return isDigit(b[0]) && !exponent.isEmpty && exponent.allSatisfy(isDigit)
            && b[..<e].allSatisfy { isDigit($0) || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ".") }
    }
}

/// An `expr` source compiled, with the slot of each of its fields. A class: a line's amount is
/// computed from it for every line, and a reference is one retain where the pair's arrays were five.
final class CompiledExpression: Sendable {
    let program: Expression.Program
    let slots: [Int]

    init(_ expression: Expression, slots: [String: Int]) {
        program = Expression.Program(expression)
        self.slots = program.fields.map { slots[$0]! }
    }
}
