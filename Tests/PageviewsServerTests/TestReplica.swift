import Foundation
import Observability
import Synchronization
import Testing
import TestSupport
@testable import PageviewsServer

/// Starts replicas for tests: the embedded store unless `adjust` sets Redis,
/// a free loopback port, one event loop and short intervals.
enum TestReplica {
    static func start(
        logger: Logger = Logger(label: "test", level: .critical), registry: MetricsRegistry = MetricsRegistry(),
        clock: ManualClock? = nil, _ adjust: (inout ServerConfiguration) -> Void = { _ in }
    ) throws -> ServerApplication {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.host = "127.0.0.1"
        configuration.instanceName = "test-1"
        configuration.eventLoops = 1
        configuration.flushInterval = .milliseconds(20)
        configuration.refreshInterval = .milliseconds(20)
        configuration.drainDelay = .zero
        adjust(&configuration)
        let application: ServerApplication
        if let clock {
            application = ServerApplication(
                configuration: configuration, logger: logger, registry: registry, clock: { clock.now })
        } else {
            application = ServerApplication(configuration: configuration, logger: logger, registry: registry)
        }
        try application.start()
        return application
    }

    static func json(_ response: TestHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    /// Polls the read API until the count of `counter` reaches `expected` or 10 s pass; returns the last count.
    static func waitForViews(_ client: HTTPTestClient, counter: String, expected: Int) throws -> Int {
        var views = -1
        for _ in 0..<500 {
            let response = try client.send(method: "GET", path: "/api/v1/counters/\(counter)")
            views = try json(response)["views_last_60s"] as? Int ?? -1
            if views == expected { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return views
    }
}

/// A clock in Unix milliseconds that tests move by hand.
final class ManualClock: Sendable {
    private let millis: Atomic<Int64>

    init(startingAt millis: Int64 = 1_796_413_200_000) {
        self.millis = Atomic(millis)
    }

    var now: Int64 {
        millis.load(ordering: .relaxed)
    }

    func advance(seconds: Int64) {
        millis.add(seconds * 1000, ordering: .relaxed)
    }
}
