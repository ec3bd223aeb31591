/// Lets a repeating error through at most once a minute per message; the line that gets through
/// says how many like it were held back since.
struct LogLimiter {
    /// When each message was last let through, and how many were held back since.
    private var lastLogged: [String: (at: Double, suppressed: Int)] = [:]

    /// The line to log for `message` at `now` (monotonic seconds), or `nil` to hold it back.
    mutating func admit(_ message: String, now: Double) -> String? {
        if let last = lastLogged[message], now - last.at < 60 {
            lastLogged[message]?.suppressed += 1
            return nil
        }
        let more = lastLogged[message]?.suppressed ?? 0
        lastLogged[message] = (now, 0)
        if lastLogged.count > 1000 { lastLogged.removeAll() }
        return more > 0 ? "\(message) (\(more) more like it in the last minute)" : message
    }
}
