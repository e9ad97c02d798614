import Observability
import RedisClient

/// Logs a notice each time a Redis session has reconnected since the last
/// check, because the session itself, as a library, logs reconnects at debug.
///
/// A session reconnects only on the call after a failure, and callers retry
/// with backoff, so a flapping Redis yields at most one line per retry.
/// Owned by the thread that owns the session.
public struct ReconnectLog {
    private var reportedReconnects = 0

    public init() {}

    /// Logs `redis reconnected` if `session` opened a connection since the previous call.
    public mutating func report(_ session: RedisSession, logger: Logger) {
        let reconnects = session.reconnects
        guard reconnects > reportedReconnects else { return }

        reportedReconnects = reconnects
        logger.notice(
            "redis reconnected",
            ["redis": session.configuration.redactedDescription, "reconnects": String(reconnects)])
    }
}
