import Glibc
import Counting
import HTTPServer
import Observability
import ServiceKit

/// One pageviews replica: the HTTP server, the view recorder, the flusher
/// and the refresher, wired to Redis or to the embedded store.
///
/// Lifecycle: `start()` once, then `drainAndStop()` once (after SIGTERM, or
/// from a test). Both are called from one thread.
public final class ServerApplication: ManagedService, Sendable {
    public let configuration: ServerConfiguration
    public let replica: ReplicaID
    private let logger: Logger
    private let metrics: ServerMetrics
    private let recorder: ViewRecorder
    private let cache: TotalsCache
    private let flusher: Flusher
    private let refresher: Refresher
    private let server: HTTPServer
    private let readiness = Readiness()

    /// Creates the replica; nothing runs before `start()`.
    ///
    /// `clock` returns the local Unix time in ms. Tests pass a clock they
    /// can move, so that a window passes without waiting for it. With the
    /// embedded store it is the store's clock too.
    public init(
        configuration: ServerConfiguration, logger: Logger, registry: MetricsRegistry = MetricsRegistry(),
        clock: @escaping @Sendable () -> Int64 = { UnixTime.nowMillis() }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.replica = ReplicaID.make(instance: configuration.instanceName)
        self.metrics = ServerMetrics(registry: registry)
        self.recorder = ViewRecorder(maxCounters: configuration.maxCounters)
        let instance = configuration.instanceName
        let cache = TotalsCache(maxCounters: configuration.maxCounters) { total, asOf, stale in
            CounterJSON.body(
                counter: total.counter, total: total, asOf: asOf, instance: instance, stale: stale, includeSeries: false)
        }
        self.cache = cache

        let (batchStore, totalsStore) = Self.makeStores(configuration, logger: logger, metrics: metrics, clock: clock)
        flusher = Flusher(
            recorder: recorder, store: batchStore, replica: replica, interval: configuration.flushInterval,
            storeClock: { clock() + cache.clockOffsetMillis },
            metrics: metrics, logger: logger.withLabel("pageviews.flusher"))
        refresher = Refresher(
            cache: cache, store: totalsStore, interval: configuration.refreshInterval,
            metrics: metrics, logger: logger.withLabel("pageviews.refresher"), clock: clock)

        let readiness = self.readiness
        let routes = CounterRoutes(
            instance: configuration.instanceName, recorder: recorder, cache: cache, metrics: metrics,
            staleAfterMillis: 2_000 + Self.milliseconds(configuration.refreshInterval), clock: clock,
            isDraining: { readiness.isDraining })
        let router = routes.makeRouter()
        let accessLogger = configuration.accessLog ? logger.withLabel("pageviews.access") : nil
        server = HTTPServer(
            configuration: Self.httpConfiguration(configuration), logger: logger.withLabel("pageviews.http"),
            metrics: registry, handler: Self.makeHandler(router, accessLogger: accessLogger))
    }

    /// Binds the port and starts every thread; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        refresher.refreshOnce()
        refresher.start()
        flusher.start(shutdownTimeout: configuration.shutdownTimeout)
        let port = try server.start()
        var fields: [(key: String, value: String)] = [("replica", replica.rawValue), ("bound_port", String(port))]
        fields += configuration.summaryFields.map { ($0.key, $0.value) }
        logger.log(.info, "server started", fieldList: fields)
        return port
    }

    public var port: Int { server.port }

    /// Stops the replica as SIGTERM does, by draining.
    public func stop() {
        drainAndStop()
    }

    /// Drains: fails /readyz, waits the drain delay so the load balancer stops
    /// sending, stops accepting, finishes requests in flight, flushes every
    /// buffered view, and stops the threads.
    public func drainAndStop() {
        logger.info("draining", ["drain_delay_ms": String(Self.milliseconds(configuration.drainDelay))])
        readiness.beginDraining()
        sleep(for: configuration.drainDelay)

        server.stopAccepting()
        server.shutdown(gracePeriod: configuration.shutdownTimeout)
        logger.info("http server stopped")

        if !flusher.stop(timeout: configuration.shutdownTimeout + .seconds(1)) {
            logger.error("final flush did not finish in time")
        }
        refresher.stop(timeout: .seconds(2))
        logger.info("server stopped", ["replica": replica.rawValue])
    }

    /// Routes a request; with an access logger, also logs one line per request.
    private static func makeHandler(_ router: Router, accessLogger: Logger?) -> HTTPHandler {
        guard let accessLogger else {
            return { router.handle($0) }
        }
        return { request in
            let started = UnixTime.monotonicNanos()
            let response = router.handle(request)
            let micros = (UnixTime.monotonicNanos() - started) / 1000
            accessLogger.info("request", [
                "method": request.method.rawValue, "path": request.path,
                "status": String(response.status.code), "duration_us": String(micros),
            ])
            return response
        }
    }

    private static func makeStores(
        _ configuration: ServerConfiguration, logger: Logger, metrics: ServerMetrics,
        clock: @escaping @Sendable () -> Int64
    ) -> (any BatchStore, any TotalsStore) {
        guard let redis = configuration.redis else {
            let store = EmbeddedStore(clock: clock)
            return (store, store)
        }
        let redisLogger = logger.withLabel("pageviews.redis")
        return (
            RedisCounterStore(configuration: redis, logger: redisLogger, reconnects: metrics.redisReconnects),
            RedisCounterStore(configuration: redis, logger: redisLogger, reconnects: metrics.redisReconnects)
        )
    }

    private static func httpConfiguration(_ configuration: ServerConfiguration) -> HTTPServerConfiguration {
        var http = HTTPServerConfiguration()
        http.host = configuration.host
        http.port = configuration.port
        http.eventLoops = configuration.eventLoops
        http.defaultHeaders = [("X-Instance", configuration.instanceName)]
        http.makeErrorResponse = APIResponse.error
        return http
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    private func sleep(for duration: Duration) {
        let micros = Self.milliseconds(duration) * 1000
        if micros > 0 {
            usleep(UInt32(min(micros, Int64(UInt32.max))))
        }
    }
}
