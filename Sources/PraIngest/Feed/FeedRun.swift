import Exporters
import Foundation
import OrderCore
import OrderStore
import Parsers

/// A seller's `feed:` settings (`sellers.<code>.feed` in pra.yaml): the feed's title and link
/// templates for products whose file gave no page or image (`{sku}`, `{barcode}` filled in).
public struct FeedSettings: Sendable, Equatable {
    public var title: String?
    public var link: String?
    public var imageLink: String?
    public init() {}
}

/// `pra-ingest feed`: the whole catalogue of each seller as a product feed in
/// `outbox/feeds/<format>-<seller>.xml`, and the products refused with their reasons in
/// `outbox/feeds/<format>-<seller>-refused.csv`.
public struct FeedRun {
    public struct Result: Sendable {
        public var seller: String
        public var path: String
        public var written: Int
        public var refused: [ProductFeed.Refusal]
    }

    let feed: ProductFeed
    let outbox: OutboxWriter

    public init(feed: ProductFeed, outbox: OutboxWriter) {
        self.feed = feed
        self.outbox = outbox
    }

    public func run(store: OrderStore, config: Configuration, sellers: [String]) throws -> [Result] {
        let known = try SalesHistory(store: store).sellers()
        let chosen = sellers.isEmpty ? known : try sellers.map { code in
            guard let s = known.first(where: { $0.code == code }) else {
                throw ReportError("no seller '\(code)' in the store; sellers: \(known.map(\.code).joined(separator: ", "))")
            }
            return s
        }
        var results: [Result] = []
        for seller in chosen {
            let settings = config.sellers[seller.code]
            let products = try ProductStore(store: store).catalogue(sellerID: seller.id).map {
                Self.feedProduct($0, settings: settings?.feed ?? FeedSettings())
            }
            guard !products.isEmpty else { continue }
            let title = settings?.feed.title ?? settings?.profile?.name ?? seller.code
            let link = settings?.profile?.webSite ?? settings?.feed.link.map { Self.origin($0) } ?? "https://example.invalid/"
            let out = feed.write(products, title: title, link: link)
            let name = "\(feed.name)-\(seller.code)"
            var refusals = DelimitedText()
            refusals.row([.text("sku"), .text("reason")])
            for r in out.refused { refusals.row([.text(r.sku), .text(r.reason)]) }
            let paths = try outbox.write([OutboxWriter.Item(folder: "feeds", name: name + ".xml", bytes: out.bytes),
                                          OutboxWriter.Item(folder: "feeds", name: name + "-refused.csv",
                                                            bytes: refusals.bytes(.utf8_bom))])
            results.append(Result(seller: seller.code, path: paths[0], written: out.written, refused: out.refused))
        }
        return results
    }

    /// The product with the seller's link templates filled in where its file gave no page or image.
    static func feedProduct(_ p: Product, settings: FeedSettings) -> Product {
        var f = p
        f.link = p.link ?? settings.link.map { fill($0, p) }
        f.imageLink = p.imageLink ?? settings.imageLink.map { fill($0, p) }
        return f
    }

    /// A link template with the product's SKU and barcode put in, percent-encoded.
    static func fill(_ template: String, _ p: Product) -> String {
        func encoded(_ s: String?) -> String { (s ?? "").addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? "" }
        return template.replacingOccurrences(of: "{sku}", with: encoded(p.sku)).replacingOccurrences(of: "{barcode}", with: encoded(p.barcode))
    }

    static func origin(_ url: String) -> String {
        guard let u = URL(string: url), let scheme = u.scheme, let host = u.host else { return url }
        return "\(scheme)://\(host)/"
    }
}

/// A feed a seller describes (`feeds/<name>.yaml` in the home) for a marketplace that publishes
/// no open format (Akakçe, Cimri): the root and item elements, each element's attribute, and the
/// elements a product cannot go without — filled from the spec the account manager gives.
public enum FeedTemplate {
    public static func load(path: String) throws -> ProductFeed {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ReportError("\(path): cannot be read")
        }
        let file = (path as NSString).lastPathComponent
        do {
            guard let top = try YAMLNode.parse(text, file: file) else { throw ReportError("\(path): empty template") }
            _ = try top.pairs(allowed: ["name", "root", "container", "item", "fields", "required"])
            guard let fieldsNode = top.value("fields") else { throw top.error("a template needs fields: element: attribute") }
            var fields: [(element: String, attribute: String)] = []
            for (element, keyNode, v) in try fieldsNode.pairs() {
                guard Self.isName(element) else { throw keyNode.error("'\(element)' is not an XML element name") }
                let attribute = try v.string()
                guard ProductFeed.attributes.contains(attribute) else {
                    throw v.error("unknown attribute '\(attribute)'; one of: \(ProductFeed.attributes.joined(separator: ", "))")
                }
                fields.append((element, attribute))
            }
            let required = Set(try top.value("required")?.strings() ?? [])
            for r in required where !fields.contains(where: { $0.element == r }) {
                throw top.error("required element '\(r)' is not among the fields")
            }
            var names: [String] = []
            for key in ["root", "item"] {
                guard let n = top.value(key) else { throw top.error("a template needs '\(key)'") }
                let name = try n.string()
                guard Self.isName(name) else { throw n.error("'\(name)' is not an XML element name") }
                names.append(name)
            }
            let container = try top.value("container")?.string()
            let name = try top.value("name")?.string() ?? (file as NSString).deletingPathExtension
            return ProductFeed(name: OutboxWriter.safeName(name), root: names[0], container: container, item: names[1],
                               fields: fields, required: required)
        } catch let e as MappingError {
            throw ReportError(e.description)
        }
    }

    /// An XML element name of letters, digits, `_`, `-`, `.` and one prefix `:`.
    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.:".unicodeScalars.contains($0) }
            && s.filter { $0 == ":" }.count <= 1
    }
}
