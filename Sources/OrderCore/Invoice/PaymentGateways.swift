/// The payment institutions a web shop's checkout collects through, by the names exports give
/// them (`odeme_tipi`: Shopify's "Payment Method", WooCommerce's payment title): the legal name
/// an e-Arşiv invoice of an internet sale names as payment intermediary (VUK 509 §6.7), like a
/// marketplace's. Licensed payment and e-money institutions (TCMB's list).
public enum PaymentGateways {
    static let table: [(names: [String], title: String)] = [
        (["iyzico", "iyzipay", "iyzi"], "İyzi Ödeme ve Elektronik Para Hizmetleri A.Ş."),
        (["paytr"], "PayTR Ödeme ve Elektronik Para Kuruluşu A.Ş."),
        (["param", "parampos"], "TURK Elektronik Para A.Ş."),
        (["papara"], "Papara Elektronik Para A.Ş."),
        (["sipay"], "Sipay Elektronik Para ve Ödeme Hizmetleri A.Ş."),
        (["paypal"], "PayPal (Europe) S.à r.l. et Cie, S.C.A."),
        (["stripe"], "Stripe Payments Europe, Limited"),
        (["shopier"], "Shopier Elektronik Ticaret ve Ödeme Hizmetleri A.Ş."),
    ]

    /// The institution a payment description names (`iyzico`, `Kredi Kartı (PayTR)`, `Param POS`), if any.
    public static func intermediary(named description: String?) -> String? {
        guard let description else { return nil }
        let words = ColumnName.folded(description).split { !$0.isLetter && !$0.isNumber }.map(String.init)
        return table.first { entry in entry.names.contains { words.contains($0) } }?.title
    }
}
