/// One order as the order schema knows it, whatever platform it came from.
///
/// Amount semantics are the same for every platform: ``OrderLine/lineTotal`` is what that
/// line is invoiced at (VAT included), ``total`` what the buyer pays for the order.
public struct NormalizedOrder: Sendable, Equatable {
    /// The platform's order number (`siparisler.siparis_numarasi`).
    public var orderNumber: String
    public var orderDate: Timestamp?
    public var status: OrderStatus
    /// The platform's own status label, kept as written.
    public var platformStatus: String?
    public var paymentStatus: String?
    /// ISO 4217 code, `TRY` unless the file says otherwise.
    public var currency: String
    /// What the buyer pays for the whole order (`toplam_tutar`), VAT and shipping included.
    public var total: Money
    /// The shipping charge (`kargo_ucreti`), VAT included.
    public var shipping: Money
    /// Discounts funded by the platform: invoiced to the platform, not paid by the buyer.
    public var platformDiscount: Money
    public var customer: Customer
    public var shippingAddress: Address
    public var billingAddress: Address
    public var carrier: String?
    public var trackingNumber: String?
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
        self.customer = Customer()
        self.shippingAddress = Address()
        self.billingAddress = Address()
        self.lines = []
        self.position = position
    }

    /// The lines that count: cancelled and returned lines are excluded.
    public var billableLines: [OrderLine] { lines.filter { !$0.status.isVoid } }
}

/// One order line (`siparis_urunleri`), with its product (`urunler`).
public struct OrderLine: Sendable, Equatable {
    /// Identifies the line within its order across re-exports (platform line id, or package + barcode).
    public var key: String
    public var sku: String
    public var barcode: String?
    public var productName: String?
    public var category: String?
    public var quantity: Int
    /// Unit price the buyer pays after discounts, VAT included (`birim_fiyat`).
    public var unitPrice: Money
    /// The line's total as it will be invoiced, VAT included (`toplam_fiyat`).
    public var lineTotal: Money
    /// KDV rate in percent (0, 1, 8, 10, 18, 20).
    public var vatRate: Int
    public var platformDiscount: Money
    public var packageNumber: String?
    public var status: OrderStatus
    public var position: SourcePosition

    public init(key: String, sku: String, quantity: Int, unitPrice: Money, lineTotal: Money,
                vatRate: Int, status: OrderStatus, position: SourcePosition) {
        self.key = key
        self.sku = sku
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.lineTotal = lineTotal
        self.vatRate = vatRate
        self.platformDiscount = .zero
        self.status = status
        self.position = position
    }
}

/// The buyer. Personal data: never logged at info level.
public struct Customer: Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var phone: String?
    public var companyName: String?
    /// Vergi kimlik numarası (10 digits) of a corporate buyer.
    public var taxNumber: String?
    public var taxOffice: String?
    /// T.C. kimlik numarası (11 digits) of an individual buyer, when the platform gives it.
    public var nationalId: String?
    public init() {}
}

/// A postal address as platforms give it: one free-text line plus district, city and country.
public struct Address: Sendable, Equatable {
    public var line: String?
    public var district: String?
    public var city: String?
    public var postalCode: String?
    public var country: String?
    public init() {}
}
