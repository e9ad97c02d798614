import Observability
import ServiceKit

/// Runs the aggregator in the foreground until SIGTERM or SIGINT, for `main`.
public enum AggregatorRunner {
    /// Returns the process exit status: 0 after a clean stop, 1 if start-up failed.
    public static func run(_ configuration: AggregatorConfiguration) -> Int32 {
        let logger = Logger(label: "pageviews.aggregator", level: configuration.logLevel)
        let signal = ShutdownSignal()
        signal.install()

        let application = AggregatorApplication(configuration: configuration, logger: logger)
        do {
            try application.start()
        } catch {
            logger.critical("aggregator failed to start", ["error": "\(error)", "metrics_port": String(configuration.metricsPort)])
            return 1
        }
        let number = signal.wait()
        logger.info("shutdown requested", ["signal": String(number)])
        application.stop()
        return 0
    }
}
