import OrderCore

/// What a feed reads of a product. Its page and image are the product's own, or the seller's link
/// templates filled in (the caller's).
extension Product {
    /// `in_stock` / `out_of_stock`, from the stock; `nil` when the stock is unknown.
    public var availability: String? { stock.map { $0 > 0 ? "in_stock" : "out_of_stock" } }

    /// The barcode when it is a GTIN (8, 12, 13 or 14 digits with a right check digit).
    public var gtin: String? {
        guard let b = barcode, [8, 12, 13, 14].contains(b.count), b.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let digits = b.compactMap { $0.wholeNumberValue }
        var sum = 0
        for (i, d) in digits.dropLast().reversed().enumerated() { sum += d * (i % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10 == digits.last! ? b : nil
    }

    /// The value of a feed attribute by its name (``ProductFeed/attributes``).
    public func feedValue(_ attribute: String) -> String? {
        func present(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        // Only a web address is a link: a `javascript:` or `file:` one from a hostile file never reaches a feed.
        func webAddress(_ s: String?) -> String? {
            guard let s, let scheme = s.split(separator: ":", maxSplits: 1).first?.lowercased(),
                  scheme == "https" || scheme == "http", s.contains("://"), !s.contains(where: { $0.isWhitespace }) else { return nil }
            return s
        }
        switch attribute {
        case "id", "sku": return sku
        case "title": return present(name)
        case "description": return present(description)
        case "link": return webAddress(link)
        case "image_link": return webAddress(imageLink)
        case "availability": return availability
        case "stock": return stock.map { String(max(0, $0)) }
        case "price": return price.map { "\($0) \(currency ?? "TRY")" }
        case "price_number": return price?.description
        case "price_comma": return price.map { $0.description.replacingOccurrences(of: ".", with: ",") }
        case "currency": return present(currency) ?? (price == nil ? nil : "TRY")
        case "condition": return "new"
        case "brand": return present(brand)
        case "gtin": return gtin
        case "barcode": return present(barcode)
        case "category": return present(category)
        default: return nil
        }
    }
}

/// A product feed: which elements it writes, from which attributes, and which it cannot do
/// without. Google Merchant Center's is built in; marketplaces that publish no open format
/// (Akakçe, Cimri) get theirs from a template the seller fills (``FeedTemplate``).
public struct ProductFeed: Sendable {
    /// The attribute names a template may use.
    public static let attributes = ["id", "sku", "title", "description", "link", "image_link", "availability", "stock", "price",
                                    "price_number", "price_comma", "currency", "condition", "brand", "gtin", "barcode", "category"]

    public var name: String
    /// The document's root (with its attributes) and, inside it, the element around the items (`nil`: none).
    public var root: String
    public var rootAttributes: [(String, String)] = []
    public var container: String?
    /// The container starts with the feed's title, link and description (RSS's `channel`).
    public var describesChannel = false
    /// The element of each product.
    public var item: String
    /// Element name → attribute, in the order written.
    public var fields: [(element: String, attribute: String)]
    /// Elements a product cannot go without: one missing refuses the product.
    public var required: Set<String>

    public init(name: String, root: String, container: String?, item: String, fields: [(element: String, attribute: String)],
                required: Set<String>) {
        (self.name, self.root, self.container, self.item, self.fields, self.required) = (name, root, container, item, fields, required)
    }

    /// Google Merchant Center's RSS 2.0 product data feed (`g:` namespace). Google requires id,
    /// title, description, link, image_link, availability and price of every product; brand and
    /// gtin are written when known (a barcode that is not a valid GTIN is left out, not sent wrong).
    public static let google: ProductFeed = {
        var feed = ProductFeed(
            name: "google", root: "rss", container: "channel", item: "item",
            fields: [("g:id", "id"), ("g:title", "title"), ("g:description", "description"), ("g:link", "link"),
                     ("g:image_link", "image_link"), ("g:availability", "availability"), ("g:price", "price"),
                     ("g:condition", "condition"), ("g:brand", "brand"), ("g:gtin", "gtin"), ("g:product_type", "category")],
            required: ["g:id", "g:title", "g:description", "g:link", "g:image_link", "g:availability", "g:price"])
        feed.rootAttributes = [("version", "2.0"), ("xmlns:g", "http://base.google.com/ns/1.0")]
        feed.describesChannel = true
        return feed
    }()

    /// A product refused, and why.
    public struct Refusal: Sendable, Equatable {
        public var sku: String
        public var reason: String
    }

    /// The feed of `products` (the whole catalogue, every time), and the products refused.
    /// `title` and `link` name the channel, where the feed describes one.
    public func write(_ products: [Product], title: String, link: String) -> (bytes: [UInt8], written: Int, refused: [Refusal]) {
        let w = XMLDocumentWriter()
        w.start(root, rootAttributes)
        if let container {
            w.start(container)
            if describesChannel {
                w.element("title", title)
                w.element("link", link)
                w.element("description", "\(title) product feed")
            }
        }
        var refused: [Refusal] = []
        var written = 0
        for p in products {
            let missing = fields.filter { required.contains($0.element) && p.feedValue($0.attribute) == nil }
            guard missing.isEmpty else {
                let what = missing.map { "\($0.element) (\(Self.explain($0.attribute)))" }.joined(separator: ", ")
                refused.append(Refusal(sku: p.sku, reason: "missing " + what))
                continue
            }
            w.start(item)
            for (element, attribute) in fields { w.element(element, ifPresent: p.feedValue(attribute)) }
            w.end()
            written += 1
        }
        if container != nil { w.end() }
        w.end()
        return (w.finish(), written, refused)
    }

    /// Where an attribute comes from, for a refusal a seller can act on.
    static func explain(_ attribute: String) -> String {
        switch attribute {
        case "title": return "urun_adi: the product file's name column"
        case "description": return "aciklama: map the product file's description column"
        case "link": return "urun_linki, an http(s) address, or feed.link in pra.yaml"
        case "image_link": return "gorsel_linki, an http(s) address, or feed.image_link in pra.yaml"
        case "availability", "stock": return "stok_adedi: no stock reading yet"
        case "price", "price_number", "price_comma": return "satis_fiyati: no price in the product file"
        case "brand": return "marka"
        case "gtin": return "barkod, a valid GTIN"
        default: return attribute
        }
    }
}
