/// One order as the order schema knows it, whatever platform it came from.
///
/// Amount semantics are the same for every platform: ``OrderLine/lineTotal`` is what that
/// line is invoiced at (VAT included), ``total`` the order total as the platform states it.
/// Fields other than the core ones are in ``values`` (see ``TargetField``).
public struct NormalizedOrder: Sendable, Equatable {
    /// The platform's order number (`siparisler.siparis_numarasi`).
    public var orderNumber: String
    public var status: OrderStatus
    /// ISO 4217 code, `TRY` unless the file says otherwise.
    public var currency: String
    /// The order total as the platform states it (`toplam_tutar`), VAT and shipping included;
    /// computed from the live lines when the file gives none.
    public var total: Money
    /// The shipping charge (`kargo_ucreti`), VAT included.
    public var shipping: Money
    /// Discounts funded by the platform: invoiced to the platform, not paid by the buyer.
    public var platformDiscount: Money
    /// Every other order field: customer, addresses, dates, carrier… (``TargetField/valueFields(_:)``).
    public var values: FieldValues
    public var lines: [OrderLine]
    /// Where the order starts in its source file.
    public var position: SourcePosition

    public init(orderNumber: String, position: SourcePosition) {
        self.orderNumber = orderNumber
        self.status = .yeni
        self.currency = "TRY"
        self.total = .zero
        self.shipping = .zero
        self.platformDiscount = .zero
        self.values = FieldValues()
        self.lines = []
        self.position = position
    }

    /// An order of nothing, to leave where an order is taken out (`exchange(&order, with: .empty)`):
    /// no copy of its strings and arrays where the compiler cannot tell a variable's last use.
    public static var empty: NormalizedOrder { NormalizedOrder(orderNumber: "", position: SourcePosition(record: 0, line: 0)) }

    /// A non-core field as text.
    public subscript(field: TargetField) -> String? {
        get { values[text: field] }
        set { values[text: field] = newValue }
    }

    /// When the order was placed on the platform.
    public var orderDate: Timestamp? { values.date(.siparis_tarihi) }

    /// When the platform last changed the order, where the export says (`guncelleme_tarihi`).
    public var updatedAt: Timestamp? { values.date(.guncelleme_tarihi) }

    /// What the platform refunded to the buyer so far (`iade_tutari`).
    public var refunded: Money { values.money(.iade_tutari) ?? .zero }

    /// The lines that count: cancelled and returned lines are excluded.
    public var billableLines: [OrderLine] { lines.filter { !$0.status.isVoid } }
}

/// One order line (`siparis_urunleri`), with its product (`urunler`).
public struct OrderLine: Sendable, Equatable {
    /// Identifies the line within its order across re-exports (platform line id, or package + barcode).
    public var key: String
    public var sku: String
    /// 0 only for a cancelled or returned line (some platforms write 0 for cancelled items).
    public var quantity: Int
    /// Unit price the buyer pays after discounts, VAT included (`birim_fiyat`).
    public var unitPrice: Money
    /// The line's total as it will be invoiced, VAT included (`toplam_fiyat`).
    public var lineTotal: Money
    /// KDV rate in percent (0, 1, 8, 10, 18, 20).
    public var vatRate: Int
    public var platformDiscount: Money
    public var status: OrderStatus
    /// Barcode, product name, category, package… (``TargetField/valueFields(_:)``).
    public var values: FieldValues
    public var position: SourcePosition

    public init(key: String, sku: String, quantity: Int, unitPrice: Money, lineTotal: Money,
                vatRate: Int, status: OrderStatus, position: SourcePosition, platformDiscount: Money = .zero,
                values: FieldValues = FieldValues()) {
        self.key = key
        self.sku = sku
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.lineTotal = lineTotal
        self.vatRate = vatRate
        self.platformDiscount = platformDiscount
        self.status = status
        self.values = values
        self.position = position
    }

    /// A non-core field as text.
    public subscript(field: TargetField) -> String? {
        get { values[text: field] }
        set { values[text: field] = newValue }
    }
}
