/// A product of a seller's catalogue: what it is, what it sells for, and how many are on hand.
/// Declared once: a products file fills it (``ProductReading``), the store keeps it, feeds and
/// stock advice read it. Fields a file does not carry are `nil`.
public struct Product: Sendable, Equatable {
    public var sku: String
    public var barcode: String?
    public var name: String?
    public var category: String?
    public var brand: String?
    public var description: String?
    /// The product's page and its main image, for product feeds.
    public var link: String?
    public var imageLink: String?
    /// Units on hand; a marketplace may show a negative stock when it sold more than it had.
    public var stock: Int?
    /// The sale price, VAT included, in ``currency``.
    public var price: Money?
    public var currency: String?
    public var vatRate: Int?
    /// What one unit costs the seller, for the margin of price evidence.
    public var unitCost: Money?

    public init(sku: String) { self.sku = sku }
}

/// One SKU as a product export shows it (`kind: products`): the product, and when its stock
/// was read.
public struct ProductReading: Sendable, Equatable {
    public var product: Product
    /// When the stock was read; `nil`: when the file was taken.
    public var readAt: Timestamp?
    public var position: SourcePosition

    /// The reading a `products` mapping made of a record, or `nil` without a SKU.
    public init?(_ record: MappedRecord) {
        let v = record.values
        guard let sku = v[text: .sku], !sku.isEmpty else { return nil }
        var p = Product(sku: sku)
        p.barcode = v[text: .barkod]
        p.name = v[text: .urun_adi]
        p.category = v[text: .kategori]
        p.brand = v[text: .marka]
        p.description = v[text: .aciklama]
        p.link = v[text: .urun_linki]
        p.imageLink = v[text: .gorsel_linki]
        p.stock = v[text: .stok_adedi].flatMap { Int($0) }
        p.price = v.money(.satis_fiyati)
        p.currency = v[text: .para_birimi]
        p.vatRate = v[text: .kdv_orani].flatMap { Int($0) }
        p.unitCost = v.money(.birim_maliyet)
        product = p
        readAt = v.date(.stok_zamani)
        position = record.position
    }
}
