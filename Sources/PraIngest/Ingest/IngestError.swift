import Parsers

/// Why a whole file could not be ingested. The pipeline uses ``code`` to decide between
/// retrying later (``Code/unreadable``, ``Code/store``) and setting the file aside.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreadable, noMapping, ambiguousMapping, malformed, rejectedRecords, store, `internal`
        /// Set aside without being read: it crashed the process before, or its place is refused.
        case crashed, refused
    }
    public var code: Code
    public var file: String
    public var message: String

    public init(_ code: Code, file: String, _ message: String) {
        self.code = code
        self.file = file
        self.message = message
    }

    /// A file that could not be read: retried later only when it may read next time.
    public init(_ e: ParseError) {
        self.init(e.code == .unreadable ? .unreadable : .malformed, file: e.file, e.positionedMessage)
    }

    public var description: String { "\(file): error: \(message)" }
}
