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
        .library(name: "AblateStats", targets: ["AblateStats"]),
        .library(name: "AblateCollect", targets: ["AblateCollect"]),
        .library(name: "AblateReport", targets: ["AblateReport"]),
        .library(name: "AblateExecution", targets: ["AblateExecution"]),
        .library(name: "AblateLocal", targets: ["AblateLocal"]),
        .library(name: "AblateSlurm", targets: ["AblateSlurm"]),
        .library(name: "AblateKit", targets: ["AblateKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        // `ablate serve`'s HTTP server: small, no dependencies of its own (BSD sockets and Swift
        // concurrency), so it adds seconds to a clean build rather than SwiftNIO's minutes.
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
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
            dependencies: ["CLibGit2", "AblateCore"],
            swiftSettings: swiftSettings
        ),
        // Statistics for reports: t and bootstrap intervals, Welch's test, Holm's correction. Pure.
        .target(name: "AblateStats", swiftSettings: swiftSettings),
        // Readers of evaluators' and trainers' own result files (HELMET, lm-evaluation-harness, the Hugging
        // Face Trainer), as those tools' own collection scripts read them. Pure over the files they read.
        .target(name: "AblateCollect", dependencies: ["AblateCore"], swiftSettings: swiftSettings),
        // Paper-style tables: report specs, aggregation over seeds, one renderer per format.
        .target(
            name: "AblateReport",
            dependencies: ["AblateCore", "AblateStats", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // The execution protocol, the same for every backend: the backend seam, the job directory, attempt
        // status files, locating `ablate-wrap`, the process runner, the clock.
        .target(
            name: "AblateExecution",
            dependencies: ["AblateCore", "AblateStore", "AblateCollect"],
            swiftSettings: swiftSettings
        ),
        // The local backend: dispatch within this machine's slots, supervision, adoption after a crash.
        .target(
            name: "AblateLocal",
            dependencies: ["AblateExecution", "AblateStore", "AblateCore"],
            swiftSettings: swiftSettings
        ),
        // The Slurm backend: batch scripts, job arrays, submission, reconciliation, the watcher.
        .target(
            name: "AblateSlurm",
            dependencies: ["AblateExecution", "AblateStore", "AblateCore"],
            swiftSettings: swiftSettings
        ),
        // Composition: loading specs from disk, recording sweeps, planning against a store, choosing a
        // backend, provenance, reports, importers.
        .target(
            name: "AblateKit",
            dependencies: [
                "AblateCore", "AblateStore", "AblateGit", "AblateReport", "AblateStats", "AblateCollect",
                "AblateExecution", "AblateLocal", "AblateSlurm",
            ],
            swiftSettings: swiftSettings
        ),
        // `ablate serve`: the read-only web dashboard over the results database (its API, pages and
        // assets), on FlyingFox.
        .target(
            name: "AblateServe",
            dependencies: [
                "AblateKit", .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command-line tool: thin ArgumentParser commands over AblateKit, and the text views only it uses.
        .executableTarget(
            name: "ablate",
            dependencies: [
                "AblateKit",
                "AblateServe",
                "ablate-wrap",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The per-attempt supervisor (C, so that it starts in well under a millisecond): runs a job's
        // command and records its exit status in the job directory, even when no orchestrator watches.
        .executableTarget(name: "ablate-wrap"),
        // Test doubles shipped for tests: a fake backend, a fixed clock, a fake process host, a fake Slurm
        // client, golden files, running the built binary.
        .target(
            name: "AblateTestSupport",
            dependencies: ["AblateExecution", "AblateLocal", "AblateSlurm", "AblateStore", "AblateCore"],
            swiftSettings: swiftSettings
        ),
        // Benchmarks that print their figures beside a baseline measured in the same run.
        .executableTarget(
            name: "ablate-bench",
            dependencies: [
                "AblateKit",
                "AblateServe",
                "AblateCollect",
                "AblateExecution",
                "AblateReport",
                "AblateStats",
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
            dependencies: ["AblateReport", "AblateCore", "AblateTestSupport"],
            resources: [.copy("Golden")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateStatsTests",
            dependencies: ["AblateStats"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateCollectTests",
            dependencies: ["AblateCollect", "AblateCore", "AblateTestSupport"],
            resources: [.copy("Golden")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateGitTests",
            dependencies: ["AblateGit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateExecutionTests",
            dependencies: ["AblateExecution", "AblateStore", "AblateCore", "AblateTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateLocalTests",
            dependencies: ["AblateLocal", "AblateExecution", "AblateStore", "AblateCore", "AblateTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateSlurmTests",
            dependencies: ["AblateSlurm", "AblateExecution", "AblateStore", "AblateCore", "AblateTestSupport"],
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AblateKitTests",
            dependencies: ["AblateKit", "AblateStore", "AblateCore", "AblateTestSupport"],
            exclude: ["Import/Fixtures"],
            swiftSettings: swiftSettings
        ),
        // Integration tests: real processes, crash recovery, concurrency (they run the built binaries).
        .testTarget(
            name: "AblateIntegrationTests",
            dependencies: ["AblateKit", "AblateStore", "AblateCore", "AblateExecution", "AblateTestSupport"],
            swiftSettings: swiftSettings
        ),
        // Hostile input in bulk: generated specs, report specs, --where strings and command lines.
        .testTarget(
            name: "AblateFuzzTests",
            dependencies: ["ablate", "AblateKit", "AblateStats", "AblateTestSupport"],
            swiftSettings: swiftSettings
        ),
        // The executable's text views (unit) and end-to-end tests of the built `ablate`.
        .testTarget(
            name: "ablateTests",
            dependencies: ["ablate", "AblateKit", "AblateServe", "AblateStore", "AblateCore", "AblateTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
