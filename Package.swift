// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "refgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "refgate", targets: ["refgate"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // libcurl, with non-variadic shims for curl_easy_setopt / curl_easy_getinfo.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Domain core: messages, case state machine, rules, schema validation. No I/O.
        .target(name: "RefGateCore"),
        // The release and the git commit it was built from (the plugin writes the commit).
        .target(name: "RefGateBuildInfo", plugins: ["BuildInfoPlugin"]),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        // PKI, JWS, directory.
        .target(
            name: "RefGateTrust",
            dependencies: [
                "RefGateCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // Persistence: SQLite through GRDB (the default), or PostgreSQL through postgres-nio.
        .target(
            name: "RefGateStore",
            dependencies: [
                "RefGateCore", "RefGateTrust",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Evidence bundles: one case's messages, receipts, directory versions, audit entries with
        // inclusion proofs and witnessed tree heads in a ZIP, and their offline verification.
        .target(
            name: "RefGateEvidence",
            dependencies: [
                "RefGateCore", "RefGateTrust", "RefGateStore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        // Outbound HTTPS through the libcurl multi interface.
        .target(
            name: "RefGateTransport",
            dependencies: [
                "CCurl", "RefGateCore",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The node: Hummingbird servers, case engine, deliverer, wiring as Services.
        .target(
            name: "RefGateNode",
            dependencies: [
                "RefGateCore", "RefGateTrust", "RefGateStore", "RefGateTransport", "RefGateEvidence",
                "RefGateBuildInfo", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .executableTarget(
            name: "refgate",
            dependencies: [
                "RefGateCore", "RefGateTrust", "RefGateStore", "RefGateTransport", "RefGateNode", "RefGateEvidence",
                "RefGateBuildInfo", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // libFuzzer target over the peer API's parse-and-check path. scripts/fuzz builds it with
        // -sanitize=fuzzer (libFuzzer's main); a plain build replays files given as arguments.
        .executableTarget(
            name: "refgate-fuzz",
            dependencies: ["RefGateCore", "RefGateTrust", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Helpers shared by the test targets: temporary folders, external tools as peers.
        .target(name: "RefGateTestSupport", dependencies: ["RefGateStore"], path: "Tests/RefGateTestSupport"),
        .testTarget(name: "RefGateCoreTests", dependencies: ["RefGateCore"], resources: [.copy("Resources")]),
        .testTarget(
            name: "RefGateTrustTests",
            dependencies: [
                "RefGateTrust", "RefGateCore", "RefGateTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "RefGateStoreTests",
            dependencies: [
                "RefGateStore", "RefGateCore", "RefGateTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "RefGateTransportTests",
            dependencies: [
                "RefGateTransport", "RefGateTrust", "RefGateCore", "RefGateTestSupport", "CCurl",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "refgateTests",
            dependencies: [
                "refgate", "RefGateNode", "RefGateCore", "RefGateTrust", "RefGateStore", "RefGateTestSupport",
            ]
        ),
        .testTarget(
            name: "RefGateNodeTests",
            dependencies: [
                "RefGateNode", "RefGateTrust", "RefGateStore", "RefGateTransport", "RefGateCore", "RefGateTestSupport",
                "RefGateEvidence", "RefGateBuildInfo", .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            // Read by path (#filePath): what release 1.0.0 sent, for PreviousReleaseTests.
            exclude: ["Fixtures"]
        ),
    ]
)
