// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pageviews",
    products: [
        .executable(name: "pageviews-server", targets: ["pageviews-server"]),
        .executable(name: "pageviews-aggregator", targets: ["pageviews-aggregator"]),
    ],
    targets: [
        // C boundary: hiredis from Debian's libhiredis-dev, and the Linux calls
        // that Swift's Glibc module does not declare (epoll, accept4).
        .systemLibrary(
            name: "CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(name: "CSystemShims"),

        // Parts of the service, one module each.
        .target(name: "Observability"),
        .target(name: "Counting"),
        .target(name: "ServiceKit", dependencies: ["Observability", "RedisClient"]),
        .target(name: "HTTPServer", dependencies: ["CSystemShims", "Observability"]),
        .target(name: "RedisClient", dependencies: ["CHiredis", "Observability"]),
        .target(
            name: "PageviewsServer",
            dependencies: ["Counting", "HTTPServer", "RedisClient", "Observability", "ServiceKit"]
        ),
        .target(
            name: "PageviewsAggregator",
            dependencies: ["Counting", "HTTPServer", "RedisClient", "Observability", "ServiceKit"]
        ),

        // Thin executables: parse the configuration, run, exit.
        .executableTarget(name: "pageviews-server", dependencies: ["PageviewsServer"]),
        .executableTarget(name: "pageviews-aggregator", dependencies: ["PageviewsAggregator"]),

        // Tests mirror the modules; TestSupport starts real redis-server and
        // haproxy processes on free loopback ports.
        .target(name: "TestSupport", dependencies: ["CSystemShims"], path: "Tests/TestSupport"),
        .testTarget(name: "ObservabilityTests", dependencies: ["Observability"]),
        .testTarget(name: "CountingTests", dependencies: ["Counting"]),
        .testTarget(name: "ServiceKitTests", dependencies: ["ServiceKit"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "Observability", "TestSupport"]),
        .testTarget(
            name: "PageviewsServerTests",
            dependencies: ["PageviewsServer", "Counting", "HTTPServer", "RedisClient", "TestSupport"]
        ),
        .testTarget(
            name: "PageviewsAggregatorTests",
            dependencies: ["PageviewsAggregator", "Counting", "RedisClient", "TestSupport"]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Counting"]),
        // Fault scenarios against a whole cluster; PAGEVIEWS_CHAOS_FULL=1 runs them at full length.
        .testTarget(name: "ChaosTests", dependencies: ["TestSupport", "RedisClient"]),
    ],
    swiftLanguageModes: [.v6]
)
