import Observability
import RedisClient
import ServiceKit

/// Settings of `pageviews-aggregator`, from the environment and flags.
public struct AggregatorConfiguration: Sendable {
    public var redis: RedisConfiguration
    /// Name of the setting that gives the Redis password, for start-up error messages.
    public var redisPasswordSetting = "REDIS_URL (--redis-url)"
    public var tickInterval: Duration = .milliseconds(200)
    public var metricsPort = 9090
    public var metricsHost = "0.0.0.0"
    public var instanceName = "localhost"
    public var logLevel: LogLevel = .info

    public init(redis: RedisConfiguration) {
        self.redis = redis
    }

    public static let options: [OptionSpec] = RedisSettings.options + [
        OptionSpec(variable: "TICK_INTERVAL_MS", flag: "--tick-interval-ms", summary: "how often the rolling totals are recomputed, in milliseconds", defaultDescription: "200"),
        OptionSpec(variable: "METRICS_PORT", flag: "--metrics-port", summary: "HTTP port of /healthz and /metrics, 0 for any free port", defaultDescription: "9090"),
        OptionSpec(variable: "METRICS_HOST", flag: "--metrics-host", summary: "address the metrics listener binds", defaultDescription: "0.0.0.0"),
        CommonOptions.instanceName,
        CommonOptions.logLevel,
    ]

    public static let parser = CommandLineParser(
        program: "pageviews-aggregator",
        summary: "recomputes the rolling 60-second totals in Redis",
        version: PageviewsVersion.current,
        options: options
    )

    /// Builds the configuration; REDIS_URL is required because the aggregator has no embedded store.
    public init(values: OptionValues) throws(ConfigurationError) {
        guard let redis = try RedisSettings.configuration(from: values) else {
            throw ConfigurationError("missing \(values.name("REDIS_URL")): the aggregator needs a Redis to read and write")
        }
        self.redis = redis
        redisPasswordSetting = RedisSettings.passwordSetting(from: values)
        tickInterval = .milliseconds(try values.integer("TICK_INTERVAL_MS", default: 200, range: 10...10_000))
        metricsPort = try values.integer("METRICS_PORT", default: 9090, range: 0...65535)
        metricsHost = values.string("METRICS_HOST") ?? "0.0.0.0"
        instanceName = try CommonOptions.instanceName(from: values)
        logLevel = try CommonOptions.logLevel(from: values)
    }
}
