import Observability
import ServiceKit

/// Runs the aggregator in the foreground until SIGTERM or SIGINT, for `main`.
public enum AggregatorRunner {
    /// Returns the process exit status: 0 after a clean stop, 1 if start-up
    /// failed, 2 if Redis rejected the configured credentials or database.
    public static func run(_ configuration: AggregatorConfiguration) -> Int32 {
        let logger = Logger(label: "pageviews.aggregator", level: configuration.logLevel)
        if let status = RedisStartupCheck.exitStatus(
            configuration.redis, passwordSetting: configuration.redisPasswordSetting,
            program: "pageviews-aggregator", logger: logger)
        {
            return status
        }
        let signal = ShutdownSignal()
        signal.install()
        let application = AggregatorApplication(configuration: configuration, logger: logger)
        return ServiceMain.serve(application, logger: logger, signal: signal)
    }
}
