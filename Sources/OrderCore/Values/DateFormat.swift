import Foundation

/// One way a file writes dates: a pattern such as `dd.MM.yyyy HH:mm`, or a named format.
///
/// Pattern letters: `yyyy` year (`yy`: 2000 + two digits), `MM` month (`MMM`: its name, English
/// or Turkish, `Jul`, `Tem`, `Temmuz`), `dd` day, `HH` hour, `mm` minute, `ss` second
/// (each of these two-letter fields also takes a single digit when the text has one there),
/// `h` hour 1–12 with `a` for AM/PM (`ÖÖ`/`ÖS` too), `SSS` fraction (ignored), `Z` a UTC offset (`+0300`, `+03:00` or `Z`); any other character
/// must appear as written: a letter in single quotes (`'T'`, `'Saat'`; `''` is a quote), `T` also bare.
/// ``problem(inPattern:)`` refuses a pattern that cannot mean what its writer meant. Named formats: `iso8601`, `epoch_ms`, `epoch_ms_local`, `epoch_s`, `excel_serial`.
/// A date without an offset is local time in the mapping's time zone (Europe/Istanbul).
public enum DateFormat: Sendable, Hashable, CustomStringConvertible {
    case pattern(String)
    case iso8601
    case epochMilliseconds
    /// Epoch milliseconds whose clock reading is local time in the mapping's zone (Trendyol's
    /// `orderDate` is "transmitted as GMT+3": 14:05 in Istanbul is 14:05 UTC's milliseconds).
    case epochMillisecondsLocal
    case epochSeconds
    case excelSerial

    public init?(name: String) {
        switch name {
        case "iso8601": self = .iso8601
        case "epoch_ms": self = .epochMilliseconds
        case "epoch_ms_local": self = .epochMillisecondsLocal
        case "epoch_s": self = .epochSeconds
        case "excel_serial": self = .excelSerial
        default:
            guard name.contains("yy") && name.contains("M") && name.contains("d") else { return nil }
            self = .pattern(name)
        }
    }

    public var description: String {
        switch self {
        case .pattern(let p): return p
        case .iso8601: return "iso8601"
        case .epochMilliseconds: return "epoch_ms"
        case .epochMillisecondsLocal: return "epoch_ms_local"
        case .epochSeconds: return "epoch_s"
        case .excelSerial: return "excel_serial"
        }
    }

    /// Parses `text`; naive local times are placed in `zone`.
    public func parse(_ text: String, zone: TimeZone) -> Timestamp? {
        switch self {
        case .pattern, .iso8601: return text.withUTF8Bytes { parse(utf8: $0, zone: zone) }
        case .epochMilliseconds:
            guard let ms = Int64(text), ms.magnitude / 1000 <= Self.maxEpochSeconds else { return nil }
            return Self.instant(epochSeconds: ms >= 0 ? ms / 1000 : (ms - 999) / 1000, zone: zone)
        case .epochMillisecondsLocal:
            guard let ms = Int64(text), ms.magnitude / 1000 <= Self.maxEpochSeconds else { return nil }
            return Self.local(CivilDateTime(localEpochSeconds: ms >= 0 ? ms / 1000 : (ms - 999) / 1000), zone: zone)
        case .epochSeconds:
            guard let s = Int64(text), s.magnitude <= Self.maxEpochSeconds else { return nil }
            return Self.instant(epochSeconds: s, zone: zone)
        case .excelSerial:
            // Days since 1899-12-30 (Excel's epoch after its 1900 leap-year bug), local time.
            guard let serial = Double(text.replacingOccurrences(of: ",", with: ".")), serial.isFinite, serial > 0, serial < 2_958_466 else { return nil }
            let seconds = Int64((serial * 86_400).rounded())
            let local = CivilDateTime(localEpochSeconds: seconds - 25_569 * 86_400)
            return Self.local(local, zone: zone)
        }
    }

    /// ``parse(_:zone:)`` over UTF-8, read in place for a pattern (no string made).
    public func parse(utf8 text: UnsafeBufferPointer<UInt8>, zone: TimeZone) -> Timestamp? {
        func byPattern(_ pattern: String) -> Timestamp? { pattern.withUTF8Bytes { Self.parse(text, pattern: $0, zone: zone) } }
        switch self {
        case .pattern(let p): return byPattern(p)
        case .iso8601:
            return byPattern("yyyy-MM-ddTHH:mm:ssZ") ?? byPattern("yyyy-MM-ddTHH:mm:ss.SSSZ") ?? byPattern("yyyy-MM-ddTHH:mm:ss")
                ?? byPattern("yyyy-MM-ddTHH:mm:ss.SSS") ?? byPattern("yyyy-MM-dd")
        case .epochMilliseconds, .epochMillisecondsLocal, .epochSeconds, .excelSerial:
            return parse(String(decoding: text, as: UTF8.self), zone: zone)
        }
    }

    /// Why `pattern` cannot be what its writer meant, or `nil`: a field twice (`HH:MM`, minutes
    /// written as months), an unknown letter, hours without minutes, `h` without `a`, a quote left open.
    public static func problem(inPattern pattern: String) -> String? {
        let p = Array(pattern)
        var counts: [Character: Int] = [:]
        var runs: [(letter: Character, length: Int)] = []
        var i = 0
        while i < p.count {
            let c = p[i]
            if c == "'" {
                // A quoted literal; '' is a quote.
                guard let close = p[(i + 1)...].firstIndex(of: "'") else {
                    return "a quote opened at character \(i + 1) is never closed (literal text goes in single quotes: 'T')"
                }
                i = close + 1
                continue
            }
            // A word of letters is pattern letters throughout (yyyyMMdd), or literal text that needs quotes.
            var end = i
            while end < p.count && p[end].isASCII && p[end].isLetter { end += 1 }
            if end > i, String(p[i..<end]) != "T", p[i..<end].contains(where: { !"yMdHhmsSaZT".contains($0) }) {
                let word = String(p[i..<end])
                return "'\(word)' is no pattern: write literal text in single quotes ('\(word)'); pattern letters are "
                    + "yyyy MM dd HH mm ss, h with a, SSS and Z"
            }
            var n = 1
            while i + n < p.count && p[i + n] == c { n += 1 }
            i += n
            guard c.isASCII && c.isLetter, c != "T" else { continue }
            counts[c, default: 0] += 1
            runs.append((c, n))
        }
        let names: [Character: String] = ["y": "year", "M": "month", "d": "day", "H": "hour", "h": "hour", "m": "minute",
                                          "s": "second", "S": "fraction", "a": "AM/PM", "Z": "offset"]
        for (letter, count) in counts.sorted(by: { $0.key < $1.key }) where count > 1 {
            let hint = letter == "M" && counts["m"] == nil ? " (months are MM, minutes mm)" : ""
            return "the \(names[letter]!) is written \(count) times ('\(letter)')\(hint)"
        }
        if counts["H"] != nil && counts["h"] != nil { return "the hour is written twice (HH and h)" }
        for (letter, length) in runs {
            switch letter {
            case "y" where length != 2 && length != 4: return "a year is yyyy (or yy), not \(String(repeating: "y", count: length))"
            case "d", "H", "h", "m", "s":
                if length > 2 { return "'\(String(repeating: letter, count: length))': at most two letters (\(letter)\(letter))" }
            default: break
            }
        }
        let hours = counts["H"] != nil || counts["h"] != nil
        if hours && counts["m"] == nil { return "hours without minutes: write the minutes as mm (MM are months)" }
        if !hours && counts["m"] != nil { return "minutes without hours (HH, or h with a)" }
        if counts["m"] == nil && counts["s"] != nil { return "seconds without minutes" }
        if counts["h"] != nil && counts["a"] == nil { return "a 12-hour clock (h) needs AM/PM (a); a 24-hour clock is HH" }
        if counts["a"] != nil && counts["h"] == nil { return "AM/PM (a) goes with a 12-hour clock (h)" }
        return nil
    }

    /// Month names and their three-letter forms, English and Turkish.
    static let monthNames: [[String]] = [
        ["jan", "january", "oca", "ocak"], ["feb", "february", "şub", "şubat", "sub", "subat"], ["mar", "march", "mart"],
        ["apr", "april", "nis", "nisan"], ["may", "mayıs", "mayis"], ["jun", "june", "haz", "haziran"],
        ["jul", "july", "tem", "temmuz"], ["aug", "august", "ağu", "ağustos", "agu", "agustos"],
        ["sep", "sept", "september", "eyl", "eylül", "eylul"], ["oct", "october", "eki", "ekim"],
        ["nov", "november", "kas", "kasım", "kasim"], ["dec", "december", "ara", "aralık", "aralik"],
    ]

    /// 1–12 for a month's name or its abbreviation, in English or Turkish, any case.
    static func month(named name: String) -> Int? {
        let folded = TurkishCase.lower(name)
        return monthNames.firstIndex { $0.contains(folded) }.map { $0 + 1 }
    }

    /// The pattern with day and month swapped (`dd/MM/yyyy` ↔ `MM/dd/yyyy`), to tell a file that
    /// writes the month first from one that means what the mapping says.
    public var swappingDayAndMonth: DateFormat? {
        guard case .pattern(let p) = self, p.contains("dd"), p.contains("MM"), !p.contains("MMM") else { return nil }
        return .pattern(p.replacingOccurrences(of: "dd", with: "\u{1}").replacingOccurrences(of: "MM", with: "dd")
            .replacingOccurrences(of: "\u{1}", with: "MM"))
    }

    /// Epoch values beyond the year 9999 are no dates (and would overflow calendar arithmetic).
    static let maxEpochSeconds: UInt64 = 253_402_300_799

    /// The moment `epochSeconds` with the offset `zone` has then.
    public static func instant(epochSeconds: Int64, zone: TimeZone) -> Timestamp {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
        return Timestamp(epochSeconds: epochSeconds, utcOffsetSeconds: Int32(offset))
    }

    /// Places naive local fields in `zone`.
    static func local(_ c: CivilDateTime, zone: TimeZone) -> Timestamp? {
        guard c.isValid else { return nil }
        let asUTC = c.epochSecondsAsUTC
        // The offset at the guessed instant, corrected once (enough outside DST gaps).
        var offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(asUTC)))
        offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(asUTC - Int64(offset))))
        return Timestamp(epochSeconds: asUTC - Int64(offset), utcOffsetSeconds: Int32(offset))
    }

    private static func parse(_ t: UnsafeBufferPointer<UInt8>, pattern p: UnsafeBufferPointer<UInt8>, zone: TimeZone) -> Timestamp? {
        var ti = 0, pi = 0
        var c = CivilDateTime(year: 0, month: 1, day: 1)
        var offset: Int?
        var hour12: Int?, pm: Bool?

        func digits(_ n: Int) -> Int? {
            guard ti + n <= t.count else { return nil }
            var v = 0
            for k in 0..<n {
                let b = t[ti + k]
                guard b >= 0x30 && b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            ti += n
            return v
        }
        func run(_ letter: UInt8) -> Int {
            var n = 0
            while pi + n < p.count && p[pi + n] == letter { n += 1 }
            return n
        }

        while pi < p.count {
            let letter = p[pi]
            if letter == UInt8(ascii: "'") {
                // Literal text in quotes, as written; '' is a quote.
                if pi + 1 < p.count && p[pi + 1] == letter {
                    guard ti < t.count, t[ti] == letter else { return nil }
                    ti += 1
                    pi += 2
                    continue
                }
                pi += 1
                while pi < p.count && p[pi] != letter {
                    guard ti < t.count, t[ti] == p[pi] else { return nil }
                    ti += 1
                    pi += 1
                }
                pi += 1
                continue
            }
            if letter == UInt8(ascii: "M") && run(letter) >= 3 {
                // A month's name: the letters up to the next non-letter.
                var end = ti
                while end < t.count && (t[end] >= 0x80 || (t[end] | 0x20 >= 0x61 && t[end] | 0x20 <= 0x7A)) { end += 1 }
                guard let month = Self.month(named: String(decoding: t[ti..<end], as: UTF8.self)) else { return nil }
                c.month = month
                ti = end
                pi += run(letter)
                continue
            }
            if letter == UInt8(ascii: "a") {
                // AM / PM (Turkish ÖÖ / ÖS): the letters up to the next non-letter.
                var end = ti
                while end < t.count && (t[end] >= 0x80 || (t[end] | 0x20 >= 0x61 && t[end] | 0x20 <= 0x7A)) { end += 1 }
                switch TurkishCase.upper(String(decoding: t[ti..<end], as: UTF8.self)) {
                case "AM", "ÖÖ": pm = false
                case "PM", "ÖS": pm = true
                default: return nil
                }
                ti = end
                pi += run(letter)
                continue
            }
            if letter == UInt8(ascii: "h") {
                let n = run(letter)
                let isDigit = { (i: Int) in i < t.count && t[i] >= 0x30 && t[i] <= 0x39 }
                guard let v = digits(isDigit(ti) && !isDigit(ti + 1) ? 1 : 2), (1...12).contains(v) else { return nil }
                hour12 = v
                pi += n
                continue
            }
            if letter == UInt8(ascii: "y") && run(letter) == 2 {
                guard let v = digits(2) else { return nil }
                c.year = 2000 + v
                pi += 2
                continue
            }
            switch letter {
            case UInt8(ascii: "y"), UInt8(ascii: "M"), UInt8(ascii: "d"), UInt8(ascii: "H"),
                 UInt8(ascii: "m"), UInt8(ascii: "s"), UInt8(ascii: "S"):
                let n = run(letter)
                // `dd`, `MM`, `HH`, `mm`, `ss` also take one digit where the field ends early
                // (`3.11.2026 9:05`, as Excel writes dates back in a CSV re-save).
                let isDigit = { (i: Int) in i < t.count && t[i] >= 0x30 && t[i] <= 0x39 }
                // A single letter (`d`, `H`) takes one or two digits, as written.
                let width = n == 1 && letter != UInt8(ascii: "S") ? (isDigit(ti + 1) ? 2 : 1)
                    : n == 2 && letter != UInt8(ascii: "S") && isDigit(ti) && !isDigit(ti + 1) ? 1 : n
                guard let v = digits(width) else { return nil }
                switch letter {
                case UInt8(ascii: "y"): c.year = v
                case UInt8(ascii: "M"): c.month = v
                case UInt8(ascii: "d"): c.day = v
                case UInt8(ascii: "H"): c.hour = v
                case UInt8(ascii: "m"): c.minute = v
                case UInt8(ascii: "s"): c.second = v
                default: break // fraction of a second: read and dropped
                }
                pi += n
            case UInt8(ascii: "Z"):
                pi += run(letter)
                guard ti < t.count else { return nil }
                if t[ti] == UInt8(ascii: "Z") { offset = 0; ti += 1; continue }
                guard t[ti] == UInt8(ascii: "+") || t[ti] == UInt8(ascii: "-") else { return nil }
                let sign = t[ti] == UInt8(ascii: "-") ? -1 : 1
                ti += 1
                guard let h = digits(2) else { return nil }
                if ti < t.count && t[ti] == UInt8(ascii: ":") { ti += 1 }
                guard let m = digits(2), h <= 14, m < 60 else { return nil }
                offset = sign * (h * 3600 + m * 60)
            default:
                guard ti < t.count, t[ti] == letter else { return nil }
                ti += 1
                pi += 1
            }
        }
        if let hour12 {
            guard let pm else { return nil }
            c.hour = hour12 % 12 + (pm ? 12 : 0)
        }
        guard ti == t.count, c.isValid else { return nil }
        if let offset {
            return Timestamp(epochSeconds: c.epochSecondsAsUTC - Int64(offset), utcOffsetSeconds: Int32(offset))
        }
        return local(c, zone: zone)
    }
}
