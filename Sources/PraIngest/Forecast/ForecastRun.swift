import Exporters
import Forecasting
import Foundation
import OrderCore
import OrderStore

/// `pra-ingest forecast`: each SKU's daily demand forecast with its intervals, stock advice where
/// a products file gave the stock, what the SKU's price history says, and (with `backtest`) how
/// good the forecasts would have been. SKUs are read a batch at a time and forecast on every core;
/// the reports are written as they go, so memory stays flat however many SKUs there are.
public struct ForecastRun {
    public struct Options: Sendable {
        /// The first day forecast; the history is everything before it.
        public var asOf: CalendarDay
        public var horizon = 28
        public var backtest = false
        public var origins = 4
        public var policy = ReorderAdvice.Policy()
        public init(asOf: CalendarDay) { self.asOf = asOf }
    }

    /// What a run did, for the command's output.
    public struct Summary: Sendable {
        public var skus = 0
        public var byClass: [DemandClass: Int] = [:]
        /// Files written, relative to the outbox.
        public var files: [String] = []
        public var stockKnown = 0
        public var toOrder = 0
        public var runningOut = 0
        public var priceEstimates = 0
        /// Per class (and `nil`: all): SKUs scored and mean RMSSE of ours, naive and seasonal naive.
        public var backtest: [(demandClass: DemandClass?, skus: Int, rmsse: Double, naive: Double, seasonalNaive: Double)] = []
    }

    let options: Options
    let outbox: OutboxWriter

    public init(options: Options, outbox: OutboxWriter) {
        self.options = options
        self.outbox = outbox
    }

    /// Forecasts the stored sales of `sellers` (codes; all the store's sellers when empty).
    public func run(store: OrderStore, sellers: [String]) throws -> Summary {
        let history = SalesHistory(store: store)
        let known = try history.sellers()
        let chosen = sellers.isEmpty ? known : try sellers.map { code in
            guard let s = known.first(where: { $0.code == code }) else {
                throw ReportError("no seller '\(code)' in the store; sellers: \(known.map(\.code).joined(separator: ", "))")
            }
            return s
        }
        return try run(prices: true) { body in
            for seller in chosen {
                let catalogue = Dictionary(try ProductStore(store: store).catalogue(sellerID: seller.id).map { ($0.sku, $0) },
                                           uniquingKeysWith: { a, _ in a })
                try history.eachSKU(sellerID: seller.id, before: options.asOf) { sku, days in
                    var h = SKUHistory(seller: seller.code, sku: sku, days: days, asOf: options.asOf)
                    h.stock = catalogue[sku]?.stock
                    h.unitCost = catalogue[sku]?.unitCost.map { Double($0.minorUnits) / 100 }
                    try body(h)
                }
            }
        }
    }

    /// Forecasts the series of a file (``SeriesFile``).
    public func run(series: SeriesFile) throws -> Summary {
        try run(prices: false) { body in try series.eachSKU(asOf: options.asOf, body) }
    }

    /// SKUs handed to the forecast at a time.
    static let batchSize = 512

    private func run(prices: Bool, source: ((SKUHistory) throws -> Void) throws -> Void) throws -> Summary {
        let day = options.asOf.description
        var summary = Summary()
        let forecast = try outbox.stream(folder: "reports", name: "forecast-\(day).csv")
        let reorder = try outbox.stream(folder: "reports", name: "reorder-\(day).csv")
        let price = prices ? try outbox.stream(folder: "reports", name: "prices-\(day).csv") : nil
        let backtest = options.backtest ? try outbox.stream(folder: "reports", name: "backtest-\(day).csv") : nil
        try forecast.append(Self.header(["seller", "sku", "date", "forecast", "lo80", "hi80", "lo95", "hi95", "method", "class"]))
        try reorder.append(Self.header(["seller", "sku", "stock", "days_of_cover", "reorder_point", "suggested_order", "runs_out"]))
        try price?.append(Self.header(["seller", "sku", "prices_seen", "elasticity", "elasticity_lo95", "elasticity_hi95",
                                       "best_price", "basis", "evidence"]))
        try backtest?.append(Self.header(["seller", "sku", "class", "method", "origins", "rmsse", "rmsse_naive",
                                          "rmsse_seasonal_naive"]))
        var scores: [DemandClass: (n: Int, ours: Double, naive: Double, seasonal: Double)] = [:]
        var batch: [SKUHistory] = []
        batch.reserveCapacity(Self.batchSize)
        func flush() throws {
            for outcome in Self.parallelMap(batch, { outcome(for: $0, prices: prices) }) {
                summary.skus += 1
                summary.byClass[outcome.demandClass, default: 0] += 1
                try forecast.append(outcome.forecastRows)
                if let row = outcome.reorderRow {
                    try reorder.append(row)
                    summary.stockKnown += 1
                    if outcome.ordersNow { summary.toOrder += 1 }
                    if outcome.runsOut { summary.runningOut += 1 }
                }
                if let row = outcome.priceRow { try price?.append(row) }
                if outcome.priceEstimated { summary.priceEstimates += 1 }
                if let s = outcome.score, let row = outcome.backtestRow {
                    try backtest?.append(row)
                    var t = scores[s.demandClass] ?? (0, 0, 0, 0)
                    t.n += 1; t.ours += s.rmsse; t.naive += s.naive; t.seasonal += s.seasonalNaive
                    scores[s.demandClass] = t
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
        try source { history in
            batch.append(history)
            if batch.count == Self.batchSize { try flush() }
        }
        try flush()
        // Nothing to forecast: no empty reports replace a day's earlier ones (the files go unwritten).
        guard summary.skus > 0 else { return summary }
        for file in [forecast, reorder, price, backtest].compactMap({ $0 }) {
            try file.commit()
            summary.files.append(file.relativePath)
        }
        if options.backtest {
            for c in DemandClass.allCases { if let t = scores[c], t.n > 0 { summary.backtest.append((c, t.n, t.ours / Double(t.n), t.naive / Double(t.n), t.seasonal / Double(t.n))) } }
            let all = scores.values.reduce((n: 0, ours: 0.0, naive: 0.0, seasonal: 0.0)) { ($0.n + $1.n, $0.ours + $1.ours, $0.naive + $1.naive, $0.seasonal + $1.seasonal) }
            if all.n > 0 { summary.backtest.append((nil, all.n, all.ours / Double(all.n), all.naive / Double(all.n), all.seasonal / Double(all.n))) }
            try outbox.write(Self.backtestTable(summary), folder: "reports", name: "backtest-classes-\(day).csv")
            summary.files.append("reports/backtest-classes-\(day).csv")
        }
        return summary
    }

    /// Everything one SKU contributes to the reports, made on a worker thread.
    struct Outcome {
        var demandClass: DemandClass
        var forecastRows: [UInt8]
        var reorderRow: [UInt8]?
        var ordersNow = false
        var runsOut = false
        var priceRow: [UInt8]?
        var priceEstimated = false
        var score: BacktestScore?
        var backtestRow: [UInt8]?
    }

    func outcome(for h: SKUHistory, prices: Bool) -> Outcome {
        h.units.withUnsafeBufferPointer { y in
            let (demandClass, model) = DemandForecaster.model(for: y)
            let f = DemandForecast(demandClass: demandClass, model: model, horizon: options.horizon)
            var rows = DelimitedText()
            let seller = DelimitedText.Cell.text(h.seller), sku = DelimitedText.Cell.text(h.sku)
            let method = DelimitedText.Cell.text(model.name), cls = DelimitedText.Cell.text(demandClass.rawValue)
            for i in 0..<options.horizon {
                rows.row([seller, sku, .number(options.asOf.adding(days: i).description), .decimal(f.mean[i]), .decimal(f.lo80[i]),
                          .decimal(f.hi80[i]), .decimal(f.lo95[i]), .decimal(f.hi95[i]), method, cls])
            }
            var out = Outcome(demandClass: demandClass, forecastRows: rows.takeUTF8())
            if let stock = h.stock {
                let advice = ReorderAdvice(model: model, stock: stock, policy: options.policy)
                rows.row([seller, sku, .integer(stock), advice.daysOfCover.map { .decimal($0, decimals: 1) } ?? .number(""),
                          .integer(advice.reorderPoint), .integer(advice.suggestedOrder), .text(advice.runsOut ? "yes" : "no")])
                out.reorderRow = rows.takeUTF8()
                out.ordersNow = advice.suggestedOrder > 0
                out.runsOut = advice.runsOut
            }
            if prices {
                let days = zip(h.units, h.prices).map { PriceEvidence.Day(units: $0, price: $1) }
                let seen = Set(h.prices.compactMap { $0.map { ($0 * 100).rounded() } }).count
                switch PriceEvidence.assess(days, unitCost: h.unitCost) {
                case .unsupported(let why):
                    rows.row([seller, sku, .integer(seen), .number(""), .number(""), .number(""), .number(""), .number(""), .text(why)])
                case .estimate(let e, let low, let high, let best, let byMargin, let levels):
                    let evidence = levels.map { "\(Self.price($0.price)) TL: \($0.days) days, \(Int($0.units)) units" }
                        .joined(separator: " · ")
                        + (low < 0 && high > 0 ? " · the price made no difference the data can tell apart from chance" : "")
                    rows.row([seller, sku, .integer(seen), .decimal(e), .decimal(low), .decimal(high), .decimal(best),
                              .text(byMargin ? "margin per day" : "revenue per day (no unit cost known)"), .text(evidence)])
                    out.priceEstimated = true
                }
                out.priceRow = rows.takeUTF8()
            }
            if options.backtest, let s = Backtest.score(y, origins: options.origins, horizon: options.horizon) {
                rows.row([seller, sku, .text(s.demandClass.rawValue), .text(s.method), .integer(s.origins), .decimal(s.rmsse, decimals: 4),
                          .decimal(s.naive, decimals: 4), .decimal(s.seasonalNaive, decimals: 4)])
                out.score = s
                out.backtestRow = rows.takeUTF8()
            }
            return out
        }
    }

    static func price(_ p: Double) -> String {
        var t = DelimitedText()
        t.row([.decimal(p)])
        return String(decoding: t.takeUTF8().dropLast(2), as: UTF8.self)
    }

    static func header(_ names: [String]) -> [UInt8] {
        var t = DelimitedText()
        t.row(names.map { .text($0) })
        return DelimitedText.byteOrderMark + t.takeUTF8()
    }

    static func backtestTable(_ s: Summary) -> [UInt8] {
        var t = DelimitedText()
        for b in s.backtest {
            t.row([.text(b.demandClass?.rawValue ?? "all"), .integer(b.skus), .decimal(b.rmsse, decimals: 4), .decimal(b.naive, decimals: 4),
                   .decimal(b.seasonalNaive, decimals: 4), .decimal(b.rmsse / b.seasonalNaive, decimals: 3)])
        }
        return header(["class", "skus", "rmsse", "rmsse_naive", "rmsse_seasonal_naive", "ratio_to_seasonal_naive"]) + t.takeUTF8()
    }

    /// `transform` of every item, on every core; results in the items' order.
    static func parallelMap<T, R>(_ items: [T], _ transform: (T) -> R) -> [R] {
        guard items.count > 1 else { return items.map(transform) }
        let results = UnsafeMutableBufferPointer<R>.allocate(capacity: items.count)
        defer { results.deallocate() }
        let workers = min(items.count, ProcessInfo.processInfo.activeProcessorCount)
        withoutActuallyEscaping(transform) { transform in
            items.withUnsafeBufferPointer { input in
                nonisolated(unsafe) let (input, results, transform) = (input, results, transform)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var i = w
                    while i < input.count {
                        (results.baseAddress! + i).initialize(to: transform(input[i]))
                        i += workers
                    }
                }
            }
        }
        defer { _ = results.baseAddress!.deinitialize(count: items.count) }
        return Array(results)
    }
}

/// A report (forecast, feed) that cannot be made: an unknown seller, a bad template.
public struct ReportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
