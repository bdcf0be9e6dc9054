// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Ablate",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ablate", targets: ["ablate"]),
        .executable(name: "ablate-wrap", targets: ["ablate-wrap"]),
        .library(name: "AblateCore", targets: ["AblateCore"]),
        .library(name: "AblateStore", targets: ["AblateStore"]),
        .library(name: "AblateGit", targets: ["AblateGit"]),
        .library(name: "AblateReport", targets: ["AblateReport"]),
        .library(name: "AblateKit", targets: ["AblateKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        // Spec model, validation, expansion, hashing: pure, no I/O.
        .target(
            name: "AblateCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // The results database: GRDB schema, records, ingestion, queries.
        .target(
            name: "AblateStore",
            dependencies: [
                "AblateCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // libgit2, as a system library (apt: libgit2-dev).
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        // Git provenance of the code that ran: commit, branch, dirty flag, diff, untracked files.
        .target(
            name: "AblateGit",
            dependencies: ["CLibGit2"],
            swiftSettings: swiftSettings
        ),
        // Paper-style tables: report specs, aggregation over seeds, one renderer per format.
        .target(
            name: "AblateReport",
            dependencies: ["AblateCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Orchestration: loading specs from disk, recording sweeps, planning against a store, dispatch.
        .target(
            name: "AblateKit",
            dependencies: ["AblateCore", "AblateStore", "AblateGit", "AblateReport"],
            swiftSettings: swiftSettings
        ),
        // The command-line tool: thin ArgumentParser commands over AblateKit.
        .executableTarget(
            name: "ablate",
            dependencies: [
                "AblateKit",
                "ablate-wrap",
                "AblateCore",
                "AblateStore",
                "AblateReport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The per-attempt supervisor (C, so that it starts in well under a millisecond): runs a job's
        // command and records its exit status in the job directory, even when no orchestrator watches.
        .executableTarget(name: "ablate-wrap"),
        // Test support shared by the end-to-end and integration tests: running the built binary.
        .target(name: "AblateTestSupport", dependencies: ["AblateKit"], swiftSettings: swiftSettings),
        // Benchmarks that print their figures beside a baseline measured in the same run.
        .executableTarget(
            name: "ablate-bench",
            dependencies: [
                "AblateKit",
                "AblateReport",
                "AblateStore",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateCoreTests",
            dependencies: ["AblateCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateStoreTests",
            dependencies: ["AblateStore", "AblateCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateReportTests",
            dependencies: ["AblateReport", "AblateCore"],
            resources: [.copy("Golden")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateGitTests",
            dependencies: ["AblateGit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateKitTests",
            dependencies: ["AblateKit", "AblateStore", "AblateCore", "AblateTestSupport"],
            exclude: ["Import/Fixtures", "Slurm/Golden"],
            swiftSettings: swiftSettings
        ),
        // Integration tests: real processes, crash recovery, concurrency (they run the built binaries).
        .testTarget(
            name: "AblateIntegrationTests",
            dependencies: ["AblateKit", "AblateStore", "AblateCore", "AblateTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ablateTests",
            dependencies: ["AblateKit", "AblateStore", "AblateCore", "AblateTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
