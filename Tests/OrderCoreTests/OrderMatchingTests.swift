import OrderCore
import Testing

/// The rules that attach a carrier's event or a provider's invoice to an order, over candidates.
@Suite struct OrderMatchingTests {
    @Test func anEventsOrderNumberDecidesAndItsOtherIdentifiersOnlyNarrow() {
        #expect(ShipmentMatching.match(byOrderNumber: [], byOtherIdentifiers: [[], []]) == .none)
        #expect(ShipmentMatching.match(byOrderNumber: [7], byOtherIdentifiers: [[9]]) == .one(7))
        // The same number on two platforms, told apart by the tracking number.
        #expect(ShipmentMatching.match(byOrderNumber: [7, 8], byOtherIdentifiers: [[8]]) == .one(8))
        #expect(ShipmentMatching.match(byOrderNumber: [], byOtherIdentifiers: [[], [5]]) == .one(5))
        guard case .ambiguous(let why) = ShipmentMatching.match(byOrderNumber: [7, 8], byOtherIdentifiers: [[9]]) else {
            Issue.record("two candidates were taken as one")
            return
        }
        #expect(why.contains("2 orders"))
    }

    static func invoice(order: String?, buyer: String? = "4567890128", issued: Int64 = 1_795_400_000) -> ReceivedInvoice {
        var v = FieldValues()
        v[text: .fatura_no] = "QNB2026000000104"
        v[text: .ettn] = "0C1F6B2E-6A3B-4C55-8E0A-3A6B1D2E0104"
        v[.fatura_tarihi] = .date(Timestamp(epochSeconds: issued, utcOffsetSeconds: 10_800))
        v[.odenecek_tutar] = .money(Money(minorUnits: 125_050))
        v[text: .siparis_numarasi] = order
        v[text: .alici_kimlik_no] = buyer
        return ReceivedInvoice(MappedRecord(position: SourcePosition(record: 1, line: 1), values: v, warnings: []))!
    }

    static func days(_ d: Int64) -> Timestamp { Timestamp(epochSeconds: 1_795_400_000 - d * 86_400, utcOffsetSeconds: 10_800) }

    @Test func anInvoiceByItsOrderThenAsOursThenAGuessWithinThirtyDays() {
        let none = InvoiceMatching.Candidates(byOrderNumber: [], byOwnInvoice: [], byBuyerAndAmount: [])
        #expect(InvoiceMatching.match(Self.invoice(order: "205000001"), .init(byOrderNumber: [3], byOwnInvoice: [4],
                                                                              byBuyerAndAmount: [])) == .one(order: 3, how: .siparis_no))
        #expect(InvoiceMatching.match(Self.invoice(order: "205000001"), .init(byOrderNumber: [], byOwnInvoice: [4],
                                                                              byBuyerAndAmount: [])) == .one(order: 4, how: .fatura_no))
        // An invoice naming an order that is not here waits for it: no guess.
        #expect(InvoiceMatching.match(Self.invoice(order: "205000001"),
                                      .init(byOrderNumber: [], byOwnInvoice: [], byBuyerAndAmount: [(Int64(9), Self.days(2))]))
                == .none(why: "order 205000001 of the seller has not arrived yet"))
        // Without an order number: the buyer and amount, ordered 0–30 days before (or a day after).
        let guess = InvoiceMatching.Candidates(byOrderNumber: [], byOwnInvoice: [],
                                               byBuyerAndAmount: [(9, Self.days(30)), (10, Self.days(31)), (11, Self.days(-2)), (12, nil)])
        #expect(InvoiceMatching.match(Self.invoice(order: nil), guess) == .one(order: 9, how: .tahmin))
        let two = InvoiceMatching.Candidates(byOrderNumber: [], byOwnInvoice: [], byBuyerAndAmount: [(9, Self.days(3)), (10, Self.days(-1))])
        #expect(InvoiceMatching.match(Self.invoice(order: nil), two)
                == .ambiguous(why: "2 orders fit (the same buyer and amount)", how: .tahmin))
        // No buyer, no guess.
        #expect(InvoiceMatching.match(Self.invoice(order: nil, buyer: nil), guess)
                == .none(why: "no order of the seller has this invoice, or its buyer and amount, yet"))
        #expect(InvoiceMatching.match(Self.invoice(order: nil), none)
                == .none(why: "no order of the seller has this invoice, or its buyer and amount, yet"))
    }
}
