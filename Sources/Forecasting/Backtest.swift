/// How good a SKU's forecasts would have been: rolling origins before the end of its history,
/// each forecasting `horizon` days from the data before it, scored by RMSSE (the M5
/// competition's scale: the root mean squared error over the root mean squared day-to-day
/// change of the history, so 1.0 is as good as "tomorrow like today" was in the past), beside
/// the same score of the naive and seasonal naive forecasts.
public struct BacktestScore: Sendable {
    public var demandClass: DemandClass
    /// The model of the last origin.
    public var method: String
    /// How many origins had enough history to score.
    public var origins: Int
    public var rmsse: Double
    public var naive: Double
    public var seasonalNaive: Double
}

public enum Backtest {
    /// Days of history an origin needs before it.
    public static let minimumTrainingDays = 14

    /// Scores `y` (daily demand from the first sale up to the end of the history) at `origins`
    /// origins `horizon` days apart, the last one `horizon` days before the end. `nil` when no
    /// origin has enough history or a history with any change at all.
    public static func score(_ y: UnsafeBufferPointer<Double>, origins: Int = 4, horizon: Int = 28) -> BacktestScore? {
        var sums = (ours: 0.0, naive: 0.0, seasonal: 0.0), scored = 0
        var method = ""
        for k in stride(from: origins, through: 1, by: -1) {
            let cut = y.count - k * horizon
            guard cut >= minimumTrainingDays else { continue }
            let train = UnsafeBufferPointer(rebasing: y[0..<cut])
            let actual = UnsafeBufferPointer(rebasing: y[cut..<(cut + horizon)])
            guard let scale = scale(train) else { continue }
            let (_, model) = DemandForecaster.model(for: train)
            let seasonal = SeasonalNaive(train)
            let last = train[train.count - 1]
            var e = (ours: 0.0, naive: 0.0, seasonal: 0.0)
            for h in 1...horizon {
                let a = actual[h - 1]
                e.ours += square(a - model.mean(h))
                e.naive += square(a - last)
                e.seasonal += square(a - seasonal.mean(h))
            }
            let n = Double(horizon)
            sums.ours += (e.ours / n / scale).squareRoot()
            sums.naive += (e.naive / n / scale).squareRoot()
            sums.seasonal += (e.seasonal / n / scale).squareRoot()
            scored += 1
            method = model.name
        }
        guard scored > 0 else { return nil }
        let n = Double(scored)
        return BacktestScore(demandClass: DemandClass(y), method: method, origins: scored,
                             rmsse: sums.ours / n, naive: sums.naive / n, seasonalNaive: sums.seasonal / n)
    }

    /// The mean squared day-to-day change of a history; `nil` when it never changes.
    public static func scale(_ y: UnsafeBufferPointer<Double>) -> Double? {
        guard y.count > 1 else { return nil }
        var s = 0.0
        for t in 1..<y.count { s += square(y[t] - y[t - 1]) }
        return s > 0 ? s / Double(y.count - 1) : nil
    }

    @inline(__always) static func square(_ x: Double) -> Double { x * x }
}
