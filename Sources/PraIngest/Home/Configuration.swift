import Exporters
import Foundation
import OrderStore
import OrderCore
import Parsers

/// Settings from `pra.yaml`. Every key is optional; errors name `pra.yaml:line:column`.
///
/// The repository's own `pra.yaml` shows every key with a comment; `docs/invoices.md` explains
/// the invoicing ones, `docs/security.md` the limits.
public struct Configuration: Sendable {
    /// The seller code of files that are not in an `inbox/<seller>/` folder.
    public var defaultSeller = "demo"
    public var excludedStatuses: [OrderStatus] = [.iptal, .iade]
    /// When an order is invoiced (`invoicing.issue_at`): once shipped (default: the carrier and
    /// dispatch date are known then), or as soon as it lands.
    public var issueAt: IssueMoment = .shipped
    /// A shipped order still without an invoice after this many days is listed as needing action
    /// (`invoicing.late_after_days`; VUK 231/5 allows seven days after delivery).
    public var lateAfterDays = 5
    /// Which published rate an invoice in another currency takes (`exchange_rates:`).
    public var exchangeRates = ExchangeRatePolicy()

    /// When orders are invoiced.
    public enum IssueMoment: String, Sendable, CaseIterable {
        /// When the order reaches `kargoda` or `teslim_edildi`.
        case shipped
        /// As soon as it lands in a status not excluded.
        case landed

        /// The order statuses that are invoiced (`nil`: any not excluded).
        public var statuses: [OrderStatus]? { self == .shipped ? OrderStatus.shipped : nil }
    }
    public var invoiceBuilder = InvoiceBuilder()
    public var sellers: [String: SellerSettings] = [:]
    /// What a file may cost (``Limits``), from `limits:`.
    public var limits = Limits()
    /// The HTTP side of `pra-ingest run`, from `http:`.
    public var http = HTTPSettings()
    /// `forecast:`: how far forecasts look and how stock advice is made.
    public var forecast = ForecastSettings()
    /// `store:`: where the orders are stored (`sqlite:PATH` or `postgresql://…`); `nil`: pra.sqlite.
    public var store: String?

    /// `http:` — where `pra-ingest run` listens and what it allows.
    public struct HTTPSettings: Sendable, Equatable {
        /// `HOST:PORT`, or `off`.
        public var listen = "127.0.0.1:8470"
        /// `/metrics` without a key.
        public var publicMetrics = false
        /// Each key's token bucket: requests per second, and the burst it may save up.
        public var ratePerSecond = 5.0
        public var rateBurst = 20.0
        public init() {}
    }

    public init() {}

    /// A seller's invoice profile and ERP settings.
    public struct SellerSettings: Sendable {
        /// The seller's own VKN or TCKN (`tax_id`): the invoices it receives back must be its own.
        public var taxID: String?
        /// What PraIngest needs to issue the seller's invoices; `nil` with `issue_invoices: false`
        /// (its e-invoice provider issues them) or without a `tax_id`.
        public var profile: SellerProfile?
        /// `issue_invoices` (default true); false: the seller's e-invoice provider issues them.
        public var issuesInvoices = true
        /// Hold an e-Arşiv internet sale's invoice while it lacks payment, carrier or web data
        /// (default: write it and list what is missing in `status`).
        public var holdIncompleteInternetSales = false
        public var erpFormats: [ERPFormat] = []
        public var accountCode = "120.01.001"
        public var accounts: [String: String] = [:]
        /// A company buyer's own account, `{vkn}` standing for its VKN (Form BS is built per
        /// account from its tax number); `nil`: every buyer on the platform's account.
        public var companyAccount: String? = "120.02.{vkn}"
        public var erpOptions = ERPOptions()
        /// `feed:` — the product feeds' title and the links of products whose file gave none.
        public var feed = FeedSettings()

        /// The ERP account of a buyer on a platform: its own for a company with a VKN (by the
        /// rule), else the platform's shared one, else the default.
        public func account(platform: String, vkn: String?) -> String {
            if let vkn, let template = companyAccount { return template.replacingOccurrences(of: "{vkn}", with: vkn) }
            return accounts[platform] ?? accountCode
        }
    }

    /// Reads `pra.yaml` in `home`, or the defaults when there is none.
    public static func load(home: Home) throws(MappingError) -> Configuration {
        guard let text = try ConfigText.read(path: home.configFile.path, as: "pra.yaml", maxBytes: Limits().maxConfigBytes) else {
            return Configuration()
        }
        return try parse(text, file: "pra.yaml")
    }

    /// The settings a long-running process works with: `pra.yaml` when it loads, and then a copy
    /// of it is kept beside it (``Home/lastGoodConfigFile``); when it does not load, the last good
    /// copy, with the reason it was not taken (for the log). Without a last good copy a broken
    /// `pra.yaml` is an error: guessed defaults could hand one seller's files to another.
    /// - Parameter keep: whether a pra.yaml that loads becomes the last good copy (a process
    ///   that only reads where its store is leaves that to the watcher).
    public static func loadKeepingLastGood(home: Home, keep: Bool = true) throws(MappingError)
        -> (config: Configuration, problem: MappingError?) {
        let config: Configuration
        do {
            config = try load(home: home)
        } catch {
            let lastGood = home.lastGoodConfigFile
            guard let text = try? ConfigText.read(path: lastGood.path, as: "pra.yaml (last good copy)",
                                                  maxBytes: Limits().maxConfigBytes),
                  let kept = try? parse(text, file: "pra.yaml (last good copy)") else { throw error }
            return (kept, error)
        }
        if keep { keepAsLastGood(home) }
        return (config, nil)
    }

    /// Copies `pra.yaml` (or its absence, as an empty file) to the last good copy, atomically.
    private static func keepAsLastGood(_ home: Home) {
        let current = FileManager.default.contents(atPath: home.configFile.path) ?? Data()
        let target = home.lastGoodConfigFile
        guard FileManager.default.contents(atPath: target.path) != current else { return }
        _ = try? OutboxWriter(root: home.root).write(Array(current), folder: "", name: target.lastPathComponent)
    }

    public static func parse(_ text: String, file: String) throws(MappingError) -> Configuration {
        var c = Configuration()
        guard let top = try YAMLNode.parse(text, file: file) else { return c }
        _ = try top.pairs(allowed: ["default_seller", "invoicing", "sellers", "limits", "carriers", "http", "exchange_rates", "store", "forecast"])
        if let f = top.value("forecast") { c.forecast = try forecast(f) }
        if let s = top.value("store") {
            let text = try s.string()
            do { _ = try StoreLocation(parsing: text, home: "/") } catch { throw s.error(error.message) }
            c.store = text
        }
        if let r = top.value("exchange_rates") { c.exchangeRates = try exchangeRates(r) }
        if let h = top.value("http") { c.http = try http(h) }
        if let carriers = top.value("carriers") { c.invoiceBuilder.carriers = try carrierTable(carriers) }
        if let l = top.value("limits") { c.limits = try limits(l) }
        if let s = top.value("default_seller") {
            c.defaultSeller = try s.string()
            if let problem = SellerCode.problem(c.defaultSeller) { throw s.error(problem) }
        }
        if let inv = top.value("invoicing") { try invoicing(inv, into: &c) }
        if let sellers = top.value("sellers") {
            var seriesOwners: [String: String] = [:]
            for (code, keyNode, node) in try sellers.pairs() {
                if let problem = SellerCode.problem(code) { throw keyNode.error("seller '\(SellerCode.printable(code))': \(problem)") }
                let settings = try seller(code, node)
                // A series belongs to one seller: two sharing one would collide on numbers.
                for series in Set([settings.profile?.eFaturaSeries, settings.profile?.eArsivSeries].compactMap { $0 }) {
                    if let other = seriesOwners[series] {
                        throw keyNode.error("seller '\(code)' uses the invoice series \(series), which is seller '\(other)''s; "
                                            + "each seller needs its own series")
                    }
                    seriesOwners[series] = code
                }
                c.sellers[code] = settings
            }
        }
        return c
    }
}

extension Configuration.HTTPSettings {
    /// `127.0.0.1:8470` → ("127.0.0.1", 8470); `[::1]:8470` → ("::1", 8470); `nil` when it is not one.
    public static func hostAndPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}
