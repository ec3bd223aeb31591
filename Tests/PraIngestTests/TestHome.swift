import Foundation
import Testing
import OrderCore
@testable import OrderStore
@testable import PraIngest

/// A temporary home with the repository's own mappings, a real database and a fixed clock. The
/// database is SQLite's; with `PRA_TEST_POSTGRES` set (scripts/test sets it for its second pass),
/// a new database of its own on that PostgreSQL server.
final class TestHome {
    let root: URL
    let home: Home
    /// The home's ingestor and its database connection, opened by `init` unless told otherwise.
    private(set) lazy var ingestor: Ingestor = {
        do { return try Self.open(home) } catch { fatalError("cannot open the test home's database: \(error)") }
    }()

    /// The ingestor of `home`, with a fixed clock.
    private static func open(_ home: Home) throws -> Ingestor {
        let ingestor = try Ingestor.open(home: home)
        ingestor.clock = { Date(timeIntervalSince1970: 1_795_400_000) } // 2026-11-23T02:13:20Z
        return ingestor
    }

    /// - Parameters:
    ///   - mappings: mapping files to copy from the repository's `mappings/` (all by default).
    ///   - openDatabase: `false` leaves the database to another process until ``ingestor`` is first used.
    ///   - store: the store, when not the run's (``TestStores/fresh()``); `.sqlite(path: "")`: the home's pra.sqlite.
    init(mappings: [String]? = nil, extraMappings: [String: String] = [:], openDatabase: Bool = true,
         store: StoreLocation? = nil) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pra-test-\(UUID().uuidString)")
        home = Home(path: root.path, store: store == .sqlite(path: "") ? nil : try store ?? TestStores.fresh())
        try home.prepare()
        let repoMappings = Fixture.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("mappings")
        let names = try mappings ?? FileManager.default.contentsOfDirectory(atPath: repoMappings.path).filter { $0.hasSuffix(".yaml") }
        for name in names {
            try FileManager.default.copyItem(at: repoMappings.appendingPathComponent(name),
                                             to: home.mappings.appendingPathComponent(name))
        }
        for (name, text) in extraMappings {
            try Data(text.utf8).write(to: home.mappings.appendingPathComponent(name))
        }
        if openDatabase { ingestor = try Self.open(home) }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func ingest(_ fixture: String, seller: String = "demo") -> IngestReport {
        ingestor.ingest(path: Fixture.path(fixture), seller: seller)
    }

    /// Loads reference data (GİB's user list) from a fixture, as the operator's `reference/` folder does.
    func ingestReference(_ fixture: String, force: Bool = false) -> IngestReport {
        ingestor.ingestReference(path: Fixture.path(fixture), force: force)
    }

    /// Loads reference data written from `bytes`.
    func ingestReference(named name: String, bytes: [UInt8], force: Bool = false) throws -> IngestReport {
        let url = root.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return ingestor.ingestReference(path: url.path, force: force)
    }

    /// Ingests a file written from `text` (bytes as given).
    func ingest(named name: String, bytes: [UInt8], seller: String = "demo") throws -> IngestReport {
        let url = root.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return ingestor.ingest(path: url.path, seller: seller)
    }

    func scalar(_ sql: String) throws -> Int64 {
        try ingestor.store.db.prepare(sql).rows { $0.int(0) }[0]
    }

    /// A member of `is_kuyrugu.veri`, in the store's SQL.
    func json(_ key: String) -> String { ingestor.store.db.dialect.jsonText("veri", key) }

    func texts(_ sql: String) throws -> [String] {
        try ingestor.store.db.prepare(sql).rows { $0.text(0) ?? "NULL" }
    }

    /// Orders and lines as stable text, one row a line: what the golden files hold.
    /// `sourcePositions: false` leaves out where each order stood in its file.
    func dump(sourcePositions: Bool = true) throws -> String {
        let orders = try ingestor.store.db.prepare("""
            SELECT p.ad, s.siparis_numarasi, s.siparis_tarihi, s.durum, s.platform_durumu, s.odeme_durumu, s.para_birimi,
                   s.toplam_tutar, s.kargo_ucreti, s.platform_indirimi, s.musteri_adi, s.teslimat_il, s.teslimat_ilce,
                   s.vergi_numarasi, s.tc_kimlik_no, s.kargo_firmasi, s.kargo_takip_no, s.kaynak_satir
            FROM siparisler s JOIN entegrasyonlar e ON e.id = s.entegrasyon_id JOIN platformlar p ON p.id = e.platform_id
            ORDER BY p.ad, s.siparis_numarasi
            """).rows { st in (0..<(sourcePositions ? 18 : 17)).map { st.text(Int32($0)) ?? "∅" }.joined(separator: " | ") }
        let lines = try ingestor.store.db.prepare("""
            SELECT s.siparis_numarasi, l.satir_anahtari, u.sku, l.barkod, l.urun_adi, l.adet, l.birim_fiyat,
                   l.toplam_fiyat, l.kdv_orani, l.paket_no, l.durum
            FROM siparis_urunleri l JOIN siparisler s ON s.id = l.siparis_id JOIN urunler u ON u.id = l.urun_id
            ORDER BY s.siparis_numarasi, l.satir_anahtari
            """).rows { st in (0..<11).map { st.text(Int32($0)) ?? "∅" }.joined(separator: " | ") }
        return (["# siparisler"] + orders + ["# siparis_urunleri"] + lines).joined(separator: "\n") + "\n"
    }
}

/// Compares `actual` with the golden file byte for byte; `RECORD_GOLDEN=1` rewrites it.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try expectGolden(Data(actual.utf8), name, sourceLocation: sourceLocation)
}

/// Compares bytes with the golden file (BOMs and 8-bit encodings included).
func expectGolden(_ actual: Data, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = Fixture.root.appendingPathComponent("golden").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url)
    }
    let expected = try Data(contentsOf: url)
    #expect(actual == expected, "differs from golden/\(name); re-record with RECORD_GOLDEN=1 after checking",
            sourceLocation: sourceLocation)
}

/// The stores the tests run on.
enum TestStores {
    /// The PostgreSQL server of the second pass (`postgresql://…/postgres`), if this is it.
    static let postgres: String? = ProcessInfo.processInfo.environment["PRA_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// Whether this run is on SQLite (then the tests of SQLite's own behaviour run too).
    static var onSQLite: Bool { postgres == nil }

    /// A new, empty PostgreSQL database on the test server; `nil` on SQLite (the home's pra.sqlite).
    static func fresh() throws -> StoreLocation? {
        guard let server = postgres else { return nil }
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try Database(postgresURL: server).execute("CREATE DATABASE \(name)")
        guard let slash = server.range(of: "/", options: .backwards) else { throw StoreError(code: -1, message: "bad server URL", sql: nil) }
        return .postgres(url: String(server[..<slash.upperBound]) + name)
    }
}
