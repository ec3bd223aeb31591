import Foundation

/// Exponential smoothing with additive errors and an additive weekly season (Hyndman et al.,
/// *Forecasting with Exponential Smoothing*, 2008): ETS(A,N,A), level and season, and
/// ETS(A,Ad,A), with a damped trend. Both are fitted by least squares of the one-step errors
/// (Nelder–Mead over the smoothing parameters) and the one with the lower AICc is kept.
/// Prediction variances are the class-1 closed forms of that book (Table 6.1).
public struct ExponentialSmoothing: Sendable {
    public enum Trend: String, Sendable { case none, damped }

    public let trend: Trend
    public let period: Int
    public let alpha: Double, beta: Double, gamma: Double, phi: Double
    /// The variance of the one-step errors.
    public let sigma2: Double
    public let aicc: Double
    /// The states after the last observation: level, slope, and the season of each coming day
    /// (`season[0]` is the next day's).
    let level: Double, slope: Double
    let season: [Double]

    /// Fits both models to `y` (at least two seasons long) and returns the better one.
    public static func fit(_ y: UnsafeBufferPointer<Double>, period: Int = 7) -> ExponentialSmoothing {
        let plain = fit(y, period: period, trend: .none)
        guard y.count >= 4 * period else { return plain }
        let damped = fit(y, period: period, trend: .damped)
        return damped.aicc < plain.aicc ? damped : plain
    }

    /// Fits one model.
    public static func fit(_ y: UnsafeBufferPointer<Double>, period m: Int, trend: Trend) -> ExponentialSmoothing {
        let start = initialStates(y, period: m, trend: trend)
        func parameters(_ x: [Double]) -> (Double, Double, Double, Double) {
            let a = 0.0001 + 0.9998 * logistic(x[0])
            switch trend {
            case .none: return (a, 0, (1 - a) * logistic(x[1]), 1)
            case .damped: return (a, a * logistic(x[1]), (1 - a) * logistic(x[2]), 0.8 + 0.18 * logistic(x[3]))
            }
        }
        let guess: [Double] = trend == .none ? [logit(0.1), logit(0.05 / 0.9)] : [logit(0.1), logit(0.1), logit(0.05 / 0.9), logit(0.15 / 0.18)]
        let result = withUnsafeTemporaryAllocation(of: Double.self, capacity: m) { ring in
            NelderMead().minimise(start: guess) { x in
                let (a, b, g, p) = parameters(x)
                return run(y, a, b, g, p, start: start, ring: ring).sse
            }
        }
        let (a, b, g, p) = parameters(result.x)
        var ring = [Double](repeating: 0, count: m)
        let end = ring.withUnsafeMutableBufferPointer { run(y, a, b, g, p, start: start, ring: $0) }
        // The season of the next day is at the ring position after the last observation.
        let next = y.count % m
        let season = (0..<m).map { ring[(next + $0) % m] }
        let n = Double(y.count)
        let k = Double((trend == .none ? 2 : 4) + (trend == .none ? 1 : 2) + (m - 1) + 1)
        let sse = max(end.sse, 1e-12)
        let aicc = n * log(sse / n) + 2 * k + (n - k - 1 > 0 ? 2 * k * (k + 1) / (n - k - 1) : 0)
        return ExponentialSmoothing(trend: trend, period: m, alpha: a, beta: b, gamma: g, phi: p,
                                    sigma2: sse / max(1, n - k), aicc: aicc, level: end.level, slope: end.slope, season: season)
    }

    /// The mean forecast `h` days ahead (h ≥ 1).
    public func mean(_ h: Int) -> Double {
        level + dampedSum(h) * slope + season[(h - 1) % period]
    }

    /// The variance of the forecast error `h` days ahead.
    public func variance(_ h: Int) -> Double {
        var sum = 1.0
        if h > 1 { for j in 1..<h { let c = impulse(j); sum += c * c } }
        return sigma2 * sum
    }

    /// The variance of the error of the total over the next `days` days: each future error
    /// reaches the later days through the states (exact for these linear models).
    public func totalVariance(_ days: Int) -> Double {
        var total = 0.0
        for i in 1...max(1, days) {
            var reach = 1.0
            if days - i >= 1 { for j in 1...(days - i) { reach += impulse(j) } }
            total += reach * reach
        }
        return sigma2 * total
    }

    /// What one error today adds to the forecast `j` days later.
    private func impulse(_ j: Int) -> Double {
        alpha + beta * dampedSum(j) + (j % period == 0 ? gamma : 0)
    }

    /// φ + φ² + … + φʰ (h for an undamped trend).
    private func dampedSum(_ h: Int) -> Double {
        guard trend == .damped else { return 0 }
        return phi == 1 ? Double(h) : phi * (1 - pow(phi, Double(h))) / (1 - phi)
    }

    struct Start { var level: Double; var slope: Double; var season: [Double] }

    /// Starting states from the first weeks (at most four): the first week's mean, the slope
    /// between the first and last of them, and each weekday's average distance from its week's mean.
    static func initialStates(_ y: UnsafeBufferPointer<Double>, period m: Int, trend: Trend) -> Start {
        let weeks = max(1, min(4, y.count / m))
        var means = [Double](repeating: 0, count: weeks)
        var season = [Double](repeating: 0, count: m)
        for w in 0..<weeks {
            var s = 0.0
            for i in 0..<m where w * m + i < y.count { s += y[w * m + i] }
            means[w] = s / Double(m)
            for i in 0..<m where w * m + i < y.count { season[i] += (y[w * m + i] - means[w]) / Double(weeks) }
        }
        let shift = season.reduce(0, +) / Double(m)
        for i in 0..<m { season[i] -= shift }
        let slope = trend == .damped && weeks > 1 ? (means[weeks - 1] - means[0]) / Double((weeks - 1) * m) : 0
        return Start(level: means[0] - slope * Double(m + 1) / 2, slope: slope, season: season)
    }

    /// Runs the model over `y`: the sum of squared one-step errors and the last states (the
    /// season left in `ring`, indexed by day modulo the period).
    static func run(_ y: UnsafeBufferPointer<Double>, _ alpha: Double, _ beta: Double, _ gamma: Double, _ phi: Double,
                    start: Start, ring: UnsafeMutableBufferPointer<Double>) -> (sse: Double, level: Double, slope: Double) {
        let m = ring.count
        for i in 0..<m { ring[i] = start.season[i] }
        var l = start.level, b = start.slope, sse = 0.0, i = 0
        for t in 0..<y.count {
            let trendPart = phi * b
            let e = y[t] - (l + trendPart + ring[i])
            sse += e * e
            l += trendPart + alpha * e
            b = trendPart + beta * e
            ring[i] += gamma * e
            i += 1
            if i == m { i = 0 }
        }
        return (sse, l, b)
    }
}

@inline(__always) func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
@inline(__always) func logit(_ p: Double) -> Double { log(p / (1 - p)) }
