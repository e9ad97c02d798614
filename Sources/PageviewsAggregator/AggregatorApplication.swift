import HTTPServer
import Observability
import ServiceKit

/// The aggregator process: the tick loop and a small HTTP listener for
/// `/healthz` and `/metrics`.
public final class AggregatorApplication: ManagedService, Sendable {
    public let configuration: AggregatorConfiguration
    private let logger: Logger
    private let aggregator: Aggregator
    private let server: HTTPServer

    public init(configuration: AggregatorConfiguration, logger: Logger, registry: MetricsRegistry = MetricsRegistry()) {
        self.configuration = configuration
        self.logger = logger
        let metrics = AggregatorMetrics(registry: registry)
        aggregator = Aggregator(configuration: configuration, metrics: metrics, logger: logger)

        var router = Router()
        router.add(.GET, "/healthz") { _, _ in .text(.ok, "ok\n") }
        router.add(.GET, "/metrics") { _, _ in
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
            return HTTPResponse(status: .ok, headers: headers, body: Array(registry.render().utf8))
        }
        var http = HTTPServerConfiguration()
        http.host = configuration.metricsHost
        http.port = configuration.metricsPort
        http.eventLoops = 1
        http.defaultHeaders = [("X-Instance", configuration.instanceName)]
        let handler = router
        server = HTTPServer(
            configuration: http, logger: logger.withLabel("pageviews.http"), metrics: registry,
            handler: { handler.handle($0) })
    }

    /// Starts the metrics listener and the tick loop; returns the metrics port.
    @discardableResult
    public func start() throws -> Int {
        let port = try server.start()
        aggregator.start()
        logger.info("aggregator started", [
            "redis": configuration.redis.redactedDescription, "tick_interval_ms": String(Self.milliseconds(configuration.tickInterval)),
            "metrics_port": String(port), "instance": configuration.instanceName,
        ])
        return port
    }

    public var metricsPort: Int { server.port }

    public func stop() {
        aggregator.stop()
        server.stopAccepting()
        server.shutdown(gracePeriod: .seconds(2))
        logger.info("aggregator stopped")
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    /// Runs one tick now, outside the loop; tests use it to compute totals on demand.
    public func tickOnce() throws -> Int {
        try aggregator.tick()
    }
}
