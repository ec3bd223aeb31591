import Foundation

/// A day of the calendar, without a time: a rate's publication date, an invoice's tax point.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int64

    public init(ordinal: Int64) { self.ordinal = ordinal }

    /// `nil` for a date that does not exist (31 February).
    public init?(year: Int, month: Int, day: Int) {
        guard CivilDateTime(year: year, month: month, day: day).isValid else { return nil }
        ordinal = CivilDateTime.days(year: year, month: month, day: day)
    }

    /// The day of a local date and time.
    public init(_ local: CivilDateTime) { ordinal = CivilDateTime.days(year: local.year, month: local.month, day: local.day) }

    /// Reads `2026-10-28`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Today's date in `zone`.
    public static func today(in zone: TimeZone, now: Date = Date()) -> CalendarDay {
        let local = Int64(now.timeIntervalSince1970.rounded(.down)) + Int64(zone.secondsFromGMT(for: now))
        return CalendarDay(ordinal: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.ordinal < b.ordinal }

    public func adding(days: Int) -> CalendarDay { CalendarDay(ordinal: ordinal + Int64(days)) }

    /// The calendar fields (time 00:00).
    public var civil: CivilDateTime {
        let (y, m, d) = CivilDateTime.civil(fromDays: ordinal)
        return CivilDateTime(year: y, month: m, day: d)
    }

    /// 1 Monday … 7 Sunday (ISO 8601).
    public var isoWeekday: Int { Int(((ordinal + 3) % 7 + 7) % 7) + 1 }

    /// `2026-10-28`
    public var description: String { civil.dateString }
}
