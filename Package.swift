// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "kefu",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kefu", targets: ["kefu"]),
        .library(name: "KefuCore", targets: ["KefuCore"]),
        .library(name: "KefuText", targets: ["KefuText"]),
        .library(name: "KefuShield", targets: ["KefuShield"]),
        .library(name: "KefuChain", targets: ["KefuChain"]),
        .library(name: "KefuServer", targets: ["KefuServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // The support domain as plain values and rules: no I/O, no framework.
        .target(name: "KefuCore", swiftSettings: swiftSettings),
        // Text intelligence with no I/O: normalising, search, language, sentiment, triage model.
        .target(name: "KefuText", swiftSettings: swiftSettings),
        // Secrets and crypto entities in text: recovery phrases, keys, addresses, links, the agent-message guard.
        .target(
            name: "KefuShield",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            // Copied as folders: the code looks the lists up by folder name.
            resources: [.copy("Resources/wordlists"), .copy("Resources/chinese")],
            swiftSettings: swiftSettings
        ),
        // On-chain transaction lookups behind one ChainClient protocol: EVM, Bitcoin-Core-style and TRON nodes.
        .target(
            name: "KefuChain",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KefuServer",
            dependencies: [
                "KefuCore",
                "KefuText",
                "KefuShield",
                "KefuChain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kefu",
            dependencies: [
                "KefuServer",
                "KefuCore",
                "KefuText",
                "KefuShield",
                "KefuChain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Load generator for the ingest benchmark (see docs/benchmarks.md); built in release only when measuring.
        .executableTarget(
            name: "kefu-bench-ingest",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/ingest",
            exclude: ["run"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "kefu-bench-shield", dependencies: ["KefuShield"], path: "bench/shield",
                          exclude: ["measure.py", "make_vectors.py", "corpora.py", "build_chinese_words.py", "chinese_chat.txt"],
                          swiftSettings: swiftSettings),
        // Synthetic history for the reports benchmark (bench/reports/run).
        .executableTarget(name: "kefu-bench-reports", dependencies: ["KefuCore"], path: "bench/reports", exclude: ["run"], swiftSettings: swiftSettings),
        .executableTarget(name: "kefu-bench-search", dependencies: ["KefuText"], path: "bench/search", swiftSettings: swiftSettings),
        .executableTarget(name: "kefu-bench-triage", dependencies: ["KefuText"], path: "bench/triage",
                          exclude: ["make_dev_split.py"], swiftSettings: swiftSettings),
        .testTarget(name: "KefuCoreTests", dependencies: ["KefuCore"], swiftSettings: swiftSettings),
        .testTarget(name: "KefuTextTests", dependencies: ["KefuText"], swiftSettings: swiftSettings),
        .testTarget(name: "KefuShieldTests", dependencies: ["KefuShield"], swiftSettings: swiftSettings),
        .testTarget(name: "KefuChainTests", dependencies: ["KefuChain"], swiftSettings: swiftSettings),
        .testTarget(
            name: "KefuServerTests",
            dependencies: [
                "KefuServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
