import CLibPQ
import CSQLite
import OrderCore

/// An error from the database, carrying the statement's SQL but never its argument values
/// (they may be customer data).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// SQLite's result code; ``postgresCode`` for an error PostgreSQL reported (then ``sqlState`` says which).
    public var code: Int32
    public var message: String
    public var sql: String?
    /// PostgreSQL's five-character SQLSTATE (`23505` a unique key, `08006` a lost connection).
    public var sqlState: String?

    public init(code: Int32, message: String, sql: String?, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.sqlState = sqlState
    }

    /// ``code`` of an error PostgreSQL reported.
    public static let postgresCode: Int32 = -2

    public var description: String {
        "database error \(sqlState ?? String(code)): \(message)" + (sql.map { " in: \($0.prefix(120))" } ?? "")
            + (code == SQLITE_BUSY ? " (another process holds the database, such as the ingest of a large file, which has it "
                + "to itself until the file lands: limits.exclusive_ingest_bytes; try again then)" : "")
    }

    /// Whether the same work may succeed later (the database busy or locked, the disk full or
    /// failing, the server unreachable, restarting or out of resources), as opposed to failing the
    /// same way again (a constraint, a bug).
    public var mayPass: Bool {
        if let sqlState {
            // Connection exceptions, transaction rollbacks (serialization, deadlock), insufficient
            // resources, operator intervention (shutdown), system errors.
            return ["08", "40", "53", "57", "58"].contains(String(sqlState.prefix(2)))
        }
        return [SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_PROTOCOL].contains(code & 0xFF)
    }
}

/// A value the store binds: text, integers, booleans. Dispatched statically, so binding costs
/// no dynamic casts on the bulk path.
protocol SQLValue: Sendable {
    func bind(to statement: Statement, at index: Int32)
}

extension String: SQLValue {
    func bind(to statement: Statement, at index: Int32) { statement.bindText(self, at: index) }
}

extension Int64: SQLValue {
    func bind(to statement: Statement, at index: Int32) { statement.bindInteger(self, at: index) }
}

extension Int: SQLValue {
    func bind(to statement: Statement, at index: Int32) { statement.bindInteger(Int64(self), at: index) }
}

extension Bool: SQLValue {
    func bind(to statement: Statement, at index: Int32) { statement.bindInteger(self ? 1 : 0, at: index) }
}

extension Optional: SQLValue where Wrapped: SQLValue {
    /// `nil` binds NULL.
    func bind(to statement: Statement, at index: Int32) {
        if let self { self.bind(to: statement, at: index) } else { statement.bindNull(at: index) }
    }
}

/// The SQL a backend speaks where the two differ; every statement is written once, in the
/// common subset, with `?` / `?N` parameters.
enum Dialect: Sendable {
    case sqlite, postgres

    /// Locks the rows a SELECT returns until the transaction ends, passing over rows another
    /// transaction holds (PostgreSQL; an SQLite transaction is alone anyway).
    var skipLocked: String { self == .postgres ? " FOR UPDATE SKIP LOCKED" : "" }

    /// Locks the rows a SELECT returns until the transaction ends (PostgreSQL).
    var forUpdate: String { self == .postgres ? " FOR UPDATE" : "" }

    /// A text member of a JSON column (`json_extract(veri, '$.path')`).
    func jsonText(_ column: String, _ key: String) -> String {
        switch self {
        case .sqlite: "json_extract(\(column), '$.\(key)')"
        case .postgres: "(\(column)::jsonb ->> '\(key)')"
        }
    }
}

/// What a writing transaction excludes while it runs (on PostgreSQL; SQLite has one writer at a time).
public enum LockScope: Sendable, Equatable {
    /// Every other writer: reference data (rates, GİB's list), keys, migrations.
    case everything
    /// The seller's other writers (its files, its invoice numbers, its ERP batches); other
    /// sellers' go on beside it.
    case seller(Int64)
    /// The work queue's other writers: claiming, queueing and finishing files.
    case queue

    /// The advisory locks that make the scope: all writers hold one lock, shared by the narrow
    /// scopes and exclusive for ``everything``; a narrow scope then takes its own.
    var postgresLocks: String {
        let all = PostgresConnection.writerLock
        switch self {
        case .everything: return "SELECT pg_advisory_xact_lock(\(all))"
        case .seller(let id):
            return "SELECT pg_advisory_xact_lock_shared(\(all)); SELECT pg_advisory_xact_lock(\(PostgresConnection.sellerLockSpace), \(Int32(truncatingIfNeeded: id)))"
        case .queue:
            return "SELECT pg_advisory_xact_lock_shared(\(all)); SELECT pg_advisory_xact_lock(\(PostgresConnection.queueLock))"
        }
    }
}

/// One connection to the store, SQLite's or PostgreSQL's, closed when released. Each is used by
/// one thread at a time.
final class Database {
    enum Connection {
        case sqlite(OpaquePointer)
        case postgres(PostgresConnection)
    }

    let connection: Connection
    /// Statements ``prepareCached(_:)`` keeps, by their SQL.
    private var kept: [String: Statement] = [:]
    /// How many it keeps at most (beyond, it starts again: the SQL of such statements is fixed, a few dozen).
    private static let keptLimit = 128

    /// SQLite set up once, before its first connection: no global memory statistics, whose mutex
    /// every allocation took (100k N11 orders: 3.14 s → see the commit), and no connection mutexes
    /// (each connection is used by one thread at a time).
    private static let configured: Int32 = csqlite_configure_for_single_thread_connections()

    /// Opens (creating it if needed) the SQLite database at `path`.
    init(sqlitePath path: String) throws(StoreError) {
        _ = Self.configured
        var h: OpaquePointer?
        let rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let h else {
            let message = h.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(h)
            throw StoreError(code: rc, message: "\(message) (\(path))", sql: nil)
        }
        connection = .sqlite(h)
        sqlite3_busy_timeout(h, Self.busyTimeoutMilliseconds)
    }

    /// Connects to a PostgreSQL server (`postgresql://user:password@host:port/database`).
    init(postgresURL url: String) throws(StoreError) {
        connection = .postgres(try PostgresConnection(url: url))
    }

    /// How long a statement waits for another connection's lock before it fails with "database is locked".
    static let busyTimeoutMilliseconds: Int32 = 10_000

    deinit {
        if case .sqlite(let h) = connection { sqlite3_close_v2(h) }
    }

    var dialect: Dialect {
        switch connection {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    func sqliteError(_ rc: Int32, _ sql: String?) -> StoreError {
        guard case .sqlite(let h) = connection else { return StoreError(code: rc, message: "not SQLite", sql: sql) }
        return StoreError(code: rc, message: String(cString: sqlite3_errmsg(h)), sql: sql)
    }

    /// Runs one or more statements without parameters or results.
    func execute(_ sql: String) throws(StoreError) {
        switch connection {
        case .sqlite(let h):
            let rc = sqlite3_exec(h, sql, nil, nil, nil)
            guard rc == SQLITE_OK else { throw sqliteError(rc, sql) }
        case .postgres(let pg):
            try pg.execute(sql)
        }
    }

    func prepare(_ sql: String) throws(StoreError) -> Statement {
        switch connection {
        case .sqlite(let h):
            var s: OpaquePointer?
            let rc = sqlite3_prepare_v3(h, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &s, nil)
            guard rc == SQLITE_OK, let s else { throw sqliteError(rc, sql) }
            return Statement(.sqlite(s), db: self, sql: sql)
        case .postgres(let pg):
            return Statement(.postgres(pg.prepare(sql)), db: self, sql: sql)
        }
    }

    /// Whether a transaction is open on this connection.
    private var inTransaction: Bool {
        switch connection {
        case .sqlite(let h): sqlite3_get_autocommit(h) == 0
        case .postgres(let pg): pg.inTransaction
        }
    }

    /// Opens a writing transaction. On SQLite, writers take turns (an IMMEDIATE transaction takes
    /// the write lock). On PostgreSQL, a transaction first takes the advisory locks of its
    /// ``LockScope``, held to its end: one seller's file and invoices exclude that seller's other
    /// writers only, while reference data and migrations exclude everyone.
    private func begin(_ scope: LockScope) throws(StoreError) {
        switch connection {
        case .sqlite: try execute("BEGIN IMMEDIATE")
        case .postgres: try execute("BEGIN; " + scope.postgresLocks)
        }
    }

    /// Whether this SQLite connection writes through the WAL now.
    private var isWAL: Bool {
        ((try? prepareCached("PRAGMA journal_mode").rows { $0.text(0) })?.first ?? nil) == "wal"
    }

    /// Runs `body` in one writing transaction: committed if it returns, rolled back if it throws.
    /// `synced: false` commits without waiting for the disk (SQLite's `synchronous = NORMAL` in
    /// WAL mode, PostgreSQL's `synchronous_commit = off`): a crash or kill of the process loses
    /// nothing, a power cut may lose this commit, but never a later one that was synced — each
    /// synced commit makes every earlier one durable. For bookkeeping whose loss the next start
    /// repairs (a job claimed or ended), never for data.
    func transaction<T>(_ scope: LockScope = .everything, synced: Bool = true, _ body: () throws -> T) throws -> T {
        // Inside another transaction (a dry run's), a savepoint: the outer one decides (and holds the locks).
        let nested = inTransaction
        // On SQLite only in WAL mode: with a rollback journal (a large file's, see
        // `OrderStore.withDatabaseToItself`) an unsynced commit could damage the file on a power cut.
        let unsynced = !synced && !nested && (dialect == .postgres || isWAL)
        if unsynced, case .sqlite = connection { try execute("PRAGMA synchronous = NORMAL") }
        defer { if unsynced, case .sqlite = connection { try? execute("PRAGMA synchronous = FULL") } }
        if nested { try execute("SAVEPOINT nested") } else { try begin(scope) }
        defer { if !nested { resetKept() } }
        do {
            if unsynced, case .postgres = connection { try execute("SET LOCAL synchronous_commit = off") }
            let r = try body()
            try execute(nested ? "RELEASE nested" : "COMMIT")
            return r
        } catch {
            try? execute(nested ? "ROLLBACK TO nested; RELEASE nested" : "ROLLBACK")
            throw error
        }
    }

    /// ``transaction(_:_:)`` for a body that throws only ``StoreError``, rethrown as it is.
    func storeTransaction<T>(_ scope: LockScope = .everything, synced: Bool = true,
                             _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        do {
            return try transaction(scope, synced: synced) { try body() }
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(code: -1, message: "\(error)", sql: nil)
        }
    }

    /// Runs `body` in a transaction that is always rolled back: every write it makes is seen
    /// by its own reads and by nobody else, then undone (`ingest --dry-run`).
    func rollingBack<T>(_ body: () throws -> T) throws -> T {
        try begin(.everything)
        defer {
            try? execute("ROLLBACK")
            resetKept()
        }
        return try body()
    }

    /// `sql` prepared once per connection and handed out again, reset and with every parameter
    /// NULL: for statements prepared per file, per invoice or per call, whose preparation (SQLite
    /// parsing and planning the SQL) cost more than their runs — a tenth of a flood of small files.
    /// Each use must finish (bind, run, read its rows) before another use of the same SQL starts;
    /// held statements are only interleaved with other SQL. PostgreSQL: as ``prepare(_:)``.
    func prepareCached(_ sql: String) throws(StoreError) -> Statement {
        guard case .sqlite = connection else { return try prepare(sql) }
        if let statement = kept[sql] {
            statement.clearBindings()
            return statement
        }
        let statement = try prepare(sql)
        if kept.count >= Self.keptLimit { kept.removeAll() }
        kept[sql] = statement
        return statement
    }

    /// Resets every kept statement when a transaction ends: none stays busy past it (one an error
    /// stopped mid-way would hold its read open, and a change of journal mode would fail).
    private func resetKept() {
        for statement in kept.values { statement.clearBindings() }
    }

    /// An INSERT of one row whose id ``Statement/insertedID()`` gives, kept as ``prepareCached(_:)``
    /// keeps a statement: `RETURNING id` on PostgreSQL; on SQLite the row's rowid, because SQLite
    /// gathers a RETURNING statement's rows in a temporary table it makes anew for each execution
    /// (a fifth of an ingest's writing).
    func prepareInsert(_ sql: String) throws(StoreError) -> Statement {
        try prepareCached(dialect == .postgres ? sql + " RETURNING id" : sql)
    }

    /// Rows changed by the last statement.
    var changes: Int {
        switch connection {
        case .sqlite(let h): Int(sqlite3_changes(h))
        case .postgres(let pg): pg.lastChanges
        }
    }
}

/// A prepared statement with positional binding (1-based) and column reads (0-based).
final class Statement {
    enum Handle {
        case sqlite(OpaquePointer)
        case postgres(PostgresStatement)
    }

    let handle: Handle
    unowned let db: Database
    let sql: String

    init(_ h: Handle, db: Database, sql: String) {
        handle = h
        self.db = db
        self.sql = sql
        let parameters: Int32 = if case .sqlite(let s) = h { sqlite3_bind_parameter_count(s) } else { 0 }
        boundText = BoundText(parameters: Int(parameters))
    }

    /// SQLite: each parameter's bound text, which SQLite reads in place (`SQLITE_STATIC`) until
    /// the parameter is bound again. Bound as a copy of its own (`SQLITE_TRANSIENT`), each text
    /// cost SQLite an allocation and a free: about 2 % of a dry run's samples.
    private let boundText: BoundText

    deinit {
        if case .sqlite(let s) = handle { sqlite3_finalize(s) }
    }

    func bindText(_ text: String, at index: Int32) {
        switch handle {
        case .sqlite(let s):
            text.withUTF8Bytes { buf in
                guard let kept = boundText.keep(buf, at: Int(index)) else {
                    guard let base = buf.baseAddress else { return _ = sqlite3_bind_text(s, index, "", 0, nil) }
                    return base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                        _ = sqlite3_bind_text(s, index, $0, Int32(buf.count), csqlite_transient())
                    }
                }
                _ = sqlite3_bind_text(s, index, kept.text, Int32(buf.count), nil)
                kept.replaced?.deallocate() // after the bind: SQLite no longer points into it
            }
        case .postgres(let p): p.set(text, type: PostgresConnection.textType, at: index)
        }
    }

    func bindInteger(_ value: Int64, at index: Int32) {
        switch handle {
        case .sqlite(let s): sqlite3_bind_int64(s, index, value)
        case .postgres(let p): p.set(String(value), type: PostgresConnection.bigintType, at: index)
        }
    }

    func bindNull(at index: Int32) {
        switch handle {
        case .sqlite(let s): sqlite3_bind_null(s, index)
        case .postgres(let p): p.set(nil, type: 0, at: index)
        }
    }

    /// Ends the last run and makes the statement ready to run again, its bindings kept.
    private func reset() {
        switch handle {
        case .sqlite(let s): sqlite3_reset(s)
        case .postgres(let p): p.reset()
        }
    }

    /// Binds values in order (`nil` binds NULL). Resets the statement first. Each value's type
    /// is known at compile time: the bulk paths bind with no array and no existential boxes.
    @discardableResult
    func bind<each V: SQLValue>(_ values: repeat each V) -> Statement {
        reset()
        var index: Int32 = 0
        for value in repeat each values {
            index += 1
            value.bind(to: self, at: index)
        }
        return self
    }

    /// Resets the statement and sets every parameter to NULL, for binding only some of them.
    func clearBindings() {
        switch handle {
        case .sqlite(let s):
            sqlite3_reset(s)
            sqlite3_clear_bindings(s)
        case .postgres(let p): p.clearBindings()
        }
    }

    /// Binds one more value at `index` (1-based), after ``bind(_:)-(repeat each V)`` reset the statement.
    func bind<V: SQLValue>(_ value: V?, at index: Int32) {
        value.bind(to: self, at: index)
    }

    /// Binds a list of values built at run time (`nil` binds NULL). Resets the statement first.
    @discardableResult
    func bind(_ values: [(any SQLValue)?]) -> Statement {
        reset()
        for (i, v) in values.enumerated() {
            if let v { v.bind(to: self, at: Int32(i + 1)) } else { bindNull(at: Int32(i + 1)) }
        }
        return self
    }

    /// Steps once: `true` while a row is available.
    func step() throws(StoreError) -> Bool {
        switch handle {
        case .sqlite(let s):
            let rc = sqlite3_step(s)
            if rc == SQLITE_ROW { return true }
            if rc == SQLITE_DONE { return false }
            throw db.sqliteError(rc, sql)
        case .postgres(let p):
            return try p.step()
        }
    }

    /// Runs to completion, ignoring rows.
    func run() throws(StoreError) {
        while try step() {}
    }

    /// Runs an insert prepared by ``Database/prepareInsert(_:)``; the new row's id.
    func insertedID() throws(StoreError) -> Int64 {
        switch handle {
        case .sqlite:
            try run()
            guard case .sqlite(let h) = db.connection else { preconditionFailure("a SQLite statement on another store") }
            return sqlite3_last_insert_rowid(h)
        case .postgres:
            return try rows { $0.int(0) }[0]
        }
    }

    /// An integer column (a boolean reads 1 or 0).
    func int(_ column: Int32) -> Int64 {
        switch handle {
        case .sqlite(let s): sqlite3_column_int64(s, column)
        case .postgres(let p): p.int(column)
        }
    }

    func isNull(_ column: Int32) -> Bool {
        switch handle {
        case .sqlite(let s): sqlite3_column_type(s, column) == SQLITE_NULL
        case .postgres(let p): p.isNull(column)
        }
    }

    func text(_ column: Int32) -> String? {
        switch handle {
        case .sqlite(let s):
            guard let p = sqlite3_column_text(s, column) else { return nil }
            return String(cString: p)
        case .postgres(let p): return p.text(column)
        }
    }

    /// All rows, each read by `row`.
    func rows<T>(_ row: (Statement) -> T) throws(StoreError) -> [T] {
        var out: [T] = []
        while try step() { out.append(row(self)) }
        return out
    }
}

/// The text a SQLite statement's parameters are bound to, one buffer per parameter, reused from
/// bind to bind: a parameter's buffer changes only when that parameter is bound again, so SQLite
/// may read it in place until then, across resets. (A class holding raw buffers: a stored array
/// in ``Statement`` cost an exclusivity check per bind.)
final class BoundText {
    private let buffers: UnsafeMutableBufferPointer<UnsafeMutableRawBufferPointer>
    /// Longer texts are bound as SQLite's own copy, freed at the next bind, not kept for the
    /// statement's life: a hostile file of 64 KiB values in every field would otherwise leave
    /// 128 KiB per parameter of every kept statement (over 100 MB) held until the process ends.
    /// Real values are far shorter; a buffer is at most 4 KiB.
    static let largestKept = 4095

    init(parameters: Int) {
        buffers = .allocate(capacity: parameters)
        buffers.initialize(repeating: UnsafeMutableRawBufferPointer(start: nil, count: 0))
    }

    deinit {
        for buffer in buffers where buffer.baseAddress != nil { buffer.deallocate() }
        buffers.deallocate()
    }

    /// Copies `bytes` into parameter `index`'s buffer (1-based): where it now is, and the buffer
    /// it outgrew, to free once the parameter is bound anew. `nil` for a text too long to keep
    /// or a parameter the statement lacks.
    func keep(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int)
        -> (text: UnsafePointer<CChar>, replaced: UnsafeMutableRawBufferPointer?)? {
        guard bytes.count <= Self.largestKept, index >= 1, index <= buffers.count else { return nil }
        var replaced: UnsafeMutableRawBufferPointer?
        if buffers[index - 1].count <= bytes.count {
            replaced = buffers[index - 1].baseAddress == nil ? nil : buffers[index - 1]
            buffers[index - 1] = .allocate(byteCount: max(64, (bytes.count + 1).nextPowerOfTwo), alignment: 1)
        }
        let buffer = buffers[index - 1].baseAddress!
        if let base = bytes.baseAddress { buffer.copyMemory(from: base, byteCount: bytes.count) }
        buffer.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        return (UnsafePointer(buffer.assumingMemoryBound(to: CChar.self)), replaced)
    }
}
