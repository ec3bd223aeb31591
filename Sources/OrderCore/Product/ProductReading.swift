/// One SKU of a seller's catalogue as a product export shows it (`kind: products`): what the
/// product is, and its stock and price at the time of the reading. Fields a file does not carry
/// are `nil` and leave what the store knows alone.
public struct ProductReading: Sendable, Equatable {
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
    public var vatRate: String?
    /// What one unit costs the seller, for the margin of price evidence.
    public var unitCost: Money?
    /// When the stock was read; `nil`: when the file was taken.
    public var readAt: Timestamp?
    public var position: SourcePosition

    public init(sku: String, position: SourcePosition) {
        self.sku = sku
        self.position = position
    }

    /// The reading a `products` mapping made of a record, or `nil` without a SKU.
    public init?(_ record: MappedRecord) {
        guard let sku = record.values[text: .sku], !sku.isEmpty else { return nil }
        self.init(sku: sku, position: record.position)
        let v = record.values
        barcode = v[text: .barkod]
        name = v[text: .urun_adi]
        category = v[text: .kategori]
        brand = v[text: .marka]
        description = v[text: .aciklama]
        link = v[text: .urun_linki]
        imageLink = v[text: .gorsel_linki]
        stock = v[text: .stok_adedi].flatMap { Int($0) }
        price = v.money(.satis_fiyati)
        currency = v[text: .para_birimi]
        vatRate = v[text: .kdv_orani]
        unitCost = v.money(.birim_maliyet)
        readAt = v.date(.stok_zamani)
    }
}
