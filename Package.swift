// swift-tools-version: 6.2
import PackageDescription

/// Our own targets treat warnings as errors; dependencies are left alone.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "PraIngest",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pra-ingest", targets: ["pra-ingest"]),
        // For the fuzz targets in fuzz/ (a separate package, built with -sanitize=fuzzer).
        .library(name: "PraIngestKit", targets: ["OrderCore", "Parsers", "PraIngest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The HTTP side of `pra-ingest run` (issue 20): Hummingbird streams request bodies and is
        // the offline set's lightest server on SwiftNIO; traits off, no swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // SQLite itself (3.54.1, with lookaside), as vapor/sqlite-nio vendors it: see Sources/CSQLite.
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
    ],
    targets: [
        // C libraries at the bottom: each a system library with a tiny shim, but SQLite, which
        // is built in (Sources/CSQLite/README.md says why).
        .systemLibrary(name: "CXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "CSQLite", dependencies: [.product(name: "SQLiteNIO", package: "sqlite-nio")]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMimalloc", providers: [.apt(["libmimalloc-dev"])]),

        // Pure Swift centre: order model, money, mapping spec and engine. No I/O, no C.
        .target(name: "OrderCore", swiftSettings: strict),

        // Demand forecasting: classes, models, backtests, reorder and price evidence. Pure numbers.
        .target(name: "Forecasting", swiftSettings: strict),

        // Format code: bytes in → neutral records; mapping YAML → OrderCore specs.
        .target(
            name: "Parsers",
            dependencies: [
                "CXML2", "CZlib", "OrderCore",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),

        // Orders/invoices → bytes: UBL-TR, ERP formats. Pure: exporters write no files.
        .target(name: "Exporters", dependencies: ["OrderCore"], swiftSettings: strict),

        // The store, on SQLite (embedded default) or PostgreSQL (shared by workers): migrations
        // and the only place that knows SQL.
        .target(name: "OrderStore", dependencies: ["CSQLite", "CLibPQ", "OrderCore"], swiftSettings: strict),

        // The pipeline: home folder, mapping registry, ingest, checksums.
        .target(
            name: "PraIngest",
            dependencies: [
                "CCrypto", "OrderCore", "Forecasting", "Parsers", "Exporters", "OrderStore",
                .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // HTTP beside the watcher: health, metrics, the status page, uploads and webhooks with keys.
        .target(
            name: "Server",
            dependencies: [
                "PraIngest", "OrderCore", "OrderStore", "Exporters",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Thin command-line front end.
        .executableTarget(
            name: "pra-ingest",
            dependencies: [
                "PraIngest", "Server", "OrderCore", "OrderStore", "Forecasting", "CMimalloc", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "OrderCoreTests", dependencies: ["OrderCore"], swiftSettings: strict),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting"], swiftSettings: strict),
        .testTarget(
            name: "PraIngestTests",
            dependencies: ["PraIngest", "Parsers", "Exporters", "OrderStore", "OrderCore", "CXML2", "Server"],
            swiftSettings: strict
        ),
    ]
)
