import OrderCore
import Testing

/// The decision table for an invoiced order's cancellation or return: a test per row, then the
/// cases a review found wrong, through ``OrderUpdate``.
@Suite struct AfterSaleRuleTests {
    @Test(arguments: [
        (AfterSaleRule.Document.eArsiv, AfterSaleRule.Buyer.consumer, false, 2 as Int?, InvoiceAction.Kind.earsiv_iptal, 8 as Int?),
        (.eArsiv, .taxpayer, false, 2, .earsiv_iptal, 8),
        (.eArsiv, .consumer, false, nil, .earsiv_iptal, 8),
        (.eFatura, .taxpayer, false, 8, .efatura_iptal_talebi, 8),
        (.eFatura, .taxpayer, false, 9, .alici_iade_faturasi, nil),
        (.eArsiv, .consumer, false, 12, .gider_pusulasi, nil),
        (.eArsiv, .consumer, true, 0, .gider_pusulasi, nil),
        (.eArsiv, .taxpayer, true, 1, .alici_iade_faturasi, nil),
        (.eFatura, .taxpayer, true, 1, .alici_iade_faturasi, nil),
    ])
    func eachRowOfTheTable(document: AfterSaleRule.Document, buyer: AfterSaleRule.Buyer, delivered: Bool, days: Int?,
                           kind: InvoiceAction.Kind, deadline: Int?) {
        let d = AfterSaleRule.decide(.init(document: document, buyer: buyer, delivered: delivered, daysSinceInvoice: days))
        #expect(d.kind == kind)
        #expect(d.deadlineDays == deadline)
    }

    static let issued = Timestamp(epochSeconds: 1_795_400_000, utcOffsetSeconds: 10_800) // 2026-11-23T05:13:20+03:00

    /// A stored, invoiced order of one line in `status`, and its update to `next` two days later.
    static func update(_ profile: InvoiceDocument.Profile, vkn: Bool, from status: OrderStatus, to next: OrderStatus,
                       byCarrier: Bool = false) -> InvoiceAction? {
        var stored = StoredOrderState(status: status, updatedAt: nil, lines: [:], shipping: .zero, refunded: .zero,
                                      invoice: InvoiceReference(id: 1, number: "PRA2026000000001", uuid: "u", profile: profile,
                                                                issuedAt: issued, buyerHasVKN: vkn))
        stored.setLine("1", .init(status: status, lineTotal: Money(minorUnits: 10_000)))
        let now = Timestamp(epochSeconds: issued.epochSeconds + 2 * 86_400, utcOffsetSeconds: 10_800)
        if byCarrier { return OrderUpdate.moving(stored, orderNumber: "1", to: next, now: now).action }
        var order = NormalizedOrder(orderNumber: "1", position: SourcePosition(record: 1, line: 1))
        order.status = next
        order.lines = [OrderLine(key: "1", sku: "A", quantity: 1, unitPrice: Money(minorUnits: 10_000), lineTotal: Money(minorUnits: 10_000),
                                 vatRate: 20, status: next, position: order.position)]
        return OrderUpdate.merge(order, into: stored, now: now).action
    }

    @Test func aReturnStraightFromPreparationIsOfDeliveredGoods() {
        // N11's "Teslim Edilmiş İade": the history went hazirlaniyor → iade; the goods had reached the consumer.
        let action = Self.update(.EARSIVFATURA, vkn: false, from: .hazirlaniyor, to: .iade)
        #expect(action?.kind == .gider_pusulasi)
        #expect(action?.deadline == nil)
    }

    @Test func aCompanyOnEArsivSendsItsOwnReturnInvoice() {
        #expect(Self.update(.EARSIVFATURA, vkn: true, from: .teslim_edildi, to: .iade)?.kind == .alici_iade_faturasi)
    }

    @Test func anEFaturaCancelledBeforeDeliveryIsACancellationRequestWithItsDeadline() {
        let action = Self.update(.TEMELFATURA, vkn: true, from: .hazirlaniyor, to: .iptal)
        #expect(action?.kind == .efatura_iptal_talebi)
        #expect(action?.deadline?.dateString == "2026-12-01")
        #expect(action?.reason.contains("after invoice PRA2026000000001 of 2026-11-23 was issued") == true)
        #expect(action?.reason.hasSuffix("by 2026-12-01") == true)
    }

    @Test func aParcelTheCarrierBringsBackUndeliveredCancelsTheEArsivInvoice() {
        #expect(Self.update(.EARSIVFATURA, vkn: false, from: .kargoda, to: .iade, byCarrier: true)?.kind == .earsiv_iptal)
        // Once delivered, the carrier's return is a consumer's return.
        #expect(Self.update(.EARSIVFATURA, vkn: false, from: .teslim_edildi, to: .iade, byCarrier: true)?.kind == .gider_pusulasi)
    }
}

/// A web shop's payment gateway is the payment intermediary of its e-Arşiv invoices.
@Suite struct PaymentGatewayTests {
    @Test(arguments: [
        ("iyzico", "İyzi Ödeme ve Elektronik Para Hizmetleri A.Ş." as String?), ("Kredi Kartı (PayTR)", "PayTR Ödeme ve Elektronik Para Kuruluşu A.Ş."),
        ("Param POS", "TURK Elektronik Para A.Ş."), ("PAPARA", "Papara Elektronik Para A.Ş."), ("Havale/EFT", nil),
        ("Kapıda ödeme", nil), ("paramount", nil),
    ])
    func aGatewayIsFoundByItsNameInThePaymentDescription(description: String, title: String?) {
        #expect(PaymentGateways.intermediary(named: description) == title)
    }

    @Test func aMarketplacesIntermediaryComesFirst() {
        var order = NormalizedOrder(orderNumber: "1", position: SourcePosition(record: 1, line: 1))
        order[.odeme_tipi] = "iyzico"
        #expect(InvoiceBuilder.paymentIntermediary(order, channel: .init(site: nil, paymentIntermediary: "DSM Grup")) == "DSM Grup")
        #expect(InvoiceBuilder.paymentIntermediary(order, channel: .init(site: nil, paymentIntermediary: nil))
                == "İyzi Ödeme ve Elektronik Para Hizmetleri A.Ş.")
    }
}
