import Forecasting
import OrderCore
import Parsers

/// `forecast:` — how far forecasts look and how stock advice is made.
public struct ForecastSettings: Sendable, Equatable {
    /// Days forecast (`horizon`, 1–366; default 28).
    public var horizon = 28
    /// `lead_time_days`, `service_level`, `cover_days`.
    public var policy = ReorderAdvice.Policy()
    public init() {}
}

extension Configuration {
    /// `forecast: { horizon: 28, lead_time_days: 7, service_level: 0.95, cover_days: 14 }`
    static func forecast(_ n: YAMLNode) throws(MappingError) -> ForecastSettings {
        var f = ForecastSettings()
        _ = try n.pairs(allowed: ["horizon", "lead_time_days", "service_level", "cover_days"])
        func days(_ key: String, _ range: ClosedRange<Int>) throws(MappingError) -> Int? {
            guard let v = n.value(key) else { return nil }
            let d = try v.int()
            guard range.contains(d) else { throw v.error("\(key) is a whole number of days from \(range.lowerBound) to \(range.upperBound)") }
            return d
        }
        if let h = try days("horizon", 1...366) { f.horizon = h }
        if let d = try days("lead_time_days", 0...365) { f.policy.leadTimeDays = d }
        if let d = try days("cover_days", 0...365) { f.policy.coverDays = d }
        if let v = n.value("service_level") {
            let text = try v.string()
            guard let level = Double(text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "%", with: "")) else {
                throw v.error("service_level is a probability such as 0.95 (or 95%)")
            }
            let p = text.hasSuffix("%") || level > 1 ? level / 100 : level
            guard p >= 0.5 && p <= 0.999 else { throw v.error("service_level is from 0.5 to 0.999 (50% to 99.9%)") }
            f.policy.serviceLevel = p
        }
        return f
    }
}
