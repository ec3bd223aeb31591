import CSQLite

/// An error from SQLite, carrying the statement's SQL but never its argument values
/// (they may be customer data).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var sql: String?
    public var description: String {
        "database error \(code): \(message)" + (sql.map { " in: \($0.prefix(120))" } ?? "")
            + (code == SQLITE_BUSY ? " (another process holds the database, such as the ingest of a large file, which has it "
                + "to itself until the file lands: limits.exclusive_ingest_bytes; try again then)" : "")
    }

    /// Whether the same work may succeed later (the database busy or locked, the disk full or
    /// failing), as opposed to failing the same way again (a constraint, a bug).
    public var mayPass: Bool {
        [SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_PROTOCOL].contains(code & 0xFF)
    }
}

/// A value SQLite can bind: text, integers, booleans. Dispatched statically, so binding costs
/// no dynamic casts on the bulk path.
protocol SQLValue: Sendable {
    func bind(to statement: OpaquePointer, at index: Int32)
}

extension String: SQLValue {
    func bind(to statement: OpaquePointer, at index: Int32) {
        var copy = self
        copy.withUTF8 { buf in
            if let base = buf.baseAddress {
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    _ = sqlite3_bind_text(statement, index, $0, Int32(buf.count), csqlite_transient())
                }
            } else {
                _ = sqlite3_bind_text(statement, index, "", 0, csqlite_transient())
            }
        }
    }
}

extension Int64: SQLValue {
    func bind(to statement: OpaquePointer, at index: Int32) { sqlite3_bind_int64(statement, index, self) }
}

extension Int: SQLValue {
    func bind(to statement: OpaquePointer, at index: Int32) { sqlite3_bind_int64(statement, index, Int64(self)) }
}

extension Bool: SQLValue {
    func bind(to statement: OpaquePointer, at index: Int32) { sqlite3_bind_int64(statement, index, self ? 1 : 0) }
}

extension Optional: SQLValue where Wrapped: SQLValue {
    /// `nil` binds NULL.
    func bind(to statement: OpaquePointer, at index: Int32) {
        if let self { self.bind(to: statement, at: index) } else { sqlite3_bind_null(statement, index) }
    }
}

/// One SQLite connection, closed when released.
final class Database {
    let handle: OpaquePointer

    /// SQLite set up once, before its first connection: no global memory statistics, whose mutex
    /// every allocation took (100k N11 orders: 3.14 s → see the commit), and no connection mutexes
    /// (each connection is used by one thread at a time).
    private static let configured: Int32 = csqlite_configure_for_single_thread_connections()

    init(path: String) throws(StoreError) {
        _ = Self.configured
        var h: OpaquePointer?
        let rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let h else {
            let message = h.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(h)
            throw StoreError(code: rc, message: "\(message) (\(path))", sql: nil)
        }
        handle = h
        sqlite3_busy_timeout(h, Self.busyTimeoutMilliseconds)
    }

    /// How long a statement waits for another connection's lock before it fails with "database is locked".
    static let busyTimeoutMilliseconds: Int32 = 10_000

    deinit { sqlite3_close_v2(handle) }

    func error(_ rc: Int32, _ sql: String?) -> StoreError {
        StoreError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws(StoreError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, sql) }
    }

    func prepare(_ sql: String) throws(StoreError) -> Statement {
        var s: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &s, nil)
        guard rc == SQLITE_OK, let s else { throw error(rc, sql) }
        return Statement(s, db: self, sql: sql)
    }

    /// Runs `body` in one IMMEDIATE transaction: committed if it returns, rolled back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        // Inside another transaction (a dry run's), a savepoint: the outer one decides.
        let nested = sqlite3_get_autocommit(handle) == 0
        try execute(nested ? "SAVEPOINT inner" : "BEGIN IMMEDIATE")
        do {
            let r = try body()
            try execute(nested ? "RELEASE inner" : "COMMIT")
            return r
        } catch {
            try? execute(nested ? "ROLLBACK TO inner; RELEASE inner" : "ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a transaction that is always rolled back: every write it makes is seen
    /// by its own reads and by nobody else, then undone (`ingest --dry-run`).
    func rollingBack<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        defer { try? execute("ROLLBACK") }
        return try body()
    }

    var lastInsertID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }
}

/// A prepared statement with positional binding (1-based) and column reads (0-based).
final class Statement {
    let handle: OpaquePointer
    unowned let db: Database
    let sql: String

    init(_ h: OpaquePointer, db: Database, sql: String) {
        handle = h
        self.db = db
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds values in order (`nil` binds NULL). Resets the statement first. Each value's type
    /// is known at compile time: the bulk paths bind with no array and no existential boxes.
    @discardableResult
    func bind<each V: SQLValue>(_ values: repeat each V) -> Statement {
        sqlite3_reset(handle)
        var index: Int32 = 0
        for value in repeat each values {
            index += 1
            value.bind(to: handle, at: index)
        }
        return self
    }

    /// Resets the statement and sets every parameter to NULL, for binding only some of them.
    func clearBindings() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds values to consecutive parameters from `first` (1-based), without resetting: for a
    /// statement that takes several rows, after ``clearBindings()``.
    func bind<each V: SQLValue>(from first: Int32, _ values: repeat each V) {
        var index = first - 1
        for value in repeat each values {
            index += 1
            value.bind(to: handle, at: index)
        }
    }

    /// Binds one more value at `index` (1-based), after ``bind(_:)-(repeat each V)`` reset the statement.
    func bind<V: SQLValue>(_ value: V?, at index: Int32) {
        value.bind(to: handle, at: index)
    }

    /// Binds a list of values built at run time (`nil` binds NULL). Resets the statement first.
    @discardableResult
    func bind(_ values: [(any SQLValue)?]) -> Statement {
        sqlite3_reset(handle)
        for (i, v) in values.enumerated() {
            if let v { v.bind(to: handle, at: Int32(i + 1)) } else { sqlite3_bind_null(handle, Int32(i + 1)) }
        }
        return self
    }

    /// Steps once: `true` while a row is available.
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw db.error(rc, sql)
    }

    /// Runs to completion, ignoring rows.
    func run() throws(StoreError) {
        while try step() {}
    }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: p)
    }

    /// All rows, each read by `row`.
    func rows<T>(_ row: (Statement) -> T) throws(StoreError) -> [T] {
        var out: [T] = []
        while try step() { out.append(row(self)) }
        return out
    }
}
