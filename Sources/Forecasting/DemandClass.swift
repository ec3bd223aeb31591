/// The shape of a SKU's daily demand, after Syntetos and Boylan (2005): how often it sells (ADI,
/// the average number of days between days with a sale) and how much the sizes of its sales
/// vary (CV², the squared coefficient of variation of the non-zero days). The cut-offs 1.32 and
/// 0.49 are theirs; each class has the method that suits it (``DemandForecaster``).
public enum DemandClass: String, Sendable, CaseIterable, Codable {
    /// Sells most days, in similar amounts.
    case smooth
    /// Sells most days, in very different amounts.
    case erratic
    /// Sells on few days, in similar amounts.
    case intermittent
    /// Sells on few days, in very different amounts.
    case lumpy
    /// Too little history to tell (fewer than ``DemandClass/minimumHistoryDays`` days since the first sale).
    case new

    public static let adiCutoff = 1.32
    public static let cv2Cutoff = 0.49
    /// Eight weeks: less than that since the first sale is too little to fit a weekly model to.
    public static let minimumHistoryDays = 56

    /// The class of a daily series (days since the SKU's first sale, zeros included).
    public init(_ demand: UnsafeBufferPointer<Double>) {
        let (adi, cv2) = Self.measure(demand)
        guard demand.count >= Self.minimumHistoryDays, let adi, let cv2 else { self = .new; return }
        switch (adi < Self.adiCutoff, cv2 < Self.cv2Cutoff) {
        case (true, true): self = .smooth
        case (true, false): self = .erratic
        case (false, true): self = .intermittent
        case (false, false): self = .lumpy
        }
    }

    /// ADI and CV² of a series; `nil` when it has no sale.
    public static func measure(_ demand: UnsafeBufferPointer<Double>) -> (adi: Double?, cv2: Double?) {
        var count = 0.0, sum = 0.0, squares = 0.0
        for y in demand where y > 0 {
            count += 1
            sum += y
            squares += y * y
        }
        guard count > 0 else { return (nil, nil) }
        let mean = sum / count
        let variance = max(0, squares / count - mean * mean)
        return (Double(demand.count) / count, variance / (mean * mean))
    }

    /// Whether demand comes on most days (exponential smoothing suits it).
    public var isFrequent: Bool { self == .smooth || self == .erratic }
}
