import ArgumentParser
import Foundation
import Forecasting
import OrderCore
import OrderStore
import PraIngest

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast each SKU's daily demand, advise on stock and price, and (with --backtest) measure the forecasts.",
        discussion: """
            Reads every order line before --as-of (all platforms together; cancelled and returned lines left out), classifies
            each SKU's demand (smooth, erratic, intermittent, lumpy; new under eight weeks) and forecasts it with the method of
            its class, with 80 % and 95 % intervals. Writes to outbox/reports/: forecast-<as-of>.csv, reorder-<as-of>.csv (SKUs
            whose stock a products file gave), prices-<as-of>.csv (what each SKU's price history supports), and with
            --backtest backtest-<as-of>.csv and backtest-classes-<as-of>.csv (RMSSE at rolling origins against naive and
            seasonal naive). pra.yaml forecast: sets horizon, lead_time_days, service_level and cover_days.
            """
    )

    @OptionGroup var options: HomeOptions

    @Option(help: "Only this seller's SKUs. Default: every seller.")
    var seller: String?

    @Option(name: .customLong("as-of"), help: "The first day forecast (yyyy-MM-dd); the history is everything before it. Default: today.")
    var asOf: String?

    @Option(help: "Days to forecast (1-366). Default: pra.yaml forecast.horizon, else 28.")
    var horizon: Int?

    @Flag(help: "Also score the forecasts at four rolling origins before --as-of.")
    var backtest = false

    @Option(help: "Forecast a file of daily demand (sku;date;units, optionally seller first) instead of the stored orders.")
    var series: String?

    func run() throws {
        let home = try options.openHome()
        let config = try Configuration.load(home: home)
        let day: CalendarDay
        if let asOf {
            guard let d = CalendarDay(iso: asOf) else { throw ValidationError("--as-of is a date written yyyy-MM-dd, not '\(asOf)'") }
            day = d
        } else {
            day = CalendarDay.today(in: TimeZone(identifier: "Europe/Istanbul") ?? .current)
        }
        var opts = ForecastRun.Options(asOf: day)
        opts.horizon = horizon ?? config.forecast.horizon
        guard (1...366).contains(opts.horizon) else { throw ValidationError("--horizon is from 1 to 366 days") }
        opts.backtest = backtest
        opts.policy = config.forecast.policy
        let run = ForecastRun(options: opts, outbox: OutboxWriter(root: home.outbox))
        let summary: ForecastRun.Summary
        do {
            if let series {
                summary = try run.run(series: SeriesFile(path: series))
            } else {
                summary = try run.run(store: try OrderStore(location: home.store), sellers: seller.map { [$0] } ?? [])
            }
        } catch let e as ReportError {
            Terminal.error(e.description)
            throw ExitCode(2)
        } catch let e as SeriesFile.Problem {
            Terminal.error(e.description)
            throw ExitCode(2)
        }
        print(ForecastCommand.describe(summary, options: opts))
        if summary.skus == 0 { throw ExitCode(1) }
    }

    static func describe(_ s: ForecastRun.Summary, options: ForecastRun.Options) -> String {
        var lines: [String] = []
        let classes = DemandClass.allCases.compactMap { c in s.byClass[c].map { "\($0) \(c.rawValue)" } }.joined(separator: ", ")
        lines.append("forecast from \(options.asOf) for \(options.horizon) days: \(s.skus) SKUs" + (classes.isEmpty ? "" : " (\(classes))"))
        if s.skus == 0 { return "forecast from \(options.asOf): no sales before that day, nothing to forecast; nothing written" }
        lines.append("stock known for \(s.stockKnown) SKUs: \(s.toOrder) to order now, \(s.runningOut) run out before an order "
                     + "placed today arrives (lead time \(options.policy.leadTimeDays) days)")
        lines.append("price: \(s.priceEstimates) SKUs with enough sales at several prices for an estimate")
        if !s.backtest.isEmpty {
            lines.append("")
            lines.append("backtest: \(options.origins) origins, \(options.horizon) days each; RMSSE (lower is better)")
            lines.append("class          SKUs     ours    naive  seasonal naive  ours/seasonal naive")
            for b in s.backtest {
                let name = b.demandClass?.rawValue ?? "all"
                lines.append(name.padding(toLength: 12, withPad: " ", startingAt: 0)
                             + String(format: "%7d %8.3f %8.3f %15.3f %20.3f", b.skus, b.rmsse, b.naive, b.seasonalNaive, b.rmsse / b.seasonalNaive))
            }
        }
        if !s.files.isEmpty { lines.append("written: " + s.files.map { "outbox/" + $0 }.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
