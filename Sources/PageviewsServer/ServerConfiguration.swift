import FoundationEssentials
import Observability
import RedisClient
import ServiceKit

/// Settings of `pageviews-server`, from the environment and flags.
public struct ServerConfiguration: Sendable {
    public var port = 8080
    public var host = "0.0.0.0"
    public var instanceName = "localhost"
    /// nil runs the embedded single-node store.
    public var redis: RedisConfiguration?
    /// Name of the setting that gives the Redis password, for start-up error messages.
    public var redisPasswordSetting = "REDIS_URL (--redis-url)"
    public var flushInterval: Duration = .milliseconds(200)
    public var refreshInterval: Duration = .milliseconds(200)
    public var eventLoops = ProcessInfo.processInfo.activeProcessorCount
    public var logLevel: LogLevel = .info
    public var accessLog = false
    public var maxCounters = 10_000
    /// How long /readyz fails before the listener closes, so the load balancer stops sending first.
    public var drainDelay: Duration = .seconds(2)
    /// Upper bound on finishing requests in flight and the final flush after SIGTERM.
    public var shutdownTimeout: Duration = .seconds(10)

    public init() {}

    public static let options: [OptionSpec] = [
        OptionSpec(variable: "PORT", flag: "--port", summary: "HTTP port to listen on, 0 for any free port", defaultDescription: "8080"),
        OptionSpec(variable: "HOST", flag: "--host", summary: "address to listen on", defaultDescription: "0.0.0.0"),
        CommonOptions.instanceName,
    ] + RedisSettings.options + [
        OptionSpec(variable: "FLUSH_INTERVAL_MS", flag: "--flush-interval-ms", summary: "how often buffered views are flushed, in milliseconds", defaultDescription: "200"),
        OptionSpec(variable: "REFRESH_INTERVAL_MS", flag: "--refresh-interval-ms", summary: "how often the served totals are read, in milliseconds", defaultDescription: "200"),
        OptionSpec(variable: "EVENT_LOOPS", flag: "--event-loops", summary: "event loop threads", defaultDescription: "number of cores"),
        CommonOptions.logLevel,
        OptionSpec(variable: "ACCESS_LOG", flag: "--access-log", summary: "log one line per request (1 or 0)", defaultDescription: "0"),
        OptionSpec(variable: "MAX_COUNTERS", flag: "--max-counters", summary: "named counters tracked at once; past it a new name gets 429", defaultDescription: "10000"),
        OptionSpec(variable: "DRAIN_DELAY_MS", flag: "--drain-delay-ms", summary: "after SIGTERM, how long /readyz fails before the listener closes, in milliseconds", defaultDescription: "2000"),
        OptionSpec(variable: "SHUTDOWN_TIMEOUT_MS", flag: "--shutdown-timeout-ms", summary: "after SIGTERM, the longest wait for requests in flight and the final flush, in milliseconds", defaultDescription: "10000"),
    ]

    public static let parser = CommandLineParser(
        program: "pageviews-server",
        summary: "serves page views of the last 60 seconds and records new ones",
        version: PageviewsVersion.current,
        options: options
    )

    /// Builds the configuration from parsed values; throws naming the first invalid setting.
    public init(values: OptionValues) throws(ConfigurationError) {
        port = try values.integer("PORT", default: 8080, range: 0...65535)
        host = values.string("HOST") ?? "0.0.0.0"
        instanceName = try CommonOptions.instanceName(from: values)
        redis = try RedisSettings.configuration(from: values)
        redisPasswordSetting = RedisSettings.passwordSetting(from: values)
        flushInterval = .milliseconds(try values.integer("FLUSH_INTERVAL_MS", default: 200, range: 10...10_000))
        refreshInterval = .milliseconds(try values.integer("REFRESH_INTERVAL_MS", default: 200, range: 10...10_000))
        eventLoops = try values.integer("EVENT_LOOPS", default: ProcessInfo.processInfo.activeProcessorCount, range: 1...256)
        logLevel = try CommonOptions.logLevel(from: values)
        accessLog = try values.boolean("ACCESS_LOG", default: false)
        maxCounters = try values.integer("MAX_COUNTERS", default: 10_000, range: 1...1_000_000)
        drainDelay = .milliseconds(try values.integer("DRAIN_DELAY_MS", default: 2_000, range: 0...600_000))
        shutdownTimeout = .milliseconds(try values.integer("SHUTDOWN_TIMEOUT_MS", default: 10_000, range: 100...600_000))
    }

    /// One log line's worth of fields; the Redis URL appears with its password masked.
    public var summaryFields: KeyValuePairs<String, String> {
        [
            "port": String(port), "instance": instanceName,
            "store": redis?.redactedDescription ?? "embedded",
            "flush_interval_ms": String(ServerApplication.milliseconds(flushInterval)),
            "refresh_interval_ms": String(ServerApplication.milliseconds(refreshInterval)),
            "event_loops": String(eventLoops), "max_counters": String(maxCounters),
            "access_log": accessLog ? "1" : "0",
        ]
    }
}
