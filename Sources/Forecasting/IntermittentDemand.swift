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
    /// non-zero days smoothed apart, the rate their ratio times (1 − α/2). α is chosen from a
    /// small grid by ``HorizonFit`` (`statsforecast`'s CrostonSBA fixes 0.1, which follows the
    /// last few sales closely; steady demand is read better more slowly).
    public static func crostonSBA(_ y: UnsafeBufferPointer<Double>) -> IntermittentDemand {
        let fit = HorizonFit(y)
        var best: (model: IntermittentDemand, error: Double)?
        for alpha in [0.02, 0.05, 0.1, 0.2, 0.3] {
            let candidate = crostonSBA(y, alpha: alpha, fit: fit)
            if best == nil || candidate.error < best!.error { best = candidate }
        }
        return best!.model
    }

    static func crostonSBA(_ y: UnsafeBufferPointer<Double>, alpha: Double, fit: HorizonFit) -> (model: IntermittentDemand, error: Double) {
        var size = 0.0, interval = 0.0, sinceLast = 0.0, started = false
        var sse = 0.0, errors = 0, choice = 0.0
        for t in 0..<y.count {
            let v = y[t]
            sinceLast += 1
            if started {
                let e = v - (1 - alpha / 2) * size / interval
                sse += e * e
                errors += 1
            }
            if v > 0 {
                if started {
                    size += alpha * (v - size)
                    interval += alpha * (sinceLast - interval)
                } else {
                    (size, interval, started) = (v, sinceLast, true)
                }
                sinceLast = 0
            }
            if started { choice += fit.error(after: t, forecast: (1 - alpha / 2) * size / interval) }
        }
        let rate = started ? (1 - alpha / 2) * size / interval : 0
        let sigma2 = errors > 0 ? sse / Double(errors) : 0
        return (IntermittentDemand(method: .crostonSBA, rate: rate, sigma2: sigma2), fit.usable ? choice : sigma2)
    }

    /// Teunter–Syntetos–Babai: the probability of a sale is smoothed every day (so demand that
    /// stops fades out), the size on days with a sale. The two smoothing constants are chosen
    /// from a small grid by ``HorizonFit``.
    public static func tsb(_ y: UnsafeBufferPointer<Double>) -> IntermittentDemand {
        let fit = HorizonFit(y)
        var best: (model: IntermittentDemand, error: Double)?
        for alphaSize in [0.02, 0.05, 0.1, 0.2, 0.3] {
            for alphaProbability in [0.02, 0.05, 0.1, 0.2] {
                let candidate = tsb(y, alphaSize: alphaSize, alphaProbability: alphaProbability, fit: fit)
                if best == nil || candidate.error < best!.error { best = candidate }
            }
        }
        return best!.model
    }

    static func tsb(_ y: UnsafeBufferPointer<Double>, alphaSize: Double, alphaProbability: Double,
                    fit: HorizonFit) -> (model: IntermittentDemand, error: Double) {
        var sales = 0.0, firstSize: Double?
        for v in y where v > 0 {
            sales += 1
            if firstSize == nil { firstSize = v }
        }
        var probability = y.isEmpty ? 0 : sales / Double(y.count)
        var size = firstSize ?? 0
        var sse = 0.0, choice = 0.0
        for t in 0..<y.count {
            let v = y[t]
            let e = v - probability * size
            sse += e * e
            probability += alphaProbability * ((v > 0 ? 1 : 0) - probability)
            if v > 0 { size += alphaSize * (v - size) }
            choice += fit.error(after: t, forecast: probability * size)
        }
        let sigma2 = y.isEmpty ? 0 : sse / Double(y.count)
        return (IntermittentDemand(method: .tsb, rate: probability * size, sigma2: sigma2), fit.usable ? choice : sigma2)
    }
}

/// How a smoothing constant for intermittent demand is chosen: by how well the rate known after
/// each day of the later two thirds of the history matched the average demand of the
/// ``horizon`` days that followed it — the use the forecast is put to. One-step errors of a
/// series that is mostly zeros reward rates that chase the last sale. A history too short for
/// that falls back to the one-step errors.
struct HorizonFit {
    static let horizon = 28
    private let prefix: [Double]
    private let first: Int
    private let count: Int
    let usable: Bool

    init(_ y: UnsafeBufferPointer<Double>) {
        var p = [Double](repeating: 0, count: y.count + 1)
        for t in 0..<y.count { p[t + 1] = p[t] + y[t] }
        prefix = p
        count = y.count
        first = y.count / 3
        usable = y.count - Self.horizon - first >= Self.horizon
    }

    /// The squared miss of `forecast`, made after day `t`, against the mean of the days after it.
    @inline(__always) func error(after t: Int, forecast: Double) -> Double {
        guard usable, t >= first, t + Self.horizon < count else { return 0 }
        let actual = (prefix[t + 1 + Self.horizon] - prefix[t + 1]) / Double(Self.horizon)
        let e = forecast - actual
        return e * e
    }
}
