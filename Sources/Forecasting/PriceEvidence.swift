import Foundation

/// What a SKU's own history says about its price, and only what it says. Each day carries the
/// price of its sales (or, without a sale, the last price seen); days are grouped into price
/// levels. With at least two levels of ``minimumDays`` days and ``minimumUnits`` units each, the
/// price elasticity of demand is the weighted least-squares slope of log daily units on log
/// price across levels, with a 95 % interval from each level's sampling error (delta method);
/// the best price is the observed level with the highest margin per day (revenue per day when
/// the cost is unknown). It is observational: season, trend and promotions move with price.
public enum PriceEvidence {
    public static let minimumDays = 14
    public static let minimumUnits = 20.0

    /// One price level: the price (as sold, VAT included) and the demand while it held.
    public struct Level: Sendable, Equatable {
        public var price: Double
        public var days: Int
        public var units: Double
        public var unitsPerDay: Double { units / Double(days) }
    }

    public enum Verdict: Sendable, Equatable {
        /// The data does not support a recommendation, and why.
        case unsupported(String)
        /// Elasticity with its 95 % interval, and the observed price with the highest margin
        /// (or revenue) per day.
        case estimate(elasticity: Double, low: Double, high: Double, bestPrice: Double, byMargin: Bool, levels: [Level])
    }

    /// One day: units sold and the average price they sold at (`nil` without a sale).
    public struct Day: Sendable {
        public var units: Double
        public var price: Double?
        public init(units: Double, price: Double?) {
            self.units = units
            self.price = price
        }
    }

    public static func assess(_ days: [Day], unitCost: Double?) -> Verdict {
        // Day prices, carried over days without a sale; clustered into levels 2 % apart.
        var levels: [(price: Double, days: Int, units: Double, squares: Double)] = []
        var current: Double?
        for day in days {
            if let p = day.price, p > 0 { current = p }
            guard let price = current else { continue }
            if let i = levels.firstIndex(where: { abs($0.price - price) <= 0.02 * $0.price }) {
                levels[i].days += 1
                levels[i].units += day.units
                levels[i].squares += day.units * day.units
            } else {
                levels.append((price, 1, day.units, day.units * day.units))
            }
        }
        let distinct = levels.count
        let enough = levels.filter { $0.days >= minimumDays && $0.units >= minimumUnits }
        guard enough.count >= 2 else {
            return .unsupported(distinct <= 1
                ? "sold at one price only: the data does not support a recommendation"
                : "sold at \(distinct) prices, but fewer than two of them with \(minimumDays) days and \(Int(minimumUnits)) units: "
                    + "the data does not support a recommendation")
        }
        // Weighted least squares of log rate on log price; weight = 1 / var(log rate).
        var points: [(x: Double, y: Double, w: Double)] = []
        for l in enough {
            let n = Double(l.days), mean = l.units / n
            let variance = max(l.squares / n - mean * mean, mean) // at least Poisson
            let varianceOfLog = variance / (n * mean * mean)
            points.append((log(l.price), log(mean), 1 / varianceOfLog))
        }
        let sw = points.reduce(0) { $0 + $1.w }
        let mx = points.reduce(0) { $0 + $1.w * $1.x } / sw, my = points.reduce(0) { $0 + $1.w * $1.y } / sw
        let sxx = points.reduce(0) { $0 + $1.w * ($1.x - mx) * ($1.x - mx) }
        guard sxx > 0 else { return .unsupported("the prices are too close together: the data does not support a recommendation") }
        let slope = points.reduce(0) { $0 + $1.w * ($1.x - mx) * ($1.y - my) } / sxx
        let se = (1 / sxx).squareRoot()
        let out = enough.map { Level(price: $0.price, days: $0.days, units: $0.units) }
        let best = out.max { worth($0, unitCost) < worth($1, unitCost) }!
        return .estimate(elasticity: slope, low: slope - 1.96 * se, high: slope + 1.96 * se, bestPrice: best.price,
                         byMargin: unitCost != nil, levels: out)
    }

    static func worth(_ l: Level, _ cost: Double?) -> Double { (l.price - (cost ?? 0)) * l.unitsPerDay }
}
