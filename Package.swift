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
        .target(name: "ServiceKit", dependencies: ["CSystemShims", "Observability", "RedisClient"]),
        .target(
            name: "HTTPServer", dependencies: ["CSystemShims", "Observability"],
            // Release builds skip the run-time exclusivity checks on the event loop's and
            // connections' properties: about ten per request, a tenth of a request's
            // user-space instructions in callgrind. Debug builds, which the tests
            // use, keep them, so a conflicting access still fails there.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
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
        .testTarget(name: "ServiceKitTests", dependencies: ["ServiceKit", "RedisClient", "TestSupport"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "Observability", "TestSupport"]),
        .testTarget(
            name: "PageviewsServerTests",
            dependencies: [
                "PageviewsServer", "PageviewsAggregator", "Counting", "HTTPServer", "RedisClient", "ServiceKit",
                "Observability", "TestSupport",
            ]
        ),
        .testTarget(
            name: "PageviewsAggregatorTests",
            dependencies: ["PageviewsAggregator", "Counting", "RedisClient", "ServiceKit", "Observability", "TestSupport"]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Counting"]),
        // Fault scenarios against a whole cluster; PAGEVIEWS_CHAOS_FULL=1 runs them at full length.
        .testTarget(name: "ChaosTests", dependencies: ["TestSupport", "RedisClient"]),
    ],
    swiftLanguageModes: [.v6]
)
