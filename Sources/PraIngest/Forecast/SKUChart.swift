import Forecasting
import OrderCore
import OrderStore

/// A SKU that sells the most, for the status page's small charts: its last eight weeks and the
/// four weeks forecast after them, with the 80 % interval.
public struct SKUChart: Sendable, Codable, Equatable {
    public var seller: String
    public var sku: String
    public var method: String
    /// The first day of `history`; the forecast starts the day after its last.
    public var from: String
    public var history: [Double]
    public var forecast: [Double]
    public var lo80: [Double]
    public var hi80: [Double]

    static let historyDays = 56, horizon = 28

    /// The top `limit` SKUs of one seller (or of every seller), as of their last day with a sale.
    public static func top(store: OrderStore, sellerID: Int64? = nil, limit: Int = 5) throws -> [SKUChart] {
        let history = SalesHistory(store: store)
        var charts: [SKUChart] = []
        for top in try history.topSKUs(sellerID: sellerID, limit: limit) {
            let asOf = top.lastDay.adding(days: 1)
            try history.eachSKU(sellerID: top.sellerID, before: asOf, sku: top.sku) { sku, days in
                let h = SKUHistory(seller: top.seller, sku: sku, days: days, asOf: asOf)
                let f = h.units.withUnsafeBufferPointer { DemandForecaster.forecast($0, horizon: horizon) }
                let shown = Array(h.units.suffix(historyDays))
                charts.append(SKUChart(seller: top.seller, sku: sku, method: f.model.name,
                                       from: asOf.adding(days: -shown.count).description, history: shown,
                                       forecast: f.mean, lo80: f.lo80, hi80: f.hi80))
            }
        }
        return charts
    }
}
