import Foundation

/// The model a SKU's demand was given, fitted to its history: it forecasts any day ahead with
/// the variance of that forecast's error.
public enum DemandModel: Sendable {
    case exponentialSmoothing(ExponentialSmoothing)
    case intermittent(IntermittentDemand)
    case seasonalNaive(SeasonalNaive)

    /// The name written in the forecast's `method` column.
    public var name: String {
        switch self {
        case .exponentialSmoothing(let m): return m.trend == .none ? "ets_ana" : "ets_aada"
        case .intermittent(let m): return m.method.rawValue
        case .seasonalNaive: return "seasonal_naive"
        }
    }

    /// The expected demand `h` days ahead (h ≥ 1), never below zero.
    public func mean(_ h: Int) -> Double {
        switch self {
        case .exponentialSmoothing(let m): return max(0, m.mean(h))
        case .intermittent(let m): return m.rate
        case .seasonalNaive(let m): return m.mean(h)
        }
    }

    public func variance(_ h: Int) -> Double {
        switch self {
        case .exponentialSmoothing(let m): return m.variance(h)
        case .intermittent(let m): return m.sigma2
        case .seasonalNaive(let m): return m.variance(h)
        }
    }

    /// The expected total of the next `days` days and the standard deviation of its error.
    public func total(days: Int) -> (mean: Double, sd: Double) {
        guard days > 0 else { return (0, 0) }
        var mean = 0.0
        for h in 1...days { mean += self.mean(h) }
        let variance: Double
        switch self {
        case .exponentialSmoothing(let m): variance = m.totalVariance(days)
        // Errors of different days taken as independent (the usual lead-time approximation).
        case .intermittent(let m): variance = m.sigma2 * Double(days)
        case .seasonalNaive(let m): variance = m.sigma2 * Double(days)
        }
        return (mean, variance.squareRoot())
    }
}

/// A SKU's forecast: its class, the model chosen for it, and each coming day's expected demand
/// with 80 % and 95 % prediction intervals (normal, cut at zero: demand is never negative).
public struct DemandForecast: Sendable {
    public var demandClass: DemandClass
    public var model: DemandModel
    public var mean: [Double]
    public var lo80: [Double], hi80: [Double], lo95: [Double], hi95: [Double]

    public init(demandClass: DemandClass, model: DemandModel, horizon: Int) {
        self.demandClass = demandClass
        self.model = model
        mean = []; lo80 = []; hi80 = []; lo95 = []; hi95 = []
        mean.reserveCapacity(horizon)
        let z80 = NormalQuantile.z80, z95 = NormalQuantile.z95
        for h in 1...max(1, horizon) {
            let m = model.mean(h), sd = model.variance(h).squareRoot()
            mean.append(m)
            lo80.append(max(0, m - z80 * sd)); hi80.append(m + z80 * sd)
            lo95.append(max(0, m - z95 * sd)); hi95.append(m + z95 * sd)
        }
    }
}

extension NormalQuantile {
    static let z80 = of(0.9)
    static let z95 = of(0.975)
}

/// Chooses and fits each SKU's model by the shape of its demand: exponential smoothing with a
/// weekly season for smooth and erratic demand, Croston SBA for intermittent, TSB for lumpy (it
/// lets demand that stopped fade out), seasonal naive for too little history.
public enum DemandForecaster {
    /// The model for a daily series that starts at the SKU's first sale.
    public static func model(for y: UnsafeBufferPointer<Double>) -> (DemandClass, DemandModel) {
        let demandClass = DemandClass(y)
        switch demandClass {
        case .smooth, .erratic: return (demandClass, .exponentialSmoothing(.fit(y)))
        case .intermittent: return (demandClass, .intermittent(.crostonSBA(y)))
        case .lumpy: return (demandClass, .intermittent(.tsb(y)))
        case .new: return (demandClass, .seasonalNaive(SeasonalNaive(y)))
        }
    }

    public static func forecast(_ y: UnsafeBufferPointer<Double>, horizon: Int) -> DemandForecast {
        let (demandClass, model) = model(for: y)
        return DemandForecast(demandClass: demandClass, model: model, horizon: horizon)
    }
}
