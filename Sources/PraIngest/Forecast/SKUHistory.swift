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
    /// Each day's average price in lira (VAT included), `nil` on days without a sale in lira;
    /// empty when the source has no prices.
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
            if d.liraUnits > 0 { prices[i] = Double(d.liraRevenue) / 100 / Double(d.liraUnits) }
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

    /// The `;`-separated cells of a line, spaces around them trimmed.
    static func cells(_ line: UnsafeBufferPointer<UInt8>) -> [UnsafeBufferPointer<UInt8>] {
        var out: [UnsafeBufferPointer<UInt8>] = []
        out.reserveCapacity(4)
        var start = 0
        for i in 0...line.count where i == line.count || line[i] == 0x3B {
            var (a, b) = (start, i)
            while a < b, line[a] == 0x20 { a += 1 }
            while b > a, line[b - 1] == 0x20 { b -= 1 }
            out.append(UnsafeBufferPointer(rebasing: line[a..<b]))
            start = i + 1
        }
        return out
    }

    /// `2026-10-01`.
    static func day(_ b: UnsafeBufferPointer<UInt8>) -> CalendarDay? {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard (0x30...0x39).contains(b[i]) else { return nil }; v = v * 10 + Int(b[i] - 0x30) }
            return v
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        return CalendarDay(year: y, month: m, day: d)
    }

    /// A non-negative number, decimal point or comma: `3`, `1,5`, `2.25`.
    static func units(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var whole = 0.0, fraction = 0.0, scale = 1.0, seenDigit = false, inFraction = false
        for c in b {
            switch c {
            case 0x30...0x39:
                seenDigit = true
                if inFraction { scale /= 10; fraction += Double(c - 0x30) * scale } else { whole = whole * 10 + Double(c - 0x30) }
            case 0x2C where !inFraction, 0x2E where !inFraction: inFraction = true
            default: return nil
            }
        }
        guard seenDigit, whole < 1e12 else { return nil }
        return whole + fraction
    }

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
        var currentKey: (sku: [UInt8], seller: [UInt8]) = ([], [])
        while true {
            let length = getline(&line, &capacity, file)
            guard length > 0 else { break }
            number += 1
            // Bytes, not Strings: a series file has millions of lines.
            var bytes = UnsafeBufferPointer(start: UnsafeRawPointer(line!).assumingMemoryBound(to: UInt8.self), count: length)
            if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
            var end = bytes.count
            while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
            if end == 0 { continue }
            let cells = Self.cells(UnsafeBufferPointer(rebasing: bytes[0..<end]))
            guard let cols = columns else {
                let names = cells.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
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
            guard !cells[cols.sku].isEmpty else { throw fail("no SKU") }
            guard let day = Self.day(cells[cols.date]) else {
                throw fail("'\(String(decoding: cells[cols.date], as: UTF8.self))' is not a date (yyyy-MM-dd)")
            }
            guard let units = Self.units(cells[cols.units]) else {
                throw fail("'\(String(decoding: cells[cols.units], as: UTF8.self))' is not a number of units (0 or more)")
            }
            let sameSKU = current != nil && cells[cols.sku].elementsEqual(currentKey.sku)
                && (cols.seller.map { cells[$0].elementsEqual(currentKey.seller) } ?? true)
            if !sameSKU {
                try emit()
                let seller = cols.seller.map { String(decoding: cells[$0], as: UTF8.self) } ?? "-"
                let sku = String(decoding: cells[cols.sku], as: UTF8.self)
                guard !finished.contains(seller + "\u{1F}" + sku) else {
                    throw fail("SKU \(sku) appears again apart from its earlier rows: keep each SKU's rows together")
                }
                current = (seller, sku, [])
                currentKey = (Array(cells[cols.sku]), cols.seller.map { Array(cells[$0]) } ?? [])
            }
            if let last = current!.days.last?.0, day < last { throw fail("\(day) comes after \(last): keep each SKU's days in order") }
            current!.days.append((day, units))
        }
        guard columns != nil else { throw Problem(description: "\(path): empty; a header sku;date;units and rows are needed") }
        try emit()
    }
}
