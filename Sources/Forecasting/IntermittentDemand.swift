/// Forecasts for demand that comes on few days: a flat daily rate, and the variance of its
/// one-step errors in the history.
public struct IntermittentDemand: Sendable {
    public enum Method: String, Sendable { case crostonSBA = "croston_sba", tsb }

    public let method: Method
    /// The expected demand of any coming day.
    public let rate: Double
    /// The variance of the one-step errors in the history.
    public let sigma2: Double

    /// Croston's method with the Syntetos–Boylan bias correction: sizes and intervals of the
    /// non-zero days smoothed apart, the rate their ratio times (1 − α/2). α = 0.1, as in
    /// `statsforecast`'s CrostonSBA.
    public static func crostonSBA(_ y: UnsafeBufferPointer<Double>, alpha: Double = 0.1) -> IntermittentDemand {
        var size = 0.0, interval = 0.0, sinceLast = 0.0, started = false
        var sse = 0.0, errors = 0
        for v in y {
            sinceLast += 1
            if started {
                let e = v - (1 - alpha / 2) * size / interval
                sse += e * e
                errors += 1
            }
            guard v > 0 else { continue }
            if started {
                size += alpha * (v - size)
                interval += alpha * (sinceLast - interval)
            } else {
                (size, interval, started) = (v, sinceLast, true)
            }
            sinceLast = 0
        }
        let rate = started ? (1 - alpha / 2) * size / interval : 0
        return IntermittentDemand(method: .crostonSBA, rate: rate, sigma2: errors > 0 ? sse / Double(errors) : 0)
    }

    /// Teunter–Syntetos–Babai: the probability of a sale is smoothed every day (so demand that
    /// stops fades out), the size on days with a sale. The two smoothing constants are chosen
    /// from a small grid by the one-step errors in the history.
    public static func tsb(_ y: UnsafeBufferPointer<Double>) -> IntermittentDemand {
        var best = tsb(y, alphaSize: 0.1, alphaProbability: 0.1)
        for alphaSize in [0.05, 0.1, 0.2, 0.3] {
            for alphaProbability in [0.02, 0.05, 0.1, 0.2] {
                let candidate = tsb(y, alphaSize: alphaSize, alphaProbability: alphaProbability)
                if candidate.sigma2 < best.sigma2 { best = candidate }
            }
        }
        return best
    }

    static func tsb(_ y: UnsafeBufferPointer<Double>, alphaSize: Double, alphaProbability: Double) -> IntermittentDemand {
        var sales = 0.0, firstSize: Double?
        for v in y where v > 0 {
            sales += 1
            if firstSize == nil { firstSize = v }
        }
        var probability = y.isEmpty ? 0 : sales / Double(y.count)
        var size = firstSize ?? 0
        var sse = 0.0
        for v in y {
            let e = v - probability * size
            sse += e * e
            probability += alphaProbability * ((v > 0 ? 1 : 0) - probability)
            if v > 0 { size += alphaSize * (v - size) }
        }
        return IntermittentDemand(method: .tsb, rate: probability * size, sigma2: y.isEmpty ? 0 : sse / Double(y.count))
    }
}

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
