import OrderCore

/// Writes the orders of one source file inside one transaction, opened by the caller: merges
/// each order into what is stored (``OrderUpdate``: later exports win, statuses only move
/// forward, stale records change nothing), upserts orders by (integration, order number) and
/// lines by (order, line key), removes lines a newer export no longer has (unless the order is
/// invoiced), keeps the status history, records the actions an invoiced order's change calls
/// for, and logs rejected records and warnings to `hata_log`.
///
/// Statements are prepared once per file; the value columns come from ``TargetField``'s declarations.
/// An order the integration cannot hold yet (it had no orders before this file, and this file
/// has not written that number) is inserted without a lookup.
public final class FileIngestWriter {
    public enum Outcome: Sendable, Equatable { case inserted, updated, stale }

    let store: OrderStore
    let sellerID: Int64
    let integrationID: Int64
    /// `kaynak_dosyalar.id` of the file being written.
    public let fileID: Int64
    let now: String
    private var productIDs: [String: Int64] = [:]
    /// The integration had no orders when this file began: only this file's own orders can exist.
    private let integrationWasEmpty: Bool
    /// Order numbers this file wrote.
    private var written: SeenKeys
    /// Earlier ingests of this same content (`kaynak_dosyalar.id`): what they stored is replaced,
    /// not merged with (a mapping fix must be able to move a status back or clear a wrong value).
    public var superseding: Set<Int64> = []
    /// The order this file wrote last: the lines stored before it that it kept, and its own. What
    /// the next package of it merges with is made from them only when such a package comes.
    private var lastWritten: LastWritten?
    /// ``now`` as a time, for the merge of every order.
    private let nowTime: Timestamp?
    /// The parameter of each value field in the order and line statements, by ``TargetField/ordinal`` (0: none).
    private let orderParameters: [Int32]
    private let lineParameters: [Int32]
    private let orderState: OrderStateQuery
    /// An order the lookup did not find is inserted (its id from ``Database/prepareInsert(_:)``; a
    /// conflict fails loudly), one it found is upserted by the id it has: no RETURNING per order.
    private let insertOrder: Statement
    private let upsertOrder: Statement
    /// A product is looked up, then updated or inserted, for the same reason.
    private let findProduct: Statement
    private let insertProduct: Statement
    private let updateProduct: Statement
    /// Line upserts of 1…``linesPerStatement`` lines, by count - 1 (prepared when first needed):
    /// one statement for an order's lines opens the table's cursors once, not once per line.
    private var upsertLines: [Statement?] = Array(repeating: nil, count: linesPerStatement)
    private static let linesPerStatement = 8
    /// Parameters per line in those statements: the core columns, then the value columns.
    private static let lineParameterCount = Int32(lineCoreColumns.count + TargetField.valueFields(.line).count)
    private let deleteStaleLines: Statement
    private let insertError: Statement
    private let lifecycle: LifecycleRecorder

    /// Columns bound before the value columns of ``TargetField/valueFields(_:)``: the row's
    /// owners, the core fields (``CoreColumns``), where the row came from.
    private static let orderCoreColumns = ["kullanici_id", "entegrasyon_id"] + CoreColumns.orderNames
        + ["kaynak_dosya_id", "kaynak_satir", "created_at"]
    private static let lineCoreColumns = ["siparis_id", "urun_id"] + CoreColumns.lineNames + ["kaynak_dosya_id"]

    /// `INSERT … ON CONFLICT (key) DO UPDATE` over the core columns and the level's value columns.
    /// A value the newer record lacks keeps the stored one: a field is never cleared by an export
    /// that does not carry it (or carried it broken, with a warning).
    /// `key` `nil`: a plain INSERT (a conflict is an error).
    static func upsertSQL(_ table: String, core: [String], level: TargetField.Level, key: String?, keep: Set<String>,
                          rows: Int = 1) -> String {
        let values = TargetField.valueFields(level).map(\.rawValue)
        let columns = core + values
        let updates = core.filter { !keep.contains($0) }.map { "\($0) = excluded.\($0)" }
            + values.map { "\($0) = coalesce(excluded.\($0), \(table).\($0))" }
        let tuples = (0..<rows).map { row in
            "(" + (1...columns.count).map { "?\(row * columns.count + $0)" }.joined(separator: ", ") + ")"
        }
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))"
            + (key.map { " ON CONFLICT (\($0)) DO UPDATE SET " + updates.joined(separator: ", ") } ?? "")
    }

    /// The order statements' SQL and parameter places, made once per process (each file used to build them again).
    private static func orderSQL(key: String?) -> String {
        upsertSQL("siparisler", core: orderCoreColumns + ["updated_at"], level: .order, key: key,
                  keep: ["kullanici_id", "entegrasyon_id", "siparis_numarasi", "created_at"])
    }
    private static let insertOrderSQL = orderSQL(key: nil)
    private static let upsertOrderSQL = orderSQL(key: "entegrasyon_id, siparis_numarasi")
    private static let orderParameters = parameters(.order, after: orderCoreColumns.count + 1)
    private static let lineParameters = parameters(.line, after: lineCoreColumns.count)
    /// The line upserts' SQL for 1…``linesPerStatement`` lines, by count - 1.
    private static let upsertLinesSQL = (1...linesPerStatement).map { rows in
        upsertSQL("siparis_urunleri", core: lineCoreColumns, level: .line, key: "siparis_id, satir_anahtari",
                  keep: ["siparis_id", "satir_anahtari"], rows: rows)
    }

    /// Where ``upsertSQL(_:core:level:key:keep:)`` binds each value field of `level`, by ordinal.
    static func parameters(_ level: TargetField.Level, after core: Int) -> [Int32] {
        var indexes = [Int32](repeating: 0, count: TargetField.allCases.count)
        for (i, field) in TargetField.valueFields(level).enumerated() { indexes[field.ordinal] = Int32(core + i + 1) }
        return indexes
    }

    /// Registers the file in `kaynak_dosyalar`; must run inside the caller's transaction. Without
    /// its checksum yet (still computing), the row holds ``pendingChecksum`` until ``finish``.
    public init(store: OrderStore, sellerID: Int64, integrationID: Int64, fileName: String, sha256: String?,
                size: Int64, mapping: String, jobID: Int64?, now: String) throws(StoreError) {
        self.store = store
        self.sellerID = sellerID
        self.integrationID = integrationID
        self.now = now
        nowTime = DateFormat.iso8601.parse(now, zone: .utc)
        // An order takes a few dozen bytes at the least (a workbook's fewer, compressed: its filter answers "maybe" sooner).
        written = SeenKeys(expectedKeys: Int(clamping: size / 32))
        let db = store.db
        fileID = try db.prepareCached("""
            INSERT INTO kaynak_dosyalar (kullanici_id, sha256, dosya_adi, boyut, eslesme, is_kuyrugu_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
            """).bind([sellerID, sha256 ?? Self.pendingChecksum, fileName, size, mapping, jobID, now]).rows { $0.int(0) }[0]
        orderState = try OrderStateQuery(db: db, by: .integrationAndNumber)
        insertOrder = try db.prepareInsert(Self.insertOrderSQL)
        upsertOrder = try db.prepareCached(Self.upsertOrderSQL)
        orderParameters = Self.orderParameters
        lineParameters = Self.lineParameters
        integrationWasEmpty = try !db.prepareCached("SELECT EXISTS (SELECT 1 FROM siparisler WHERE entegrasyon_id = ?)")
            .bind(integrationID).rows { $0.int(0) != 0 }[0]
        findProduct = try db.prepareCached("SELECT id FROM urunler WHERE kullanici_id = ? AND sku = ?")
        insertProduct = try db.prepareInsert("""
            INSERT INTO urunler (kullanici_id, sku, ad, kategori, barkod, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
            """)
        updateProduct = try db.prepareCached("""
            UPDATE urunler SET ad = coalesce(?2, ad), kategori = coalesce(?3, kategori), barkod = coalesce(?4, barkod),
                updated_at = ?5 WHERE id = ?1
            """)
        deleteStaleLines = try db.prepareCached("DELETE FROM siparis_urunleri WHERE siparis_id = ? AND kaynak_dosya_id IS DISTINCT FROM ?")
        insertError = try db.prepareCached("""
            INSERT INTO hata_log (ilgili_tablo, ilgili_id, hata_mesaji, raw_response, seviye, created_at)
            VALUES ('kaynak_dosyalar', ?, ?, ?, ?, ?)
            """)
        lifecycle = try LifecycleRecorder(db: db, sellerID: sellerID, fileID: fileID, now: now)
    }

    /// See ``lastWritten``. (A struct: a tuple was destroyed through the runtime's generic tuple
    /// witness each time the next order replaced it.)
    private struct LastWritten {
        var number: String
        var kept: StoredOrderState
        var lines: [OrderLine]
    }

    /// The stored order, if any: its id, whether this same file wrote it (then its rows came apart
    /// in the file), and what an update merges with.
    public struct Existing {
        public var id: Int64
        public var byThisFile: Bool
        public var state: StoredOrderState
        /// The file that wrote the order last.
        public var fileID: Int64?
    }

    public func lookup(_ orderNumber: String) throws(StoreError) -> Existing? {
        if let last = lastWritten, last.number == orderNumber,
           let found = try orderState.state([integrationID, orderNumber], withLines: false) {
            // The next package of the order just written: its lines are known, not read again.
            var lines = last.kept
            for line in last.lines {
                lines.setLine(line.key, StoredOrderState.StoredLine(status: line.status, lineTotal: line.lineTotal))
            }
            var state = found.state
            state.adoptLines(of: lines)
            return Existing(id: found.id, byThisFile: found.fileID == fileID, state: state, fileID: found.fileID)
        }
        if integrationWasEmpty && !written.mayContain(orderNumber) { return nil }
        guard let found = try orderState.state([integrationID, orderNumber]) else { return nil }
        return Existing(id: found.id, byThisFile: found.fileID == fileID, state: found.state, fileID: found.fileID)
    }

    /// Merges the order into what is stored (`existing`, from ``lookup(_:)``) and writes it.
    public func write(_ incoming: __owned NormalizedOrder, existing: Existing?) throws(StoreError) -> Outcome {
        var existing = existing, replaced = false
        if let e = existing, let from = e.fileID, superseding.contains(from), try store.removeUnusedOrder(e.id) {
            // Written last by an earlier ingest of this content, and nothing was made of it: written anew.
            existing = nil
            replaced = true
        }
        let update = OrderUpdate.merge(incoming, into: existing?.state, now: nowTime)
        if update.isStale { return .stale }
        return try write(update, existing: existing, replaced: replaced)
    }

    /// Writes a merged order. (Its own function: `update.order` is read in place from a
    /// parameter, where taken from a local it was copied, each string and array retained. The
    /// update is the writer's: its values are bound moved in place, not copied.)
    private func write(_ update: consuming OrderUpdate, existing: Existing?, replaced: Bool) throws(StoreError) -> Outcome {
        let statement = existing == nil ? insertOrder : upsertOrder
        statement.clearBindings()
        statement.bindInteger(sellerID, at: 1)
        statement.bindInteger(integrationID, at: 2)
        CoreColumns.bind(update.order, to: statement, from: 3)
        let after = 3 + Int32(CoreColumns.order.count)
        let position = update.order.position
        statement.bindInteger(fileID, at: after)
        statement.bindInteger(Int64(position.line > 0 ? position.line : position.record), at: after + 1)
        statement.bindText(now, at: after + 2) // texts one by one, not copied into a parameter pack
        statement.bindText(now, at: after + 3)
        Self.bindValues(&update.order.values, orderParameters, to: statement)
        let orderID: Int64
        if let id = existing?.id {
            try statement.run()
            orderID = id
        } else {
            orderID = try statement.insertedID()
        }
        written.insert(update.order.orderNumber)
        var start = 0
        let lineCount = update.order.lines.count
        while start < lineCount {
            let count = min(Self.linesPerStatement, lineCount - start)
            let statement = try linesStatement(count: count)
            statement.clearBindings()
            for i in 0..<count {
                try bind(&update.order.lines[start + i], orderID: orderID, offset: Int32(i) * Self.lineParameterCount, to: statement)
            }
            try statement.run()
            start += count
        }
        // An invoiced order keeps every line it was invoiced with, even one a later export leaves out;
        // another package of an order this file wrote has no other file's lines left to drop.
        let dropsOthers = existing != nil && existing?.state.invoice == nil && existing?.byThisFile == false
        if dropsOthers { try deleteStaleLines.bind(orderID, fileID).run() }
        lastWritten = LastWritten(number: update.order.orderNumber, kept: dropsOthers ? Self.noLines : existing?.state ?? Self.noLines,
                                  lines: update.order.lines)
        try lifecycle.record(update, orderID: orderID, platformLabel: update.order[.platform_durumu], platformTime: update.order.updatedAt)
        return existing == nil && !replaced ? .inserted : .updated
    }

    /// Binds `line` as the statement's line from parameter `offset + 1` on.
    private func bind(_ line: inout OrderLine, orderID: Int64, offset: Int32, to statement: Statement) throws(StoreError) {
        statement.bindInteger(orderID, at: offset + 1)
        statement.bindInteger(try product(for: line), at: offset + 2)
        CoreColumns.bind(line, to: statement, from: offset + 3)
        statement.bindInteger(fileID, at: offset + 3 + Int32(CoreColumns.line.count))
        Self.bindValues(&line.values, lineParameters, offset: offset, to: statement)
    }

    /// An order state without lines, to start a line set from.
    private static let noLines = StoredOrderState(status: .yeni, updatedAt: nil, lines: [:], shipping: .zero, refunded: .zero,
                                                  invoice: nil)

    /// Binds the fields the order or line has (its row's parameters `offset` on); the others stay
    /// NULL (bindings cleared before).
    private static func bindValues(_ values: inout FieldValues, _ parameters: [Int32], offset: Int32 = 0, to statement: Statement) {
        values.forEachInPlace { field, value in
            let index = parameters[field.ordinal]
            if index > 0 { value.bind(to: statement, at: offset + index) }
        }
    }

    private func linesStatement(count: Int) throws(StoreError) -> Statement {
        if let prepared = upsertLines[count - 1] { return prepared }
        let statement = try store.db.prepareCached(Self.upsertLinesSQL[count - 1])
        upsertLines[count - 1] = statement
        return statement
    }

    private func product(for line: OrderLine) throws(StoreError) -> Int64 {
        if let id = productIDs[line.sku] { return id }
        let id: Int64
        if let stored = try findProduct.bind(sellerID, line.sku).rows({ $0.int(0) }).first {
            try updateProduct.bind(stored, line[.urun_adi], line[.kategori], line[.barkod], now).run()
            id = stored
        } else {
            id = try insertProduct.bind(sellerID, line.sku, line[.urun_adi], line[.kategori], line[.barkod], now).insertedID()
        }
        if productIDs.count > 100_000 { productIDs.removeAll(keepingCapacity: true) } // bound memory
        productIDs[line.sku] = id
        return id
    }

    /// Records a rejected record (`hata`) or a field stored empty (`uyari`) in `hata_log`, with
    /// the raw record as JSON.
    public func log(_ message: String, rawJSON: String, warning: Bool) throws(StoreError) {
        try insertError.bind(fileID, message, rawJSON, warning ? "uyari" : "hata", now).run()
    }

    /// The checksum a file's row holds while the transaction that writes it is open.
    static let pendingChecksum = String(repeating: "0", count: 64)

    /// Stores the file's checksum and counts, and writes its `sistem_log` audit row.
    public func finish(orders: Int, lines: Int, rejected: Int, warnings: Int, stale: Int, sha256: String,
                       message: String) throws(StoreError) {
        try store.db.prepareCached("""
            UPDATE kaynak_dosyalar SET siparis_sayisi = ?, satir_sayisi = ?, reddedilen = ?, uyari_sayisi = ?, eskimis_sayisi = ?,
                sha256 = ? WHERE id = ?
            """).bind([orders, lines, rejected, warnings, stale, sha256, fileID]).run()
        try store.db.prepareCached("""
            INSERT INTO sistem_log (kullanici_id, tablo, tablo_id, islem, mesaj, created_at) VALUES (?, 'kaynak_dosyalar', ?, 'ingest', ?, ?)
            """).bind([sellerID, fileID, message, now]).run()
    }
}
