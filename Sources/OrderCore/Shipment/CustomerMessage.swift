/// The notification a seller would send a buyer when a shipment changes their order's state,
/// written for another system to send (PraIngest sends nothing). Turkish, short, no personal
/// data beyond what the buyer already knows.
public struct CustomerMessage: Sendable, Equatable {
    public enum Channel: String, Sendable { case eposta, sms }

    public var channel: Channel
    /// The buyer's e-mail address or phone number (personal data: never logged).
    public var recipient: String
    public var text: String

    public init(channel: Channel, recipient: String, text: String) {
        self.channel = channel
        self.recipient = recipient
        self.text = text
    }

    /// The message for an order that moved to `status`, or `nil` when there is nothing to tell
    /// or nobody to tell it to (no e-mail, no phone).
    public static func forOrder(number: String, status: OrderStatus, carrier: String?, trackingNumber: String?,
                                email: String?, phone: String?) -> CustomerMessage? {
        let body: String
        let shipment = [carrier, trackingNumber.map { "takip numarası \($0)" }].compactMap { $0 }.joined(separator: ", ")
        switch status {
        case .kargoda:
            body = "\(number) numaralı siparişiniz kargoya verildi" + (shipment.isEmpty ? "." : " (\(shipment)).")
        case .teslim_edildi:
            body = "\(number) numaralı siparişiniz teslim edildi. Bizi tercih ettiğiniz için teşekkür ederiz."
        case .teslim_edilemedi:
            body = "\(number) numaralı siparişiniz teslim edilemedi" + (shipment.isEmpty ? "" : " (\(shipment))")
                + ". Kargo firmasıyla iletişime geçebilir ya da bize yazabilirsiniz."
        case .iade:
            body = "\(number) numaralı siparişinizin gönderisi bize geri ulaştı; iade işleminiz başlatılacak."
        default:
            return nil
        }
        if let email, !email.isEmpty { return CustomerMessage(channel: .eposta, recipient: email, text: "Merhaba, " + body) }
        if let phone, !phone.isEmpty { return CustomerMessage(channel: .sms, recipient: phone, text: "Merhaba, " + body) }
        return nil
    }
}

/// A notification a seller would send a buyer, as recorded in `mesaj_log`.
public struct RecordedMessage: Sendable, Equatable {
    public var id: Int64
    public var seller: String
    public var orderNumber: String
    public var message: CustomerMessage
    /// When the change that calls for it was found (UTC, ISO 8601).
    public var createdAt: String

    public init(id: Int64, seller: String, orderNumber: String, message: CustomerMessage, createdAt: String) {
        self.id = id
        self.seller = seller
        self.orderNumber = orderNumber
        self.message = message
        self.createdAt = createdAt
    }
}

