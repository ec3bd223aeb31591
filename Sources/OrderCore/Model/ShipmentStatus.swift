/// The normalized state of a shipment as its carrier reports it (`gonderi_olaylari.durum`,
/// `siparisler.kargo_durumu`). A carrier mapping's value map turns each carrier's codes into
/// one of these; the carrier's own code and text are kept beside it.
public enum ShipmentStatus: String, Sendable, CaseIterable {
    /// The parcel is (or was) in the carrier's hands: its event time is no earlier than the dispatch.
    public var isWithCarrier: Bool { [.yolda, .dagitimda, .teslim_edildi, .teslim_edilemedi].contains(self) }

    /// The carrier has the shipment on record (label printed, not yet picked up, or accepted).
    case olusturuldu
    /// On its way between branches.
    case yolda
    /// Out for delivery.
    case dagitimda
    case teslim_edildi
    /// A delivery attempt failed or the shipment cannot be delivered (wrong address, refused).
    case teslim_edilemedi
    /// Returned: on its way back to the seller, or back.
    case iade
    /// The carrier cancelled the shipment (not the order).
    case iptal
    /// Anything else that needs a look (damaged, lost, held at customs).
    case sorunlu

    /// How far along the parcel is, for events without times that say which came later.
    public var progress: Int {
        switch self {
        case .olusturuldu: return 0
        case .yolda: return 1
        case .dagitimda, .sorunlu: return 2
        case .teslim_edilemedi: return 3
        case .teslim_edildi: return 4
        case .iade, .iptal: return 5
        }
    }

    /// What the shipment says about its order's status: in the carrier's hands ⇒ `kargoda`;
    /// delivered ⇒ `teslim_edildi`; not deliverable ⇒ `teslim_edilemedi`; returned ⇒ `iade` (as the
    /// marketplaces say "Returned" for a refused parcel too; an invoiced order's action then tells
    /// a parcel that never reached the buyer from one sent back). A cancelled shipment or a
    /// problem says nothing about the order.
    public var orderStatus: OrderStatus? {
        switch self {
        case .olusturuldu, .yolda, .dagitimda: return .kargoda
        case .teslim_edildi: return .teslim_edildi
        case .teslim_edilemedi: return .teslim_edilemedi
        case .iade: return .iade
        case .iptal, .sorunlu: return nil
        }
    }
}
