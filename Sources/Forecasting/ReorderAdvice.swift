import Foundation

/// When to reorder a SKU and how much, from its forecast and its stock: the reorder point is the
/// demand expected over the lead time plus safety stock for the service level (the chance of not
/// running out before the order arrives); at or below it, order up to the demand of the lead
/// time and the days an order should cover, with the same safety stock.
public struct ReorderAdvice: Sendable, Equatable {
    public var stock: Int
    /// Days until the expected demand uses up the stock; `nil` when it does not within two years.
    public var daysOfCover: Double?
    public var reorderPoint: Int
    /// Units to order now; above zero exactly when the stock is at or below the reorder point.
    public var suggestedOrder: Int
    /// The stock is expected to be gone before an order placed today can arrive.
    public var runsOut: Bool

    public struct Policy: Sendable, Equatable {
        public var leadTimeDays: Int
        /// The probability of not running out during a lead time (0.5 … 0.999).
        public var serviceLevel: Double
        /// The days of demand an order covers beyond the lead time.
        public var coverDays: Int
        public init(leadTimeDays: Int = 7, serviceLevel: Double = 0.95, coverDays: Int = 14) {
            self.leadTimeDays = leadTimeDays
            self.serviceLevel = serviceLevel
            self.coverDays = coverDays
        }
    }

    public init(model: DemandModel, stock: Int, policy: Policy) {
        let z = NormalQuantile.of(policy.serviceLevel)
        let lead = model.total(days: policy.leadTimeDays)
        let upTo = model.total(days: policy.leadTimeDays + policy.coverDays)
        self.stock = stock
        reorderPoint = Int((lead.mean + z * lead.sd).rounded(.up))
        suggestedOrder = stock <= reorderPoint ? max(1, Int((upTo.mean + z * upTo.sd - Double(stock)).rounded(.up))) : 0
        daysOfCover = Self.cover(model, stock: Double(stock))
        runsOut = Double(stock) < lead.mean
    }

    /// Walks the forecast day by day until the stock is used up (a fraction for the last day).
    static func cover(_ model: DemandModel, stock: Double) -> Double? {
        guard stock > 0 else { return 0 }
        var left = stock
        for h in 1...730 {
            let d = model.mean(h)
            if d >= left { return Double(h - 1) + left / d }
            left -= d
        }
        return nil
    }
}
