import Foundation

/// Output helpers: errors to standard error, a progress bar when it is a terminal.
enum Terminal {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// A one-line progress bar on standard error, only on a terminal and for large files.
final class ProgressBar {
    let label: String
    private var lastPercent = -1

    init?(label: String) {
        guard isatty(2) == 1 else { return nil }
        self.label = label
    }

    func update(_ done: Int64, of total: Int64) {
        guard total > 8 << 20 else { return }
        let percent = Int(min(100, done * 100 / max(total, 1)))
        guard percent != lastPercent else { return }
        lastPercent = percent
        let filled = percent / 4
        Terminal.error("\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: 25 - filled))] \(percent)%\u{1B}[K"
            .replacingOccurrences(of: "\n", with: ""))
    }

    func finish() {
        if lastPercent >= 0 { Terminal.error("\r\u{1B}[K".replacingOccurrences(of: "\n", with: "")) }
    }
}
