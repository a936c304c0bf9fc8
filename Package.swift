// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "cdrscan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cdrscan", targets: ["cdrscan"]),
        .library(name: "CDRModel", targets: ["CDRModel"]),
        .library(name: "CDRIngest", targets: ["CDRIngest"]),
        .library(name: "CDRAnalysis", targets: ["CDRAnalysis"]),
        .library(name: "CDRSamples", targets: ["CDRSamples"]),
        .library(name: "CDROutput", targets: ["CDROutput"]),
        .library(name: "CDRPipeline", targets: ["CDRPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // Small C helpers: a cache prefetch hint, the allocator's mmap threshold, zeroed tables on huge pages, the
        // split of records whose every field is quoted (SSE2 compares where there are).
        .target(name: "CPrefetch"),
        // The call model, the columnar store, time and number primitives. No I/O.
        .target(name: "CDRModel", dependencies: ["CPrefetch"], resources: [.copy("Data")]),
        // Byte sources, CSV scanning, format readers, normalization, rejects.
        .target(name: "CDRIngest", dependencies: ["CDRModel", "CPrefetch", "CZlib", "Yams"]),
        // Numbering plan, rating, capacity. Pure functions of the store and configuration.
        .target(
            name: "CDRAnalysis",
            dependencies: ["CDRModel", "CPrefetch"],
            resources: [.copy("Data")]
        ),
        // The sample-CDR generator with injected scenarios and a truth file.
        .target(name: "CDRSamples", dependencies: ["CDRModel", "CDRIngest", "CZlib"]),
        // SQLite results.
        .target(name: "CDROutput", dependencies: ["CDRModel", "CDRAnalysis", "CDRIngest", "CSQLite", "Yams"]),
        // Pipeline files, their runs (only new inputs, a lock per results file) and investigations.
        .target(
            name: "CDRPipeline",
            dependencies: [
                "CDRModel", "CDRIngest", "CDRAnalysis", "CDROutput", "Yams",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "cdrscan",
            dependencies: [
                "CDRModel", "CDRIngest", "CDRAnalysis", "CDRSamples", "CDROutput", "CDRPipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "CDRModelTests", dependencies: ["CDRModel"]),
        .testTarget(name: "CDRIngestTests", dependencies: ["CDRIngest", "CDRModel", "CZlib", "CPrefetch"]),
        .testTarget(name: "CDRAnalysisTests", dependencies: ["CDRAnalysis", "CDRModel", "CDRIngest", "CDRSamples"]),
        .testTarget(
            name: "CDRSamplesTests",
            dependencies: ["CDRSamples", "CDRIngest", "CDRAnalysis", "CDRModel", "CDROutput"]
        ),
        .testTarget(
            name: "CDROutputTests",
            dependencies: ["CDROutput", "CDRAnalysis", "CDRIngest", "CDRModel", "CDRSamples"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "CDRPipelineTests",
            dependencies: ["CDRPipeline", "CDROutput", "CDRAnalysis", "CDRIngest", "CDRModel"]
        ),
        .testTarget(name: "cdrscanTests", dependencies: ["cdrscan"]),
    ]
)
