import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// A libpq connection (the client the PostgreSQL project ships, called synchronously like
/// SQLite's: docs/architecture.md says why). Statements are written once in the dialect both
/// backends share; ``translate(_:)`` only renumbers their parameters. Each distinct statement is
/// prepared on the server once per connection and reused.
final class PostgresConnection {
    let handle: OpaquePointer
    /// Server-side names of the statements prepared on this connection, by their SQL.
    private var prepared: [String: String] = [:]
    /// Rows changed by the last statement (`UPDATE 3` → 3).
    private(set) var lastChanges = 0

    /// The advisory lock every writing transaction holds (``Database/transaction(_:)``), and the
    /// migrations: PostgreSQL's counterpart of SQLite's single writer.
    static let writerLock: Int64 = 0x5052_4149_4E47  // "PRAING"
    /// The queue's lock (``LockScope/queue``), and the exports' (one worker exports at a time).
    static let queueLock: Int64 = 0x5052_4149_4E47_01
    static let exportLock: Int64 = 0x5052_4149_4E47_02
    /// The first key of a seller's lock (the second is the seller's id): a key space of its own.
    static let sellerLockSpace: Int32 = 0x5052_4131

    /// A cap on the statements one connection keeps prepared; beyond it, statements run unnamed.
    private static let preparedLimit = 1_000

    init(url: String) throws(StoreError) {
        guard let h = PQconnectdb(url) else {
            throw StoreError(code: StoreError.postgresCode, message: "cannot allocate a connection", sql: nil, sqlState: "08000")
        }
        guard PQstatus(h) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(h))
            PQfinish(h)
            // The address may hold a password: the message names neither.
            throw StoreError(code: StoreError.postgresCode, message: "cannot connect to PostgreSQL: \(message)",
                             sql: nil, sqlState: "08001")
        }
        handle = h
        // Notices ("relation exists, skipping") are not the user's business.
        PQsetNoticeProcessor(h, { _, _ in }, nil)
        try execute("SET client_encoding = 'UTF8'; SET standard_conforming_strings = on")
    }

    deinit { PQfinish(handle) }

    var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown error" }
        var text = String(cString: message)
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }

    /// The error of a failed result (or of the connection, when there is no result).
    func error(_ result: OpaquePointer?, _ sql: String?) -> StoreError {
        let message = result.map { Self.trimmed(PQresultErrorMessage($0)) } ?? Self.trimmed(PQerrorMessage(handle))
        var state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        if state == nil && PQstatus(handle) != CONNECTION_OK { state = "08006" }
        return StoreError(code: StoreError.postgresCode, message: message, sql: sql, sqlState: state)
    }

    /// Checks a result, keeps its change count, and hands it over (the caller clears it).
    func checked(_ result: OpaquePointer?, _ sql: String) throws(StoreError) -> OpaquePointer {
        guard let result else { throw error(nil, sql) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let e = error(result, sql)
            PQclear(result)
            throw e
        }
        lastChanges = Int(String(cString: PQcmdTuples(result))) ?? 0
        return result
    }

    /// Runs one or more statements without parameters.
    func execute(_ sql: String) throws(StoreError) {
        PQclear(try checked(PQexec(handle, sql), sql))
    }

    /// A statement of `sql`; it is prepared on the server at its first run, with the types of the
    /// values bound then.
    func prepare(_ sql: String) -> PostgresStatement {
        PostgresStatement(connection: self, sql: sql, parameters: Self.translate(sql).parameters)
    }

    /// The server-side name of `sql`, prepared on first use with `types` (an integer or text
    /// parameter as bound the first time; 0, for NULL, leaves the type to the server). A
    /// parameter whose type the statement still leaves open (`?9 IS NOT NULL` bound NULL) is tried
    /// as an integer, then as text.
    /// Beyond ``preparedLimit`` statements, `sql` is prepared unnamed, again at each run.
    func serverStatement(_ sql: String, types: [Oid]) throws(StoreError) -> String {
        if let name = prepared[sql] { return name }
        let name = prepared.count < Self.preparedLimit ? "s\(prepared.count + 1)" : ""
        let (text, count) = Self.translate(sql)
        var types = types
        // Inside a transaction, a failed attempt must not abort it.
        let guarded = inTransaction
        var guessed: Int?
        while true {
            do {
                if guarded { try execute("SAVEPOINT prepare") }
                PQclear(try checked(PQprepare(handle, name, text, count, types), sql))
                if guarded { try execute("RELEASE prepare") }
                break
            } catch {
                if guarded { try execute("ROLLBACK TO prepare; RELEASE prepare") }
                if error.sqlState == "42P08",
                   let n = error.message.split(separator: "$").dropFirst().first.flatMap({ Int($0.prefix { $0.isNumber }) }),
                   n >= 1, n <= types.count, types[n - 1] == 0 {
                    // "could not determine data type of parameter $N" (`?3 IS NULL OR id = ?3`, bound
                    // NULL): an integer, unless that turns out wrong.
                    types[n - 1] = Self.bigintType
                    guessed = n
                } else if ["42883", "42804"].contains(error.sqlState), let n = guessed, types[n - 1] == Self.bigintType {
                    // The integer guess meets text (`text = bigint`): text it is.
                    types[n - 1] = Self.textType
                } else {
                    throw error
                }
            }
        }
        if !name.isEmpty { prepared[sql] = name }
        return name
    }

    /// PostgreSQL's type ids of `int8` and `text`.
    static let bigintType: Oid = 20
    static let textType: Oid = 25

    /// The statement with PostgreSQL's parameters (`?3` → `$3`; a bare `?` takes the number
    /// after the largest so far, as in SQLite), and how many it has. Quoted text and comments are left alone.
    static func translate(_ sql: String) -> (text: String, parameters: Int32) {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var largest: Int32 = 0
        var quote: Character?
        var chars = sql.makeIterator()
        var pending = chars.next()
        while let c = pending {
            pending = chars.next()
            if let q = quote {
                out.append(c)
                if c == q { quote = nil }
                continue
            }
            if c == "'" || c == "\"" {
                quote = c
                out.append(c)
                continue
            }
            if c == "-", pending == "-" {
                // A comment, to the end of its line (its apostrophes open no text).
                out.append(c)
                while let d = pending, d != "\n" {
                    out.append(d)
                    pending = chars.next()
                }
                continue
            }
            guard c == "?" else {
                out.append(c)
                continue
            }
            var digits = ""
            while let d = pending, d.isASCII, d.isNumber {
                digits.append(d)
                pending = chars.next()
            }
            let number = Int32(digits) ?? largest + 1
            largest = max(largest, number)
            out += "$\(number)"
        }
        return (out, largest)
    }
}

/// A prepared statement on a PostgreSQL connection: parameters are sent as text (the server
/// converts them by their place in the statement); the whole result arrives at the first step
/// and is read row by row.
final class PostgresStatement {
    let connection: PostgresConnection
    let sql: String
    private var values: [String?]
    /// The type of each parameter as last bound (0: NULL), for preparing the statement.
    private var types: [Oid]
    private var result: OpaquePointer?
    private var row: Int32 = -1
    private var rowCount: Int32 = 0
    /// Whether the last run's rows have all been stepped over (the next step runs it again).
    private var finished = false
    /// A parameter bound text holding U+0000, which PostgreSQL's text cannot store: the run fails
    /// rather than store the text cut short.
    private var unstorable: Int32?

    init(connection: PostgresConnection, sql: String, parameters: Int32) {
        self.connection = connection
        self.sql = sql
        values = Array(repeating: nil, count: Int(parameters))
        types = Array(repeating: 0, count: Int(parameters))
    }

    deinit { if let result { PQclear(result) } }

    func set(_ value: String?, type: Oid, at index: Int32) {
        guard index >= 1, Int(index) <= values.count else { return }
        if let value, value.utf8.contains(0) { unstorable = index } else if unstorable == index { unstorable = nil }
        values[Int(index) - 1] = value
        if value != nil { types[Int(index) - 1] = type }
    }

    func reset() {
        if let result { PQclear(result) }
        result = nil
        finished = false
    }

    func clearBindings() {
        reset()
        for i in values.indices { values[i] = nil }
        unstorable = nil
    }

    func step() throws(StoreError) -> Bool {
        if finished { reset() }
        if result == nil {
            result = try run()
            row = -1
            rowCount = PQntuples(result)
        }
        row += 1
        if row < rowCount { return true }
        finished = true
        return false
    }

    private func run() throws(StoreError) -> OpaquePointer {
        if let unstorable {
            throw StoreError(code: StoreError.postgresCode, message: "parameter \(unstorable) holds the character U+0000, "
                             + "which PostgreSQL cannot store", sql: sql, sqlState: "22021")
        }
        let name = try connection.serverStatement(sql, types: types)
        let copies: [UnsafeMutablePointer<CChar>?] = values.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        let raw = copies.map { UnsafePointer($0) }
        let res: OpaquePointer? = raw.withUnsafeBufferPointer { params in
            PQexecPrepared(connection.handle, name, Int32(params.count), params.baseAddress, nil, nil, 0)
        }
        return try connection.checked(res, sql)
    }

    func isNull(_ column: Int32) -> Bool {
        guard let result, row < rowCount else { return true }
        return PQgetisnull(result, row, column) == 1
    }

    func text(_ column: Int32) -> String? {
        guard !isNull(column), let result else { return nil }
        return String(cString: PQgetvalue(result, row, column))
    }

    /// The column as an integer; `t`/`f` (a boolean) read 1/0, NULL or other text 0 (as SQLite reads them).
    func int(_ column: Int32) -> Int64 {
        guard !isNull(column), let result, let p = PQgetvalue(result, row, column) else { return 0 }
        switch p.pointee {
        case CChar(UInt8(ascii: "t")): return 1
        case CChar(UInt8(ascii: "f")): return 0
        default: return strtoll(p, nil, 10)
        }
    }
}
