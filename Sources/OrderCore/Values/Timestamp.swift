/// A moment with the UTC offset it was observed in, rendered as ISO 8601
/// (`2026-11-23T14:05:00+03:00`): the instant is exact and the local time stays readable.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int64
    /// The offset from UTC, in seconds, of the local time this was written in.
    public var utcOffsetSeconds: Int32

    public init(epochSeconds: Int64, utcOffsetSeconds: Int32) {
        self.epochSeconds = epochSeconds
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.epochSeconds < b.epochSeconds }

    /// The local calendar fields of this moment (in its own offset).
    public var local: CivilDateTime {
        CivilDateTime(localEpochSeconds: epochSeconds + Int64(utcOffsetSeconds))
    }

    /// `2026-11-23T14:05:00+03:00`
    public var description: String {
        let c = local
        let off = Int(utcOffsetSeconds)
        let h = abs(off) / 3600, m = abs(off) % 3600 / 60
        guard (0...9999).contains(c.year) else { return "\(c.dateString)T\(c.timeString)\(off < 0 ? "-" : "+")\(pad2(h)):\(pad2(m))" }
        // Written into one buffer: this runs for every date stored.
        return String(unsafeUninitializedCapacity: 25) { out in
            var i = 0
            func put(_ value: Int, digits: Int) {
                var v = value, d = digits
                while d > 0 {
                    d -= 1
                    out[i + d] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
                i += digits
            }
            func put(_ ascii: Unicode.Scalar) {
                out[i] = UInt8(ascii: ascii)
                i += 1
            }
            put(c.year, digits: 4); put("-"); put(c.month, digits: 2); put("-"); put(c.day, digits: 2); put("T")
            put(c.hour, digits: 2); put(":"); put(c.minute, digits: 2); put(":"); put(c.second, digits: 2)
            put(off < 0 ? "-" : "+"); put(h, digits: 2); put(":"); put(m, digits: 2)
            return i
        }
    }
}

/// Calendar fields without a time zone, with conversions to and from days since 1970.
public struct CivilDateTime: Sendable, Hashable {
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }

    init(localEpochSeconds s: Int64) {
        let days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        let secs = Int(s - days * 86_400)
        let (y, m, d) = Self.civil(fromDays: days)
        self.init(year: y, month: m, day: d, hour: secs / 3600, minute: secs % 3600 / 60, second: secs % 60)
    }

    /// Whether the fields name a real date and time (no 31 February, no hour 24).
    public var isValid: Bool {
        guard (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute),
              (0...59).contains(second), (1...9999).contains(year) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...lengths[month - 1]).contains(day)
    }

    /// Seconds since 1970 if these fields were UTC.
    public var epochSecondsAsUTC: Int64 {
        Self.days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// `2026-11-23`
    public var dateString: String { "\(pad4(year))-\(pad2(month))-\(pad2(day))" }
    /// `23.11.2026`, as Turkish documents and ERPs write dates.
    public var turkishDateString: String { "\(pad2(day)).\(pad2(month)).\(pad4(year))" }
    /// `20261123-140500`, for file names that sort by time.
    public var compactStamp: String {
        "\(pad4(year))\(pad2(month))\(pad2(day))-\(pad2(hour))\(pad2(minute))\(pad2(second))"
    }
    /// `14:05:00`
    public var timeString: String { "\(pad2(hour)):\(pad2(minute)):\(pad2(second))" }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }
}

func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
func pad4(_ v: Int) -> String {
    v >= 1000 ? "\(v)" : String(repeating: "0", count: 4 - String(v).count) + "\(v)"
}
