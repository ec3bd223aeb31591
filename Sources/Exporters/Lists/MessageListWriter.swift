import OrderCore

/// The buyer notifications a shipment calls for (`outbox/messages/*.csv`), for the seller's
/// e-mail or SMS system to send: one row per message, in the Turkish spreadsheet conventions of
/// the other lists. The recipient is personal data: it goes to this file, never to a log.
public enum MessageListWriter {
    public static let header = ["message_id", "seller", "order_number", "channel", "recipient", "text", "created_at"]

    public static func write(_ messages: [RecordedMessage]) -> [UInt8] {
        var out = DelimitedText()
        out.row(header.map { .text($0) })
        for m in messages {
            out.row([.text(String(m.id)), .text(m.seller), .text(m.orderNumber), .text(m.message.channel.rawValue),
                     .text(m.message.recipient), .text(m.message.text), .text(m.createdAt)])
        }
        return out.bytes(.utf8_bom)
    }
}
