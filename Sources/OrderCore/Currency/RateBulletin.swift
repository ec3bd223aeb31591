/// One day's exchange rates as a central bank published them: TCMB's daily file (`today.xml`,
/// `kurlar/YYYYMM/DDMMYYYY.xml`) or a CSV of another source through a mapping.
public struct RateBulletin: Sendable, Equatable {
    /// One currency's rates, as published for `unit` units (TCMB quotes the yen per 100).
    public struct Row: Sendable, Equatable {
        public var currency: String
        public var unit: Int
        /// The published decimals with a dot (`42.5512`); a kind the bank left empty is absent.
        public var published: [RateKind: String]

        public init(currency: String, unit: Int, published: [RateKind: String]) {
            self.currency = currency
            self.unit = unit
            self.published = published
        }

        /// The rate of `kind` per unit, when published.
        public func value(_ kind: RateKind) -> RateValue? { published[kind].flatMap { RateValue(published: $0, unit: unit) } }
    }

    /// The day the rates were announced (TCMB's `Tarih`).
    public var day: CalendarDay
    /// TCMB's bulletin number (`2026/208`), numbered per year without gaps.
    public var number: String?
    public var rows: [Row]

    /// Whether `number` is written as TCMB numbers the bulletins of `day`'s year: `2026/207`.
    public static func isNumber(_ number: String, of day: CalendarDay) -> Bool {
        let parts = number.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let year = Int(parts[0]), let n = Int(parts[1]), n > 0 else { return false }
        return year == day.civil.year
    }

    public init(day: CalendarDay, number: String?, rows: [Row]) {
        self.day = day
        self.number = number
        self.rows = rows
    }
}
