import Observability
import ServiceKit

/// Runs a replica in the foreground until SIGTERM or SIGINT, for `main`.
public enum ServerRunner {
    /// Returns the process exit status: 0 after a clean drain, 1 if start-up
    /// failed, 2 if Redis rejected the configured credentials or database.
    public static func run(_ configuration: ServerConfiguration) -> Int32 {
        let logger = Logger(label: "pageviews.server", level: configuration.logLevel)
        if let redis = configuration.redis,
            let status = RedisStartupCheck.exitStatus(
                redis, passwordSetting: configuration.redisPasswordSetting, program: "pageviews-server",
                logger: logger)
        {
            return status
        }
        let signal = ShutdownSignal()
        signal.install()
        let application = ServerApplication(configuration: configuration, logger: logger)
        return ServiceMain.serve(application, logger: logger, signal: signal)
    }
}
