import Foundation
import Glibc
import OrderCore
import OrderStore

/// One SKU's daily sales up to the day before the forecast, as the forecast reads them.
public struct SKUHistory: Sendable {
    public var seller: String
    public var sku: String
    /// The day of `units[0]`: the SKU's first sale (or the first day kept, for a long history).
    public var firstDay: CalendarDay
    /// Units sold each day, zeros included, through the day before the forecast.
    public var units: [Double]
    /// Each day's average price (VAT included), `nil` on days without a sale; empty when the
    /// source has no prices.
    public var prices: [Double?] = []
    /// Units on hand at the last stock reading, when a products file gave one.
    public var stock: Int?
    public var unitCost: Double?

    /// The longest history a forecast reads: three years.
    public static let maximumDays = 3 * 365

    /// The series of a SKU's stored sale days, through the day before `asOf`.
    init(seller: String, sku: String, days: [SalesHistory.Day], asOf: CalendarDay) {
        let start = max(days[0].day.ordinal, asOf.ordinal - Int64(Self.maximumDays))
        let count = Int(asOf.ordinal - start)
        var units = [Double](repeating: 0, count: count)
        var prices = [Double?](repeating: nil, count: count)
        for d in days where d.day.ordinal >= start && d.day.ordinal < asOf.ordinal {
            let i = Int(d.day.ordinal - start)
            units[i] = Double(d.units)
            if d.units > 0 { prices[i] = Double(d.revenue) / 100 / Double(d.units) }
        }
        self.init(seller: seller, sku: sku, firstDay: CalendarDay(ordinal: start), units: units, prices: prices)
    }

    public init(seller: String, sku: String, firstDay: CalendarDay, units: [Double], prices: [Double?] = []) {
        self.seller = seller
        self.sku = sku
        self.firstDay = firstDay
        self.units = units
        self.prices = prices
    }
}

/// A file of daily demand to forecast instead of the store's orders (`forecast --series`): demand
/// kept elsewhere, or the benchmark's series. `;`-separated, a header naming the columns
/// `sku;date;units` (and optionally `seller` first), ISO dates, each SKU's rows together and in
/// date order; a decimal comma or point. A malformed line stops the run with its line number.
public struct SeriesFile {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    let path: String

    public init(path: String) { self.path = path }

    /// Calls `body` with each SKU's history through the day before `asOf`.
    public func eachSKU(asOf: CalendarDay, _ body: (SKUHistory) throws -> Void) throws {
        guard let file = fopen(path, "r") else {
            throw Problem(description: "\(path): cannot be read (\(String(cString: strerror(errno))))")
        }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        var number = 0
        var columns: (seller: Int?, sku: Int, date: Int, units: Int)?
        var current: (seller: String, sku: String, days: [(CalendarDay, Double)])?
        var finished = Set<String>()
        func fail(_ why: String) -> Problem { Problem(description: "\(path):\(number): \(why)") }
        func emit() throws {
            guard let c = current, !c.days.isEmpty else { return }
            finished.insert(c.seller + "\u{1F}" + c.sku)
            let start = max(c.days[0].0.ordinal, asOf.ordinal - Int64(SKUHistory.maximumDays))
            guard start < asOf.ordinal else { return }
            var units = [Double](repeating: 0, count: Int(asOf.ordinal - start))
            for (day, u) in c.days where day.ordinal >= start && day.ordinal < asOf.ordinal { units[Int(day.ordinal - start)] += u }
            try body(SKUHistory(seller: c.seller, sku: c.sku, firstDay: CalendarDay(ordinal: start), units: units))
        }
        while getline(&line, &capacity, file) > 0 {
            number += 1
            var text = String(cString: line!)
            if number == 1, text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            if text.isEmpty { continue }
            let cells = text.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let cols = columns else {
                let names = cells.map { $0.lowercased() }
                guard let sku = names.firstIndex(of: "sku"), let date = names.firstIndex(of: "date"),
                      let units = names.firstIndex(of: "units") else {
                    throw fail("the header must name the columns sku, date and units (and may name seller), separated by ';'")
                }
                columns = (names.firstIndex(of: "seller"), sku, date, units)
                continue
            }
            guard cells.count > max(cols.sku, cols.date, cols.units, cols.seller ?? 0) else {
                throw fail("\(cells.count) cells, fewer than the header's columns")
            }
            let seller = cols.seller.map { cells[$0] } ?? "-"
            let sku = cells[cols.sku]
            guard !sku.isEmpty else { throw fail("no SKU") }
            guard let day = CalendarDay(iso: cells[cols.date]) else { throw fail("'\(cells[cols.date])' is not a date (yyyy-MM-dd)") }
            guard let units = Double(cells[cols.units].replacingOccurrences(of: ",", with: ".")), units.isFinite, units >= 0 else {
                throw fail("'\(cells[cols.units])' is not a number of units (0 or more)")
            }
            if current?.seller != seller || current?.sku != sku {
                try emit()
                guard !finished.contains(seller + "\u{1F}" + sku) else {
                    throw fail("SKU \(sku) appears again apart from its earlier rows: keep each SKU's rows together")
                }
                current = (seller, sku, [])
            }
            if let last = current!.days.last?.0, day < last { throw fail("\(day) comes after \(last): keep each SKU's days in order") }
            current!.days.append((day, units))
        }
        guard columns != nil else { throw Problem(description: "\(path): empty; a header sku;date;units and rows are needed") }
        try emit()
    }
}
