/// The benchmarks every method is measured against: tomorrow like today (naive), and each coming
/// day like the same weekday of the last week (seasonal naive).
public struct SeasonalNaive: Sendable {
    public let lastSeason: [Double]
    /// The variance of `y[t] − y[t − period]` in the history.
    public let sigma2: Double

    public init(_ y: UnsafeBufferPointer<Double>, period: Int = 7) {
        let m = min(period, y.count)
        if m < period {
            // Less than a week: every day like the average day so far.
            let mean = y.isEmpty ? 0 : y.reduce(0, +) / Double(y.count)
            lastSeason = [Double](repeating: mean, count: period)
            sigma2 = y.isEmpty ? 0 : y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(y.count)
            return
        }
        lastSeason = Array(y[(y.count - m)...])
        var sse = 0.0
        for t in m..<y.count { let e = y[t] - y[t - m]; sse += e * e }
        sigma2 = y.count > m ? sse / Double(y.count - m) : lastSeason.reduce(0) { $0 + $1 * $1 } / Double(m)
    }

    public func mean(_ h: Int) -> Double { lastSeason[(h - 1) % lastSeason.count] }

    /// Each further week repeats the same last week, so its error adds up week by week.
    public func variance(_ h: Int) -> Double { sigma2 * Double((h - 1) / lastSeason.count + 1) }
}
