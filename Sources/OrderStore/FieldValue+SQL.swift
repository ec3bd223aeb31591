import Foundation
import OrderCore

/// A field value binds as its column holds it: text, ISO 8601 text for dates, INTEGER kuruş for money.
extension FieldValue: SQLValue {
    func bind(to statement: Statement, at index: Int32) {
        switch self {
        case .text(let t): t.bind(to: statement, at: index)
        case .date(let d): d.description.bind(to: statement, at: index)
        case .money(let m): m.minorUnits.bind(to: statement, at: index)
        }
    }
}

extension Statement {
    /// The value of column `column` as `field` declares it; `nil` for NULL or an unreadable date.
    func fieldValue(_ column: Int32, as field: TargetField) -> FieldValue? {
        guard !isNull(column) else { return nil }
        switch field.kind {
        case .money: return .money(Money(minorUnits: int(column)))
        case .date: return text(column).flatMap { DateFormat.iso8601.parse($0, zone: .utc) }.map(FieldValue.date)
        default: return text(column).map(FieldValue.text)
        }
    }
}

extension TimeZone {
    static let utc = TimeZone(identifier: "UTC")!
}
