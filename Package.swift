// swift-tools-version:6.0
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
        .library(name: "AblateCore", targets: ["AblateCore"]),
        .library(name: "AblateKit", targets: ["AblateKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // Spec model, validation, expansion, hashing: pure, no I/O.
        .target(
            name: "AblateCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Orchestration: loading specs from disk, planning against a store, dispatch.
        .target(
            name: "AblateKit",
            dependencies: ["AblateCore"],
            swiftSettings: swiftSettings
        ),
        // The command-line tool: thin ArgumentParser commands over AblateKit.
        .executableTarget(
            name: "ablate",
            dependencies: [
                "AblateKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Benchmarks that print their figures beside a baseline measured in the same run.
        .executableTarget(
            name: "ablate-bench",
            dependencies: [
                "AblateKit",
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
            name: "AblateKitTests",
            dependencies: ["AblateKit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ablateTests",
            dependencies: ["AblateKit"],
            swiftSettings: swiftSettings
        ),
    ]
)
