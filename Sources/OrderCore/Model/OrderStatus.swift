/// The normalized life-cycle state of an order or a line (`siparisler.durum`).
/// A mapping's value map turns each platform's own labels into one of these.
public enum OrderStatus: String, Sendable, CaseIterable, Codable {
    case yeni, onaylandi, hazirlaniyor, kargoda, teslim_edildi, teslim_edilemedi, iptal, iade

    /// Cancelled and returned lines are kept but not counted in totals or invoiced.
    public var isVoid: Bool { self == .iptal || self == .iade }
}
