import Foundation

/// The watcher's work queue in `is_kuyrugu`: one row per discovered file
/// (`tip = 'dosya'`, `veri` = path, seller, size, SHA-256), `durum` pending → processing →
/// done / failed. Work is claimed from the table, so a restart resumes where it stopped: a job
/// left in `processing` by a kill is processed again, after the pending ones. Attempts are
/// counted as a job is claimed, before any work, and crashes (`cokme_sayisi`) apart.
///
/// Several workers (processes, on one machine or several) may share the queue: a claim is one
/// transaction that takes each job once (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and gives its
/// worker a lease (`kilit_sahibi`, `kilit_bitis`), renewed while it works. A job still
/// `processing` is taken over at once when its worker was on this machine and its process is
/// gone; otherwise when its lease ran out (on SQLite, whose workers share one machine, only when
/// the process is gone: no lease is renewed while SQLite's single writer works).
public struct JobQueue {
    let db: Database
    /// Who claims jobs through this queue.
    public let worker: Worker

    /// A process that claims jobs.
    public struct Worker: Sendable {
        /// Unique among the workers sharing the queue (`kilit_sahibi`).
        public var name: String
        /// What is known of the process named so: a worker of this machine is alive or gone, one
        /// of another machine unknown (its lease decides).
        public var liveness: @Sendable (String) -> Liveness

        public enum Liveness: Sendable { case alive, gone, unknown }

        public init(name: String, liveness: @escaping @Sendable (String) -> Liveness) {
            self.name = name
            self.liveness = liveness
        }

        /// A process that only queues and reads (the HTTP side, the command line).
        public static let none = Worker(name: "", liveness: { _ in .unknown })
    }

    public init(store: OrderStore, worker: Worker = .none) {
        db = store.db
        self.worker = worker
    }

    public enum State: String, Sendable, CaseIterable { case pending, processing, done, failed }

    /// One queued file.
    public struct Job: Sendable, Equatable {
        public var id: Int64
        /// Relative to the home folder (`inbox/acme/orders.csv`).
        public var path: String
        public var seller: String
        public var size: Int64
        public var sha256: String
        public var attempts: Int
        /// How many times processing this file crashed the process.
        public var crashes: Int
        /// Where the file is being moved, once decided (`archive/2026/11/23/orders.csv`).
        public var destination: String?
        /// Ingest even content that landed whole before (a `replay` of an archived file).
        public var force: Bool
        /// Why the file is refused without being read (a seller folder with an unsafe name).
        public var refusal: String?
    }

    /// Queues a file unless it is already pending or processing under that path, or the same
    /// content failed there and could not be moved out (it would only fail again); returns the new job's id.
    @discardableResult
    public func enqueue(path: String, seller: String, size: Int64, sha256: String, force: Bool = false,
                        referenceData: Bool = false, refusal: String? = nil, now: String) throws(StoreError) -> Int64? {
        var fields: [String: Any] = ["path": path, "seller": seller, "size": size, "sha256": sha256]
        if force { fields["force"] = true }
        if referenceData { fields["reference"] = true }
        if let refusal { fields["refused"] = refusal }
        let veri = Self.json(fields)
        // One transaction: workers that see the same new file queue it once.
        return try db.storeTransaction(.queue) { () throws(StoreError) -> Int64? in
            let existing = try db.prepare("""
                SELECT 1 FROM is_kuyrugu WHERE tip = 'dosya' AND \(field("path")) = ?
                  AND (durum IN ('pending', 'processing')
                       OR (durum = 'failed' AND \(field("left_in_place")) IS NOT NULL AND \(field("sha256")) = ?))
                """).bind([path, sha256]).rows { _ in 1 }
            guard existing.isEmpty else { return nil }
            return try db.prepare("""
                INSERT INTO is_kuyrugu (tip, veri, durum, created_at, updated_at) VALUES ('dosya', ?, 'pending', ?, ?) RETURNING id
                """).bind([veri, now, now]).rows { $0.int(0) }[0]
        }
    }

    /// Runs `body` (the enqueues of one look at the inbox) as one transaction: a morning flood's
    /// files are queued with one commit, not one each. An enqueue that fails inside is undone alone.
    public func together(_ body: () -> Void) throws(StoreError) {
        try db.storeTransaction(.queue) { () throws(StoreError) in body() }
    }

    /// The next job to work on: the oldest pending reference data (GİB's user list, which decides
    /// the invoices of the orders queued beside it), then the oldest pending file, then one left
    /// `processing` by a kill or crash (so a file that brings the process down never holds up the
    /// others). Marks it processing, counts the attempt, and leases it to ``worker`` until `leaseUntil`.
    /// A job another worker holds is skipped while its lease runs.
    public func claim(now: String, leaseUntil: String) throws(StoreError) -> Job? {
        try claim(where: """
            durum IN ('processing', 'pending') AND coalesce(\(field("retry_at")), '') <= ?
            ORDER BY durum = 'pending' DESC, \(field("reference")) IS NULL, id
            """, [now], now: now, leaseUntil: leaseUntil)
    }

    /// Claims the job `id` (pending or left processing), as ``claim(now:leaseUntil:)`` does.
    public func claim(id: Int64, now: String, leaseUntil: String) throws(StoreError) -> Job? {
        try claim(where: "durum IN ('processing', 'pending') AND id = ?", [id], now: now, leaseUntil: leaseUntil)
    }

    /// How many candidates one claim looks at (a job held by a live worker is passed over).
    private static let claimWindow = 32

    private func claim(where condition: String, _ args: [(any SQLValue)?], now: String,
                       leaseUntil: String) throws(StoreError) -> Job? {
        // Not synced: a claim a power cut loses leaves the job pending, its file where it was; the
        // file's commit, synced, makes the claim durable with it.
        let found = try db.storeTransaction(.queue, synced: false) { () throws(StoreError) -> (Int64, String, Int, Int)? in
            let candidates = try db.prepareCached("""
                SELECT id, veri, deneme_sayisi, cokme_sayisi, durum, kilit_sahibi, kilit_bitis FROM is_kuyrugu
                WHERE tip = 'dosya' AND \(condition) LIMIT \(Self.claimWindow)\(db.dialect.skipLocked)
                """).bind(args).rows {
                (id: $0.int(0), veri: $0.text(1) ?? "{}", attempts: Int($0.int(2)), crashes: Int($0.int(3)),
                 processing: $0.text(4) == "processing", holder: $0.text(5), until: $0.text(6))
            }
            guard let job = candidates.first(where: { c in
                guard c.processing, let holder = c.holder, let until = c.until, holder != worker.name else { return true }
                switch worker.liveness(holder) {
                case .gone: return true
                case .alive: return db.dialect == .postgres && until < now
                case .unknown: return until < now
                }
            }) else { return nil }
            try db.prepareCached("""
                UPDATE is_kuyrugu SET durum = 'processing', deneme_sayisi = deneme_sayisi + 1, kilit_sahibi = ?, kilit_bitis = ?,
                    updated_at = ? WHERE id = ?
                """).bind([worker.name, leaseUntil, now, job.id]).run()
            return (job.id, job.veri, job.attempts, job.crashes)
        }
        guard let (id, veri, attempts, crashes) = found else { return nil }
        let v = (try? JSONSerialization.jsonObject(with: Data(veri.utf8))) as? [String: Any] ?? [:]
        return Job(id: id, path: v["path"] as? String ?? "", seller: v["seller"] as? String ?? "",
                   size: (v["size"] as? NSNumber)?.int64Value ?? 0, sha256: v["sha256"] as? String ?? "",
                   attempts: attempts + 1, crashes: crashes, destination: v["destination"] as? String,
                   force: v["force"] as? Bool ?? false, refusal: v["refused"] as? String)
    }

    /// Renews ``worker``'s lease on a job it works on; `false` when the lease is no longer its own
    /// (it ran out and another worker took the job over).
    public func renewLease(_ id: Int64, until: String) throws(StoreError) -> Bool {
        try db.prepare("UPDATE is_kuyrugu SET kilit_bitis = ? WHERE id = ? AND kilit_sahibi = ? AND durum = 'processing'")
            .bind([until, id, worker.name]).run()
        return db.changes > 0
    }

    /// Whether ``worker`` still holds the job's lease. Inside a transaction on PostgreSQL the job's
    /// row stays locked to its end, so that no other worker takes the job over before it commits.
    public func holdsLease(_ id: Int64) throws(StoreError) -> Bool {
        let rows = try db.prepare("SELECT kilit_sahibi, durum FROM is_kuyrugu WHERE id = ?\(db.dialect.forUpdate)")
            .bind([id]).rows { ($0.text(0), $0.text(1)) }
        guard let (holder, state) = rows.first else { return false }
        return state == State.processing.rawValue && (holder == nil || holder == worker.name)
    }

    /// Removes `job`, whose file is gone, when an earlier job had the same file (its path and
    /// content): a worker that saw the file in a shared inbox just before another worker took it
    /// queued it again (the other job moved it, or is about to finish). `true` when removed.
    public func discardIfHandledElsewhere(_ job: Job) throws(StoreError) -> Bool {
        try db.storeTransaction(.queue) { () throws(StoreError) -> Bool in
            let handled = try db.prepare("""
                SELECT 1 FROM is_kuyrugu WHERE tip = 'dosya' AND id < ? AND \(field("path")) = ?
                  AND (\(field("sha256")) = ? OR ? = '') LIMIT 1
                """).bind([job.id, job.path, job.sha256, job.sha256]).rows { _ in 1 }
            guard !handled.isEmpty else { return false }
            try db.prepare("DELETE FROM is_kuyrugu WHERE id = ? AND kilit_sahibi = ?").bind([job.id, worker.name]).run()
            return db.changes > 0
        }
    }

    /// Counts a crash of the process while it worked on job `id`.
    public func recordCrash(_ id: Int64) throws(StoreError) {
        try db.prepare("UPDATE is_kuyrugu SET cokme_sayisi = cokme_sayisi + 1 WHERE id = ?").bind([id]).run()
    }

    /// Records where the file is about to be moved, so a crash after the move is recognised.
    public func setDestination(_ job: Job, _ destination: String, now: String) throws(StoreError) {
        try update(job.id, now: now) { $0["destination"] = destination }
    }

    /// What a finished job did, as `GET /v1/jobs/{id}` shows it.
    public struct Result: Sendable, Equatable, Codable {
        /// ingested, partial, duplicate or failed.
        public var status: String
        public var orders = 0, lines = 0, rejected = 0, warnings = 0
        /// The first errors, with their place.
        public var errors: [Place] = []

        public struct Place: Sendable, Equatable, Codable {
            public var line: Int?
            public var column: Int?
            public var field: String?
            public var message: String
            public init(line: Int?, column: Int?, field: String?, message: String) {
                self.line = line
                self.column = column
                self.field = field
                self.message = message
            }
        }

        public init(status: String) { self.status = status }

        /// The result as `veri.result` keeps it (JSON); `nil` for none.
        static func decoded(_ json: String?) -> Result? {
            json.flatMap { try? JSONDecoder().decode(Result.self, from: Data($0.utf8)) }
        }
    }

    /// A job as `GET /v1/jobs/{id}` shows it: its seller, state, and once finished its result.
    public func job(id: Int64) throws(StoreError) -> (seller: String, path: String, state: State, result: Result?)? {
        try db.prepare("""
            SELECT \(field("seller")), \(field("path")), durum, \(field("result"))
            FROM is_kuyrugu WHERE tip = 'dosya' AND id = ?
            """).bind([id]).rows { st in
            (st.text(0) ?? "", st.text(1) ?? "", State(rawValue: st.text(2) ?? "") ?? .pending,
             Result.decoded(st.text(3)))
        }.first
    }

    /// The pending or processing job of the file at `path`, if any.
    public func activeJob(path: String) throws(StoreError) -> Int64? {
        try db.prepare("""
            SELECT id FROM is_kuyrugu WHERE tip = 'dosya' AND durum IN ('pending', 'processing') AND \(field("path")) = ?
            """).bind([path]).rows { $0.int(0) }.first
    }

    /// The files being worked on: path, the worker that has each and until when its lease runs.
    public func inHand() throws(StoreError) -> [(path: String, worker: String, leaseUntil: String)] {
        try db.prepare("""
            SELECT \(field("path")), coalesce(kilit_sahibi, ''), coalesce(kilit_bitis, '') FROM is_kuyrugu
            WHERE tip = 'dosya' AND durum = 'processing' ORDER BY id
            """).rows { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "") }
    }

    /// The oldest pending job's creation time, if any.
    public func oldestPending() throws(StoreError) -> String? {
        try db.prepare("SELECT min(created_at) FROM is_kuyrugu WHERE tip = 'dosya' AND durum = 'pending'").rows { $0.text(0) }.first ?? nil
    }

    /// Ends a job: `done` or `failed`, with the outcome in `veri.outcome` and an error if any; or
    /// puts it back (`pending`) to be claimed again not before `retryAt`.
    /// - Parameter leftInPlace: a failed file that could not be moved out of the inbox: the same
    ///   content under that name is not queued again.
    public func finish(_ job: Job, state: State, outcome: String, error: String?, retryAt: String? = nil,
                       leftInPlace: Bool = false, result: Result? = nil, now: String) throws(StoreError) {
        let resultObject = result.flatMap { try? JSONEncoder().encode($0) }.flatMap { try? JSONSerialization.jsonObject(with: $0) }
        // A job done is not synced: if a power cut loses that, the next start finds its file at its
        // destination (synced before the move) and ends the job again; the next synced commit makes it durable.
        try update(job.id, now: now, state: state, error: error, synced: state != .done) { veri in
            veri["outcome"] = outcome
            veri["retry_at"] = retryAt
            veri["left_in_place"] = leftInPlace ? true : nil
            veri["result"] = resultObject
        }
    }

    /// Changes a job's `veri` (read, changed here, written back: the same on both stores), and its
    /// state and error when given.
    /// A job another worker took over meanwhile is left as that worker has it.
    private func update(_ id: Int64, now: String, state: State? = nil, error: String? = nil, synced: Bool = true,
                        _ change: (inout [String: Any]) -> Void) throws(StoreError) {
        try db.storeTransaction(.queue, synced: synced) { () throws(StoreError) in
            let rows = try db.prepareCached("SELECT veri, kilit_sahibi FROM is_kuyrugu WHERE id = ?\(db.dialect.forUpdate)").bind([id])
                .rows { ($0.text(0) ?? "{}", $0.text(1)) }
            guard let (stored, holder) = rows.first, holder == nil || holder == worker.name || worker.name.isEmpty else { return }
            var veri = (try? JSONSerialization.jsonObject(with: Data(stored.utf8))) as? [String: Any] ?? [:]
            change(&veri)
            if let state {
                // An ended job's lease ends with it; one put back is anyone's to claim.
                try db.prepareCached("UPDATE is_kuyrugu SET durum = ?, veri = ?, son_hata = ?, updated_at = ?, kilit_bitis = NULL WHERE id = ?")
                    .bind([state.rawValue, Self.json(veri), error, now, id]).run()
            } else {
                try db.prepareCached("UPDATE is_kuyrugu SET veri = ?, updated_at = ? WHERE id = ?").bind([Self.json(veri), now, id]).run()
            }
        }
    }

    /// A member of `veri`, as text, in the store's SQL.
    private func field(_ key: String) -> String { db.dialect.jsonText("veri", key) }

    /// The seller of the file last moved to `path` (`failed/orders.csv`), if a job moved it there.
    public func seller(ofFileMovedTo path: String) throws(StoreError) -> String? {
        try db.prepare("""
            SELECT \(field("seller")) FROM is_kuyrugu WHERE tip = 'dosya' AND \(field("destination")) = ?
            ORDER BY id DESC LIMIT 1
            """).bind([path]).rows { $0.text(0) }.first ?? nil
    }

    /// Job counts by state.
    public func depth() throws(StoreError) -> [State: Int] {
        var out: [State: Int] = [:]
        for (state, n) in try db.prepare("SELECT durum, count(*) FROM is_kuyrugu WHERE tip = 'dosya' GROUP BY durum")
            .rows({ ($0.text(0) ?? "", Int($0.int(1))) }) {
            if let s = State(rawValue: state) { out[s] = n }
        }
        return out
    }

    /// A job as the status lists show it.
    public struct Recent: Sendable {
        public var path: String
        public var seller: String
        public var state: String
        public var outcome: String
        public var at: String
        /// The first errors, with their place.
        public var errors: [Result.Place]
    }

    /// The last `limit` jobs, newest first; with `seller`, only that seller's.
    public func recent(limit: Int, seller: String? = nil) throws(StoreError) -> [Recent] {
        try db.prepare("""
            SELECT \(field("path")), \(field("seller")), durum,
                   coalesce(\(field("outcome")), son_hata, ''), updated_at, \(field("result"))
            FROM is_kuyrugu WHERE tip = 'dosya' AND (?2 IS NULL OR \(field("seller")) = ?2) ORDER BY id DESC LIMIT ?1
            """).bind([limit, seller]).rows {
            Recent(path: $0.text(0) ?? "", seller: $0.text(1) ?? "", state: $0.text(2) ?? "", outcome: $0.text(3) ?? "",
                   at: $0.text(4) ?? "", errors: Result.decoded($0.text(5))?.errors ?? [])
        }
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
    }
}
