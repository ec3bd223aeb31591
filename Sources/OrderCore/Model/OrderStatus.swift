/// The normalized life-cycle state of an order or a line (`siparisler.durum`).
/// A mapping's value map turns each platform's own labels into one of these.
///
/// A status moves forward only (yeni → onaylandi → hazirlaniyor → kargoda → teslim_edildi),
/// or to teslim_edilemedi, iptal or iade from any live state; cancelled and returned are final.
/// So a stale export can never move an order back (see ``canMove(to:)``).
public enum OrderStatus: String, Sendable, CaseIterable, Codable {
    case yeni, onaylandi, hazirlaniyor, kargoda, teslim_edildi, teslim_edilemedi, iptal, iade

    /// Cancelled and returned lines are kept but not counted in totals or invoiced.
    public var isVoid: Bool { self == .iptal || self == .iade }

    /// The goods left the seller: with the carrier, or delivered (when an order is invoiced by
    /// default: its carrier and dispatch date are known).
    public static let shipped: [OrderStatus] = [.kargoda, .teslim_edildi]

    /// How far along the order is; void states are past every live one.
    public var progress: Int {
        switch self {
        case .yeni: return 0
        case .onaylandi: return 1
        case .hazirlaniyor: return 2
        case .kargoda: return 3
        case .teslim_edilemedi: return 4
        case .teslim_edildi: return 5
        case .iptal, .iade: return 6
        }
    }

    /// Whether newer information saying `next` may replace this status.
    public func canMove(to next: OrderStatus) -> Bool {
        guard next != self, !isVoid else { return false }
        switch next {
        case .iptal, .iade, .teslim_edilemedi: return true
        default: return next.progress > progress
        }
    }

    /// The status of an order with lines in `statuses`: cancelled (or returned, if any line was)
    /// when every line is; else as far as all its live lines have got. `nil` without lines.
    public static func following(_ statuses: [OrderStatus]) -> OrderStatus? {
        guard !statuses.isEmpty else { return nil }
        if statuses.allSatisfy(\.isVoid) { return statuses.contains(.iade) ? .iade : .iptal }
        return statuses.filter { !$0.isVoid }.min { $0.progress < $1.progress }
    }

    /// ``following(_:)`` of statuses given as counts (a status to how many lines have it).
    public static func following(counts: [OrderStatus: Int]) -> OrderStatus? {
        let present = counts.filter { $0.value > 0 }.map(\.key)
        guard !present.isEmpty else { return nil }
        if present.allSatisfy(\.isVoid) { return present.contains(.iade) ? .iade : .iptal }
        return present.filter { !$0.isVoid }.min { $0.progress < $1.progress }
    }

    /// The status an update leaves: `incoming` when the move is allowed, else this one.
    public func merged(with incoming: OrderStatus) -> OrderStatus { canMove(to: incoming) ? incoming : self }
}
