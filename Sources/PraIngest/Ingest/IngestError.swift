import Foundation
import OrderStore
import Parsers

/// Why a whole file could not be ingested. The pipeline uses ``code`` to decide between
/// retrying later (``Code/unreadable``, ``Code/store``) and setting the file aside.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreadable, noMapping, ambiguousMapping, malformed, rejectedRecords, store, `internal`
        /// The file was read to its end and held no record (a wrong records path, an empty export).
        case noRecords
        /// Set aside without being read: it crashed the process before, or its place is refused.
        case crashed, refused
    }
    public var code: Code
    public var file: String
    /// What went wrong, with its place when it has one (`line 14, column 3: …`).
    public var message: String
    /// The place in the file, when the error has one.
    public var line: Int?
    public var column: Int?
    /// The underlying error, as it described itself (a database's, the system's).
    public var cause: String?

    public init(_ code: Code, file: String, _ message: String, line: Int? = nil, column: Int? = nil, cause: String? = nil) {
        self.code = code
        self.file = file
        self.message = message
        self.line = line
        self.column = column
        self.cause = cause
    }

    /// A file that could not be read, with its place: retried later only when it may read next time.
    public init(_ e: ParseError) {
        self.init(e.code == .unreadable ? .unreadable : .malformed, file: e.file, e.positionedMessage, line: e.line, column: e.column,
                  cause: e.description)
    }

    /// Any error of an ingest, classified: retried (``Code/store``) only when it may pass (a busy
    /// database, a full disk), never when it would fail the same way again (``Code/internal``).
    public init(_ error: any Error, file: String) {
        switch error {
        case let e as IngestError: self = e
        case let e as ParseError: self.init(e)
        case let e as StoreError:
            self.init(e.mayPass ? .store : .internal, file: file, e.description, cause: e.description)
        case let e as POSIXError:
            self.init(.store, file: file, "\(e)", cause: "\(e)") // I/O: a full disk, a share away for a while
        case let e as OutboxError:
            self.init(.store, file: file, e.description, cause: "\(e.cause)") // as any other I/O error
        default:
            self.init(.internal, file: file, "\(error) (a bug in PraIngest: please report it with the file)", cause: "\(error)")
        }
    }

    public var description: String { "\(file): error: \(message)" }
}
