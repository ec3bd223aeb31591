// swift-tools-version: 6.2
// libFuzzer targets for PraIngest's readers, mapping engine and configuration loaders.
// Built and run by fuzz/run (swift build -Xswiftc -sanitize=fuzzer); not part of the main build.
import PackageDescription

let targets = ["FuzzCSV", "FuzzXLSX", "FuzzXML", "FuzzJSON", "FuzzMapping", "FuzzConfig"]

let package = Package(
    name: "PraIngestFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "PraIngest", path: "..")],
    targets: [
        .target(name: "FuzzDriver", dependencies: [.product(name: "PraIngestKit", package: "PraIngest")]),
    ] + targets.map {
        .executableTarget(name: $0, dependencies: ["FuzzDriver", .product(name: "PraIngestKit", package: "PraIngest")],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)
