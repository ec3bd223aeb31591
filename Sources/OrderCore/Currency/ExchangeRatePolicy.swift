/// Which published rate an invoice in another currency takes, and whether it is known yet.
///
/// The rule (docs/invoices.md, "Foreign currency"): KDV Kanunu m.26 converts a price in foreign
/// currency at the rate of the day the tax arises, and without a rate agreed between the parties
/// that is TCMB's *döviz alış* rate announced as valid for that day — the rates TCMB announces at
/// 15:30 on a business day are those of the next day's Official Gazette. On a weekend or a public
/// holiday nothing is announced, so the last business day's rates apply. The tax arises when the
/// goods are handed over (to the carrier, for a shipped order), or when the invoice is issued
/// first (KDVK m.10/a), so the day is the earlier of the dispatch and the issue.
///
/// A rate is used only once it is certainly the right one: the file of the last business day
/// before that day is in, or the bulletin after the one in hand is in too (TCMB numbers its
/// bulletins, so a gap is visible); until then the order waits, with that reason.
public struct ExchangeRatePolicy: Sendable, Equatable {
    /// Which day's bulletin: the last one published *before* the tax day (the default, the rate
    /// valid on that day), or the one published *on* it.
    public enum Basis: String, Sendable, CaseIterable {
        case previous_business_day, same_day
    }

    public var kind: RateKind = .forex_buying
    public var basis: Basis = .previous_business_day
    /// Days TCMB announces no rates besides weekends, the fixed public holidays and the religious
    /// holidays of ``religiousHolidays`` (later years' go here: `exchange_rates.holidays`).
    public var holidays: Set<CalendarDay> = []

    public init() {}

    /// A rate in the store: its day, its bulletin number (`2026/208`) and value.
    public struct Published: Sendable, Equatable {
        public var day: CalendarDay
        public var bulletin: String?
        public var value: RateValue
        public init(day: CalendarDay, bulletin: String?, value: RateValue) {
            self.day = day
            self.bulletin = bulletin
            self.value = value
        }
    }

    /// What to do with an order in another currency.
    public enum Choice: Sendable, Equatable {
        case use(ExchangeRate)
        case wait(String)
    }

    /// Rates published before this day are candidates.
    public func cutoff(taxDay: CalendarDay) -> CalendarDay { basis == .same_day ? taxDay.adding(days: 1) : taxDay }

    /// Whether TCMB announces rates on `day`: a weekday that is not a holiday.
    public func isPublicationDay(_ day: CalendarDay) -> Bool {
        guard day.isoWeekday <= 5, !holidays.contains(day), !Self.religiousHolidays.contains(day) else { return false }
        let c = day.civil
        return !Self.fixedHolidays.contains { $0.month == c.month && $0.day == c.day }
    }

    /// Türkiye's public holidays on fixed dates (Law 2429): New Year, 23 April, 1 May, 19 May,
    /// 15 July, 30 August, 29 October.
    static let fixedHolidays: [(month: Int, day: Int)] = [(1, 1), (4, 23), (5, 1), (5, 19), (7, 15), (8, 30), (10, 29)]

    /// The weekdays of Ramazan and Kurban Bayramı in 2025 and 2026 as the Presidency of Religious
    /// Affairs' calendar has them (30.03–01.04.2025, 06–09.06.2025, 20–22.03.2026, 27–30.05.2026).
    /// The half-day eves are not among them: a bulletin announced on one is taken when it is in.
    static let religiousHolidays: Set<CalendarDay> = Set(["2025-03-31", "2025-04-01", "2025-06-06", "2025-06-09",
                                                          "2026-03-20", "2026-05-27", "2026-05-28", "2026-05-29"]
        .compactMap { CalendarDay(iso: $0) })

    /// The last day before `cutoff` on which rates are announced (weekends and holidays skipped).
    public func expectedPublication(before cutoff: CalendarDay) -> CalendarDay {
        var day = cutoff.adding(days: -1)
        for _ in 0..<31 where !isPublicationDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The rate of `currency` for an invoice whose tax arises on `taxDay`, given the newest rate
    /// the store has from before the cutoff and the oldest from the cutoff on.
    public func choose(currency: String, taxDay: CalendarDay, latestBefore: Published?, earliestFrom: Published?) -> Choice {
        let cutoff = cutoff(taxDay: taxDay)
        let expected = expectedPublication(before: cutoff)
        let what = "TCMB's \(kind.turkishName) rate of \(currency)"
        let day = basis == .same_day ? "of \(taxDay)" : "before \(taxDay)"
        guard let candidate = latestBefore else {
            return .wait("waiting for \(what) of \(expected) (the last business day \(day), when its tax arises): "
                         + "no rate of \(currency) from before \(cutoff) is loaded (reference/ takes TCMB's daily files)")
        }
        if candidate.day >= expected || Self.follows(earliestFrom?.bulletin, candidate.bulletin) {
            return .use(ExchangeRate(currency: currency, kind: kind, value: candidate.value, published: candidate.day,
                                     bulletin: candidate.bulletin))
        }
        return .wait("waiting for \(what) of \(expected) (the last business day \(day), when its tax arises): the newest "
                     + "loaded before it is of \(candidate.day); a holiday TCMB announced nothing on goes in exchange_rates.holidays")
    }

    /// Whether bulletin `next` (`2026/209`) is the one right after `previous` (`2026/208`).
    static func follows(_ next: String?, _ previous: String?) -> Bool {
        guard let n = next.flatMap(bulletinParts), let p = previous.flatMap(bulletinParts) else { return false }
        return n.year == p.year && n.number == p.number + 1
    }

    static func bulletinParts(_ text: String) -> (year: Int, number: Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let y = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        return (y, n)
    }
}
